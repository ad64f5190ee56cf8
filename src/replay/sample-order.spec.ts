import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import type { LakeShard } from './lake.js';
import type { OrderConfig } from './replay-config.js';
import { assignShards, batchSchedule, FillOrder, kindPositions, kindSampleOrder, planEpoch, ShuffleOrder } from './sample-order.js';

const shard = (i: number, rows: number, kind: 'pairs' | 'orders' = 'pairs'): LakeShard => ({
  index: i, path: `${kind}/s${i}.arrow`, format: 'arrow', kind, rows, bytes: 1, sha256: '0'.repeat(64),
});

const ORDER: OrderConfig = { batchSize: 4, shuffleBuffer: 8, interleave: 2, mix: { pairs: 1, orders: 1 }, lastBatch: 'drop' };

function drain(fill: FillOrder): string[] {
  const out: string[] = [];
  for (let pos = fill.next(); pos >= 0; pos = fill.next()) out.push(`${pos}:${fill.row}`);
  return out;
}

describe('FillOrder', () => {
  it('takes rows round robin from `lanes` shards, each front to back, the next shard replacing a finished one', () => {
    expect(drain(new FillOrder([2, 3, 1], 2))).toEqual(['0:0', '1:0', '0:1', '1:1', '2:0', '1:2']);
  });

  it('skips empty shards and with one lane reads the plan in order', () => {
    expect(drain(new FillOrder([2, 0, 1], 1))).toEqual(['0:0', '0:1', '2:0']);
    expect(drain(new FillOrder([0, 0], 3))).toEqual([]);
  });
});

describe('ShuffleOrder', () => {
  const emitAll = (rows: number[], capacity: number, seed: number): string[] => {
    const order = new ShuffleOrder(new FillOrder(rows, 2), capacity, rows.reduce((a, b) => a + b, 0), new Rng(seed));
    const out: string[] = [];
    while (order.step()) out.push(`${order.emittedPos}:${order.emittedRow}`);
    return out;
  };

  it('emits every row exactly once, deterministically from the seed', () => {
    const rows = [13, 7, 20, 1];
    const a = emitAll(rows, 5, 1);
    expect(a).toHaveLength(41);
    expect(new Set(a).size).toBe(41);
    expect(emitAll(rows, 5, 1)).toEqual(a);
    expect(emitAll(rows, 5, 2)).not.toEqual(a);
    expect([...emitAll(rows, 5, 2)].sort()).toEqual([...a].sort());
  });

  it('a buffer of 1 keeps the fill order; a buffer as large as the data shuffles it all', () => {
    expect(emitAll([3, 2], 1, 9)).toEqual(drain(new FillOrder([3, 2], 2)));
    const full = emitAll([50, 50], 100, 3);
    // A full shuffle puts some row of shard 1 among the first ten.
    expect(full.slice(0, 10).some((s) => s.startsWith('1:'))).toBe(true);
  });

  it('the slot a step emits is the slot it loads the next fill row into', () => {
    const order = new ShuffleOrder(new FillOrder([10], 1), 3, 10, new Rng(4));
    const slotRows = new Map<number, number>([[0, 0], [1, 1], [2, 2]]);
    while (order.step()) {
      expect(slotRows.get(order.emittedSlot)).toBe(order.emittedRow);
      if (order.loadPos >= 0) slotRows.set(order.emittedSlot, order.loadRow);
      else slotRows.delete(order.emittedSlot);
    }
    expect(slotRows.size).toBe(0);
  });
});

describe('epoch plan', () => {
  const pairs = [shard(0, 30), shard(1, 25), shard(2, 10), shard(3, 40), shard(4, 0), shard(5, 33)];
  const orders = [shard(6, 12, 'orders'), shard(7, 9, 'orders')];

  it('deals shards to ranks disjointly, balanced by rows, the same for every rank', () => {
    const { perRank, rankRows } = assignShards(pairs, 5, 0, 'pairs', 3);
    const all = perRank.flat().map((s) => s.index).sort();
    expect(all).toEqual([0, 1, 2, 3, 5]);
    expect(rankRows.reduce((a, b) => a + b, 0)).toBe(138);
    expect(Math.max(...rankRows) - Math.min(...rankRows)).toBeLessThanOrEqual(40);
    expect(assignShards(pairs, 5, 0, 'pairs', 3)).toEqual({ perRank, rankRows });
    expect(assignShards(pairs, 5, 1, 'pairs', 3).perRank).not.toEqual(perRank);
  });

  it('gives every rank the same batch counts and schedule', () => {
    const plans = [0, 1, 2].map((rank) => planEpoch({ pairs, orders }, 5, 0, rank, 3, ORDER));
    for (const p of plans) {
      expect(p.kinds.pairs.batches).toBe(plans[0]!.kinds.pairs.batches);
      expect(p.schedule).toEqual(plans[0]!.schedule);
      expect(p.kinds.pairs.samples).toBe(p.kinds.pairs.batches * 4);
    }
    const samples = plans.flatMap((p) => kindSampleOrder(p, 'pairs'));
    expect(new Set(samples).size).toBe(samples.length);
  });

  it('a kind with weight 0 gets no batches', () => {
    const plan = planEpoch({ pairs, orders }, 5, 0, 0, 1, { ...ORDER, mix: { pairs: 1, orders: 0 } });
    expect(plan.kinds.orders.batches).toBe(0);
    expect(Array.from(plan.schedule).every((k) => k === 0)).toBe(true);
  });
});

describe('batchSchedule', () => {
  it('interleaves at the weights while both kinds last, then the rest', () => {
    expect(Array.from(batchSchedule(6, 2, { pairs: 3, orders: 1 })).join('')).toBe('00100010');
    expect(Array.from(batchSchedule(2, 4, { pairs: 1, orders: 1 })).join('')).toBe('010111');
    const s = batchSchedule(10, 7, { pairs: 1, orders: 1 });
    expect(kindPositions(s, s.length)).toEqual({ pairs: 10, orders: 7 });
    expect(kindPositions(s, 4)).toEqual({ pairs: 2, orders: 2 });
  });
});
