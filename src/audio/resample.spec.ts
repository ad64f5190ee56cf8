import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { Resampler, resample, resampledLength } from './resample.js';
import { sine } from './test-signals.js';

/** Amplitude and phase-free frequency estimate of a sine by least squares at a trial frequency. */
function toneAmplitude(signal: Float32Array, rate: number, freq: number, from: number, to: number): number {
  let c = 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    c += (signal[i] as number) * Math.cos(w);
    s += (signal[i] as number) * Math.sin(w);
  }
  return (2 * Math.hypot(c, s)) / (to - from);
}

function zeroCrossingFrequency(signal: Float32Array, rate: number, from: number, to: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    if ((signal[i - 1] as number) < 0 && (signal[i] as number) >= 0) {
      // sub-sample crossing position by linear interpolation
      const a = signal[i - 1] as number;
      const b = signal[i] as number;
      const pos = i - 1 + -a / (b - a);
      if (first < 0) first = pos;
      else count++;
      last = pos;
    }
  }
  return (count * rate) / (last - first);
}

describe('Resampler', () => {
  const pairs: [number, number][] = [
    [24_000, 16_000],
    [22_050, 24_000],
    [48_000, 16_000],
    [16_000, 48_000],
    [44_100, 16_000],
  ];

  it.each(pairs)('%i -> %i keeps a 440 Hz sine frequency and amplitude', (inRate, outRate) => {
    const x = sine(inRate, inRate, 440, 0.8); // 1 s
    const y = resample(x, inRate, outRate);
    expect(y.length).toBe(resampledLength(x.length, inRate, outRate));
    expect(y.length).toBe(outRate);
    // Away from the edges (where the stream starts/ends with implicit zeros).
    const from = Math.round(0.1 * outRate);
    const to = Math.round(0.9 * outRate);
    expect(zeroCrossingFrequency(y, outRate, from, to)).toBeCloseTo(440, 2);
    const amplitudeDb = 20 * Math.log10(toneAmplitude(y, outRate, 440, from, to) / 0.8);
    expect(Math.abs(amplitudeDb)).toBeLessThan(0.01);
  });

  it('is aligned: output sample n sits at input time n / outRate (no delay)', () => {
    const x = sine(24_000, 24_000, 300, 0.5);
    const y = resample(x, 24_000, 16_000);
    const expected = sine(16_000, 16_000, 300, 0.5);
    let maxErr = 0;
    for (let i = 1000; i < 15_000; i++) maxErr = Math.max(maxErr, Math.abs((y[i] as number) - (expected[i] as number)));
    expect(maxErr).toBeLessThan(1e-3);
  });

  it('removes content above the new Nyquist frequency (anti-aliasing)', () => {
    const x = sine(24_000, 24_000, 10_000, 0.8); // would alias to 6 kHz at 16 kHz
    const y = resample(x, 24_000, 16_000);
    const aliasDb = 20 * Math.log10(toneAmplitude(y, 16_000, 6_000, 1600, 14_400) / 0.8);
    expect(aliasDb).toBeLessThan(-70);
    // The VAD's lighter filter (8 zero crossings) still rejects it well.
    const z = resample(x, 24_000, 16_000, { zeroCrossings: 8 });
    expect(20 * Math.log10(toneAmplitude(z, 16_000, 6_000, 1600, 14_400) / 0.8)).toBeLessThan(-60);
  });

  it('passes DC with unit gain', () => {
    const y = resample(new Float32Array(4800).fill(0.25), 24_000, 16_000);
    for (let i = 100; i < y.length - 100; i++) expect(y[i]).toBeCloseTo(0.25, 6);
  });

  it('gives the same samples fed in random chunks as in one piece', () => {
    const rng = new Rng(11);
    const x = new Float32Array(30_000);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
    for (const [inRate, outRate] of pairs) {
      const whole = resample(x, inRate, outRate);
      const r = new Resampler(inRate, outRate);
      const parts: number[] = [];
      let at = 0;
      while (at < x.length) {
        const n = rng.int(0, 3000);
        parts.push(...r.process(x.subarray(at, at + n)));
        at += n;
      }
      parts.push(...r.flush());
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });

  it('rejects bad rates and unreasonable ratios', () => {
    expect(() => new Resampler(0, 16_000)).toThrow(/positive integers/);
    expect(() => new Resampler(24_000.5, 16_000)).toThrow(/positive integers/);
    expect(() => new Resampler(23_999, 24_000)).toThrow(/phases/);
  });

  it('restarts cleanly after reset()', () => {
    const x = sine(4800, 24_000, 700, 0.3);
    const r = new Resampler(24_000, 16_000);
    r.process(sine(1234, 24_000, 100, 0.9));
    r.reset();
    const a = r.process(x);
    const b = r.flush();
    const again = new Float32Array(a.length + b.length);
    again.set(a);
    again.set(b, a.length);
    expect(again).toEqual(resample(x, 24_000, 16_000));
  });
});
