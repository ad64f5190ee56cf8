import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { decompress } from 'zstd-napi';
import { describeShard } from '../../schemas/shards.js';
import type { OrderColumns, PairColumns } from '../../schemas/rows.js';
import { Rng } from '../util/rng.js';
import { ParquetShardWriter } from './parquet-shard-writer.js';
import { sha256File } from './sha256-file.js';
import { orderRowAt, syntheticOrderColumns, syntheticPairColumns } from './synthetic-rows.js';

const layout = { frameHeight: 64, frameWidth: 64 };
const FRAME = 64 * 64;
const SPEC = 256 * 256;
const compressors = { ZSTD: (input: Uint8Array) => decompress(input) };

let root: string;
let pairs: PairColumns;
let orders: OrderColumns;
let pairFile: string;
let orderFile: string;

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'parquet-shards-'));
  pairs = syntheticPairColumns(new Rng(11).fork('pairs'), 250, layout, 'scan-0011');
  orders = syntheticOrderColumns(new Rng(11).fork('orders'), 40, layout, 'scan-0011');

  const pairWriter = new ParquetShardWriter({ dir: path.join(root, 'pairs'), kind: 'pairs', layout });
  await pairWriter.appendBatch(pairs);
  const [pairShard] = await pairWriter.close();
  pairFile = pairShard!.path;

  const orderWriter = new ParquetShardWriter({ dir: path.join(root, 'orders'), kind: 'orders', layout, durable: false });
  for (let i = 0; i < orders.length; i++) await orderWriter.append(orderRowAt(orders, i));
  const [orderShard] = await orderWriter.close();
  orderFile = orderShard!.path;
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

describe('ParquetShardWriter', () => {
  it('writes one zstd file with a row group per batch, metadata and no temp files', async () => {
    expect(await fsp.readdir(path.dirname(pairFile))).toEqual(['pairs-00000.parquet']);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(pairFile));
    expect(metadata.num_rows).toBe(250n);
    expect(metadata.row_groups.map((g) => g.num_rows)).toEqual([100n, 100n, 50n]);
    const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
    expect([...codecs]).toEqual(['ZSTD']);
    const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value ?? '']));
    expect(describeShard(kv)).toMatchObject({ kind: 'pairs', version: 1, layout: { frameHeight: 64, frameWidth: 64, specFrames: 256 } });
    const spec = metadata.schema.find((e) => e.name === 'speech_pos');
    expect(spec).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: SPEC });
  });

  it('reads back byte-identical with hyparquet (utf8: false)', async () => {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(pairFile), utf8: false, compressors });
    expect(rows).toHaveLength(250);
    rows.forEach((row, i) => {
      expect(row['scan_id']).toBe('scan-0011');
      expect(row['clip']).toBe(pairs.clip[i]);
      expect(row['group_k']).toBe(pairs.groupK[i]);
      expect(row['sample_seed']).toBe(pairs.sampleSeed[i]);
      expect(row['speech_pos_time']).toBe(pairs.speechPosTime[i]);
      expect(row['affinity']).toBe(pairs.affinity[i]);
      expect(Buffer.compare(row['frame'] as Uint8Array, pairs.frame.subarray(i * FRAME, (i + 1) * FRAME))).toBe(0);
      expect(Buffer.compare(row['speech_pos'] as Uint8Array, pairs.speechPos.subarray(i * SPEC, (i + 1) * SPEC))).toBe(0);
      expect(Buffer.compare(row['speech_neg'] as Uint8Array, pairs.speechNeg.subarray(i * SPEC, (i + 1) * SPEC))).toBe(0);
    });
  });

  it('is read by DuckDB with the counts and bytes written', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const totals = await connection.runAndReadAll(
        `SELECT count(*) AS n, sum(clip) AS clips, sum(sample_seed) AS seeds, sum(delta) AS deltas,
                sum(group_k) AS groups, min(octet_length(frame)) AS frame_min, max(octet_length(frame)) AS frame_max,
                count(DISTINCT scan_id) AS scans
           FROM read_parquet('${pairFile}')`,
      );
      const [row] = totals.getRowObjectsJS();
      let seeds = 0n;
      for (const s of pairs.sampleSeed as BigInt64Array) seeds += s;
      expect(row).toEqual({
        n: 250n,
        clips: BigInt(sum(pairs.clip)),
        seeds,
        deltas: BigInt(sum(pairs.delta)),
        groups: BigInt(sum(pairs.groupK)),
        frame_min: BigInt(FRAME),
        frame_max: BigInt(FRAME),
        scans: 1n,
      });

      const one = await connection.runAndReadAll(
        `SELECT speech_neg, typeof(speech_neg) AS t FROM read_parquet('${pairFile}') WHERE frame_index = ${pairs.frameIndex[123]} AND clip = ${pairs.clip[123]} AND group_k = ${pairs.groupK[123]}`,
      );
      const [hit] = one.getRowObjectsJS();
      expect(hit!['t']).toBe('BLOB');
      expect(Buffer.compare(hit!['speech_neg'] as Uint8Array, pairs.speechNeg.subarray(123 * SPEC, 124 * SPEC))).toBe(0);

      const orderTotals = await connection.runAndReadAll(
        `SELECT count(*) AS n, sum(label) AS labels, sum(perm_0 + perm_1 + perm_2 + perm_3) AS perms,
                sum(frame_index_3) AS last, typeof(any_value(label)) AS t
           FROM read_parquet('${orderFile}')`,
      );
      const [o] = orderTotals.getRowObjectsJS();
      const last = Array.from({ length: orders.length }, (_, i) => orders.frameIndices[i * 4 + 3]!);
      expect(o).toEqual({ n: 40n, labels: BigInt(sum(orders.label)), perms: 240n, last: BigInt(sum(last)), t: 'TINYINT' });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('reads order rows back with hyparquet', async () => {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(orderFile), utf8: false, compressors });
    expect(rows).toHaveLength(40);
    rows.forEach((row, i) => {
      expect(Buffer.compare(row['frames'] as Uint8Array, orders.frames.subarray(i * 4 * FRAME, (i + 1) * 4 * FRAME))).toBe(0);
      expect([0, 1, 2, 3].map((j) => row[`perm_${j}`])).toEqual(Array.from((orders.permutation as Int8Array).subarray(i * 4, i * 4 + 4)));
      expect(row['label']).toBe(orders.label[i]);
      expect(row['sample_seed']).toBe(orders.sampleSeed[i]);
    });
  });

  it('same input gives a byte-identical file', async () => {
    const writer = new ParquetShardWriter({ dir: path.join(root, 'again'), kind: 'pairs', layout, durable: false });
    await writer.appendBatch(pairs);
    const [shard] = await writer.close();
    const original = await sha256File(pairFile);
    expect(shard!.sha256).toBe(original.sha256);
    expect(shard!.bytes).toBe(original.bytes);
  });

  it('abort leaves nothing', async () => {
    const dir = path.join(root, 'aborted');
    const writer = new ParquetShardWriter({ dir, kind: 'orders', layout, batchRows: 10, durable: false });
    for (let i = 0; i < 25; i++) await writer.append(orderRowAt(orders, i));
    expect((await fsp.readdir(dir)).length).toBe(1);
    await writer.abort();
    expect(await fsp.readdir(dir)).toEqual([]);
  });
});
