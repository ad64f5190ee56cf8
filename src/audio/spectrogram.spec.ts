import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { DEFAULT_SPECTROGRAM_CONFIG, SpectrogramComputer, binFrequency, logSpectrogram, stftFrameCount } from './spectrogram.js';
import { chirp, concat, mix, sine, vowel, whiteNoise } from './test-signals.js';

const N = DEFAULT_SPECTROGRAM_CONFIG.snippetSamples;
const at = (s: Float32Array, bin: number, col: number): number => s[bin * 256 + col] as number;

function argmaxBin(s: Float32Array, col: number): number {
  let best = 0;
  for (let k = 1; k < 256; k++) if (at(s, k, col) > at(s, best, col)) best = k;
  return best;
}

describe('log-spectrogram', () => {
  it('has the documented geometry: 0.6 s at 24 kHz, 119 frames of 10 ms every 5 ms, 256 x 256 out', () => {
    expect(N).toBe(14_400);
    expect(stftFrameCount(DEFAULT_SPECTROGRAM_CONFIG)).toBe(119);
    expect(stftFrameCount({ ...DEFAULT_SPECTROGRAM_CONFIG, padding: 'reflect' })).toBe(121);
    expect(binFrequency(255)).toBeCloseTo(11_953.125, 6);
    const s = logSpectrogram(new Float32Array(N));
    expect(s.length).toBe(256 * 256);
  });

  it('puts a full-scale sine at its bin with 0 dB and the rest far below', () => {
    const bin = 64; // 3 kHz, a bin centre
    const s = logSpectrogram(sine(N, 24_000, binFrequency(bin), 1));
    for (const col of [0, 100, 255]) {
      expect(argmaxBin(s, col)).toBe(bin);
      expect(at(s, bin, col)).toBeCloseTo(0, 1);
      expect(at(s, bin + 25, col)).toBeLessThan(-60);
    }
    // Amplitude 0.1 is 20 dB lower.
    const quiet = logSpectrogram(sine(N, 24_000, binFrequency(bin), 0.1));
    expect(at(quiet, bin, 50)).toBeCloseTo(-20, 1);
  });

  it('clamps silence to the log floor', () => {
    const s = logSpectrogram(new Float32Array(N));
    expect(Math.max(...s)).toBe(-100);
    expect(Math.min(...logSpectrogram(new Float32Array(N), { floorDb: -80 }))).toBe(-80);
  });

  it('follows a chirp upwards in time', () => {
    const s = logSpectrogram(chirp(N, 24_000, 500, 10_000, 0.5));
    const bins = [0, 64, 128, 192, 255].map((c) => argmaxBin(s, c));
    for (let i = 1; i < bins.length; i++) expect(bins[i]).toBeGreaterThan(bins[i - 1] as number);
    expect(binFrequency(bins[0] as number)).toBeLessThan(700);
    expect(binFrequency(bins[4] as number)).toBeGreaterThan(9_500);
  });

  it('maps frames to columns by corner-aligned linear interpolation', () => {
    // Tone only in the second half: the first columns are floor, the last are the tone.
    const half = N / 2;
    const x = concat(new Float32Array(half), sine(half, 24_000, binFrequency(32), 1, 0));
    const linear = new SpectrogramComputer();
    const nearest = new SpectrogramComputer({ timeResize: 'nearest' });
    const a = linear.compute(x);
    const b = nearest.compute(x);
    expect(at(a, 32, 0)).toBe(-100);
    expect(at(a, 32, 255)).toBeCloseTo(0, 1);
    // Column 255 is exactly the last frame, column 0 exactly the first, in both modes.
    expect(at(a, 32, 255)).toBe(at(b, 32, 255));
    expect(at(a, 32, 0)).toBe(at(b, 32, 0));
    // Linear columns between two frames lie between their values.
    const pos = (100 * 118) / 255;
    const f0 = Math.floor(pos);
    const colOfFrame = (f: number): number => Math.round((f * 255) / 118);
    const v0 = at(b, 32, colOfFrame(f0));
    const v1 = at(b, 32, colOfFrame(f0 + 1));
    expect(at(a, 32, 100)).toBeGreaterThanOrEqual(Math.min(v0, v1) - 1e-4);
    expect(at(a, 32, 100)).toBeLessThanOrEqual(Math.max(v0, v1) + 1e-4);
  });

  it('reuses its buffers and gives the same result for the same input', () => {
    const rng = new Rng(3);
    const x = mix(vowel(N, 24_000), whiteNoise(N, rng, 0.01));
    const c = new SpectrogramComputer();
    const out = new Float32Array(c.size);
    const first = c.compute(x, out).slice();
    c.compute(whiteNoise(N, rng, 0.3), out);
    expect(c.compute(x, out)).toBe(out);
    expect(out).toEqual(first);
  });

  it('rejects a wrong snippet length and a non-power-of-two FFT', () => {
    expect(() => logSpectrogram(new Float32Array(N - 1))).toThrow(/14400/);
    expect(() => new SpectrogramComputer({ nFft: 510 })).toThrow(/power of two/);
  });

  it('computes hundreds of spectrograms per second on one core', () => {
    const rng = new Rng(5);
    const x = mix(vowel(N, 24_000), whiteNoise(N, rng, 0.01));
    const c = new SpectrogramComputer();
    const out = new Float32Array(c.size);
    for (let i = 0; i < 20; i++) c.compute(x, out); // warm-up
    const count = 200;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) c.compute(x, out);
    const perSecond = count / ((performance.now() - t0) / 1000);
    console.log(`spectrogram: ${perSecond.toFixed(0)} per second (256 x 256 from 0.6 s, one core)`);
    expect(perSecond).toBeGreaterThan(50); // loose: the machine is shared
  });
});
