/** Masked softmax cross-entropy and accuracy over [B, K] logits with integer labels. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean of `values` [B] over rows whose mask is 1 (all rows without a mask). A batch of only
 * padding gives 0, not NaN.
 */
export function maskedMean(values: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    if (mask === undefined) return tf.mean(values) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(values, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/**
 * Per-row -log softmax(logits)[label] [B], as logsumexp(row) - row[label] (the row maximum
 * is subtracted inside logsumexp: no overflow). Not tf.logSoftmax: its customGrad forward
 * clones the tensors it saves, which tfjs' leak check under IS_TEST rejects on wasm.
 */
export function crossEntropyPerRow(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [, k] = logits.shape;
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), k);
    return tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(oneHot, logits), 1)) as tf.Tensor1D;
  });
}

export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => maskedMean(crossEntropyPerRow(logits, labels), mask));
}

/** Fraction of (unmasked) rows whose arg-max is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => maskedMean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32') as tf.Tensor1D, mask));
}
