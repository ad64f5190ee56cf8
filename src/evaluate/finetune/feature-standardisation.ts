/**
 * Per-feature standardisation of pooled g_v features with the training rows' mean and std: the
 * linear probe applies it to frozen features, and the fine-tuned head applies the same fixed map
 * in front of its linear layer (linear-head.ts).
 */
const { sqrt } = Math;

export interface Standardisation {
  mean: Float32Array;
  std: Float32Array;
}

/** Per-feature mean and population std of [n, c] rows; a constant feature keeps std 1. */
export function fitStandardisation(features: Float32Array, c: number): Standardisation {
  const n = features.length / c;
  if (!Number.isInteger(n) || n < 1) throw new Error(`fitStandardisation: ${features.length} values are not rows of ${c}`);
  const mean = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) mean[j] = (mean[j] as number) + (features[i * c + j] as number);
  for (let j = 0; j < c; j++) mean[j] = (mean[j] as number) / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const d = (features[i * c + j] as number) - (mean[j] as number);
      sq[j] = (sq[j] as number) + d * d;
    }
  }
  const std = Float32Array.from(sq, (s) => {
    const v = sqrt(s / n);
    return v > 1e-6 ? v : 1;
  });
  return { mean: Float32Array.from(mean), std };
}

export function standardise(features: Float32Array, s: Standardisation): Float32Array {
  const c = s.mean.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = ((features[i] as number) - (s.mean[i % c] as number)) / (s.std[i % c] as number);
  return out;
}
