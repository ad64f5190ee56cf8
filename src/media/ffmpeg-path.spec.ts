import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegNotFoundError, ffmpegPath } from './ffmpeg-path.js';

describe('ffmpegPath', () => {
  it('uses the bundled binary by default', () => {
    expect(ffmpegPath({})).toMatch(/@ffmpeg-installer\/linux-x64\/ffmpeg$/);
  });

  it('honours FFMPEG_PATH', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ffmpeg-path-'));
    const fake = join(dir, 'my-ffmpeg');
    await writeFile(fake, '#!/bin/sh\n');
    await chmod(fake, 0o755);
    expect(ffmpegPath({ FFMPEG_PATH: fake })).toBe(fake);
  });

  it('names the cause when FFMPEG_PATH is missing or not executable', async () => {
    expect(() => ffmpegPath({ FFMPEG_PATH: '/nonexistent/ffmpeg' })).toThrow(FfmpegNotFoundError);
    expect(() => ffmpegPath({ FFMPEG_PATH: '/nonexistent/ffmpeg' })).toThrow(/FFMPEG_PATH.*'\/nonexistent\/ffmpeg'.*does not exist/);
    const dir = await mkdtemp(join(tmpdir(), 'ffmpeg-path-'));
    const plain = join(dir, 'ffmpeg');
    await writeFile(plain, 'not a program');
    await chmod(plain, 0o644);
    expect(() => ffmpegPath({ FFMPEG_PATH: plain })).toThrow(/not executable/);
  });
});
