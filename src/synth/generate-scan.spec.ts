import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../media/run-ffmpeg.js';
import { loadSpeaker, type Speaker } from './audio/index.js';
import { DEFAULT_SYNTH, generateScan, type SynthOptions } from './generate-scan.js';
import type { ScanSidecar } from './sidecar.js';

const width = 320;
const height = 240;
let speaker: Speaker;
let dir: string;
let options: SynthOptions;

beforeAll(async () => {
  speaker = await loadSpeaker();
  dir = await mkdtemp(join(tmpdir(), 'synth-'));
  options = { ...DEFAULT_SYNTH, outDir: dir, seed: 11, minutes: 1.5, width, height };
  await generateScan(0, options, speaker);
});

async function sidecar(name = 'scan-000'): Promise<ScanSidecar> {
  return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as ScanSidecar;
}

async function decodeGray(path: string): Promise<Buffer> {
  return (await runFfmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'])).stdout;
}

describe('generateScan', () => {
  it('writes only the MP4 and its sidecar', async () => {
    expect((await readdir(dir)).sort()).toEqual(['scan-000.json', 'scan-000.mp4']);
  });

  it('agrees with the media as ffmpeg decodes it', async () => {
    const truth = await sidecar();
    expect(truth.media.frames).toBe(1.5 * 60 * 30);
    expect(truth.media.duration).toBeCloseTo(90, 6);
    const video = await decodeGray(join(dir, 'scan-000.mp4'));
    expect(video.length).toBe(truth.media.frames * width * height);
    const audio = (await runFfmpeg(['-i', join(dir, 'scan-000.mp4'), '-vn', '-f', 'f32le', '-ac', '1', '-ar', '24000', 'pipe:1'])).stdout;
    expect(Math.abs(audio.length / 4 / 24000 - truth.media.duration)).toBeLessThan(0.05);
    expect(truth.frames.label).toHaveLength(truth.media.frames);
    expect(truth.frames.gazeX).toHaveLength(truth.media.frames);
    for (const s of truth.speech) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(truth.media.duration);
      expect(s.end).toBeGreaterThan(s.start);
    }
    expect(truth.speech.some((s) => s.kind === 'anatomy')).toBe(true);
  });

  it('puts speech energy where the sidecar says there is speech', async () => {
    const truth = await sidecar();
    const audio = (await runFfmpeg(['-i', join(dir, 'scan-000.mp4'), '-vn', '-f', 'f32le', '-ac', '1', '-ar', '24000', 'pipe:1'])).stdout;
    const samples = new Float32Array(audio.buffer, audio.byteOffset, audio.length / 4);
    const rms = (a: number, b: number): number => {
      let s = 0;
      const lo = Math.floor(a * 24000);
      const hi = Math.min(samples.length, Math.floor(b * 24000));
      for (let i = lo; i < hi; i++) s += (samples[i] as number) ** 2;
      return Math.sqrt(s / Math.max(1, hi - lo));
    };
    const speechRms = truth.speech.map((s) => rms(s.start, s.end));
    const busy = [...truth.speech, ...truth.noise.filter((n) => n.kind === 'click')];
    const quiet: number[] = [];
    for (let t = 0; t + 1 < truth.media.duration; t += 1) {
      if (busy.every((s) => s.end < t - 0.2 || s.start > t + 1.2)) quiet.push(rms(t, t + 1));
    }
    expect(quiet.length).toBeGreaterThan(3);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    expect(median(speechRms)).toBeGreaterThan(3 * median(quiet));
  });

  it('shows each labelled class: frames sort by their class structure', async () => {
    const truth = await sidecar();
    const video = await decodeGray(join(dir, 'scan-000.mp4'));
    const box = truth.fan.box;
    const grid = 12;
    const feature = (f: number): Float64Array => {
      const v = new Float64Array(grid * grid);
      const base = f * width * height;
      for (let gy = 0; gy < grid; gy++)
        for (let gx = 0; gx < grid; gx++) {
          let s = 0;
          for (let dy = 0; dy < 4; dy++)
            for (let dx = 0; dx < 4; dx++) {
              const x = Math.floor(box.x + ((gx + dx / 4) / grid) * box.width);
              const y = Math.floor(box.y + ((gy + dy / 4) / grid) * box.height);
              s += video[base + y * width + x] as number;
            }
          v[gy * grid + gx] = s / 16;
        }
      return v;
    };
    // Centroids from the first half of each stable dwell, tested on the second half.
    const byClass = new Map<number, { train: Float64Array[]; test: Float64Array[] }>();
    for (const p of truth.planes) {
      if (p.cls === 'background' || p.stableEnd - p.stableStart < 1) continue;
      const k = truth.classes.indexOf(p.cls);
      const first = Math.ceil(p.stableStart * 30);
      const last = Math.floor(p.stableEnd * 30) - 1;
      const mid = Math.floor((first + last) / 2);
      const entry = byClass.get(k) ?? { train: [], test: [] };
      for (let f = first; f <= last; f += 5) {
        expect(truth.frames.label[f]).toBe(k);
        (f < mid ? entry.train : entry.test).push(feature(f));
      }
      byClass.set(k, entry);
    }
    expect(byClass.size).toBeGreaterThanOrEqual(3);
    const centroids = [...byClass.entries()].filter(([, e]) => e.train.length > 0).map(([k, e]) => {
      const c = new Float64Array(grid * grid);
      for (const v of e.train) for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) + (v[i] as number) / e.train.length;
      return { k, c };
    });
    let right = 0;
    let total = 0;
    for (const [k, e] of byClass) {
      for (const v of e.test) {
        let best = -1;
        let bestD = Infinity;
        for (const { k: ck, c } of centroids) {
          let d = 0;
          for (let i = 0; i < c.length; i++) d += ((v[i] as number) - (c[i] as number)) ** 2;
          if (d < bestD) [bestD, best] = [d, ck];
        }
        total++;
        if (best === k) right++;
      }
    }
    expect(right / total).toBeGreaterThan(0.8);
  });

  it('keeps the screen outside the fan for the machine overlay, and the fan alive', async () => {
    const truth = await sidecar();
    const video = await decodeGray(join(dir, 'scan-000.mp4'));
    const frame = video.subarray(100 * width * height, 101 * width * height);
    let ink = 0;
    for (let y = 0; y < 20; y++) for (let x = 0; x < width; x++) if ((frame[y * width + x] as number) > 120) ink++;
    expect(ink).toBeGreaterThan(50); // header text
    const cx = Math.round(truth.fan.apexX);
    const cy = Math.round(truth.fan.box.y + truth.fan.box.height / 2);
    let sum = 0;
    let sum2 = 0;
    for (let dy = -10; dy < 10; dy++)
      for (let dx = -10; dx < 10; dx++) {
        const v = frame[(cy + dy) * width + cx + dx] as number;
        sum += v;
        sum2 += v * v;
      }
    const sd = Math.sqrt(sum2 / 400 - (sum / 400) ** 2);
    expect(sd).toBeGreaterThan(8); // speckle, not a flat fill
  });

  it('is deterministic for a seed (byte-identical files) and differs for another seed', async () => {
    const again = await mkdtemp(join(tmpdir(), 'synth-again-'));
    const short = { ...options, minutes: 0.2 };
    await generateScan(0, { ...short, outDir: again }, speaker);
    const other = await mkdtemp(join(tmpdir(), 'synth-again-'));
    await generateScan(0, { ...short, outDir: other }, speaker);
    const third = await mkdtemp(join(tmpdir(), 'synth-other-'));
    await generateScan(0, { ...short, outDir: third, seed: 12 }, speaker);
    const read = (d: string, f: string): Promise<Buffer> => readFile(join(d, f));
    expect((await read(again, 'scan-000.mp4')).equals(await read(other, 'scan-000.mp4'))).toBe(true);
    expect((await read(again, 'scan-000.json')).equals(await read(other, 'scan-000.json'))).toBe(true);
    expect((await read(again, 'scan-000.mp4')).equals(await read(third, 'scan-000.mp4'))).toBe(false);
  });
});
