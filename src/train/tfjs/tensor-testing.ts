/** Helpers shared by the specs of this folder: seeded tensors and error measures. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';

// Silences the cpu backend's "install tfjs-node" banner in test output.
tf.env().set('PROD', true);

/** Standard-normal values drawn from `rng`, as a plain array (backend-independent). */
export function normalValues(rng: Rng, size: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal();
  return values;
}

export function normalTensor<R extends tf.Rank>(rng: Rng, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(normalValues(rng, size), shape) as tf.Tensor<R>;
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) throw new Error(`length ${actual.length} != ${reference.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((actual[i] as number) - (reference[i] as number)));
    maxRef = Math.max(maxRef, Math.abs(reference[i] as number));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Runs `fn` under `backend` and returns the values of the tensors it returns. */
export async function onBackend(backend: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  const tensors = tf.tidy(fn);
  const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(tensors);
  return values;
}
