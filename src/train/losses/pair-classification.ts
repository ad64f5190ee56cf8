/**
 * L_cls (METHOD.md Eq. 1): 2-way cross-entropy of the fusion classifier over the positive
 * pairs (label 1) and the hard negative pairs (label 0). Each row contributes one of each,
 * so the two classes are balanced.
 */
import * as tf from '@tensorflow/tfjs-core';
import { accuracy, crossEntropyPerRow, maskedMean } from './cross-entropy.js';

function stacked(logitsPos: tf.Tensor2D, logitsNeg: tf.Tensor2D, mask?: tf.Tensor1D) {
  const b = logitsPos.shape[0];
  return {
    logits: tf.concat([logitsPos, logitsNeg], 0),
    labels: tf.concat([tf.ones([b], 'int32'), tf.zeros([b], 'int32')]) as tf.Tensor1D,
    mask: mask === undefined ? undefined : (tf.concat([mask, mask]) as tf.Tensor1D),
  };
}

export function pairClassificationLoss(logitsPos: tf.Tensor2D, logitsNeg: tf.Tensor2D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const s = stacked(logitsPos, logitsNeg, mask);
    return maskedMean(crossEntropyPerRow(s.logits, s.labels), s.mask);
  });
}

/** Pair accuracy: the fusion classifier right on positives and negatives alike. */
export function pairAccuracy(logitsPos: tf.Tensor2D, logitsNeg: tf.Tensor2D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const s = stacked(logitsPos, logitsNeg, mask);
    return accuracy(s.logits, s.labels, s.mask);
  });
}
