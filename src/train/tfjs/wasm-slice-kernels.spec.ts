import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { onBackend } from './tensor-testing.js';
import { copyBox, registerWasmSliceKernels } from './wasm-slice-kernels.js';

describe('copyBox', () => {
  it('copies random boxes of rank 1 to 5 exactly like tf.slice on cpu', async () => {
    await tf.setBackend('cpu');
    const rng = new Rng(61);
    for (let trial = 0; trial < 60; trial++) {
      const rank = rng.int(1, 5);
      const shape = Array.from({ length: rank }, () => rng.int(1, 5));
      const begin = shape.map((s) => rng.int(0, s - 1));
      const size = shape.map((s, d) => rng.int(0, s - (begin[d] as number)));
      const src = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const dst = new Float32Array(size.reduce((a, b) => a * b, 1));
      copyBox(src, shape, begin, size, dst);
      const expected = tf.tidy(() => tf.slice(tf.tensor(src, shape), begin, size).dataSync());
      expect(Array.from(dst)).toEqual(Array.from(expected));
    }
  });

  it('copies long contiguous runs', () => {
    const src = Float32Array.from({ length: 4 * 100 }, (_, i) => i);
    const dst = new Float32Array(2 * 100);
    copyBox(src, [4, 100], [1, 0], [2, 100], dst);
    expect(dst[0]).toBe(100);
    expect(dst[199]).toBe(299);
  });
});

describe('wasm Slice / SplitV / Unpack replacements', () => {
  beforeAll(() => {
    expect(registerWasmSliceKernels().sort()).toEqual([tf.Slice, tf.SplitV, tf.Unpack].sort());
    expect(registerWasmSliceKernels()).toEqual([]);
  });

  it('match the cpu backend, and keep strings working', async () => {
    const values = Float32Array.from({ length: 3 * 5 * 4 * 6 }, (_, i) => i * 0.5 - 7);
    const run = () => {
      const x = tf.tensor4d(values, [3, 5, 4, 6]);
      return [
        tf.slice(x, [1, 2, 0, 3], [2, -1, 3, 2]),
        ...tf.split(x, [2, 3, 1], 3),
        ...tf.split(x, 5, 1),
        ...tf.unstack(x, 2),
        tf.stridedSlice(x, [0, 1, 0, 0], [3, 5, 4, 6], [2, 2, 1, 3]),
      ];
    };
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.length).toBe(reference.length);
    actual.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(reference[i] as Float32Array)));
    const strings = tf.tensor1d(['a', 'b', 'c', 'd']);
    expect(await tf.slice(strings, [1], [2]).array()).toEqual(['b', 'c']);
  });
});
