import { basename } from 'node:path';
import type { RgbImage } from '../draw/image.js';
import { writePng } from '../draw/png.js';
import { decodeMonoAudio } from './decode-audio.js';
import { decodeGrayFrames, type FrameDecodeStrategy } from './decode-frames.js';
import { readScanSidecar } from './read-sidecar.js';
import { renderPreview, tileSize, type PreviewLayout } from './render-preview.js';

export interface PreviewOptions {
  /** Thumbnails in the contact sheet (default 24), evenly spread over the scan. */
  frames?: number;
  /** Thumbnails per row (default 6). */
  columns?: number;
  /** Thumbnail width in pixels (default 240); the height keeps the video's aspect. */
  tileWidth?: number;
  /** Rate the soundtrack is decoded at for the waveform and spectrogram (default 16000). */
  audioRate?: number;
  frameDecode?: FrameDecodeStrategy;
}

export interface PreviewResult {
  outPath: string;
  width: number;
  height: number;
}

export function defaultPreviewPath(scanPath: string): string {
  return scanPath.replace(/\.[^./\\]+$/, '') + '.preview.png';
}

/** `count` frame indices spread evenly over `total` frames (the middle of equal spans). */
export function evenFrameIndices(total: number, count: number): number[] {
  const n = Math.max(0, Math.min(total, Math.floor(count)));
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Math.floor(((k + 0.5) * total) / n));
  return out;
}

/** Decodes what the preview needs from a scan and its sidecar and renders it in memory. */
export async function buildPreview(scanPath: string, options: PreviewOptions = {}): Promise<{ image: RgbImage; layout: PreviewLayout }> {
  const sidecar = await readScanSidecar(scanPath);
  const totalFrames = sidecar.frames.label.length;
  const indices = evenFrameIndices(totalFrames, options.frames ?? 24);
  const columns = Math.max(1, Math.min(options.columns ?? 6, indices.length));
  const tile = tileSize(sidecar.media, options.tileWidth ?? 240);
  const audioRate = options.audioRate ?? 16000;

  const [grays, audio] = await Promise.all([
    decodeGrayFrames(scanPath, {
      indices,
      fps: sidecar.media.fps,
      totalFrames,
      width: tile.width,
      height: tile.height,
      ...(options.frameDecode !== undefined ? { strategy: options.frameDecode } : {}),
    }),
    decodeMonoAudio(scanPath, audioRate),
  ]);

  return renderPreview({
    title: basename(scanPath),
    sidecar,
    tiles: indices.map((frameIndex, k) => ({ frameIndex, gray: grays[k] as Uint8Array })),
    tileWidth: tile.width,
    tileHeight: tile.height,
    columns,
    audio,
    audioRate,
  });
}

/**
 * Writes a PNG preview of a synthetic scan (an MP4 with its JSON sidecar beside it): a
 * contact sheet of frames with their plane labels and gaze points over a time-aligned
 * strip of waveform, spectrogram, speech, noise events and plane labels. The default
 * output is `<scan without extension>.preview.png`.
 */
export async function writePreview(scanPath: string, outPath?: string, options: PreviewOptions = {}): Promise<PreviewResult> {
  const { image } = await buildPreview(scanPath, options);
  const target = outPath ?? defaultPreviewPath(scanPath);
  writePng(target, image);
  return { outPath: target, width: image.width, height: image.height };
}
