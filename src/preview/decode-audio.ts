import { runFfmpeg } from '../media/run-ffmpeg.js';

/**
 * Decodes the first audio stream of a media file to mono 32-bit float at `rate` Hz.
 * Returns an empty array when the file has no audio stream.
 */
export async function decodeMonoAudio(path: string, rate: number): Promise<Float32Array> {
  let stdout: Buffer;
  try {
    ({ stdout } = await runFfmpeg(['-i', path, '-map', '0:a:0?', '-vn', '-ac', '1', '-ar', String(rate), '-f', 'f32le', 'pipe:1']));
  } catch (err) {
    const message = (err as Error).message;
    if (/does not contain any stream/i.test(message)) return new Float32Array(0);
    throw new Error(`cannot decode audio of '${path}': ${message}`);
  }
  // Copy: the collected Buffer may not be 4-byte aligned inside its ArrayBuffer.
  const bytes = stdout.length - (stdout.length % 4);
  const samples = new Float32Array(bytes / 4);
  new Uint8Array(samples.buffer).set(stdout.subarray(0, bytes));
  return samples;
}
