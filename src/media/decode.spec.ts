import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaEvent } from '../types/ingest.js';
import { audioFilter, decodeScan, videoFilter, type DecodeOptions, type ScanDecode } from './decode.js';
import { detectFanCrop } from './fan-crop.js';
import { MediaError, type MediaErrorCode } from './media-errors.js';
import { probeMedia } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';
import {
  cachedSyntheticScan,
  makeLavfiClip,
  makeTempDir,
  rampStep,
  removeDir,
  writeTextFile,
  writeTruncated,
} from './test-fixtures.js';

let dir: string;
const file = (name: string): string => join(dir, name);
const WEIRD = '-decode me ü 超音波 scan.mp4';
/** One AAC frame (1024 samples at 48 kHz) at 24 kHz. */
const AAC_FRAME_24K = 512;

beforeAll(async () => {
  dir = await makeTempDir('decode');
  await makeLavfiClip(file('ramp25.mp4'), { seconds: 3, width: 64, height: 48, fps: 25, video: 'ramp' });
  await makeLavfiClip(file('ramp60.mp4'), { seconds: 3, width: 64, height: 48, fps: 60, video: 'ramp' });
  await makeLavfiClip(file('noaudio.mp4'), { seconds: 2, width: 64, height: 48, fps: 30, audio: false });
  await makeLavfiClip(file('novideo.mp4'), { seconds: 2, width: 64, height: 48, fps: 30, video: false });
  await makeLavfiClip(file('six.mp4'), { seconds: 6, width: 320, height: 240, fps: 30 });
  await makeLavfiClip(file('late-audio.mkv'), { seconds: 6, width: 64, height: 48, fps: 30, audioDelaySeconds: 4.5 });
  await makeLavfiClip(file('faststart.mp4'), { seconds: 4, width: 160, height: 120, fps: 30, faststart: true });
  await makeLavfiClip(file('moovlast.mp4'), { seconds: 2, width: 64, height: 48, fps: 30 });
  await makeLavfiClip(file(WEIRD), { seconds: 2, width: 64, height: 48, fps: 30 });
  await writeTruncated(file('faststart.mp4'), file('truncated-faststart.mp4'), 0.5);
  await writeTruncated(file('moovlast.mp4'), file('truncated-moovlast.mp4'), 0.5);
  await writeFile(file('empty.mp4'), '');
  await writeTextFile(file('text.mp4'));
});

afterAll(async () => {
  await removeDir(dir);
});

interface Collected {
  frames: Uint8Array[];
  audio: Float32Array;
  events: MediaEvent[];
}

/** Pulls every event, checking indices and sample starts are consecutive. */
async function collect(decode: ScanDecode): Promise<Collected> {
  const frames: Uint8Array[] = [];
  const runs: Float32Array[] = [];
  const events: MediaEvent[] = [];
  let samples = 0;
  for await (const event of decode) {
    events.push(event);
    if (event.kind === 'frame') {
      expect(event.index).toBe(frames.length);
      frames.push(event.pixels);
    } else {
      expect(event.start).toBe(samples);
      samples += event.samples.length;
      runs.push(event.samples);
    }
  }
  const audio = new Float32Array(samples);
  let at = 0;
  for (const run of runs) {
    audio.set(run, at);
    at += run.length;
  }
  return { frames, audio, events };
}

async function failure(decode: ScanDecode): Promise<{ error: MediaError; eventsBefore: number }> {
  let eventsBefore = 0;
  try {
    for await (const _ of decode) eventsBefore++;
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    expect((err as Error).message).not.toMatch(/\n/);
    return { error: err as MediaError, eventsBefore };
  }
  throw new Error('decode did not fail');
}

const small: DecodeOptions = { frameWidth: 32, frameHeight: 24 };

function openFds(): Set<string> {
  return new Set(readdirSync('/proc/self/fd'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('decodeScan output', () => {
  it('resamples 25 fps to 30 fps with frames at the right times, and 48 kHz stereo to 24 kHz mono', async () => {
    const { frames, audio } = await collect(decodeScan(file('ramp25.mp4'), small));
    expect(Math.abs(frames.length - 90)).toBeLessThanOrEqual(1);
    for (const f of frames) expect(f.length).toBe(32 * 24);
    // Frame k shows the source frame on screen at k/30 s (nearest): luma 16 + step x n, read back full range.
    const step = rampStep(25, 3);
    frames.forEach((f, k) => {
      const sourceFrame = Math.round((f[0] as number) / ((step * 255) / 219));
      expect(Math.abs(sourceFrame - (k * 25) / 30)).toBeLessThanOrEqual(1);
    });
    expect(Math.abs(audio.length - 3 * 24000)).toBeLessThanOrEqual(AAC_FRAME_24K);
    // The 440 Hz sine survives the downmix: ~ 880 zero crossings per second.
    let crossings = 0;
    for (let i = 24000; i < 48000; i++) if (((audio[i - 1] as number) < 0) !== ((audio[i] as number) < 0)) crossings++;
    expect(Math.abs(crossings - 880)).toBeLessThanOrEqual(4);
  });

  it('resamples 60 fps to 30 fps', async () => {
    const { frames, audio } = await collect(decodeScan(file('ramp60.mp4'), small));
    expect(Math.abs(frames.length - 90)).toBeLessThanOrEqual(1);
    const step = rampStep(60, 3);
    frames.forEach((f, k) => {
      const sourceFrame = Math.round((f[0] as number) / ((step * 255) / 219));
      expect(Math.abs(sourceFrame - (k * 60) / 30)).toBeLessThanOrEqual(1);
    });
    expect(Math.abs(audio.length - 3 * 24000)).toBeLessThanOrEqual(AAC_FRAME_24K);
  });

  it('decodes a name with spaces, unicode and a leading dash', async () => {
    const { frames, audio } = await collect(decodeScan(file(WEIRD), small));
    expect(Math.abs(frames.length - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(audio.length - 48000)).toBeLessThanOrEqual(AAC_FRAME_24K);
  });

  it('matches a direct ffmpeg decode of a synthetic scan with the same filters, byte for byte', async () => {
    const scan = await cachedSyntheticScan({ seed: 21, seconds: 3.5, width: 320, height: 240 });
    const info = await probeMedia(scan.mediaPath);
    const { box } = await detectFanCrop(scan.mediaPath, info);
    const options: DecodeOptions = { frameWidth: 112, frameHeight: 112, crop: box, info };
    const { frames, audio } = await collect(decodeScan(scan.mediaPath, options));
    expect(frames.length).toBe(scan.sidecar.media.frames);
    const direct = await runFfmpeg(['-i', scan.mediaPath, '-vf', videoFilter(options), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    expect(Buffer.concat(frames).equals(direct.stdout)).toBe(true);
    const directAudio = await runFfmpeg(['-i', scan.mediaPath, '-vn', '-af', audioFilter(), '-ac', '1', '-ar', '24000', '-f', 'f32le', 'pipe:1']);
    expect(Buffer.from(audio.buffer).equals(directAudio.stdout)).toBe(true);
  });

  it('pads a late-starting audio stream so sample 0 is t = 0, without deadlock when the input is badly interleaved', async () => {
    // Frames big enough that 2 s of video overflow the OS pipe buffers.
    const decode = decodeScan(file('late-audio.mkv'), { frameWidth: 160, frameHeight: 120, maxSkewSeconds: 2, skewStallMs: 100 });
    const { frames, audio } = await collect(decode);
    expect(Math.abs(frames.length - 180)).toBeLessThanOrEqual(1);
    expect(Math.abs(audio.length - 6 * 24000)).toBeLessThanOrEqual(AAC_FRAME_24K);
    const peak = (from: number, to: number): number => audio.subarray(from * 24000, to * 24000).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak(0, 4.4)).toBe(0);
    expect(peak(4.6, 5.9)).toBeGreaterThan(0.1);
    // Video ran > 2 s ahead: it was paused, ffmpeg could not reach the audio without it, the stall was lifted.
    expect(decode.stats.skewPauses).toBeGreaterThanOrEqual(1);
    expect(decode.stats.skewStalls).toBeGreaterThanOrEqual(1);
  });
});

describe('decodeScan without audio or video', () => {
  it('refuses a scan without audio by default, and emits silence on request', async () => {
    const { error } = await failure(decodeScan(file('noaudio.mp4'), small));
    expect(error.code).toBe('no-audio');
    const { frames, audio, events } = await collect(decodeScan(file('noaudio.mp4'), { ...small, noAudio: 'silence' }));
    expect(Math.abs(frames.length - 60)).toBeLessThanOrEqual(1);
    expect(audio.length).toBe(frames.length * 800);
    expect(audio.every((v) => v === 0)).toBe(true);
    // Silence is interleaved with the frames it belongs to.
    expect(events[1]).toMatchObject({ kind: 'audio', start: 0 });
  });

  it('refuses a file without video', async () => {
    expect((await failure(decodeScan(file('novideo.mp4'), small))).error.code).toBe('no-video');
  });
});

describe('decodeScan on broken input', () => {
  const cases: [string, MediaErrorCode][] = [
    ['missing.mp4', 'not-found'],
    ['empty.mp4', 'empty'],
    ['text.mp4', 'not-media'],
    ['truncated-moovlast.mp4', 'corrupt'],
  ];
  for (const [name, code] of cases) {
    it(`throws '${code}' naming ${name}`, async () => {
      const { error, eventsBefore } = await failure(decodeScan(file(name), small));
      expect(error.code).toBe(code);
      expect(error.message).toContain(file(name));
      expect(eventsBefore).toBe(0);
    });
  }

  it('throws when ffmpeg itself fails (exit code != 0)', async () => {
    // A made-up probe result skips our own checks, so the failure comes from ffmpeg.
    const info = { ...(await probeMedia(file('moovlast.mp4'))), path: file('truncated-moovlast.mp4') };
    const { error } = await failure(decodeScan(file('truncated-moovlast.mp4'), { ...small, info }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/exit 1.*moov atom not found/);
  });

  it('delivers what decoded, then throws for a file cut in half (ffmpeg exits 0)', async () => {
    const { error, eventsBefore } = await failure(decodeScan(file('truncated-faststart.mp4'), small));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(file('truncated-faststart.mp4'));
    expect(error.message).toMatch(/ends early|decoded/);
    expect(eventsBefore).toBeGreaterThan(10);
  });
});

describe('decodeScan backpressure', () => {
  it('keeps a slow consumer bounded while ffmpeg waits, and still delivers everything', async () => {
    const readAheadBytes = 128 * 1024;
    const decode = decodeScan(file('six.mp4'), { frameWidth: 160, frameHeight: 120, readAheadBytes });
    let frames = 0;
    let samples = 0;
    let pulls = 0;
    let ffmpegWaited = false;
    for await (const event of decode) {
      if (event.kind === 'frame') frames++;
      else samples += event.samples.length;
      pulls++;
      // 6 s of 160x120 decodes in well under a second when nobody waits; after ~1 s of
      // slow pulls ffmpeg must still be there, blocked on its pipes.
      if (pulls === 120) ffmpegWaited = alive(decode.stats.pid as number);
      await sleep(8);
    }
    expect(ffmpegWaited).toBe(true);
    expect(Math.abs(frames - 180)).toBeLessThanOrEqual(1);
    expect(Math.abs(samples - 6 * 24000)).toBeLessThanOrEqual(AAC_FRAME_24K);
    expect(decode.stats.videoPauses + decode.stats.audioPauses).toBeGreaterThan(0);
    // Bound: the read-ahead, plus the last read taken into the queue and what each pipe's
    // stream buffers (each at most its 16 KiB high-water mark + one 64 KiB socket read), plus
    // a partial frame; the whole output is ~4.1 MB.
    const streamBuffer = (16 + 64) * 1024;
    expect(decode.stats.maxBufferedBytes).toBeLessThanOrEqual(readAheadBytes + 3 * streamBuffer + 160 * 120);
    expect(decode.stats.maxBufferedBytes).toBeGreaterThan(readAheadBytes / 2);
  });

  it('keeps both outputs flowing for a fast consumer (audio arrives alongside video)', async () => {
    const decode = decodeScan(file('six.mp4'), { frameWidth: 160, frameHeight: 120 });
    let frames = 0;
    let samples = 0;
    let worstSkew = 0;
    for await (const event of decode) {
      if (event.kind === 'frame') frames++;
      else samples += event.samples.length;
      worstSkew = Math.max(worstSkew, Math.abs(frames / 30 - samples / 24000));
    }
    expect(worstSkew).toBeLessThan(1.5);
    expect(decode.stats.skewStalls).toBe(0);
  });

  it('kills ffmpeg promptly when the consumer stops after 10 frames, leaving no process or fd behind', async () => {
    const before = openFds();
    const decode = decodeScan(file('six.mp4'), { frameWidth: 160, frameHeight: 120 });
    let frames = 0;
    let pid = 0;
    let stoppedAt = 0;
    for await (const event of decode) {
      pid = decode.stats.pid as number;
      if (event.kind === 'frame' && ++frames === 10) {
        stoppedAt = performance.now();
        break;
      }
    }
    const stopMs = performance.now() - stoppedAt;
    expect(frames).toBe(10);
    expect(stopMs).toBeLessThan(1000);
    expect(alive(pid)).toBe(false);
    const after = openFds();
    const leaked = [...after].filter((fd) => !before.has(fd));
    expect(leaked).toEqual([]);
  });
});
