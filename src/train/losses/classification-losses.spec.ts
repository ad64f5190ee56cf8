import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../model/testing.js';
import { maskedMean, softmaxCrossEntropy } from './cross-entropy.js';
import { orderAccuracy, orderLoss } from './order-loss.js';
import { pairAccuracy, pairClassificationLoss } from './pair-classification.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const { exp, log } = Math;

async function scalar(f: () => tf.Scalar): Promise<number> {
  const t = f();
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

describe('L_cls (pair classification)', () => {
  it('is the 2-way cross-entropy with positives labelled 1 and hard negatives 0', async () => {
    const pos = tf.tensor2d([
      [0, 2],
      [3, 1],
    ]);
    const neg = tf.tensor2d([
      [1, -1],
      [0, 0.5],
    ]);
    // -log softmax(pos_i)[1] and -log softmax(neg_i)[0], averaged over the 4 pairs.
    const hand = (log(1 + exp(-2)) + log(1 + exp(2)) + log(1 + exp(-2)) + log(1 + exp(0.5))) / 4;
    expect(await scalar(() => pairClassificationLoss(pos as tf.Tensor2D, neg as tf.Tensor2D))).toBeCloseTo(hand, 5);
    // Pair accuracy: positive 0 right, positive 1 wrong, negative 0 right, negative 1 wrong.
    expect(await scalar(() => pairAccuracy(pos as tf.Tensor2D, neg as tf.Tensor2D))).toBeCloseTo(0.5, 6);
    // Masking row 1 out keeps only the two right answers of row 0.
    const mask = tf.tensor1d([1, 0]);
    expect(await scalar(() => pairAccuracy(pos as tf.Tensor2D, neg as tf.Tensor2D, mask as tf.Tensor1D))).toBe(1);
    expect(await scalar(() => pairClassificationLoss(pos as tf.Tensor2D, neg as tf.Tensor2D, mask as tf.Tensor1D))).toBeCloseTo(log(1 + exp(-2)), 5);
    tf.dispose([pos, neg, mask]);
  });

  it('stays finite for huge logits', async () => {
    const pos = tf.tensor2d([[1e30, -1e30]]);
    const neg = tf.tensor2d([[-1e30, 1e30]]);
    const loss = await scalar(() => pairClassificationLoss(pos as tf.Tensor2D, neg as tf.Tensor2D));
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(1e29); // both confidently wrong
    tf.dispose([pos, neg]);
  });
});

describe('L_ord (12-way frame order)', () => {
  it('is the cross-entropy of the label class, masked, with its accuracy', async () => {
    const values = new Float32Array(3 * 12);
    values[0 * 12 + 5] = 4; // row 0 predicts 5
    values[1 * 12 + 2] = 4; // row 1 predicts 2
    values[2 * 12 + 7] = 4; // row 2 predicts 7 (padding)
    const logits = tf.tensor2d(values, [3, 12]);
    const labels = tf.tensor1d([5, 3, 0], 'int32');
    const mask = tf.tensor1d([1, 1, 0]);
    const z = exp(4) + 11;
    const hand = (-log(exp(4) / z) - log(1 / z)) / 2;
    expect(await scalar(() => orderLoss(logits as tf.Tensor2D, labels as tf.Tensor1D, mask as tf.Tensor1D))).toBeCloseTo(hand, 5);
    expect(await scalar(() => orderAccuracy(logits as tf.Tensor2D, labels as tf.Tensor1D, mask as tf.Tensor1D))).toBeCloseTo(0.5, 6);
    expect(await scalar(() => orderAccuracy(logits as tf.Tensor2D, labels as tf.Tensor1D))).toBeCloseTo(1 / 3, 6);
    const wrong = tf.zeros([3, 11]) as tf.Tensor2D;
    expect(() => orderLoss(wrong, labels as tf.Tensor1D)).toThrow(/12 classes/);
    tf.dispose([logits, labels, mask, wrong]);
  });

  it('gives 0, not NaN, for a batch of padding only', async () => {
    const values = tf.tensor1d([1, 2]);
    const mask = tf.tensor1d([0, 0]);
    expect(await scalar(() => maskedMean(values as tf.Tensor1D, mask as tf.Tensor1D))).toBe(0);
    const logits = tf.zeros([2, 12]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1], 'int32');
    expect(await scalar(() => softmaxCrossEntropy(logits, labels as tf.Tensor1D, mask as tf.Tensor1D))).toBe(0);
    tf.dispose([values, mask, logits, labels]);
  });
});
