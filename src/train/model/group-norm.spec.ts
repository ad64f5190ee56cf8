import { afterAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { selectBackend } from '../tfjs/backend.js';
import { groupNorm } from './group-norm.js';
import { randomTensor, relativeError } from './testing.js';

/** The textbook GroupNorm, differentiated by tfjs. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, epsilon: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const grouped = tf.reshape(x, [b, h * w, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const normalised = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon))), [b, h, w, c]);
  return tf.add(tf.mul(normalised, gamma), beta) as tf.Tensor4D;
}

type Norm = typeof groupNorm;

function forwardAndGrads(norm: Norm, x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, dy: tf.Tensor4D, groups: number): tf.Tensor[] {
  const y = norm(x, gamma, beta, groups, 1e-5);
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, bt: tf.Tensor) =>
    tf.sum(tf.mul(norm(a as tf.Tensor4D, g as tf.Tensor1D, bt as tf.Tensor1D, groups, 1e-5), dy)),
  )([x, gamma, beta]);
  return [y, ...grads];
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('groupNorm', () => {
  // cpu takes row-ops' matMul path, wasm the broadcasting one.
  it.each([
    ['cpu', [2, 5, 3, 8], 4],
    ['cpu', [3, 4, 4, 6], 2],
    ['wasm', [2, 5, 3, 8], 4],
  ] as const)('matches the textbook form and its autodiff on %s for %j, %i groups', async (backend, shape, groups) => {
    await selectBackend(backend);
    const rng = new Rng(3);
    const results = tf.tidy(() => {
      const x = randomTensor<tf.Tensor4D>(rng, [...shape], 0.7, 2);
      const c = shape[3];
      const gamma = randomTensor<tf.Tensor1D>(rng, [c], 1, 0.3);
      const beta = randomTensor<tf.Tensor1D>(rng, [c], 0, 0.3);
      const dy = randomTensor<tf.Tensor4D>(rng, [...shape]);
      return [forwardAndGrads(groupNorm, x, gamma, beta, dy, groups), forwardAndGrads(reference, x, gamma, beta, dy, groups)];
    });
    const [ours, theirs] = results as [tf.Tensor[], tf.Tensor[]];
    for (let i = 0; i < ours.length; i++) {
      expect(relativeError(await (ours[i] as tf.Tensor).data(), await (theirs[i] as tf.Tensor).data())).toBeLessThan(2e-4);
    }
    tf.dispose(results);
  });

  it('normalises each (sample, group) to zero mean and unit variance', async () => {
    await selectBackend('cpu');
    const rng = new Rng(4);
    const [mean, variance] = tf.tidy(() => {
      const x = randomTensor<tf.Tensor4D>(rng, [2, 6, 6, 8], 5, 3);
      const y = groupNorm(x, tf.ones([8]), tf.zeros([8]), 2, 1e-5);
      const m = tf.moments(tf.reshape(y, [2, 36, 2, 4]), [1, 3]);
      return [m.mean, m.variance];
    });
    for (const v of await mean.data()) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const v of await variance.data()) expect(v).toBeCloseTo(1, 3);
    tf.dispose([mean, variance]);
  });
});
