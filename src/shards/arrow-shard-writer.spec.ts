import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { OrderColumns, PairColumns } from '../../schemas/rows.js';
import { Rng } from '../util/rng.js';
import { frameView, orderFrameView, readBatches, readShardDescription, sampleSeed, speechView } from './arrow-shard-reader.js';
import { ArrowShardWriter } from './arrow-shard-writer.js';
import { sha256File } from './sha256-file.js';
import { orderRowAt, pairRowAt, syntheticOrderColumns, syntheticPairColumns } from './synthetic-rows.js';

const layout = { frameHeight: 64, frameWidth: 48 };
const FRAME = 64 * 48;
const SPEC = 256 * 256;

let root: string;
let pairs: PairColumns;
let orders: OrderColumns;

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'arrow-shards-'));
  pairs = syntheticPairColumns(new Rng(7).fork('pairs'), 250, layout, 'scan-0007');
  orders = syntheticOrderColumns(new Rng(7).fork('orders'), 30, layout, 'scan-0007');
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function readAll(file: string): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of readBatches(file)) batches.push(batch);
  return batches;
}

async function writePairsByBatches(dir: string): Promise<Awaited<ReturnType<ArrowShardWriter<'pairs'>['close']>>> {
  const writer = new ArrowShardWriter({ dir, kind: 'pairs', layout, batchRows: 40, shardRows: 100, durable: false });
  // Uneven slices cross batch and shard boundaries.
  for (const [from, to] of [[0, 17], [17, 150], [150, 250]] as const) {
    await writer.appendBatch(slicePairs(pairs, from, to));
  }
  return writer.close();
}

function slicePairs(c: PairColumns, from: number, to: number): PairColumns {
  const f = c.frame.byteLength / c.length;
  const s = c.speechPos.byteLength / c.length;
  const cut = <T extends { subarray(a: number, b: number): T }>(a: T, per = 1): T => a.subarray(from * per, to * per);
  return {
    length: to - from,
    scanId: c.scanId,
    clip: cut(c.clip as Int32Array),
    groupK: cut(c.groupK as Int32Array),
    frameIndex: cut(c.frameIndex as Int32Array),
    frame: cut(c.frame, f),
    speechPos: cut(c.speechPos, s),
    speechNeg: cut(c.speechNeg, s),
    speechPosTime: cut(c.speechPosTime as Float64Array),
    speechNegTime: cut(c.speechNegTime as Float64Array),
    delta: cut(c.delta as Int32Array),
    affinity: cut(c.affinity as Float32Array),
    sampleSeed: cut(c.sampleSeed as BigInt64Array),
  };
}

describe('ArrowShardWriter', () => {
  it('rolls 250 pair rows into 3 shards that read back byte-identical', async () => {
    const dir = path.join(root, 'roundtrip');
    const shards = await writePairsByBatches(dir);

    expect(shards.map((s) => [path.basename(s.path), s.rows, s.kind, s.format])).toEqual([
      ['pairs-00000.arrow', 100, 'pairs', 'arrow'],
      ['pairs-00001.arrow', 100, 'pairs', 'arrow'],
      ['pairs-00002.arrow', 50, 'pairs', 'arrow'],
    ]);
    expect((await fsp.readdir(dir)).sort()).toEqual(['pairs-00000.arrow', 'pairs-00001.arrow', 'pairs-00002.arrow']);

    let row = 0;
    for (const shard of shards) {
      const digest = await sha256File(shard.path);
      expect(digest).toEqual({ bytes: shard.bytes, sha256: shard.sha256 });
      const description = await readShardDescription(shard.path);
      expect(description).toMatchObject({ kind: 'pairs', version: 1, layout: { frameHeight: 64, frameWidth: 48, specBins: 256 } });

      const batches = await readAll(shard.path);
      expect(batches.map((b) => b.numRows)).toEqual(shard.rows === 100 ? [40, 40, 20] : [40, 10]);
      for (const batch of batches) {
        for (let r = 0; r < batch.numRows; r++, row++) {
          const frame = frameView(batch, r);
          expect(frame.byteLength).toBe(FRAME);
          expect(Buffer.compare(frame, pairs.frame.subarray(row * FRAME, (row + 1) * FRAME))).toBe(0);
          expect(Buffer.compare(speechView(batch, r, 'pos'), pairs.speechPos.subarray(row * SPEC, (row + 1) * SPEC))).toBe(0);
          expect(Buffer.compare(speechView(batch, r, 'neg'), pairs.speechNeg.subarray(row * SPEC, (row + 1) * SPEC))).toBe(0);
          expect(sampleSeed(batch, r)).toBe(pairs.sampleSeed[row]);
          expect(batch.getChild('scan_id')!.get(r)).toBe('scan-0007');
          expect(batch.getChild('clip')!.get(r)).toBe(pairs.clip[row]);
          expect(batch.getChild('frame_index')!.get(r)).toBe(pairs.frameIndex[row]);
          expect(batch.getChild('speech_neg_time')!.get(r)).toBe(pairs.speechNegTime[row]);
          expect(batch.getChild('affinity')!.get(r)).toBe(pairs.affinity[row]);
          expect(batch.getChild('delta')!.get(r)).toBe(pairs.delta[row]);
        }
      }
    }
    expect(row).toBe(250);
  });

  it('binary cells are zero-copy views into the batch buffer', async () => {
    const [shard] = await readAll(path.join(root, 'roundtrip', 'pairs-00000.arrow'));
    const a = frameView(shard!, 0);
    const b = speechView(shard!, 3, 'pos');
    expect(a.buffer).toBe(b.buffer);
    expect(a.buffer.byteLength).toBeGreaterThan(40 * (FRAME + 2 * SPEC));
  });

  it('same input gives byte-identical shards, whether appended by row or by batch', async () => {
    const again = await writePairsByBatches(path.join(root, 'again'));
    const byRow = new ArrowShardWriter({ dir: path.join(root, 'by-row'), kind: 'pairs', layout, batchRows: 40, shardRows: 100 });
    for (let i = 0; i < pairs.length; i++) await byRow.append(pairRowAt(pairs, i));
    const rowShards = await byRow.close();

    const original = await Promise.all(['00000', '00001', '00002'].map((n) => sha256File(path.join(root, 'roundtrip', `pairs-${n}.arrow`))));
    expect(again.map((s) => s.sha256)).toEqual(original.map((d) => d.sha256));
    expect(rowShards.map((s) => s.sha256)).toEqual(original.map((d) => d.sha256));
  });

  it('writes order rows with the 4 shuffled frames, indices and permutation', async () => {
    const dir = path.join(root, 'orders');
    const writer = new ArrowShardWriter({ dir, kind: 'orders', layout, durable: false });
    for (let i = 0; i < orders.length; i++) await writer.append(orderRowAt(orders, i));
    const [shard, ...rest] = await writer.close();
    expect(rest).toHaveLength(0);
    expect(shard!.rows).toBe(30);

    const [batch] = await readAll(shard!.path);
    expect(batch!.numRows).toBe(30);
    for (let r = 0; r < 30; r++) {
      for (let j = 0; j < 4; j++) {
        const at = (r * 4 + j) * FRAME;
        expect(Buffer.compare(orderFrameView(batch!, r, j), orders.frames.subarray(at, at + FRAME))).toBe(0);
        expect(batch!.getChild(`frame_index_${j}`)!.get(r)).toBe(orders.frameIndices[r * 4 + j]);
        expect(batch!.getChild(`perm_${j}`)!.get(r)).toBe(orders.permutation[r * 4 + j]);
      }
      expect(batch!.getChild('label')!.get(r)).toBe(orders.label[r]);
      expect(sampleSeed(batch!, r)).toBe(orders.sampleSeed[r]);
    }
    await expect(async () => {
      for await (const b of readBatches(shard!.path, { kind: 'pairs' })) void b;
    }).rejects.toThrow(/holds orders, expected pairs/);
  });

  it('rejects a bad row without losing the writer', async () => {
    const dir = path.join(root, 'bad-row');
    const writer = new ArrowShardWriter({ dir, kind: 'orders', layout, durable: false });
    const good = orderRowAt(orders, 0);
    await expect(writer.append({ ...good, label: 12 })).rejects.toThrow(/label out of range/);
    await expect(writer.append({ ...good, permutation: [0, 1, 1, 3] })).rejects.toThrow(/\[0, 1, 1, 3\] is not a permutation/);
    const wrongLabel = (good.label + 1) % 12;
    await expect(writer.append({ ...good, label: wrongLabel })).rejects.toThrow(/label \d+ is not the class/);
    await expect(writer.append({ ...good, frames: good.frames.subarray(1) })).rejects.toThrow(/frames has/);
    await expect(writer.appendBatch({ ...orders, label: (orders.label as Int8Array).subarray(1) })).rejects.toThrow(/label holds 29 values, expected 30/);
    await writer.append(good);
    const shards = await writer.close();
    expect(shards.map((s) => s.rows)).toEqual([1]);
  });

  it('abort leaves nothing behind, published shards included', async () => {
    const dir = path.join(root, 'aborted');
    const writer = new ArrowShardWriter({ dir, kind: 'pairs', layout, batchRows: 40, shardRows: 100, durable: false });
    await writer.appendBatch(slicePairs(pairs, 0, 150));
    const files = await fsp.readdir(dir);
    expect(files).toContain('pairs-00000.arrow');
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(true);
    await writer.abort();
    expect(await fsp.readdir(dir)).toEqual([]);
    await expect(writer.append(pairRowAt(pairs, 0))).rejects.toThrow(/aborted/);
  });

  it('a batch failing part-way fails the writer and drops its temp file', async () => {
    const dir = path.join(root, 'failed');
    const writer = new ArrowShardWriter({ dir, kind: 'pairs', layout, batchRows: 40, shardRows: 100, durable: false });
    const broken = slicePairs(pairs, 0, 90);
    broken.affinity = Float32Array.from(broken.affinity as Float32Array);
    (broken.affinity as Float32Array)[85] = 2;
    await expect(writer.appendBatch(broken)).rejects.toThrow(/row 85: affinity out of range/);
    expect(await fsp.readdir(dir)).toEqual([]);
    await expect(writer.close()).rejects.toThrow(/failed/);
    await writer.abort();
    expect(await fsp.readdir(dir)).toEqual([]);
  });
});
