import type { Rng } from '../../util/rng.js';

/**
 * A tileable field of circular complex Gaussian scatter, blurred anisotropically (ultrasound
 * speckle is elongated laterally). Its magnitude is Rayleigh distributed; blending two fields
 * as A cos(phi) + B sin(phi) keeps the statistics while decorrelating the speckle, which is
 * what out-of-plane probe motion does.
 */
export interface SpeckleField {
  size: number;
  re: Float32Array;
  im: Float32Array;
}

/**
 * Two fields interleaved per texel as int8 (reA, imA, reB, imB): one cache line per
 * lookup instead of four scattered ones, which is what makes per-frame blending cheap.
 */
export interface SpecklePair {
  size: number;
  /** Units of 1/SPECKLE_INT_SCALE. */
  texels: Int8Array;
}

export const SPECKLE_INT_SCALE = 48;

export function interleaveSpeckle(a: SpeckleField, b: SpeckleField): SpecklePair {
  if (a.size !== b.size) throw new Error('speckle fields differ in size');
  const texels = new Int8Array(a.size * a.size * 4);
  const q = (v: number): number => Math.max(-127, Math.min(127, Math.round(v * SPECKLE_INT_SCALE)));
  for (let i = 0; i < a.re.length; i++) {
    texels[4 * i] = q(a.re[i] as number);
    texels[4 * i + 1] = q(a.im[i] as number);
    texels[4 * i + 2] = q(b.re[i] as number);
    texels[4 * i + 3] = q(b.im[i] as number);
  }
  return { size: a.size, texels };
}

export const SPECKLE_SIZE = 512;

export function makeSpeckleField(rng: Rng, size = SPECKLE_SIZE): SpeckleField {
  const re = new Float32Array(size * size);
  const im = new Float32Array(size * size);
  for (let i = 0; i < re.length; i++) {
    re[i] = rng.normal();
    im[i] = rng.normal();
  }
  for (const plane of [re, im]) {
    for (let pass = 0; pass < 3; pass++) boxBlur(plane, size, 3, true);
    for (let pass = 0; pass < 2; pass++) boxBlur(plane, size, 1, false);
  }
  // Normalise so that E|z|^2 = 1 (mean Rayleigh amplitude ~0.886).
  let power = 0;
  for (let i = 0; i < re.length; i++) power += (re[i] as number) ** 2 + (im[i] as number) ** 2;
  const scale = 1 / Math.sqrt(power / re.length);
  for (let i = 0; i < re.length; i++) {
    re[i] = (re[i] as number) * scale;
    im[i] = (im[i] as number) * scale;
  }
  return { size, re, im };
}

/** In-place circular box blur of radius r along x (horizontal) or y. */
function boxBlur(data: Float32Array, size: number, r: number, horizontal: boolean): void {
  const line = new Float32Array(size);
  const width = 2 * r + 1;
  for (let k = 0; k < size; k++) {
    for (let i = 0; i < size; i++) line[i] = data[horizontal ? k * size + i : i * size + k] as number;
    let acc = 0;
    for (let j = -r; j <= r; j++) acc += line[(j + size) % size] as number;
    for (let i = 0; i < size; i++) {
      data[horizontal ? k * size + i : i * size + k] = acc / width;
      acc += (line[(i + r + 1) % size] as number) - (line[(i - r + size) % size] as number);
    }
  }
}
