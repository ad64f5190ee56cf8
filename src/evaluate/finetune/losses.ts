/** The downstream losses (call inside a gradient or tidy scope: intermediates are not disposed here). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * log softmax over axis 1 as x - logsumexp(x) (logsumexp subtracts the row maximum: no overflow).
 * Not tf.logSoftmax: its customGrad forward clones the tensors it saves, which tfjs' leak check
 * rejects on wasm under IS_TEST (see ../../train/losses/cross-entropy.ts).
 */
export function logSoftmaxRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(x, tf.logSumExp(x, 1, true));
}

/**
 * Cross-entropy of class logits [B, K], averaged with per-row weights w[label] as
 * sum(w_i CE_i) / sum(w_i) (PyTorch's weighted 'mean'); no weights = the plain mean.
 */
export function weightedCrossEntropy(logits: tf.Tensor2D, labels: Int32Array, classWeights: Float32Array | null): tf.Scalar {
  const [b, k] = logits.shape;
  if (labels.length !== b) throw new Error(`weightedCrossEntropy: ${labels.length} labels for ${b} rows`);
  const perRow = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(labels, 'int32'), k), logSoftmaxRows(logits)), 1));
  if (classWeights === null) return tf.mean(perRow) as tf.Scalar;
  const w = Float32Array.from(labels, (c) => classWeights[c] ?? 0);
  const total = w.reduce((a, v) => a + v, 0);
  if (!(total > 0)) throw new Error('weightedCrossEntropy: every row has weight 0');
  return tf.div(tf.sum(tf.mul(perRow, tf.tensor1d(w))), total) as tf.Scalar;
}

/**
 * Cross-entropy -sum(Q log P) of predicted log-distributions [B, cells] against target
 * distributions Q [B, cells], averaged over rows. Its gradient is that of KL(Q || P); the value is
 * KL + H(Q) (see entropy()).
 */
export function densityCrossEntropy(logProbs: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(target, logProbs), 1))) as tf.Scalar;
}

/** Mean entropy (nats) of the rows of Q [rows, cells], each a distribution: KL = CE - H(Q). */
export function meanEntropy(q: Float32Array, rows: number): number {
  if (rows === 0) return 0;
  let h = 0;
  for (let i = 0; i < q.length; i++) {
    const v = q[i] as number;
    if (v > 0) h -= v * Math.log(v);
  }
  return h / rows;
}
