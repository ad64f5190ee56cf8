/**
 * Media fixtures made at test time: short lavfi clips encoded by the bundled ffmpeg, broken
 * files, and small synthetic scans with their fan ground truth. Test support only.
 */
import { access, copyFile, mkdir, mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpeaker } from '../synth/audio/index.js';
import { DEFAULT_SYNTH, generateScan } from '../synth/generate-scan.js';
import type { FanGeometry, ScanSidecar } from '../synth/sidecar.js';
import { SYNTH_VERSION } from '../synth/version.js';
import type { CropBox } from '../types/ingest.js';
import { runFfmpeg } from './run-ffmpeg.js';

export function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sonospeech-${label}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

export interface LavfiClipOptions {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  /**
   * false: no video stream. 'testsrc': ffmpeg's test card. 'ramp': flat grey frames whose
   * luma is 16 + rampStep(...) x frame number, encoded losslessly (to check frame timing).
   */
  video?: false | 'testsrc' | 'ramp';
  /** false: no audio stream (a 440 Hz sine otherwise). */
  audio?: false | { rate: number; channels: number };
  /** The audio starts this late (its stream timestamps are shifted; it ends with the video). */
  audioDelaySeconds?: number;
  /** Put the MP4 index (moov) first, as the synthetic scans do. */
  faststart?: boolean;
}

/** Luma step per frame of a 'ramp' clip (keeps the last frame's luma <= 216). */
export function rampStep(fps: number, seconds: number): number {
  const step = Math.floor(200 / Math.round(fps * seconds));
  if (step < 1) throw new Error(`ramp clip too long: ${fps} fps x ${seconds} s`);
  return step;
}

/** Encodes an H.264 + AAC clip from lavfi sources (MP4, or MKV when `path` ends in .mkv). */
export async function makeLavfiClip(path: string, options: LavfiClipOptions): Promise<string> {
  const { seconds, width, height, fps } = options;
  const video = options.video ?? 'testsrc';
  const audio = options.audio ?? { rate: 48000, channels: 2 };
  const delay = options.audioDelaySeconds ?? 0;
  const args: string[] = ['-loglevel', 'error', '-y'];
  const maps: string[] = [];
  let input = 0;
  if (video !== false) {
    const size = `size=${width}x${height}:rate=${fps}:duration=${seconds}`;
    const source =
      video === 'testsrc' ? `testsrc=${size}` : `nullsrc=${size},geq=lum=16+${rampStep(fps, seconds)}*N:cb=128:cr=128`;
    args.push('-f', 'lavfi', '-i', source);
    const quality = video === 'ramp' ? ['-qp', '0'] : [];
    maps.push('-map', `${input++}:v`, '-c:v', 'libx264', '-preset', 'ultrafast', ...quality, '-pix_fmt', 'yuv420p', '-g', String(2 * fps));
  }
  if (audio !== false) {
    if (delay > 0) args.push('-itsoffset', String(delay));
    args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${audio.rate}:duration=${seconds - delay}`);
    maps.push('-map', `${input++}:a`, '-c:a', 'aac', '-b:a', '64k', '-ac', String(audio.channels));
  }
  args.push(...maps, ...(options.faststart ? ['-movflags', '+faststart'] : []), path);
  await runFfmpeg(args);
  return path;
}

/** Copies the first `fraction` of `src`'s bytes to `dst` (a file cut short by a crash or a copy). */
export async function writeTruncated(src: string, dst: string, fraction: number): Promise<string> {
  await copyFile(src, dst);
  const bytes = (await readFile(src)).length;
  await truncate(dst, Math.floor(bytes * fraction));
  return dst;
}

export async function writeTextFile(path: string, text = 'not a video, just text\n'.repeat(40)): Promise<string> {
  await writeFile(path, text);
  return path;
}

export interface SyntheticScan {
  mediaPath: string;
  sidecar: ScanSidecar;
}

export interface SyntheticScanOptions {
  seed: number;
  seconds: number;
  width: number;
  height: number;
}

/** A synthetic scan (fan, speckle, overlay text, narration) and its ground truth, written to `dir`. */
export async function makeSyntheticScan(dir: string, options: SyntheticScanOptions): Promise<SyntheticScan> {
  const speaker = await loadSpeaker();
  const generated = await generateScan(
    0,
    { ...DEFAULT_SYNTH, outDir: dir, seed: options.seed, minutes: options.seconds / 60, width: options.width, height: options.height },
    speaker,
  );
  const sidecar = JSON.parse(await readFile(generated.sidecarPath, 'utf8')) as ScanSidecar;
  return { mediaPath: generated.mediaPath, sidecar };
}

/**
 * Like makeSyntheticScan, but kept between test runs in the system temp directory: the
 * generator is deterministic for (SYNTH_VERSION, seed, options), and loading its speech
 * engine alone takes seconds. Treat the files as read-only.
 */
export async function cachedSyntheticScan(options: SyntheticScanOptions): Promise<SyntheticScan> {
  const root = join(tmpdir(), 'sonospeech-test-scans');
  const key = `v${SYNTH_VERSION}-seed${options.seed}-${options.seconds}s-${options.width}x${options.height}`;
  const dir = join(root, key);
  const mediaPath = join(dir, 'scan-000.mp4');
  const sidecarPath = join(dir, 'scan-000.json');
  try {
    const sidecar = JSON.parse(await readFile(sidecarPath, 'utf8')) as ScanSidecar;
    await access(mediaPath);
    return { mediaPath, sidecar };
  } catch {
    // Not cached yet: build it beside and move it into place in one rename, so the cache
    // directory is either absent or complete.
  }
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(join(root, `.${key}-`));
  await makeSyntheticScan(staging, options);
  try {
    await rename(staging, dir);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another test file won the race
  }
  const sidecar = JSON.parse(await readFile(sidecarPath, 'utf8')) as ScanSidecar;
  return { mediaPath, sidecar };
}

/**
 * Whether the pixel (x, y) lies inside the fan by at least `margin` pixels (negative: within
 * that distance outside), measured at the pixel centre as the renderer does.
 */
export function insideFan(fan: FanGeometry, x: number, y: number, margin = 0): boolean {
  const half = (fan.halfAngleDeg * Math.PI) / 180;
  const dx = x + 0.5 - fan.apexX;
  const dy = y + 0.5 - fan.apexY;
  if (dy <= 0) return false;
  const r = Math.hypot(dx, dy);
  const theta = Math.atan2(dx, dy);
  const dist = Math.min(r - fan.radiusInner, fan.radiusOuter - r, (half - Math.abs(theta)) * r);
  return dist >= margin;
}

/** Pixels of `box` that are not inside the fan (a crop of pure fan has none). */
export function pixelsOutsideFan(fan: FanGeometry, box: CropBox, margin = 0): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) if (!insideFan(fan, x, y, margin)) n++;
  return n;
}

/** Pixels of a width x height frame inside the fan. */
export function fanPixelCount(fan: FanGeometry, width: number, height: number): number {
  let n = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (insideFan(fan, x, y)) n++;
  return n;
}
