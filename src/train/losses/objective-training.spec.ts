import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { registerCpuGradientKernels } from '../model/cpu-gradient-kernels.js';
import { isNoDecayParam } from '../model/param-set.js';
import { PatternBank, syntheticPairs } from '../model/synthetic-batches.js';
import { microConfig } from '../model/testing.js';
import { TwoStreamModel } from '../model/two-stream.js';
import { SgdMomentum, trainStep } from '../tfjs/optim.js';
import { resolveLossConfig } from './loss-config.js';
import { objective } from './objective.js';

const STEPS = 30;
const BATCH = 4;
const SIZE = 16;

beforeAll(async () => {
  registerCpuGradientKernels();
  await tf.setBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('training the two-stream objective', () => {
  it(`lowers the loss over ${STEPS} SGD steps on a learnable synthetic problem, without leaking tensors`, async () => {
    const model = new TwoStreamModel(microConfig(), new Rng(31));
    const rng = new Rng(32);
    const bank = new PatternBank(rng.fork('patterns'), BATCH, SIZE);
    const config = resolveLossConfig();
    const optimizer = new SgdMomentum({ learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, excludeFromWeightDecay: isNoDecayParam });
    const losses: number[] = [];
    const contrastive: number[] = [];
    const tensorCounts: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const pairs = syntheticPairs(rng, bank, BATCH);
      let cont = 0;
      const { loss, gradNorm } = trainStep(
        optimizer,
        () => {
          const result = objective(model, { pairs }, config, true);
          cont = result.terms.cont?.dataSync()[0] ?? Number.NaN;
          return result.total;
        },
        { maxGradNorm: 5, varList: model.params.trainable() },
      );
      losses.push((await loss.data())[0] as number);
      contrastive.push(cont);
      expect(Number.isFinite((await gradNorm.data())[0])).toBe(true);
      tf.dispose([loss, gradNorm, pairs] as unknown as tf.TensorContainer);
      tensorCounts.push(tf.memory().numTensors);
    }
    // The first step creates the momentum buffers; after it nothing may accumulate.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(last).toBeLessThan(0.8 * first);
    expect(mean(contrastive.slice(-5))).toBeLessThan(mean(contrastive.slice(0, 5)));
    optimizer.dispose();
    model.dispose();
  });
});
