import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import { ORDER_FRAMES, orderLabel } from '../../../schemas/columns.js';
import { resolveLossConfig } from '../losses/loss-config.js';
import { microConfig } from '../model/testing.js';
import { decodeTensors } from '../model/weights-io.js';
import { selectBackend } from '../tfjs/backend.js';
import { Replica, type ReplicaConfig } from './replica.js';
import { ReplicaGroup } from './replica-group.js';
import type { OrderPart, PairPart, StepPart } from './step-part.js';

const SIZE = 16;
const replicaConfig: ReplicaConfig = {
  model: microConfig(),
  loss: resolveLossConfig(),
  optimizer: { momentum: 0.9, weightDecay: 5e-4, weightDecayOn: 'all' },
  seed: 7,
};

function pairPart(rng: Rng, rows: number): PairPart {
  const plane = SIZE * SIZE;
  const frames = Float32Array.from({ length: rows * plane }, () => rng.uniform(0, 1));
  const speechPos = Float32Array.from({ length: rows * plane }, () => rng.uniform(-80, -20));
  const speechNeg = Float32Array.from({ length: rows * plane }, () => rng.uniform(-80, -20));
  return { kind: 'pairs', rows, frames, frameSize: [SIZE, SIZE], speechPos, speechNeg, speechSize: [SIZE, SIZE], clipKeys: Int32Array.from({ length: rows }, (_, i) => i >> 1), mask: new Float32Array(rows).fill(1) };
}

function orderPart(rng: Rng, rows: number): OrderPart {
  const frames = Float32Array.from({ length: rows * ORDER_FRAMES * SIZE * SIZE }, () => rng.uniform(0, 1));
  const labels = Int32Array.from({ length: rows }, () => orderLabel(rng.shuffle([0, 1, 2, 3])));
  return { kind: 'orders', rows, frames, frameSize: [SIZE, SIZE], labels, mask: new Float32Array(rows).fill(1) };
}

function batches(): StepPart[] {
  const rng = new Rng(3);
  return [pairPart(rng, 8), orderPart(rng, 8), pairPart(rng, 8), orderPart(rng, 8)];
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('Replica', () => {
  let replica: Replica;
  afterAll(() => replica.dispose());

  it('gives every trainable parameter a finite, non-zero gradient from a pair part plus an order part', async () => {
    replica = new Replica(replicaConfig);
    const rng = new Rng(1);
    const pair = await replica.gradients(pairPart(rng, 4));
    const order = await replica.gradients(orderPart(rng, 4));
    const missing: string[] = [];
    replica.paramNames.forEach((name, i) => {
      const grads = [pair.grads[i], order.grads[i]].filter((g): g is Float32Array => g !== null && g !== undefined);
      if (grads.length === 0) missing.push(name);
      for (const g of grads) expect(g.every(Number.isFinite)).toBe(true);
      expect(grads.some((g) => g.some((v) => v !== 0))).toBe(true);
    });
    expect(missing).toEqual([]);
    // Each task reaches only its own heads: the order head gets nothing from a pair batch and g_s nothing from an order batch.
    const index = (prefix: string) => replica.paramNames.findIndex((n) => n.startsWith(prefix));
    expect(pair.grads[index('order/')]).toBeNull();
    expect(order.grads[index('g_s/')]).toBeNull();
  }, 60_000);
});

describe('ReplicaGroup: data parallel over worker threads', () => {
  async function run(workers: number, microBatch: number, config = replicaConfig): Promise<{ losses: number[]; weights: Float32Array[][] }> {
    const group = await ReplicaGroup.create(config, { workers, backend: 'wasm' });
    try {
      const losses: number[] = [];
      for (const batch of batches()) losses.push((await group.step(batch, 0.05, { microBatch, maxGradNorm: 5 })).loss);
      const weights = await Promise.all(group.replicas.map(async (r) => [...decodeTensors((await r.exportState()).weights).tensors.values()].map((t) => t.values)));
      return { losses, weights };
    } finally {
      await group.close();
    }
  }

  it('two workers with a part each apply exactly the update of one thread accumulating the same two parts, and stay identical', async () => {
    const single = await run(0, 4);
    const parallel = await run(2, 8);
    expect(parallel.losses).toEqual(single.losses);
    expect(parallel.weights).toHaveLength(2);
    expect(parallel.weights[1]).toEqual(parallel.weights[0]);
    expect(parallel.weights[0]).toEqual(single.weights[0]);
  }, 120_000);

  it('splitting a batch changes only L_cont (its in-batch negatives are the part\'s rows): without it, whole and split agree', async () => {
    const whole = await run(0, 8);
    const split = await run(0, 4);
    expect(Math.abs((whole.losses[0] as number) - (split.losses[0] as number))).toBeGreaterThan(1e-3);
    const noContrastive = { ...replicaConfig, loss: resolveLossConfig({ noContrastive: true }) };
    const wholeCls = await run(0, 8, noContrastive);
    const splitCls = await run(0, 4, noContrastive);
    wholeCls.losses.forEach((loss, i) => expect(loss).toBeCloseTo(splitCls.losses[i] as number, 5));
  }, 60_000);
});
