import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './backend.js';
import { registerWasmAliasKernels } from './wasm-alias-kernels.js';

describe('copy-free Identity and Cast on wasm', () => {
  it('share data safely: each reference outlives the others, values never change', async () => {
    await selectBackend('wasm');
    expect(registerWasmAliasKernels()).toEqual([]); // selectBackend registered them
    const backend = tf.backend();
    const x = tf.tensor1d([1.5, -2, 3]);
    const before = backend.numDataIds();
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(before); // no copies
    x.dispose();
    expect(Array.from(await clone.data())).toEqual([1.5, -2, 3]);
    clone.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
    const converted = tf.cast(same, 'int32'); // another dtype still converts
    expect(converted.dtype).toBe('int32');
    expect(Array.from(await converted.data())).toEqual([1, -2, 3]);
    tf.dispose([same, converted]);
    expect(Array.from(await tf.clone(tf.tensor1d(['a', 'b'])).data())).toEqual(['a', 'b']);
  });
});
