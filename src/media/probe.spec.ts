import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsErrorToMediaError, MediaError, type MediaErrorCode } from './media-errors.js';
import { parseInputInfo, probeMedia } from './probe.js';
import { makeLavfiClip, makeTempDir, removeDir, writeTextFile, writeTruncated } from './test-fixtures.js';

let dir: string;
const file = (name: string): string => join(dir, name);
const WEIRD = '-scan with spaces ü 超音波.mp4';

beforeAll(async () => {
  dir = await makeTempDir('probe');
  await makeLavfiClip(file('a25.mp4'), { seconds: 2, width: 160, height: 120, fps: 25 });
  await makeLavfiClip(file('a60.mp4'), { seconds: 2, width: 176, height: 144, fps: 60, audio: { rate: 44100, channels: 1 } });
  await makeLavfiClip(file('noaudio.mp4'), { seconds: 2, width: 160, height: 120, fps: 25, audio: false });
  await makeLavfiClip(file('novideo.mp4'), { seconds: 2, width: 160, height: 120, fps: 25, video: false });
  await makeLavfiClip(file(WEIRD), { seconds: 2, width: 160, height: 120, fps: 30 });
  await writeFile(file('empty.mp4'), '');
  await writeTextFile(file('text.mp4'));
  await writeTruncated(file('a25.mp4'), file('truncated.mp4'), 0.5);
  await mkdir(file('folder.mp4'));
});

afterAll(async () => {
  await removeDir(dir);
});

async function failure(path: string, options?: Parameters<typeof probeMedia>[1]): Promise<MediaError> {
  try {
    await probeMedia(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    return err as MediaError;
  }
  throw new Error(`probeMedia(${path}) did not fail`);
}

function expectOneLineNaming(err: MediaError, path: string, code: MediaErrorCode): void {
  expect(err.code).toBe(code);
  expect(err.path).toBe(path);
  expect(err.message).toContain(path);
  expect(err.message).not.toMatch(/\n/);
}

describe('probeMedia', () => {
  it('reads duration, size, frame rate and audio format', async () => {
    const info = await probeMedia(file('a25.mp4'));
    expect(info).toMatchObject({ width: 160, height: 120, sourceFps: 25, sourceAudioRate: 48000, sourceAudioChannels: 2, hasVideo: true, hasAudio: true });
    expect(info.durationSeconds).toBeGreaterThan(1.95);
    expect(info.durationSeconds).toBeLessThan(2.1);
    const sixty = await probeMedia(file('a60.mp4'));
    expect(sixty).toMatchObject({ width: 176, height: 144, sourceFps: 60, sourceAudioRate: 44100, sourceAudioChannels: 1 });
  });

  it('opens a name with spaces, unicode and a leading dash', async () => {
    const info = await probeMedia(file(WEIRD));
    expect(info).toMatchObject({ path: file(WEIRD), sourceFps: 30, hasAudio: true });
  });

  it('tells a file without audio apart, and lets the caller accept it', async () => {
    expectOneLineNaming(await failure(file('noaudio.mp4')), file('noaudio.mp4'), 'no-audio');
    const info = await probeMedia(file('noaudio.mp4'), { requireAudio: false });
    expect(info).toMatchObject({ hasVideo: true, hasAudio: false, sourceAudioRate: 0, sourceAudioChannels: 0 });
  });

  it('rejects a file without video', async () => {
    expectOneLineNaming(await failure(file('novideo.mp4')), file('novideo.mp4'), 'no-video');
    const info = await probeMedia(file('novideo.mp4'), { requireVideo: false });
    expect(info).toMatchObject({ hasVideo: false, hasAudio: true, width: 0 });
  });

  it('names each kind of broken input', async () => {
    expectOneLineNaming(await failure(file('missing.mp4')), file('missing.mp4'), 'not-found');
    expectOneLineNaming(await failure(file('empty.mp4')), file('empty.mp4'), 'empty');
    expectOneLineNaming(await failure(file('text.mp4')), file('text.mp4'), 'not-media');
    expectOneLineNaming(await failure(file('truncated.mp4')), file('truncated.mp4'), 'corrupt');
    expectOneLineNaming(await failure(file('folder.mp4')), file('folder.mp4'), 'unreadable');
    const corrupt = await failure(file('truncated.mp4'));
    expect(corrupt.message).toMatch(/moov atom not found/);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it.skip : it)('reports a file it may not read (needs a non-root user)', async () => {
    const path = file('locked.mp4');
    await makeLavfiClip(path, { seconds: 1, width: 64, height: 48, fps: 25 });
    await chmod(path, 0o000);
    expectOneLineNaming(await failure(path), path, 'unreadable');
  });

  it('maps permission errno codes to unreadable', () => {
    const err = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(fsErrorToMediaError('/x/y.mp4', err)).toMatchObject({ code: 'unreadable', message: "'/x/y.mp4': cannot read the file (permission denied)" });
    expect(fsErrorToMediaError('/x/y.mp4', Object.assign(new Error(''), { code: 'ENOENT' })).code).toBe('not-found');
  });
});

describe('parseInputInfo', () => {
  it('parses transport streams, 5.1 audio, fractional rates and missing durations', () => {
    const stderr = [
      "Input #0, mpegts, from 'file:/x.ts':",
      '  Duration: N/A, start: 1.400000, bitrate: N/A',
      '  Program 1 ',
      '    Stream #0:0[0x100]: Video: h264 (Main) ([27][0][0][0] / 0x001B), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 29.97 tbr, 90k tbn, 59.94 tbc',
      '    Stream #0:1[0x101](eng): Audio: ac3 ([129][0][0][0] / 0x0081), 48000 Hz, 5.1(side), fltp, 384 kb/s',
      'At least one output file must be specified',
    ].join('\n');
    expect(parseInputInfo(stderr)).toEqual({
      durationSeconds: 0,
      video: { width: 1920, height: 1080, fps: 29.97 },
      audio: { rate: 48000, channels: 6 },
    });
  });

  it('skips cover art, falls back to tbr, counts "N channels"', () => {
    const stderr = [
      "Input #0, matroska,webm, from 'file:/x.mkv':",
      '  Duration: 01:02:03.50, start: 0.000000, bitrate: 900 kb/s',
      '    Stream #0:0: Video: mjpeg, yuvj420p(pc, bt470bg/unknown/unknown), 300x300, 90k tbr, 90k tbn, 90k tbc (attached pic)',
      '    Stream #0:1: Video: vp9 (Profile 0), yuv420p(tv), 640x480, SAR 1:1 DAR 4:3, 1k tbr, 1k tbn, 1k tbc (default)',
      '    Stream #0:2: Audio: pcm_s16le, 16000 Hz, 4 channels, s16, 1024 kb/s',
    ].join('\n');
    expect(parseInputInfo(stderr)).toEqual({
      durationSeconds: 3723.5,
      video: { width: 640, height: 480, fps: 1000 },
      audio: { rate: 16000, channels: 4 },
    });
  });

  it('returns undefined when ffmpeg could not open the input', () => {
    expect(parseInputInfo('file:/x.mp4: Invalid data found when processing input\n')).toBeUndefined();
  });
});
