import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { randomTensor } from '../model/testing.js';
import { contrastiveLoss, l2Normalize } from './contrastive.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const { exp, log } = Math;

/** Unit vectors, so the hand computation needs no normalisation. */
const V = [
  [1, 0],
  [0.6, 0.8],
];
const S = [
  [0.8, 0.6],
  [0, 1],
];
const N = [
  [0, -1],
  [1, 0],
];
const dot = (a: number[], b: number[]): number => (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number);
const row = (i: number): number[] => V[i] as number[];

function handLoss(tau: number, allNegatives: boolean): number {
  let total = 0;
  for (let i = 0; i < 2; i++) {
    const logits = [dot(row(i), S[0] as number[]), dot(row(i), S[1] as number[])];
    if (allNegatives) logits.push(dot(row(i), N[0] as number[]), dot(row(i), N[1] as number[]));
    else logits.push(dot(row(i), N[i] as number[]));
    const scaled = logits.map((l) => l / tau);
    total += log(scaled.reduce((a, l) => a + exp(l), 0)) - (scaled[i] as number);
  }
  return total / 2;
}

async function value(t: tf.Tensor): Promise<number> {
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

describe('contrastiveLoss (InfoNCE over the batch + hard negatives)', () => {
  it('equals a hand computation on a 2x2 example (own hard negative, and all hard negatives)', async () => {
    for (const hardNegatives of ['own', 'all'] as const) {
      const loss = tf.tidy(() => contrastiveLoss(tf.tensor2d(V), tf.tensor2d(S), tf.tensor2d(N), { temperature: 0.5, hardNegatives }));
      expect(await value(loss)).toBeCloseTo(handLoss(0.5, hardNegatives === 'all'), 5);
    }
    // Row i of the 'own' case by hand, written out: log(e^1.6 + e^0 + e^0) - 1.6 and log(e^1.92 + e^1.6 + e^1.2) - 1.6.
    expect(handLoss(0.5, false)).toBeCloseTo((log(exp(1.6) + 2) - 1.6 + log(exp(1.92) + exp(1.6) + exp(1.2)) - 1.6) / 2, 10);
  });

  it('L2-normalises the embeddings: scaling an input changes nothing', async () => {
    const a = tf.tidy(() => contrastiveLoss(tf.tensor2d(V), tf.tensor2d(S), tf.tensor2d(N), { temperature: 0.5 }));
    const b = tf.tidy(() => contrastiveLoss(tf.mul(tf.tensor2d(V), 7) as tf.Tensor2D, tf.mul(tf.tensor2d(S), 0.01) as tf.Tensor2D, tf.tensor2d(N), { temperature: 0.5 }));
    expect(await value(b)).toBeCloseTo(await value(a), 5);
    const norms = tf.tidy(() => tf.sum(tf.square(l2Normalize(tf.tensor2d([[3, 4], [0, 0]]))), 1));
    expect(Array.from(await norms.data())).toEqual([1, 0]);
    norms.dispose();
  });

  it('stays finite, with finite gradients, for extreme similarities and temperatures', async () => {
    const rng = new Rng(9);
    const cases = [
      { scale: 1e6, tau: 1e-3, same: false },
      { scale: 1e-20, tau: 1e-3, same: false },
      { scale: 1e6, tau: 1e-3, same: true }, // hard negative == positive: Eq. 2's numerator would be 0
      { scale: 1, tau: 100, same: true },
    ];
    for (const c of cases) {
      const [loss, ...grads] = tf.tidy(() => {
        const v = tf.mul(randomTensor<tf.Tensor2D>(rng, [4, 8]), c.scale) as tf.Tensor2D;
        const s = tf.mul(randomTensor<tf.Tensor2D>(rng, [4, 8]), c.scale) as tf.Tensor2D;
        const n = c.same ? s : (tf.mul(randomTensor<tf.Tensor2D>(rng, [4, 8]), c.scale) as tf.Tensor2D);
        const f = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor): tf.Scalar =>
          contrastiveLoss(a as tf.Tensor2D, b as tf.Tensor2D, d as tf.Tensor2D, { temperature: c.tau, hardNegatives: 'all' });
        return [f(v, s, n), ...tf.grads(f)([v, s, n])];
      });
      for (const t of [loss, ...grads] as tf.Tensor[]) {
        for (const x of await t.data()) expect(Number.isFinite(x)).toBe(true);
      }
      expect((await (loss as tf.Tensor).data())[0]).toBeGreaterThanOrEqual(0);
      tf.dispose([loss, ...grads] as tf.Tensor[]);
    }
  });

  it('leaves padding rows out as anchors and as candidates', async () => {
    const rng = new Rng(10);
    const [masked, firstTwo] = tf.tidy(() => {
      const v = randomTensor<tf.Tensor2D>(rng, [3, 4]);
      const s = randomTensor<tf.Tensor2D>(rng, [3, 4]);
      const n = randomTensor<tf.Tensor2D>(rng, [3, 4]);
      const head = (t: tf.Tensor2D): tf.Tensor2D => tf.slice(t, [0, 0], [2, 4]);
      return [
        contrastiveLoss(v, s, n, { temperature: 0.2, hardNegatives: 'all', mask: tf.tensor1d([1, 1, 0]) }),
        contrastiveLoss(head(v), head(s), head(n), { temperature: 0.2, hardNegatives: 'all' }),
      ];
    });
    expect(await value(masked as tf.Tensor)).toBeCloseTo(await value(firstTwo as tf.Tensor), 5);
  });

  it('rejects a non-positive temperature and mismatched shapes', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => contrastiveLoss(a, a, a, { temperature: 0 })).toThrow(/temperature/);
    const b = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => contrastiveLoss(a, b, a, { temperature: 1 })).toThrow(/differ/);
    tf.dispose([a, b]);
  });
});

describe('contrastiveLoss with groups (rows of one clip)', () => {
  it('leaves another row of the anchor\'s group out of its denominator, by hand', async () => {
    const tau = 0.5;
    // Both rows in one group: each anchor keeps only its own positive and its own hard negative.
    let expected = 0;
    for (let i = 0; i < 2; i++) {
      const scaled = [dot(row(i), S[i] as number[]), dot(row(i), N[i] as number[])].map((l) => l / tau);
      expected += log(exp(scaled[0] as number) + exp(scaled[1] as number)) - (scaled[0] as number);
    }
    const same = contrastiveLoss(tf.tensor2d(V), tf.tensor2d(S), tf.tensor2d(N), { temperature: tau, groups: tf.tensor1d([7, 7], 'int32') });
    expect((await same.data())[0]).toBeCloseTo(expected / 2, 5);
    const distinct = contrastiveLoss(tf.tensor2d(V), tf.tensor2d(S), tf.tensor2d(N), { temperature: tau, groups: tf.tensor1d([7, 8], 'int32') });
    expect((await distinct.data())[0]).toBeCloseTo(handLoss(tau, false), 5);
  });
});
