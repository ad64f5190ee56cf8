import { runFfmpeg } from '../media/run-ffmpeg.js';

/**
 * How to reach the wanted frames:
 * - 'seek': one input per frame, each opened with a fast keyframe seek (`-ss` before `-i`)
 *   and decoded up to the frame; cost ~ frames x keyframe interval, independent of length.
 * - 'sequential': decode the whole video once and keep the wanted frames (`select`); cost ~
 *   the video length, immune to a long keyframe interval.
 * - 'auto': sequential for short videos, seek otherwise.
 */
export type FrameDecodeStrategy = 'seek' | 'sequential' | 'auto';

/** Below this many frames, decoding everything is about as fast as seeking. */
const AUTO_SEQUENTIAL_MAX_FRAMES = 1800;

export interface DecodeFramesOptions {
  /** Frame indices to decode (0-based, in display order), ascending, no repeats. */
  indices: readonly number[];
  /** Frame rate of the video (seek positions are computed from it). */
  fps: number;
  /** Total frames in the video (only used by 'auto'). */
  totalFrames: number;
  /** Output size of each frame (ffmpeg scales with area averaging). */
  width: number;
  height: number;
  strategy?: FrameDecodeStrategy;
}

/**
 * Decodes the selected frames of a video as 8-bit grey, scaled to width x height, with a
 * single ffmpeg process. Returns one buffer per index, in order.
 */
export async function decodeGrayFrames(path: string, options: DecodeFramesOptions): Promise<Uint8Array[]> {
  const { indices, fps, width, height } = options;
  if (indices.length === 0) return [];
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!Number.isInteger(i) || i < 0 || (k > 0 && i <= (indices[k - 1] as number))) {
      throw new Error(`decodeGrayFrames: frame indices must be ascending non-negative integers, got ${indices.join(',')}`);
    }
  }
  const strategy =
    options.strategy === undefined || options.strategy === 'auto'
      ? options.totalFrames <= AUTO_SEQUENTIAL_MAX_FRAMES
        ? 'sequential'
        : 'seek'
      : options.strategy;
  // Grey first, then scale: converting after scaling gave results that depended on the
  // filter chain in front of it; this order is identical for both strategies.
  const finish = `format=gray,scale=${width}:${height}:flags=area`;
  const args = strategy === 'seek' ? seekArgs(path, indices, fps, finish) : sequentialArgs(path, indices, finish);
  let stdout: Buffer;
  try {
    ({ stdout } = await runFfmpeg([...args, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']));
  } catch (err) {
    throw new Error(`cannot decode frames of '${path}': ${(err as Error).message}`);
  }
  const frameBytes = width * height;
  const got = Math.floor(stdout.length / frameBytes);
  if (got < indices.length) {
    throw new Error(
      `'${path}': decoded ${got} of ${indices.length} frames (last wanted index ${indices[indices.length - 1]}); is the video shorter than its sidecar says?`,
    );
  }
  return indices.map((_, k) => new Uint8Array(stdout.subarray(k * frameBytes, (k + 1) * frameBytes)));
}

function seekArgs(path: string, indices: readonly number[], fps: number, finish: string): string[] {
  const args: string[] = [];
  const chains: string[] = [];
  indices.forEach((frame, k) => {
    // A quarter frame early, so rounding can never skip past the wanted frame; ffmpeg's
    // accurate seek then drops the frames before it.
    const at = Math.max(0, (frame - 0.25) / fps);
    // One decoder thread per input: all inputs are opened at once, and frame threading
    // would only add threads and memory (measured: 180 -> 115 MB, slightly faster).
    args.push('-threads', '1', '-ss', at.toFixed(6), '-i', path);
    chains.push(`[${k}:v:0]trim=end_frame=1[f${k}]`);
  });
  const inputs = indices.map((_, k) => `[f${k}]`).join('');
  const graph = `${chains.join(';')};${inputs}concat=n=${indices.length}:v=1:a=0,${finish}[out]`;
  return [...args, '-filter_complex', graph, '-map', '[out]', '-frames:v', String(indices.length)];
}

function sequentialArgs(path: string, indices: readonly number[], finish: string): string[] {
  const pick = indices.map((i) => `eq(n\\,${i})`).join('+');
  return ['-i', path, '-map', '0:v:0', '-vf', `select=${pick},${finish}`, '-frames:v', String(indices.length)];
}
