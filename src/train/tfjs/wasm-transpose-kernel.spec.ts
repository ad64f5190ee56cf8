import { describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { selectBackend } from './backend.js';
import { onBackend } from './tensor-testing.js';
import { canonicalTranspose } from './wasm-transpose-kernel.js';

describe('canonicalTranspose', () => {
  it('drops size-1 axes and merges axes that stay adjacent', () => {
    expect(canonicalTranspose([64, 32, 32, 16], [3, 1, 2, 0])).toEqual({ shape: [64, 1024, 16], perm: [2, 1, 0] });
    expect(canonicalTranspose([64, 32, 32, 16], [1, 2, 0, 3])).toEqual({ shape: [64, 1024, 16], perm: [1, 0, 2] });
    expect(canonicalTranspose([2, 1, 3], [2, 1, 0])).toEqual({ shape: [2, 3], perm: [1, 0] });
    expect(canonicalTranspose([5, 1, 7], [1, 0, 2])).toEqual({ shape: [35], perm: [0] });
    expect(canonicalTranspose([1, 1], [1, 0])).toEqual({ shape: [], perm: [] });
  });
});

describe('wasm Transpose replacement', () => {
  it('moves values exactly like the cpu backend (blocked, reversed, row-permuted and plain cases)', async () => {
    await selectBackend('wasm');
    const rng = new Rng(31);
    const cases: [number[], number[]][] = [
      // (>= 16384 values for the blocked paths)
      [[512, 40], [1, 0]], // blocked 2-D, blocks of 64 rows
      [[600, 40], [1, 0]], // blocks of 8 rows, moved by permuteRows
      [[8, 300, 8], [2, 1, 0]], // 3-D reversal, then permuteRows
      [[40, 100, 8], [2, 1, 0]],
      [[4, 2000, 4], [1, 0, 2]], // permuteRows
      [[3, 700, 8], [1, 0, 2]],
      [[2, 9, 9, 12], [3, 1, 2, 0]],
      [[4, 33, 17, 4], [1, 2, 0, 3]],
      [[3, 1, 5, 1, 6], [4, 2, 0, 1, 3]],
    ];
    for (let trial = 0; trial < 12; trial++) {
      const rank = rng.int(2, 5);
      const shape = Array.from({ length: rank }, () => rng.int(1, 12));
      cases.push([shape, rng.shuffle(Array.from({ length: rank }, (_, i) => i))]);
    }
    for (const [shape, perm] of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, (_, i) => i - 0.5 * size);
      const run = () => [tf.transpose(tf.tensor(values, shape), perm), tf.transpose(tf.tensor(Int32Array.from(values), shape, 'int32'), perm)];
      const expected = await onBackend('cpu', run);
      const actual = await onBackend('wasm', run);
      actual.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i] as ArrayLike<number>)));
    }
  });
});
