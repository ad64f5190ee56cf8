import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import {
  SPECTROGRAM_U8_DB_MAX,
  SPECTROGRAM_U8_DB_MIN,
  SPECTROGRAM_U8_OFFSET,
  SPECTROGRAM_U8_SCALE,
  dequantizeF16,
  dequantizeU8,
  fromFloat16Bits,
  measureQuantization,
  quantizeF16,
  quantizeU8,
  toFloat16Bits,
} from './quantize.js';
import { DEFAULT_SPECTROGRAM_CONFIG, SpectrogramComputer } from './spectrogram.js';
import { chirp, clicks, concat, mix, pinkNoise, vowel } from './test-signals.js';

describe('float16', () => {
  it('encodes known values exactly', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -26)).toBe(0);
    expect(toFloat16Bits(0.1)).toBe(0x2e66);
    expect(toFloat16Bits(-100)).toBe(0xd640);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
    expect(fromFloat16Bits(0x7c00)).toBe(Infinity);
  });

  it('rounds to nearest, ties to even', () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even (down)
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(toFloat16Bits(2047.9)).toBe(toFloat16Bits(2048)); // carry into the exponent
  });

  it('round-trips every finite half value', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x7c00; bits++) {
      if (toFloat16Bits(fromFloat16Bits(bits)) !== bits) wrong.push(bits);
      if (toFloat16Bits(-fromFloat16Bits(bits)) !== (bits | 0x8000)) wrong.push(bits | 0x8000);
    }
    expect(wrong).toEqual([]);
  });
});

describe('uint8 with a fixed dB range', () => {
  it('records the dequantisation constants', () => {
    expect(SPECTROGRAM_U8_DB_MIN).toBe(DEFAULT_SPECTROGRAM_CONFIG.floorDb);
    expect(SPECTROGRAM_U8_OFFSET).toBe(-100);
    expect(SPECTROGRAM_U8_SCALE).toBeCloseTo(102 / 255, 12);
    const codes = quantizeU8(Float32Array.from([-100, SPECTROGRAM_U8_DB_MAX, -200, 50, -49.2]));
    expect(Array.from(codes)).toEqual([0, 255, 0, 255, 127]);
    expect(dequantizeU8(codes)[4]).toBeCloseTo(127 * SPECTROGRAM_U8_SCALE + SPECTROGRAM_U8_OFFSET, 5);
  });
});

describe('storage error on speech-like spectrograms', () => {
  it('uint8 stays within half a step, float16 within its precision; reports both', () => {
    const rng = new Rng(21);
    const n = DEFAULT_SPECTROGRAM_CONFIG.snippetSamples;
    const snippets = [
      mix(vowel(n, 24_000, { amplitude: 0.6 }), pinkNoise(n, rng.fork('pink'), 0.01)),
      mix(chirp(n, 24_000, 200, 8000, 0.3), pinkNoise(n, rng.fork('pink2'), 0.003)),
      mix(concat(vowel(n / 2, 24_000, { f0: 210, formants: [270, 2290, 3010] }), new Float32Array(n / 2)), clicks(n, 24_000, rng, { perSecond: 5 })),
      pinkNoise(n, rng.fork('quiet'), 1e-4),
    ];
    const computer = new SpectrogramComputer();
    const all = new Float32Array(snippets.length * computer.size);
    snippets.forEach((s, i) => computer.compute(s, all.subarray(i * computer.size, (i + 1) * computer.size)));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const u8 = measureQuantization(all, 'uint8');
    const f16 = measureQuantization(all, 'float16');
    console.log(
      `dB range of input: ${lo.toFixed(1)} .. ${hi.toFixed(1)}\n` +
        `uint8  : max ${u8.maxAbsDb.toFixed(3)} dB, mean ${u8.meanAbsDb.toFixed(3)} dB, clipped ${u8.clipped}, ${u8.bytesPerValue * 65_536} B/row\n` +
        `float16: max ${f16.maxAbsDb.toFixed(4)} dB, mean ${f16.meanAbsDb.toFixed(4)} dB, ${f16.bytesPerValue * 65_536} B/row`,
    );
    expect(u8.clipped).toBe(0);
    expect(u8.maxAbsDb).toBeLessThanOrEqual(SPECTROGRAM_U8_SCALE / 2 + 1e-4);
    expect(u8.meanAbsDb).toBeGreaterThan(SPECTROGRAM_U8_SCALE / 8); // a real rounding error, not a no-op
    expect(f16.maxAbsDb).toBeLessThanOrEqual(100 * 2 ** -11 + 1e-6); // half an ulp at |x| < 128
    expect(u8.bytesPerValue).toBe(1);
    expect(f16.bytesPerValue).toBe(2);
    // Round trips through the typed-array helpers.
    expect(dequantizeF16(quantizeF16(Float32Array.from([-37.25]))))
      .toEqual(Float32Array.from([-37.25]));
  });
});
