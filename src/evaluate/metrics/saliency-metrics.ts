/**
 * Saliency metrics of the MIT saliency benchmark (Bylinskii et al., "What do different evaluation metrics tell
 * us about saliency models?", TPAMI 2018).
 *
 * Formulas, normalisations and epsilons follow the benchmark's MATLAB code, github.com/cvzoya/saliency,
 * code_forMetrics/{KLdiv,CC,similarity,NSS,AUC_Judd,AUC_Borji}.m. All arithmetic is float64 (MATLAB's
 * im2double). Where that code divides 0 by 0 on a constant map and returns NaN, we take the guard of
 * pysaliency (github.com/matthias-k/pysaliency, pysaliency/metrics.py) instead:
 * - NSS: a constant prediction is mean-centred but not scaled, so NSS = 0 (MATLAB: NaN);
 * - CC: a constant prediction against a non-constant ground truth gives 0 (MATLAB: NaN);
 *   a constant ground truth still gives NaN (both references);
 * - SIM: a constant non-zero map becomes the uniform distribution (MATLAB's min-max step gives NaN);
 * - AUC-Borji: a constant prediction normalises to all zeros (MATLAB: NaN map) and scores 0.5.
 * Deviations that are not about 0/0:
 * - AUC-Judd: MATLAB adds rand/1e7 jitter to break ties (unseeded). We return the exact expected value of
 *   the reference over that tie-breaking (closed form below), so the result is deterministic and equals the
 *   reference whenever the map has no ties.
 * - Maps of different sizes are an error (MATLAB imresizes the prediction).
 * - No fixations, or a ground-truth density with no mass, is an error (MATLAB returns NaN or 0 silently).
 */

import type { Rng } from '../../util/rng.js';
import { checkMap, checkSameSize, type FixationMap, type SaliencyMap } from './saliency-map.js';

export { densityFromFixations, gaussianBlur, gaussianKernel } from './gaussian-blur.js';
export { pointsToFixationMap, saliencyMap, type FixationMap, type PixelPoint, type SaliencyMap } from './saliency-map.js';

const { log, sqrt, min, max, floor, abs } = Math; // bound once: global lookups are slow inside Jest's VM sandbox

/** MATLAB's `eps` (2^-52), the regulariser of KLdiv.m. */
export const MATLAB_EPS = Number.EPSILON;

/**
 * KL divergence of the ground-truth distribution from the prediction (lower is better), KLdiv.m:
 * P = pred / sum(pred), Q = gt / sum(gt), KL = sum Q log(eps + Q / (P + eps)).
 * The prediction is not min-max normalised (as in the reference) and must be non-negative; an all-zero
 * prediction stays zero (the reference's `if any(map)` guard) and scores sum Q log(eps + Q / eps).
 */
export function kl(pred: SaliencyMap, gtDensity: SaliencyMap): number {
  checkPair(pred, gtDensity, 'kl');
  checkNonNegative(pred, 'kl', 'prediction (KL treats it as a distribution: apply softmax/ReLU first)');
  const p = pred.data;
  const q = gtDensity.data;
  const sumP = sum(p);
  const sumQ = sum(q);
  const scaleP = sumP > 0 ? 1 / sumP : 0;
  let score = 0;
  for (let i = 0; i < q.length; i++) {
    const qi = (q[i] as number) / sumQ;
    if (qi === 0) continue; // 0 * log(eps) = 0 exactly, as in MATLAB
    score += qi * log(MATLAB_EPS + qi / ((p[i] as number) * scaleP + MATLAB_EPS));
  }
  return score;
}

/** Pearson's linear correlation coefficient between prediction and ground-truth density, CC.m (corr2). */
export function cc(pred: SaliencyMap, gtDensity: SaliencyMap): number {
  checkPair(pred, gtDensity, 'cc');
  const a = pred.data;
  const b = gtDensity.data;
  const n = a.length;
  const meanA = sum(a) / n;
  const meanB = sum(b) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - meanA;
    const db = (b[i] as number) - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (sbb === 0) return NaN; // constant ground truth: correlation undefined in both references
  if (saa === 0) return 0; // constant prediction: pysaliency's guard
  return sab / sqrt(saa * sbb);
}

/**
 * Similarity (histogram intersection), similarity.m: each map is min-max normalised to [0, 1], then scaled
 * to sum 1; SIM = sum min(P, Q). An all-zero map stays zero (reference guard); a constant non-zero map
 * becomes uniform (see the header).
 */
export function sim(pred: SaliencyMap, gtDensity: SaliencyMap): number {
  checkPair(pred, gtDensity, 'sim');
  const p = simDistribution(pred.data);
  const q = simDistribution(gtDensity.data);
  let score = 0;
  for (let i = 0; i < p.length; i++) score += min(p[i] as number, q[i] as number);
  return score;
}

function simDistribution(data: Float32Array): Float64Array {
  const out = new Float64Array(data.length);
  const { lo, hi } = range(data);
  if (lo === 0 && hi === 0) return out;
  if (lo === hi) return out.fill(1 / data.length);
  let total = 0;
  for (let i = 0; i < data.length; i++) {
    const v = ((data[i] as number) - lo) / (hi - lo);
    out[i] = v;
    total += v;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/**
 * Normalized scanpath saliency, NSS.m: z-score the prediction with MATLAB's std (n - 1 denominator; pysaliency
 * uses n), then average it over fixated pixels. A constant prediction scores 0.
 */
export function nss(pred: SaliencyMap, fixations: FixationMap): number {
  checkMap(pred, 'nss');
  const fixated = fixatedIndices(pred, fixations, 'nss');
  const s = pred.data;
  const n = s.length;
  const mean = sum(s) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (s[i] as number) - mean;
    ss += d * d;
  }
  const std = n > 1 ? sqrt(ss / (n - 1)) : 0;
  let total = 0;
  for (let j = 0; j < fixated.length; j++) total += (s[fixated[j] as number] as number) - mean;
  const meanDeviation = total / fixated.length;
  return std > 0 ? meanDeviation / std : 0;
}

/**
 * AUC-Judd, AUC_Judd.m. The reference sweeps a threshold through the (jittered) values at the N fixations:
 * tp_i = i / N, fp_i = (#non-fixated pixels >= threshold_i) / M, and integrates with trapz over
 * (0,0), (fp_1, tp_1), ..., (fp_N, 1), (1,1). For distinct values that area equals
 *   U / (N M) + (0.5 / N) * (#non-fixated >= lowest fixated value) / M,
 * with U the Mann-Whitney count of (fixated, non-fixated) pairs ordered correctly: trapz credits each
 * non-fixated pixel that lies between two thresholds with half a fixation more than the rank count does.
 * Averaging over the reference's random tie-breaking gives ties 1/2 in U, and a non-fixated pixel tied with
 * the lowest fixated value v lies above the lowest of the a fixations at v with probability a / (a + 1).
 * Consequence of the trapezoid rule: a uniform map scores 0.5 + 0.5 / (N + 1), not exactly 0.5.
 * Min-max normalisation does not change the order, so it is skipped.
 */
export function aucJudd(pred: SaliencyMap, fixations: FixationMap): number {
  checkMap(pred, 'aucJudd');
  const fixated = fixatedIndices(pred, fixations, 'aucJudd');
  const s = pred.data;
  const nFix = fixated.length;
  const nOther = s.length - nFix;
  if (nOther === 0) throw new Error('aucJudd: every pixel is fixated; the ROC needs non-fixated pixels');

  const isFixated = new Uint8Array(s.length);
  for (let j = 0; j < nFix; j++) isFixated[fixated[j] as number] = 1;
  const others = new Float64Array(nOther);
  let k = 0;
  for (let i = 0; i < s.length; i++) if (isFixated[i] === 0) others[k++] = s[i] as number;
  others.sort();

  let u = 0;
  let lowest = Infinity;
  for (let j = 0; j < nFix; j++) {
    const v = s[fixated[j] as number] as number;
    const below = lowerBound(others, v);
    u += below + 0.5 * (upperBound(others, v) - below);
    if (v < lowest) lowest = v;
  }
  let tiedFixations = 0;
  for (let j = 0; j < nFix; j++) if ((s[fixated[j] as number] as number) === lowest) tiedFixations++;
  const lowestStart = lowerBound(others, lowest);
  const lowestEnd = upperBound(others, lowest);
  const expectedAboveLowest = nOther - lowestEnd + ((lowestEnd - lowestStart) * tiedFixations) / (tiedFixations + 1);
  return u / (nFix * nOther) + (0.5 / nFix) * (expectedAboveLowest / nOther);
}

export interface AucBorjiOptions {
  /** Number of random negative sets (reference default 100). */
  splits?: number;
  /** Threshold step on the min-max normalised map (reference default 0.1). */
  stepSize?: number;
}

/**
 * AUC-Borji, AUC_Borji.m: min-max normalise; per split draw N pixels uniformly with replacement from the
 * whole map (fixated pixels included) as negatives; thresholds 0:stepSize:max(values at fixations and
 * negatives), swept downwards; tp and fp are the fractions of fixations and negatives >= threshold; trapz
 * with (0,0) and (1,1) added; the mean over splits. Draws come from `rng` (split by split, N per split,
 * the column order of MATLAB's randi([1 Npixels], [N, Nsplits])).
 */
export function aucBorji(pred: SaliencyMap, fixations: FixationMap, rng: Pick<Rng, 'int'>, options: AucBorjiOptions = {}): number {
  const splits = options.splits ?? 100;
  const stepSize = options.stepSize ?? 0.1;
  if (!Number.isInteger(splits) || splits < 1) throw new Error(`aucBorji: splits ${splits} must be a positive integer`);
  if (!Number.isFinite(stepSize) || stepSize <= 0) throw new Error(`aucBorji: stepSize ${stepSize} must be > 0`);
  checkMap(pred, 'aucBorji');
  const fixated = fixatedIndices(pred, fixations, 'aucBorji');
  const s = minMaxNormalise(pred.data);
  const nFix = fixated.length;
  const atFixations = new Float64Array(nFix);
  let maxAtFixations = -Infinity;
  for (let j = 0; j < nFix; j++) {
    const v = s[fixated[j] as number] as number;
    atFixations[j] = v;
    if (v > maxAtFixations) maxAtFixations = v;
  }
  const negatives = new Float64Array(nFix);
  let total = 0;
  for (let split = 0; split < splits; split++) {
    let top = maxAtFixations;
    for (let j = 0; j < nFix; j++) {
      const v = s[rng.int(0, s.length - 1)] as number;
      negatives[j] = v;
      if (v > top) top = v;
    }
    const thresholds = matlabColon(0, stepSize, top).reverse();
    const tp = [0];
    const fp = [0];
    for (const t of thresholds) {
      tp.push(fractionAtLeast(atFixations, t));
      fp.push(fractionAtLeast(negatives, t));
    }
    tp.push(1);
    fp.push(1);
    total += trapz(fp, tp);
  }
  return total / splits;
}

/** `a:d:b` as MATLAB builds it: n = floor((b - a) / d) (with a small tolerance), filled symmetrically from both ends. */
export function matlabColon(a: number, d: number, b: number): number[] {
  if (b < a) return [];
  const n = floor((b - a) / d + 1e-10);
  let end = a + n * d;
  if (abs(end - b) <= 1e-10 * d) end = b;
  const values = new Array<number>(n + 1);
  for (let k = 0; k <= floor(n / 2); k++) {
    values[k] = a + k * d;
    values[n - k] = end - k * d;
  }
  if (n % 2 === 0) values[n / 2] = (a + end) / 2;
  return values;
}

export function trapz(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += (((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number))) / 2;
  return area;
}

function fractionAtLeast(values: Float64Array, threshold: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) >= threshold) count++;
  return count / values.length;
}

/** (v - min) / (max - min); a constant map becomes all zeros. */
function minMaxNormalise(data: Float32Array): Float64Array {
  const { lo, hi } = range(data);
  const out = new Float64Array(data.length);
  if (hi === lo) return out;
  for (let i = 0; i < data.length; i++) out[i] = ((data[i] as number) - lo) / (hi - lo);
  return out;
}

function range(data: Float32Array): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    lo = min(lo, v);
    hi = max(hi, v);
  }
  return { lo, hi };
}

function sum(data: Float32Array): number {
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i] as number;
  return total;
}

/** First index whose value is >= v (sorted ascending). */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > v (sorted ascending). */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkPair(pred: SaliencyMap, gtDensity: SaliencyMap, caller: string): void {
  checkMap(pred, caller);
  checkMap(gtDensity, caller);
  checkSameSize(pred, gtDensity, caller);
  checkNonNegative(gtDensity, caller, 'ground-truth density');
  if (sum(gtDensity.data) <= 0) throw new Error(`${caller}: the ground-truth density has no mass (all zeros)`);
}

function checkNonNegative(map: SaliencyMap, caller: string, what: string): void {
  const data = map.data;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) < 0) throw new Error(`${caller}: negative value ${data[i]} at index ${i} in the ${what}`);
  }
}

/** Indices of fixated pixels (value > 0); throws when there are none. */
function fixatedIndices(pred: SaliencyMap, fixations: FixationMap, caller: string): Int32Array {
  checkMap(fixations, caller);
  checkSameSize(pred, fixations, caller);
  const f = fixations.data;
  let count = 0;
  for (let i = 0; i < f.length; i++) {
    const v = f[i] as number;
    if (v < 0) throw new Error(`${caller}: negative value ${v} at index ${i} in the fixation map`);
    if (v > 0) count++;
  }
  if (count === 0) throw new Error(`${caller}: the fixation map has no fixations`);
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < f.length; i++) if ((f[i] as number) > 0) out[k++] = i;
  return out;
}
