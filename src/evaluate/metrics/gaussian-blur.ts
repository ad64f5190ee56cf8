/**
 * Separable Gaussian blur and fixation densities (ground truth for KL, CC and SIM).
 *
 * Matches scipy.ndimage.gaussian_filter(map, sigma, mode='reflect', truncate=4.0):
 * - kernel: w(k) = exp(-k^2 / (2 sigma^2)) for integer k in [-r, r], r = floor(4 sigma + 0.5), normalised to sum 1;
 * - border: half-sample symmetric reflection (d c b a | a b c d | d c b a), repeated when r exceeds the map size.
 * With a symmetric kernel this border mode conserves mass: blurring never loses a fixation near the edge.
 *
 * The MIT benchmark itself blurs in the Fourier domain (antonioGaussian.m: zero padding + cyclic extension,
 * width given in cycles per image); that is not reproduced. Kümmerer et al.'s saliency-benchmarking makes the
 * same substitution (pixel sigma, nearest padding) and notes the difference is small for sparse fixations.
 */

import { checkMap, checkSize, pixelIndex, type PixelPoint, type SaliencyMap } from './saliency-map.js';

const { exp, floor } = Math; // bound once: global lookups are slow inside Jest's VM sandbox

export const GAUSSIAN_TRUNCATE = 4;

/** Normalised 1-D kernel of length 2r + 1 (scipy's _gaussian_kernel1d for order 0). */
export function gaussianKernel(sigma: number): Float64Array {
  if (!Number.isFinite(sigma) || sigma < 0) throw new Error(`gaussianKernel: sigma ${sigma} must be finite and >= 0`);
  const radius = floor(GAUSSIAN_TRUNCATE * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  if (radius === 0) {
    kernel[0] = 1;
    return kernel;
  }
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = exp((-0.5 * k * k) / (sigma * sigma));
    kernel[k + radius] = w;
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/** Index of position `i` in a signal of length `n` under half-sample symmetric reflection. */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

export function gaussianBlur(map: SaliencyMap, sigmaPixels: number): SaliencyMap {
  checkMap(map, 'gaussianBlur');
  const kernel = gaussianKernel(sigmaPixels);
  const { width, height } = map;
  const radius = (kernel.length - 1) / 2;
  const tmp = new Float64Array(width * height);
  const out = new Float32Array(width * height);
  const src = map.data;
  const xIndex = reflectedIndices(width, radius);
  const yIndex = reflectedIndices(height, radius);
  // Rows (along x), then columns (along y); float64 accumulation between the passes.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < kernel.length; k++) acc += (kernel[k] as number) * (src[row + (xIndex[x + k] as number)] as number);
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < kernel.length; k++) acc += (kernel[k] as number) * (tmp[(yIndex[y + k] as number) * width + x] as number);
      out[y * width + x] = acc;
    }
  }
  return { width, height, data: out };
}

/** For output position p the source of kernel tap k is table[p + k], i.e. reflect(p + k - radius). */
function reflectedIndices(n: number, radius: number): Int32Array {
  const table = new Int32Array(n + 2 * radius);
  for (let i = 0; i < table.length; i++) table[i] = reflectIndex(i - radius, n);
  return table;
}

/**
 * Ground-truth fixation density: one unit per point (repeated points add up, so dwell counts),
 * blurred with `gaussianBlur`, then scaled to sum 1.
 */
export function densityFromFixations(points: readonly PixelPoint[], width: number, height: number, sigmaPixels: number): SaliencyMap {
  checkSize(width, height, 'densityFromFixations');
  if (points.length === 0) throw new Error('densityFromFixations: no fixations; a density needs at least one point');
  const counts = new Float32Array(width * height);
  for (const p of points) {
    const i = pixelIndex(p, width, height, 'densityFromFixations');
    counts[i] = (counts[i] as number) + 1;
  }
  const blurred = gaussianBlur({ width, height, data: counts }, sigmaPixels);
  let sum = 0;
  for (let i = 0; i < blurred.data.length; i++) sum += blurred.data[i] as number;
  for (let i = 0; i < blurred.data.length; i++) blurred.data[i] = (blurred.data[i] as number) / sum;
  return blurred;
}
