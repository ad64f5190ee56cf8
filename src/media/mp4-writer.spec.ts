import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mp4Writer } from './mp4-writer.js';
import { runFfmpeg } from './run-ffmpeg.js';

const width = 64;
const height = 48;

async function writeClip(path: string, frames: number): Promise<void> {
  const audio = new Float32Array(Math.round((frames / 30) * 24000));
  for (let i = 0; i < audio.length; i++) audio[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 24000);
  const writer = new Mp4Writer({ path, width, height, fps: 30, audio, audioRate: 24000, outputAudioRate: 48000, crf: 18, preset: 'veryfast' });
  const frame = new Uint8Array(width * height);
  for (let i = 0; i < frames; i++) {
    frame.fill(i * 8);
    await writer.writeFrame(frame);
  }
  await writer.finish();
}

describe('Mp4Writer', () => {
  it('writes H.264 + AAC whose decoded frames match what was written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp4-writer-'));
    const path = join(dir, 'clip.mp4');
    await writeClip(path, 30);
    expect(await readdir(dir)).toEqual(['clip.mp4']);
    const { stdout } = await runFfmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    expect(stdout.length).toBe(30 * width * height);
    for (const i of [0, 10, 29]) expect(Math.abs((stdout[i * width * height + 100] as number) - i * 8)).toBeLessThanOrEqual(3);
    const { stderr } = await runFfmpeg(['-i', path, '-f', 'null', '-']).catch((e: Error) => ({ stderr: e.message }));
    expect(stderr).not.toMatch(/error/i);
  });

  it('is byte-identical for the same input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp4-writer-'));
    await writeClip(join(dir, 'a.mp4'), 20);
    await writeClip(join(dir, 'b.mp4'), 20);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(dir, 'a.mp4'))).equals(await readFile(join(dir, 'b.mp4')))).toBe(true);
  });

  it('leaves nothing behind when aborted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp4-writer-'));
    const writer = new Mp4Writer({ path: join(dir, 'x.mp4'), width, height, fps: 30, audio: new Float32Array(8000), audioRate: 24000, outputAudioRate: 48000, crf: 23, preset: 'veryfast' });
    await writer.writeFrame(new Uint8Array(width * height));
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
  });
});
