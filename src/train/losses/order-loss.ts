/** L_ord: 12-way cross-entropy of the frame-order head (an order and its reverse share a class). */
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_CLASSES } from '../../../schemas/columns.js';
import { accuracy, softmaxCrossEntropy } from './cross-entropy.js';

function checkShape(logits: tf.Tensor2D): void {
  if (logits.shape[1] !== ORDER_CLASSES) throw new Error(`order logits must have ${ORDER_CLASSES} classes, got ${logits.shape[1]}`);
}

export function orderLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  checkShape(logits);
  return softmaxCrossEntropy(logits, labels, mask);
}

export function orderAccuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  checkShape(logits);
  return accuracy(logits, labels, mask);
}
