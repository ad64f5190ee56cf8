import { describe, expect, it } from '@jest/globals';
import { resample } from './resample.js';

function sine(freq: number, rate: number, seconds: number, amplitude: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Largest deviation from the ideal sine at the output rate, away from the edges. */
function maxError(output: Float32Array, freq: number, rate: number, amplitude: number): number {
  let worst = 0;
  for (let i = 200; i < output.length - 200; i++) {
    worst = Math.max(worst, Math.abs((output[i] as number) - amplitude * Math.sin((2 * Math.PI * freq * i) / rate)));
  }
  return worst;
}

function rms(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
}

describe('resample', () => {
  it('keeps a sine at its frequency, amplitude and phase from 22,050 to 24,000 Hz', () => {
    for (const freq of [220, 1000, 3150, 8000]) {
      const out = resample(sine(freq, 22050, 0.5, 0.6), 22050, 24000);
      expect(out.length).toBe(12000);
      expect(maxError(out, freq, 24000, 0.6)).toBeLessThan(0.6 * 2e-3);
    }
  });

  it('applies the gain and matches the expected length for other ratios', () => {
    const input = sine(1000, 24000, 0.3, 0.5);
    const down = resample(input, 24000, 16000, 2);
    expect(down.length).toBe(Math.round((input.length * 16000) / 24000));
    expect(maxError(down, 1000, 16000, 1)).toBeLessThan(2e-3);
    const odd = resample(new Float32Array(1001), 22050, 24000);
    expect(odd.length).toBe(Math.round((1001 * 24000) / 22050));
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    // 12 kHz at 48 kHz would alias to 4 kHz at 16 kHz.
    const out = resample(sine(12000, 48000, 0.5, 0.5), 48000, 16000);
    expect(rms(out, 200, out.length - 200)).toBeLessThan(0.5 * 1e-3);
  });

  it('rejects non-integer rates', () => {
    expect(() => resample(new Float32Array(10), 22050.5, 24000)).toThrow();
  });
});
