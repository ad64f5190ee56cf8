/**
 * Class weights for the plane-detection loss. The downstream set is dominated by background
 * (~40% of rows) and the scores are macro averages over the 14 classes, so every class should
 * weigh the same in the loss: w_c = n / (K n_c) over the K classes present in the training rows
 * (scikit-learn's class_weight='balanced'), 0 for a class with no training row.
 */
export function balancedClassWeights(labels: ArrayLike<number>, classes: number): Float32Array {
  const counts = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`balancedClassWeights: label ${c} at ${i} is not in [0, ${classes})`);
    counts[c] = (counts[c] as number) + 1;
  }
  let present = 0;
  for (const n of counts) if (n > 0) present++;
  const weights = new Float32Array(classes);
  if (present === 0) return weights;
  for (let c = 0; c < classes; c++) {
    const n = counts[c] as number;
    weights[c] = n > 0 ? labels.length / (present * n) : 0;
  }
  return weights;
}
