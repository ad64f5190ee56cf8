/**
 * Compact storage of dB spectrograms.
 *
 * uint8: a fixed dB range [SPECTROGRAM_U8_DB_MIN, SPECTROGRAM_U8_DB_MAX] in 255 steps;
 * dB = code * SPECTROGRAM_U8_SCALE + SPECTROGRAM_U8_OFFSET. Values outside the range clip.
 * The range starts at the spectrogram's log floor (-100 dB) and ends at +2 dB, a little
 * above the 0 dB of a full-scale sine, so nothing a clean recording produces clips. The
 * step is 0.4 dB: the rounding error (<= 0.2 dB) is far below the frame-to-frame
 * fluctuation of a speech spectrogram (several dB).
 *
 * float16: IEEE binary16 bit patterns (Node 20 has no Float16Array), round to nearest even.
 */

const { round } = Math; // local binding: fast under Jest's VM context too

export const SPECTROGRAM_U8_DB_MIN = -100;
export const SPECTROGRAM_U8_DB_MAX = 2;
export const SPECTROGRAM_U8_SCALE = (SPECTROGRAM_U8_DB_MAX - SPECTROGRAM_U8_DB_MIN) / 255;
export const SPECTROGRAM_U8_OFFSET = SPECTROGRAM_U8_DB_MIN;

export interface U8Range {
  /** dB of code 0. */
  min: number;
  /** dB of code 255. */
  max: number;
}

export const DEFAULT_U8_RANGE: Readonly<U8Range> = Object.freeze({ min: SPECTROGRAM_U8_DB_MIN, max: SPECTROGRAM_U8_DB_MAX });

export function quantizeU8(db: Float32Array, range: U8Range = DEFAULT_U8_RANGE, out = new Uint8Array(db.length)): Uint8Array {
  const inv = 255 / (range.max - range.min);
  const min = range.min;
  for (let i = 0; i < db.length; i++) {
    const q = round(((db[i] as number) - min) * inv);
    out[i] = q < 0 ? 0 : q > 255 ? 255 : q; // NaN -> 0 via Uint8Array conversion
  }
  return out;
}

export function dequantizeU8(codes: Uint8Array, range: U8Range = DEFAULT_U8_RANGE, out = new Float32Array(codes.length)): Float32Array {
  const scale = (range.max - range.min) / 255;
  for (let i = 0; i < codes.length; i++) out[i] = (codes[i] as number) * scale + range.min;
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> binary16 bits, round to nearest even; overflow -> +-Infinity, NaN kept. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++; // may carry into the exponent: still correct
  return sign | half;
}

export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function quantizeF16(values: Float32Array, out = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i] as number);
  return out;
}

export function dequantizeF16(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  for (let i = 0; i < bits.length; i++) out[i] = fromFloat16Bits(bits[i] as number);
  return out;
}

export interface QuantizationError {
  maxAbsDb: number;
  meanAbsDb: number;
  /** Values that fell outside the representable range and were clipped. */
  clipped: number;
  /** Storage bytes per dB value (a 256 x 256 spectrogram: 65,536 values). */
  bytesPerValue: number;
}

/** Error of a storage format on `db`, measured by a round trip. */
export function measureQuantization(db: Float32Array, format: 'uint8' | 'float16', range: U8Range = DEFAULT_U8_RANGE): QuantizationError {
  let restored: Float32Array;
  let clipped = 0;
  let bytes: number;
  if (format === 'uint8') {
    restored = dequantizeU8(quantizeU8(db, range), range);
    for (const v of db) if (v < range.min || v > range.max) clipped++;
    bytes = 1;
  } else {
    restored = dequantizeF16(quantizeF16(db));
    bytes = 2;
  }
  let max = 0;
  let sum = 0;
  for (let i = 0; i < db.length; i++) {
    const e = Math.abs((restored[i] as number) - (db[i] as number));
    if (e > max) max = e;
    sum += e;
  }
  return { maxAbsDb: max, meanAbsDb: db.length ? sum / db.length : 0, clipped, bytesPerValue: bytes };
}
