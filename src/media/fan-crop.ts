import { spawn } from 'node:child_process';
import type { CropBox, MediaInfo } from '../types/ingest.js';
import {
  boundingBox,
  closeMask,
  countSet,
  emptyMask,
  fillHoles,
  largestComponent,
  largestInscribedRectangle,
  shrinkBox,
  type BinaryMask,
} from './binary-mask.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { FrameChunker } from './frame-chunker.js';
import { MediaError } from './media-errors.js';
import { assertReadableFile, ffmpegInputUrl, lastCause } from './probe.js';

export interface FanCropConfig {
  /** A crop box in source pixels: skips detection (method 'fixed'). */
  fixedBox?: CropBox;
  /** Seconds from the start decoded for detection. */
  detectSeconds: number;
  /** Frame rate of the detection decode (full resolution, grey). */
  detectFps: number;
  /**
   * Temporal standard deviation (grey levels) above which a pixel counts as fan: speckle
   * varies frame to frame, the scanner's text is static apart from codec noise and a clock,
   * the surround is black.
   */
  stdThreshold: number;
  /** Closing radius as a fraction of min(width, height): bridges thin dark gaps at the fan's edge. */
  closeRadiusFraction: number;
  /** The inner box is shrunk on each side by this fraction of its width / height (at least 1 px). */
  marginFraction: number;
  /** Below this share of the frame the largest varying region is not taken for a fan. */
  minFanFraction: number;
  /** Above this share the whole picture varies: there is no border to crop. */
  maxFanFraction: number;
  /** A fan sits on black: at least this share of the pixels outside it must be dark ... */
  minDarkOutsideFraction: number;
  /** ... i.e. have a mean grey level below this. */
  darkLevel: number;
}

export const DEFAULT_FAN_CROP: FanCropConfig = {
  detectSeconds: 3,
  detectFps: 10,
  stdThreshold: 5,
  closeRadiusFraction: 0.01,
  marginFraction: 0.02,
  minFanFraction: 0.05,
  maxFanFraction: 0.95,
  minDarkOutsideFraction: 0.6,
  darkLevel: 24,
};

export interface FanCropResult {
  /** The crop to apply: the largest axis-aligned rectangle inside the fan, less a margin. */
  box: CropBox;
  /** Bounding box of the detected fan (the whole frame for 'full-frame', the box for 'fixed'). */
  fanBox: CropBox;
  /** 'full-frame': no fan was found, the crop is the whole picture (see `note`). */
  method: 'auto' | 'fixed' | 'full-frame';
  note?: string;
  /** Pixels in the detected fan mask (after hole filling); 0 unless 'auto'. */
  fanArea: number;
}

/** Per-pixel temporal mean and standard deviation of grey frames. */
export class TemporalStats {
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  frames = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.sum = new Float64Array(width * height);
    this.sumSquares = new Float64Array(width * height);
  }

  add(frame: Uint8Array): void {
    if (frame.length !== this.sum.length) throw new Error(`TemporalStats: frame of ${frame.length} bytes, expected ${this.sum.length}`);
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i] as number;
      this.sum[i] = (this.sum[i] as number) + v;
      this.sumSquares[i] = (this.sumSquares[i] as number) + v * v;
    }
    this.frames++;
  }

  mean(): Float32Array {
    const out = new Float32Array(this.sum.length);
    if (this.frames === 0) return out;
    for (let i = 0; i < out.length; i++) out[i] = (this.sum[i] as number) / this.frames;
    return out;
  }

  std(): Float32Array {
    const out = new Float32Array(this.sum.length);
    if (this.frames === 0) return out;
    for (let i = 0; i < out.length; i++) {
      const m = (this.sum[i] as number) / this.frames;
      out[i] = Math.sqrt(Math.max(0, (this.sumSquares[i] as number) / this.frames - m * m));
    }
    return out;
  }
}

export interface PixelStatistics {
  width: number;
  height: number;
  mean: Float32Array;
  std: Float32Array;
}

/** The fan mask: varying pixels, largest component, closed, holes filled. */
export function fanMask(stats: PixelStatistics, config: FanCropConfig = DEFAULT_FAN_CROP): BinaryMask {
  const varying = emptyMask(stats.width, stats.height);
  for (let i = 0; i < stats.std.length; i++) varying.data[i] = (stats.std[i] as number) > config.stdThreshold ? 1 : 0;
  const { mask } = largestComponent(varying);
  const radius = Math.round(config.closeRadiusFraction * Math.min(stats.width, stats.height));
  return fillHoles(closeMask(mask, radius));
}

/** Decides the crop from per-pixel statistics (pure; `detectFanCrop` feeds it a decode). */
export function findFanCrop(stats: PixelStatistics, config: FanCropConfig = DEFAULT_FAN_CROP): FanCropResult {
  const { width, height } = stats;
  const full: CropBox = { x: 0, y: 0, width, height };
  const fallback = (note: string): FanCropResult => ({ box: full, fanBox: full, method: 'full-frame', note, fanArea: 0 });
  const mask = fanMask(stats, config);
  const area = countSet(mask);
  const share = area / (width * height);
  if (share < config.minFanFraction) {
    return fallback(
      `no ultrasound fan found: the largest region that changes over time covers ${pct(share)} of the frame (< ${pct(config.minFanFraction)}); using the full frame`,
    );
  }
  if (share > config.maxFanFraction) {
    return fallback(`no fan border found: ${pct(share)} of the frame changes over time; using the full frame`);
  }
  let outside = 0;
  let darkOutside = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] === 1) continue;
    outside++;
    if ((stats.mean[i] as number) < config.darkLevel) darkOutside++;
  }
  const darkShare = darkOutside / outside;
  if (darkShare < config.minDarkOutsideFraction) {
    return fallback(
      `no ultrasound fan found: only ${pct(darkShare)} of the picture around the changing region is dark (< ${pct(config.minDarkOutsideFraction)}); using the full frame`,
    );
  }
  const fanBox = boundingBox(mask) as CropBox;
  const inner = largestInscribedRectangle(mask) as CropBox;
  const box = shrinkBox(
    inner,
    Math.max(1, Math.ceil(inner.width * config.marginFraction)),
    Math.max(1, Math.ceil(inner.height * config.marginFraction)),
  );
  return { box, fanBox, method: 'auto', fanArea: area };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * Finds the crop of a scan: decodes its first `detectSeconds` at `detectFps` (full
 * resolution, grey) with one ffmpeg call, accumulates per-pixel statistics and hands them
 * to `findFanCrop`. A `fixedBox` in the config skips all of that.
 */
export async function detectFanCrop(path: string, info: MediaInfo, config: Partial<FanCropConfig> = {}): Promise<FanCropResult> {
  const cfg: FanCropConfig = { ...DEFAULT_FAN_CROP, ...config };
  if (!info.hasVideo || info.width <= 0 || info.height <= 0) throw new MediaError(path, 'no-video');
  if (cfg.fixedBox) {
    const box = clampBox(cfg.fixedBox, info.width, info.height);
    if (!box) {
      throw new Error(`fixed crop ${JSON.stringify(cfg.fixedBox)} lies outside the ${info.width}x${info.height} frame of '${path}'`);
    }
    return { box, fanBox: box, method: 'fixed', note: 'crop box fixed by configuration', fanArea: 0 };
  }
  const stats = await decodeStatistics(path, info, cfg);
  if (stats.frames < 2) {
    const full: CropBox = { x: 0, y: 0, width: info.width, height: info.height };
    return { box: full, fanBox: full, method: 'full-frame', note: `only ${stats.frames} frame(s) decoded for fan detection; using the full frame`, fanArea: 0 };
  }
  return findFanCrop({ width: stats.width, height: stats.height, mean: stats.mean(), std: stats.std() }, cfg);
}

function clampBox(box: CropBox, width: number, height: number): CropBox | undefined {
  const x0 = Math.max(0, Math.round(box.x));
  const y0 = Math.max(0, Math.round(box.y));
  const x1 = Math.min(width, Math.round(box.x + box.width));
  const y1 = Math.min(height, Math.round(box.y + box.height));
  if (x1 - x0 < 1 || y1 - y0 < 1) return undefined;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

async function decodeStatistics(path: string, info: MediaInfo, cfg: FanCropConfig): Promise<TemporalStats> {
  const absolute = await assertReadableFile(path);
  const stats = new TemporalStats(info.width, info.height);
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-t', String(cfg.detectSeconds), '-i', ffmpegInputUrl(absolute),
    '-map', '0:v:0', '-vf', `fps=${cfg.detectFps},format=gray`,
    '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
  ];
  const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 65536) stderr += chunk.toString('utf8');
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  exit.catch(() => undefined);
  const chunker = new FrameChunker(info.width * info.height);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) chunker.push(chunk, (frame) => stats.add(frame));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const code = await exit;
  if (code !== 0) {
    const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    throw new MediaError(path, 'decode-failed', `fan detection decode, exit ${code}: ${lastCause(lines, absolute)}`);
  }
  return stats;
}
