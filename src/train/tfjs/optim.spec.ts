import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, globalNorm, SgdMomentum, trainStep } from './optim.js';
import './tensor-testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  tf.disposeVariables();
});

describe('clipByGlobalNorm', () => {
  it('scales every gradient by maxNorm / globalNorm when the norm is exceeded', async () => {
    const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([12]) }; // global norm 13
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 6.5);
    expect(await norm.data()).toEqual(new Float32Array([13]));
    expect(Array.from(await (clipped.a as tf.Tensor).data())).toEqual([1.5, 2]);
    expect(Array.from(await (clipped.b as tf.Tensor).data())).toEqual([6]);
    const within = clipByGlobalNorm(grads, 20);
    expect(Array.from(await (within.grads.a as tf.Tensor).data())).toEqual([3, 4]);
    expect(Array.from(await (within.grads.b as tf.Tensor).data())).toEqual([12]);
    expect(await globalNorm([]).data()).toEqual(new Float32Array([0]));
  });
});

/** Plain-number PyTorch SGD for one scalar parameter. */
function handSgd(w0: number, grads: number[], lr: number, momentum: number, wd: number, mode: 'coupled' | 'decoupled'): number[] {
  let w = w0;
  let buf = 0;
  const path: number[] = [];
  for (const g0 of grads) {
    const g = mode === 'coupled' ? g0 + wd * w : g0;
    buf = momentum * buf + g;
    if (mode === 'decoupled') w -= lr * wd * w;
    w -= lr * buf;
    path.push(w);
  }
  return path;
}

describe('SgdMomentum', () => {
  for (const mode of ['coupled', 'decoupled'] as const) {
    it(`matches a hand computation with ${mode} weight decay`, async () => {
      const lr = 0.1;
      const wd = 0.05;
      const w = tf.variable(tf.tensor1d([2, -1]), true, `w_${mode}`);
      const sgd = new SgdMomentum({ learningRate: lr, momentum: 0.9, weightDecay: wd, weightDecayMode: mode });
      const grads = [
        [0.5, 1],
        [-0.25, 0.5],
        [1, -2],
      ];
      for (const g of grads) sgd.applyGradients({ [w.name]: tf.tensor1d(g as number[]) });
      const expected = [0, 1].map((i) => handSgd(i === 0 ? 2 : -1, grads.map((g) => g[i] as number), lr, 0.9, wd, mode).at(-1) as number);
      const actual = Array.from(await w.data());
      actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i] as number, 6));
      expect(sgd.iterations).toBe(3);
      sgd.dispose();
    });
  }

  it('skips weight decay for exempt variables and supports nesterov', async () => {
    const bias = tf.variable(tf.tensor1d([1]), true, 'layer/bias');
    const sgd = new SgdMomentum({ learningRate: 0.5, momentum: 0.5, weightDecay: 0.1, nesterov: true, excludeFromWeightDecay: (n) => n.endsWith('/bias') });
    sgd.applyGradients({ [bias.name]: tf.tensor1d([1]) });
    // buf = 1, step = g + m * buf = 1.5, w = 1 - 0.5 * 1.5 (no decay term)
    expect((await bias.data())[0]).toBeCloseTo(0.25, 6);
    sgd.dispose();
  });

  it('exports and imports its momentum buffers so a resumed run continues identically', async () => {
    const make = (name: string) => tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, name);
    const a = make('resume_a');
    const first = new SgdMomentum({ learningRate: 0.1 });
    const g1 = tf.tensor2d([[0.1, -0.2], [0.3, 0.4]]);
    const g2 = tf.tensor2d([[-0.5, 0.1], [0.2, -0.3]]);
    first.applyGradients({ [a.name]: g1 });
    const state = await first.exportState();
    expect(state.iterations).toBe(1);
    expect(state.buffers.map((b) => [b.name, b.shape])).toEqual([['resume_a', [2, 2]]]);

    const b = tf.variable(a.clone(), true, 'resume_a_copy');
    const second = new SgdMomentum({ learningRate: 0.1 });
    second.importState({ ...state, buffers: state.buffers.map((buf) => ({ ...buf, name: 'resume_a_copy' })) });
    first.applyGradients({ [a.name]: g2 });
    second.applyGradients({ [b.name]: g2 });
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(second.iterations).toBe(2);

    const weights = await first.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', 'resume_a/momentum']);
    const third = new SgdMomentum({ learningRate: 0.1 });
    await third.setWeights(weights);
    expect(third.iterations).toBe(2);
    expect((await third.exportState()).buffers[0]?.values).toEqual((await first.exportState()).buffers[0]?.values);
    [first, second, third].forEach((o) => o.dispose());
  });
});

describe('trainStep', () => {
  it('reports the pre-clipping norm and applies the clipped gradient', async () => {
    const w = tf.variable(tf.tensor1d([3, 4]), true, 'step_w');
    const sgd = new SgdMomentum({ learningRate: 0.1, momentum: 0, weightDecay: 0 });
    // loss = 0.5 |w|^2 -> gradient w = [3, 4], norm 5; clipped to norm 1 -> [0.6, 0.8]
    const { loss, gradNorm } = trainStep(sgd, () => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar, { maxGradNorm: 1 });
    expect((await loss.data())[0]).toBeCloseTo(12.5, 5);
    expect((await gradNorm.data())[0]).toBeCloseTo(5, 5);
    const after = Array.from(await w.data());
    expect(after[0]).toBeCloseTo(3 - 0.06, 6);
    expect(after[1]).toBeCloseTo(4 - 0.08, 6);
    tf.dispose([loss, gradNorm]);
    sgd.dispose();
  });
});
