/**
 * Combines the gradients of a step's parts and clips them, in plain JavaScript (float64
 * accumulation, a fixed order over parts). Whether the parts were computed in one thread or
 * spread over worker threads, the same part gradients give the same bits here, so a
 * data-parallel step and a single-thread step with the same parts apply the same update.
 */

/** One part's gradients, in the model's trainable-parameter order; null = the loss does not reach that parameter. */
export interface PartGradients {
  /** Sample rows of the part: its weight in the mean. */
  weight: number;
  grads: (Float32Array | null)[];
}

/**
 * sum_p weight_p * g_p / sum_p weight_p: the gradient of the batch mean of per-row losses when
 * each part's loss is its own mean. A parameter without a gradient in every part stays null.
 */
export function averageGradients(parts: readonly PartGradients[]): (Float32Array | null)[] {
  if (parts.length === 0) throw new Error('averageGradients: no parts');
  const count = (parts[0] as PartGradients).grads.length;
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0)) throw new Error('averageGradients: the parts hold no sample rows');
  const out: (Float32Array | null)[] = [];
  for (let i = 0; i < count; i++) {
    let acc: Float64Array | null = null;
    for (const part of parts) {
      if (part.grads.length !== count) throw new Error(`averageGradients: a part has ${part.grads.length} gradients, expected ${count}`);
      const g = part.grads[i];
      if (g === null || g === undefined || part.weight === 0) continue;
      if (acc === null) acc = new Float64Array(g.length);
      else if (acc.length !== g.length) throw new Error(`averageGradients: gradient ${i} has ${g.length} values in one part, ${acc.length} in another`);
      const w = part.weight;
      for (let j = 0; j < g.length; j++) acc[j] = (acc[j] as number) + w * (g[j] as number);
    }
    if (acc === null) {
      out.push(null);
      continue;
    }
    const mean = new Float32Array(acc.length);
    for (let j = 0; j < acc.length; j++) mean[j] = (acc[j] as number) / total;
    out.push(mean);
  }
  return out;
}

/** sqrt of the sum of squares of every value (float64). */
export function globalNorm(grads: readonly (Float32Array | null)[]): number {
  let sum = 0;
  for (const g of grads) {
    if (g === null) continue;
    for (let j = 0; j < g.length; j++) sum += (g[j] as number) * (g[j] as number);
  }
  return Math.sqrt(sum);
}

/**
 * Scales every gradient by maxNorm / max(norm, maxNorm) in place (TensorFlow's
 * clip_by_global_norm). Returns the norm before clipping.
 */
export function clipByGlobalNormInPlace(grads: (Float32Array | null)[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const g of grads) if (g !== null) for (let j = 0; j < g.length; j++) g[j] = (g[j] as number) * scale;
  }
  return norm;
}

/** Weighted mean of per-part scalars (undefined parts skipped). */
export function weightedMean(values: readonly { weight: number; value: number | undefined }[]): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const { weight: w, value } of values) {
    if (value === undefined || w === 0) continue;
    sum += w * value;
    weight += w;
  }
  return weight > 0 ? sum / weight : undefined;
}
