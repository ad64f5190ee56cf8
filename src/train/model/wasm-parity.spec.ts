import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { resolveLossConfig } from '../losses/loss-config.js';
import { objectiveGradients } from '../losses/objective.js';
import { selectBackend } from '../tfjs/backend.js';
import { registerCpuGradientKernels } from './cpu-gradient-kernels.js';
import { modelPreset, type TwoStreamConfig } from './model-config.js';
import { PatternBank, syntheticOrders, syntheticPairs } from './synthetic-batches.js';
import { microConfig, relativeError } from './testing.js';
import { TwoStreamModel } from './two-stream.js';

beforeAll(async () => {
  registerCpuGradientKernels();
  await selectBackend('cpu');
});

afterAll(async () => {
  await selectBackend('cpu');
});

/**
 * Loss and every gradient of the full objective on `backend`, keyed by parameter name. The
 * model is built on that backend from a fixed seed (variables moved between backends inside
 * a customGrad would trip tfjs' kernel leak check).
 */
async function lossAndGradients(backend: 'cpu' | 'wasm', config: TwoStreamConfig, seed: number, size: number): Promise<Map<string, Float32Array>> {
  await selectBackend(backend);
  const model = new TwoStreamModel(config, new Rng(21));
  const rng = new Rng(seed);
  const pairs = syntheticPairs(rng, new PatternBank(rng, 8, size), 4);
  const orders = syntheticOrders(rng, 2, size);
  const result = objectiveGradients(model, { pairs, orders }, resolveLossConfig());
  const out = new Map<string, Float32Array>([['loss', (await result.loss.data()) as Float32Array]]);
  for (const [name, g] of Object.entries(result.grads)) out.set(model.params.paramName(name), (await (g as tf.Tensor).data()) as Float32Array);
  tf.dispose([result, pairs, orders] as unknown as tf.TensorContainer);
  model.dispose();
  return out;
}

// The wasm step runs its own kernels (wasm-gradient-kernels.ts, the SIMD heap kernels, the
// fused GroupNorm / squeeze-excitation row ops); cpu runs tfjs' kernels and row-ops' matMul
// path. Same weights, same batch: the same loss and gradients up to float32 rounding
// (measured: <5e-6 relative).
describe('the full objective on wasm equals cpu', () => {
  it.each([
    ['micro config, 16x16', microConfig(), 16],
    ['tiny preset, 16x16', modelPreset('tiny'), 16],
  ] as [string, TwoStreamConfig, number][])('%s', async (_label, config, size) => {
    const reference = await lossAndGradients('cpu', config, 5, size);
    const actual = await lossAndGradients('wasm', config, 5, size);
    expect([...actual.keys()].sort()).toEqual([...reference.keys()].sort());
    expect(reference.has('g_v/stage1/block0/conv2/kernel')).toBe(true);
    let worst = 0;
    for (const [name, values] of reference) {
      const error = relativeError(actual.get(name) as Float32Array, values);
      if (!(error < 1e-4)) throw new Error(`${name}: relative error ${error}`);
      worst = Math.max(worst, error);
    }
    expect(worst).toBeGreaterThan(0); // two different implementations really ran (~4e-6 measured)
  });
});
