import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Subject } from 'rxjs';
import { frameView, readBatches, sampleSeed, speechView } from '../shards/arrow-shard-reader.js';
import { clipKey } from './kind-assembler.js';
import type { ReplayBatch } from './replay-batch.js';
import type { ReplayConfigInput } from './replay-config.js';
import { openReplay, type ReplayReader } from './replay-reader.js';
import { writeTestLake } from './test-lake.js';

const PAIR_SHARDS = [37, 50, 23, 64, 41];
const ORDER_SHARDS = [30, 25, 18];
const BASE: ReplayConfigInput = { seed: 11, batchSize: 8, shuffleBuffer: 16, interleave: 2, mix: { pairs: 2, orders: 1 } };

let root: string;
let lake: string;

interface Run {
  kinds: string[];
  digests: string[];
  samples: string[][];
}

async function run(reader: ReplayReader, epoch = 0, position = 0, limit = Infinity): Promise<Run> {
  const out: Run = { kinds: [], digests: [], samples: [] };
  for await (const batch of reader.epoch(epoch, position)) {
    out.kinds.push(batch.kind);
    out.digests.push(batch.digest ?? '');
    out.samples.push(batch.samples);
    batch.dispose();
    if (out.kinds.length >= limit) break;
  }
  return out;
}

const allSamples = (kind: string, shards: number[], prefix: string): string[] =>
  shards.flatMap((rows, i) => Array.from({ length: rows }, (_, r) => `${kind}/${prefix}-${String(i).padStart(3, '0')}-00000.arrow#${r}`)).sort();

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'replay-spec-'));
  lake = path.join(root, 'lake');
  await writeTestLake({ dir: lake, pairShards: PAIR_SHARDS, orderShards: ORDER_SHARDS, batchRows: 10 });
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe('replay order', () => {
  it('gives identical digests across runs, reader counts, read-ahead and prefetch depths', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const settings = [
      { readers: 0, prefetch: 0, readAhead: 1 },
      { readers: 3, prefetch: 4, readAhead: 3 },
      { readers: 1, prefetch: 1, readAhead: 2 },
      { readers: 0, prefetch: 0, readAhead: 1 },
    ];
    const runs: Run[] = [];
    for (const s of settings) runs.push(await run(await openReplay(lake, { ...BASE, ...s, digest: true })));
    const first = runs[0]!;
    // drop mode: floor(215 / 8) = 26 pair batches, floor(73 / 8) = 9 order batches
    expect(first.kinds.filter((k) => k === 'pairs')).toHaveLength(26);
    expect(first.kinds.filter((k) => k === 'orders')).toHaveLength(9);
    expect(new Set(first.digests).size).toBe(first.digests.length);
    for (const r of runs.slice(1)) expect(r).toEqual(first);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('mixes pair and order batches at the configured ratio while both last', async () => {
    const { kinds } = await run(await openReplay(lake, BASE));
    expect(kinds.slice(0, 9).join(',')).toBe('pairs,orders,pairs,pairs,orders,pairs,pairs,orders,pairs');
    expect(kinds.slice(-5)).toEqual(['pairs', 'pairs', 'pairs', 'pairs', 'pairs']);
  });

  it('another seed or epoch: another order, the same multiset of samples', async () => {
    const config = { ...BASE, lastBatch: 'pad' as const };
    const a = await run(await openReplay(lake, config), 0);
    const b = await run(await openReplay(lake, config), 1);
    const c = await run(await openReplay(lake, { ...config, seed: 12 }), 0);
    const pairsOf = (r: Run): string[] => r.samples.filter((_, i) => r.kinds[i] === 'pairs').flat();
    const ordersOf = (r: Run): string[] => r.samples.filter((_, i) => r.kinds[i] === 'orders').flat();
    const expectedPairs = allSamples('pairs', PAIR_SHARDS, 'pairs');
    const expectedOrders = allSamples('orders', ORDER_SHARDS, 'orders');
    for (const r of [a, b, c]) {
      expect([...pairsOf(r)].sort()).toEqual(expectedPairs);
      expect([...ordersOf(r)].sort()).toEqual(expectedOrders);
    }
    expect(pairsOf(b)).not.toEqual(pairsOf(a));
    expect(pairsOf(c)).not.toEqual(pairsOf(a));
    expect(ordersOf(c)).not.toEqual(ordersOf(a));
    // 215 = 26 * 8 + 7: the last pair batch is padded.
    expect(a.samples.filter((_, i) => a.kinds[i] === 'pairs').at(-1)).toHaveLength(7);
  });
});

describe('replay batches', () => {
  it('hold the shard rows: frames / 255, dequantised spectrograms, affinity, order labels, padding masked', async () => {
    const reader = await openReplay(lake, { ...BASE, lastBatch: 'pad', shuffleBuffer: 40 });
    const rows = new Map<string, { frame: Uint8Array; pos: Uint8Array; neg: Uint8Array; affinity: number; label: number; frames: Uint8Array; clipKey: number }>();
    for (const [kind, shards] of [['pairs', PAIR_SHARDS], ['orders', ORDER_SHARDS]] as const) {
      for (let i = 0; i < shards.length; i++) {
        const rel = `${kind}/${kind}-${String(i).padStart(3, '0')}-00000.arrow`;
        let r = 0;
        for await (const batch of readBatches(path.join(lake, rel))) {
          for (let k = 0; k < batch.numRows; k++, r++) {
            expect(typeof sampleSeed(batch, k)).toBe('bigint');
            rows.set(`${rel}#${r}`, kind === 'pairs'
              ? { frame: frameView(batch, k).slice(), pos: speechView(batch, k, 'pos').slice(), neg: speechView(batch, k, 'neg').slice(), affinity: batch.getChild('affinity')!.get(k) as number, label: -1, frames: new Uint8Array(0), clipKey: clipKey(String(batch.getChild('scan_id')!.get(k)), Number(batch.getChild('clip')!.get(k))) }
              : { frame: new Uint8Array(0), pos: new Uint8Array(0), neg: new Uint8Array(0), affinity: -1, label: batch.getChild('label')!.get(k) as number, frames: (batch.getChild('frames')!.get(k) as Uint8Array).slice(), clipKey: -1 });
          }
        }
      }
    }
    let checkedPairs = 0;
    let checkedOrders = 0;
    let padded = 0;
    for await (const batch of reader.epoch(0)) {
      checkBatch(batch);
      batch.dispose();
    }
    function checkBatch(batch: ReplayBatch): void {
      const mask = batch.tensors.mask.dataSync();
      for (let b = 0; b < 8; b++) expect(mask[b]).toBe(b < batch.size ? 1 : 0);
      if (batch.kind === 'pairs') {
        expect(batch.tensors.frames.shape).toEqual([8, 32, 32, 1]);
        expect(batch.tensors.speechPos.shape).toEqual([8, 32, 32, 1]);
        const frames = batch.tensors.frames.dataSync();
        const pos = batch.tensors.speechPos.dataSync();
        const neg = batch.tensors.speechNeg.dataSync();
        const affinity = batch.tensors.affinity.dataSync();
        batch.samples.forEach((id, b) => {
          const row = rows.get(id)!;
          for (let i = 0; i < 1024; i += 97) {
            expect(frames[b * 1024 + i]).toBeCloseTo(row.frame[i]! / 255, 6);
            expect(pos[b * 1024 + i]).toBe(row.pos[i]! * 0.5 - 100);
            expect(neg[b * 1024 + i]).toBe(row.neg[i]! * 0.5 - 100);
          }
          expect(affinity[b]).toBe(row.affinity);
          expect(batch.clipKeys[b]).toBe(row.clipKey);
          checkedPairs++;
        });
        for (let b = batch.size; b < 8; b++, padded++) expect(frames[b * 1024 + 5]).toBe(0);
        // Padding rows never share a clip id with anything.
        expect(new Set(batch.clipKeys.slice(batch.size)).size).toBe(8 - batch.size);
        for (const key of batch.clipKeys.slice(batch.size)) expect(key).toBeLessThan(0);
      } else {
        expect(batch.tensors.frames.shape).toEqual([8, 4, 32, 32, 1]);
        expect(batch.tensors.labels.dtype).toBe('int32');
        const frames = batch.tensors.frames.dataSync();
        const labels = batch.tensors.labels.dataSync();
        batch.samples.forEach((id, b) => {
          const row = rows.get(id)!;
          for (let i = 0; i < 4096; i += 101) expect(frames[b * 4096 + i]).toBeCloseTo(row.frames[i]! / 255, 6);
          expect(labels[b]).toBe(row.label);
          checkedOrders++;
        });
      }
    }
    expect(checkedPairs).toBe(215);
    expect(checkedOrders).toBe(73);
    expect(padded).toBe(1);
  });
});

describe('tensor memory', () => {
  it('a tensor kept by the consumer (undisposed or cloned) is never overwritten by later batches', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reader = await openReplay(lake, { ...BASE, prefetch: 0, digest: true });
    const kept: { tensor: tf.Tensor; copy: Float32Array }[] = [];
    let first: ReplayBatch | undefined;
    let n = 0;
    for await (const batch of reader.epoch(0)) {
      first ??= batch;
      if (n === 0 || n === 1) {
        // Batch 0: never disposed; batch 1: disposed, but a clone of its frames lives on.
        const tensor = n === 0 ? batch.tensors.frames : tf.clone(batch.tensors.frames);
        kept.push({ tensor, copy: (tensor.dataSync() as Float32Array).slice() });
      }
      if (n !== 0) batch.dispose();
      n++;
    }
    expect(n).toBe(35);
    for (const { tensor, copy } of kept) {
      expect(tensor.dataSync()).toEqual(copy);
      tensor.dispose();
    }
    first!.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('resume', () => {
  it('yields exactly the batches an uninterrupted run would have produced next', async () => {
    const config = { ...BASE, digest: true, prefetch: 2 };
    const reader = await openReplay(lake, config);
    const states = [];
    const full: Run = { kinds: [], digests: [], samples: [] };
    for await (const batch of reader.epoch(3)) {
      full.kinds.push(batch.kind);
      full.digests.push(batch.digest!);
      full.samples.push(batch.samples);
      states.push(batch.state);
      batch.dispose();
    }
    for (const at of [1, 2, 7, 20, full.kinds.length - 1]) {
      const state = JSON.parse(JSON.stringify(states[at - 1])) as typeof states[number];
      expect(state.position).toBe(at);
      const resumed = await openReplay(lake, { ...config, readers: 2, prefetch: 0 });
      const rest = { kinds: [] as string[], digests: [] as string[], samples: [] as string[][] };
      for await (const batch of resumed.resume(state)) {
        rest.kinds.push(batch.kind);
        rest.digests.push(batch.digest!);
        rest.samples.push(batch.samples);
        batch.dispose();
      }
      expect(rest.digests).toEqual(full.digests.slice(at));
      expect(rest.samples).toEqual(full.samples.slice(at));
    }
  });

  it('refuses a state from another manifest, seed or order configuration', async () => {
    const reader = await openReplay(lake, BASE);
    const state = reader.epoch(0).stateAt(3);
    expect(() => reader.resume({ ...state, manifestSha256: '0'.repeat(64) })).toThrow(/another|manifest/);
    expect(() => reader.resume({ ...state, seed: 99 })).toThrow(/seed 99 vs 11/);
    expect(() => reader.resume({ ...state, order: { ...state.order, shuffleBuffer: 5 } })).toThrow(/shuffleBuffer 5 vs 16/);
  });
});

describe('ranks', () => {
  it('split the epoch into disjoint parts with equal batch counts that cover every shard', async () => {
    const ranks = 3;
    const parts: Run[] = [];
    const shardSets: string[][] = [];
    for (let rank = 0; rank < ranks; rank++) {
      const reader = await openReplay(lake, { ...BASE, rank, ranks });
      parts.push(await run(reader, 2));
      const plan = reader.plan(2);
      shardSets.push([...plan.kinds.pairs.shards, ...plan.kinds.orders.shards].map((s) => s.path));
      expect(plan.kinds.pairs.rankRows.reduce((a, b) => a + b, 0)).toBe(215);
    }
    for (const p of parts) expect(p.kinds).toEqual(parts[0]!.kinds);
    expect(parts[0]!.kinds.length).toBeGreaterThan(0);
    const samples = parts.flatMap((p) => p.samples.flat());
    expect(new Set(samples).size).toBe(samples.length);
    const shards = shardSets.flat();
    expect(new Set(shards).size).toBe(shards.length);
    expect(shards.sort()).toEqual([...PAIR_SHARDS.map((_, i) => `pairs/pairs-00${i}-00000.arrow`), ...ORDER_SHARDS.map((_, i) => `orders/orders-00${i}-00000.arrow`)].sort());
    for (const [rank, p] of parts.entries()) {
      for (const id of p.samples.flat()) expect(shardSets[rank]).toContain(id.split('#')[0]);
    }
  });
});

describe('demand-driven stream', () => {
  it('emits nothing without demand and one batch per demanded unit, prefetch bounded', async () => {
    const reader = await openReplay(lake, { ...BASE, prefetch: 2 });
    const epoch = reader.epoch(0);
    const demand$ = new Subject<number>();
    const got: ReplayBatch[] = [];
    let completed = false;
    const subscription = epoch.batches$(demand$).subscribe({ next: (b) => got.push(b), complete: () => (completed = true) });
    // Prefetch fills to its bound, then everything waits for demand.
    await waitFor(() => epoch.prefetchStats.pulled === 2 && epoch.prefetchStats.maxHeld === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
    expect(epoch.prefetchStats.pulled).toBe(2);
    for (let step = 1; step <= 4; step++) {
      demand$.next(1);
      await waitFor(() => got.length === step);
      await new Promise((r) => setTimeout(r, 20));
      expect(got).toHaveLength(step);
      expect(epoch.prefetchStats.pulled - epoch.prefetchStats.taken).toBeLessThanOrEqual(2);
    }
    demand$.next(Infinity);
    await waitFor(() => completed);
    expect(got).toHaveLength(epoch.length);
    expect(epoch.prefetchStats.maxHeld).toBeLessThanOrEqual(2);
    subscription.unsubscribe();
    for (const b of got) b.dispose();
  });
});

describe('integrity', () => {
  async function copyLake(name: string): Promise<string> {
    const dir = path.join(root, name);
    await fsp.cp(lake, dir, { recursive: true });
    return dir;
  }

  it('a corrupted shard fails on first open with one line naming it, or up front with verifyAll', async () => {
    const dir = await copyLake('corrupt');
    const file = path.join(dir, 'pairs/pairs-003-00000.arrow');
    const bytes = await fsp.readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    await fsp.writeFile(file, bytes);
    const error = await run(await openReplay(dir, BASE)).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^shard pairs\/pairs-003-00000\.arrow: corrupted: sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/);
    await expect(openReplay(dir, { ...BASE, verifyAll: true })).rejects.toThrow(/^shard pairs\/pairs-003-00000\.arrow: corrupted/);
  });

  it('a truncated or missing shard fails with one line naming it', async () => {
    const dir = await copyLake('truncated');
    const truncated = path.join(dir, 'orders/orders-001-00000.arrow');
    await fsp.truncate(truncated, 1000);
    await expect(openReplay(dir, { ...BASE, verifyAll: true })).rejects.toThrow(/^shard orders\/orders-001-00000\.arrow: truncated: 1000 of \d+ bytes$/);
    await fsp.rm(truncated);
    await expect(openReplay(dir, { ...BASE, verifyAll: true })).rejects.toThrow(/^shard orders\/orders-001-00000\.arrow: missing \(no file at .*\)$/);
  });

  it('a shard written with a newer schema version is refused, naming it', async () => {
    const dir = await copyLake('newer-shard');
    const rel = 'orders/orders-002-00000.arrow';
    const file = path.join(dir, rel);
    const bytes = await fsp.readFile(file);
    // Flatbuffer strings are a uint32 length, the bytes and a NUL: the version "1" is the only
    // one-character metadata value of an order shard (readers take the footer's schema).
    const one = Buffer.from([1, 0, 0, 0, 0x31, 0]);
    let patched = 0;
    for (let i = bytes.indexOf(one); i >= 0; i = bytes.indexOf(one, i + 1), patched++) bytes[i + 4] = 0x32;
    expect(patched).toBeGreaterThanOrEqual(1);
    await fsp.writeFile(file, bytes);
    // Size and sha256 in the manifest match the file: only the schema version is wrong.
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await fsp.readFile(manifestPath, 'utf8')) as { shards: { path: string; sha256: string }[] };
    manifest.shards.find((s) => s.path === rel)!.sha256 = createHash('sha256').update(bytes).digest('hex');
    await fsp.writeFile(manifestPath, JSON.stringify(manifest));
    const error = await run(await openReplay(dir, { ...BASE, mix: { pairs: 0, orders: 1 } })).then(() => undefined, (e: Error) => e);
    expect(error?.message).toBe(`shard ${rel}: shard metadata: schema version 2, this build reads 1`);
  });

  it('refuses a manifest of a newer schema version with a clear message', async () => {
    const dir = await copyLake('newer');
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await fsp.readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await fsp.writeFile(manifestPath, JSON.stringify({ ...manifest, schemaVersion: 2 }));
    await expect(openReplay(dir, BASE)).rejects.toThrow(/manifest schema version 2 is newer than this build of sonospeech reads \(1\); upgrade sonospeech/);
  });
});

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
