import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { registerCpuGradientKernels } from '../model/cpu-gradient-kernels.js';
import { PatternBank, syntheticOrders, syntheticPairs } from '../model/synthetic-batches.js';
import { microConfig, relativeError } from '../model/testing.js';
import { PART_PREFIX, TwoStreamModel } from '../model/two-stream.js';
import { resolveLossConfig } from './loss-config.js';
import { objective, objectiveGradients, type ObjectiveInputs } from './objective.js';
import { orderLoss } from './order-loss.js';
import { pairClassificationLoss } from './pair-classification.js';

const BATCH = 4;

let model: TwoStreamModel;
let inputs: Required<ObjectiveInputs>;

beforeAll(async () => {
  registerCpuGradientKernels();
  await tf.setBackend('cpu');
  model = new TwoStreamModel(microConfig(), new Rng(21));
  const rng = new Rng(22);
  inputs = { pairs: syntheticPairs(rng, new PatternBank(rng, 8, 16), BATCH), orders: syntheticOrders(rng, BATCH, 16) };
});

afterAll(() => {
  tf.dispose(inputs as unknown as tf.TensorContainer);
  model.dispose();
});

async function read(t: tf.Tensor | undefined): Promise<number> {
  if (t === undefined) throw new Error('missing tensor');
  return (await t.data())[0] as number;
}

const part = (engineName: string): string => model.params.paramName(engineName);

describe('objective', () => {
  it('weights the three terms: L = alpha L_cls + beta L_cont + gamma L_ord', async () => {
    const config = resolveLossConfig({ alpha: 0.5, beta: 2, gamma: 3 });
    const result = objective(model, inputs, config, false);
    const [total, cls, cont, ord] = (await Promise.all([result.total, result.terms.cls, result.terms.cont, result.terms.ord].map(read))) as [
      number,
      number,
      number,
      number,
    ];
    expect(total).toBeCloseTo(0.5 * cls + 2 * cont + 3 * ord, 4);
    // Untrained: near chance (ln 2 for 2 classes, ln 12 for 12), accuracies in [0, 1].
    expect(cls).toBeGreaterThan(0.3);
    expect(ord).toBeGreaterThan(1.5);
    for (const m of [result.metrics.pairAccuracy, result.metrics.orderAccuracy]) {
      const v = await read(m);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    tf.dispose(result as unknown as tf.TensorContainer);
  });

  it('noContrastive: the contrastive term is absent and the gradients are those of alpha L_cls + gamma L_ord', async () => {
    const config = resolveLossConfig({ noContrastive: true, alpha: 1, gamma: 0.5 });
    const before = tf.memory().numTensors;
    const ours = objectiveGradients(model, inputs, config);
    expect(ours.terms.cont).toBeUndefined();
    const { pairs, orders } = inputs;
    const byHand = tf.variableGrads(() => {
      const out = model.pairs(pairs.frames, pairs.speechPos, pairs.speechNeg, true);
      const cls = pairClassificationLoss(out.logitsPos, out.logitsNeg);
      return tf.add(cls, tf.mul(orderLoss(model.orderLogits(orders.frames, true), orders.labels), 0.5)) as tf.Scalar;
    }, model.params.trainable());
    expect(await read(ours.loss)).toBeCloseTo(await read(byHand.value), 5);
    expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(byHand.grads).sort());
    for (const [name, g] of Object.entries(ours.grads)) {
      const err = relativeError(await (g as tf.Tensor).data(), await (byHand.grads[name] as tf.Tensor).data());
      if (err > 1e-4) throw new Error(`${part(name)}: gradient differs by ${err}`);
    }
    tf.dispose([ours, byHand] as unknown as tf.TensorContainer);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('noAffinity: the order term is absent and the order head gets no gradient', async () => {
    const result = objectiveGradients(model, inputs, resolveLossConfig({ noAffinity: true }));
    expect(result.terms.ord).toBeUndefined();
    expect(result.metrics.orderAccuracy).toBeUndefined();
    const reached = Object.keys(result.grads).map(part);
    expect(reached.some((n) => n.startsWith(PART_PREFIX.order))).toBe(false);
    expect(reached.some((n) => n.startsWith(PART_PREFIX.speech))).toBe(true);
    expect(reached.length).toBe(model.params.trainable((n) => !n.startsWith(PART_PREFIX.order)).length);
    tf.dispose(result as unknown as tf.TensorContainer);
  });

  it('gives only the parts a batch reaches a gradient: orders reach g_v and the order head only', async () => {
    const result = objectiveGradients(model, { orders: inputs.orders }, resolveLossConfig());
    const reached = new Set(Object.keys(result.grads).map(part));
    for (const name of model.params.names()) {
      const expected = name.startsWith(PART_PREFIX.video) || name.startsWith(PART_PREFIX.order);
      if (reached.has(name) !== expected) throw new Error(`${name}: gradient ${reached.has(name) ? 'present' : 'absent'}`);
    }
    expect(Object.keys(result.terms)).toEqual(['ord']);
    tf.dispose(result as unknown as tf.TensorContainer);
  });

  it('refuses a step with nothing to optimise, and invalid weights', () => {
    expect(() => objective(model, {}, resolveLossConfig())).toThrow(/no batch/);
    expect(() => objective(model, { orders: inputs.orders }, resolveLossConfig({ noAffinity: true }))).toThrow(/switched off/);
    expect(() => resolveLossConfig({ temperature: 0 })).toThrow(/temperature/);
    expect(() => resolveLossConfig({ beta: -1 })).toThrow(/beta/);
  });
});
