import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { probeWebGpuAdapter, selectBackend } from './backend.js';
import './tensor-testing.js';

describe('selectBackend', () => {
  it('activates cpu and wasm on request, wasm with the gradient kernels', async () => {
    expect(await selectBackend('cpu')).toEqual({ backend: 'cpu', device: 'cpu (plain JavaScript)' });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm.backend).toBe('wasm');
    expect(wasm.device).toMatch(/^wasm \((SIMD|no SIMD), \d+ threads?\)$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it("'auto' takes tensorflow, else a hardware WebGPU adapter, else wasm", async () => {
    const tensorflow = await selectBackend('tensorflow').then(
      () => true,
      (e: Error) => {
        expect(e.message).toMatch(/tfjs-node/);
        return false;
      },
    );
    const adapter = await probeWebGpuAdapter();
    if (adapter === null) await expect(selectBackend('webgpu')).rejects.toThrow(/adapter/);
    const expected = tensorflow ? 'tensorflow' : adapter !== null && !adapter.software ? 'webgpu' : 'wasm';
    const auto = await selectBackend('auto');
    expect(auto.backend).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
  });
});
