/**
 * Throughput of the shard writers and the Arrow reader on synthetic pair rows
 * (generation excluded from the timings). Used to produce the numbers in
 * schemas/README.md; callable from a bench script.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveLayout, type ShardLayout } from '../../schemas/columns.js';
import { Rng } from '../util/rng.js';
import { frameView, readBatches, speechView } from './arrow-shard-reader.js';
import { ArrowShardWriter } from './arrow-shard-writer.js';
import { ParquetShardWriter } from './parquet-shard-writer.js';
import { syntheticPairColumns } from './synthetic-rows.js';
import type { WrittenShard } from './written-shard.js';

export interface ThroughputOptions {
  /** Scratch directory (created; the shards are left there). */
  dir: string;
  rows?: number;
  layout?: Partial<ShardLayout>;
  durable?: boolean;
  seed?: number;
}

export interface PhaseResult {
  seconds: number;
  rowsPerSecond: number;
  /** Row payload (frame + spectrograms + scalars) per second, 1 MB = 1e6 bytes. */
  payloadMBps: number;
  /** File bytes per second. */
  fileMBps: number;
  fileBytes: number;
}

export interface ThroughputResult {
  rows: number;
  payloadBytes: number;
  arrowWrite: PhaseResult;
  parquetWrite: PhaseResult;
  arrowRead: PhaseResult;
  arrowShards: WrittenShard[];
  parquetShards: WrittenShard[];
}

/** Scalar bytes of a pair row as stored in Arrow (4 x int32, 2 x float64, float32, int64, ~9 B id). */
const PAIR_SCALAR_BYTES = 16 + 16 + 4 + 8 + 9;

export async function measureShardThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const rows = options.rows ?? 1000;
  const layout = resolveLayout(options.layout);
  const durable = options.durable ?? true;
  const pairs = syntheticPairColumns(new Rng(options.seed ?? 1).fork('throughput'), rows, layout);
  const payloadBytes = pairs.frame.byteLength + pairs.speechPos.byteLength + pairs.speechNeg.byteLength + rows * PAIR_SCALAR_BYTES;
  await fsp.mkdir(options.dir, { recursive: true });

  const phase = (seconds: number, fileBytes: number): PhaseResult => ({
    seconds,
    rowsPerSecond: rows / seconds,
    payloadMBps: payloadBytes / 1e6 / seconds,
    fileMBps: fileBytes / 1e6 / seconds,
    fileBytes,
  });
  const total = (shards: WrittenShard[]): number => shards.reduce((sum, s) => sum + s.bytes, 0);

  let start = performance.now();
  const arrow = new ArrowShardWriter({ dir: path.join(options.dir, 'arrow'), kind: 'pairs', layout, shardRows: rows, durable });
  await arrow.appendBatch(pairs);
  const arrowShards = await arrow.close();
  const arrowWrite = phase((performance.now() - start) / 1000, total(arrowShards));

  start = performance.now();
  const parquet = new ParquetShardWriter({ dir: path.join(options.dir, 'parquet'), kind: 'pairs', layout, shardRows: rows, durable });
  await parquet.appendBatch(pairs);
  const parquetShards = await parquet.close();
  const parquetWrite = phase((performance.now() - start) / 1000, total(parquetShards));

  start = performance.now();
  let checksum = 0;
  let read = 0;
  for (const shard of arrowShards) {
    for await (const batch of readBatches(shard.path)) {
      for (let r = 0; r < batch.numRows; r++) {
        checksum += frameView(batch, r)[0]! + speechView(batch, r, 'pos')[1]! + speechView(batch, r, 'neg')[2]!;
      }
      read += batch.numRows;
    }
  }
  const arrowRead = phase((performance.now() - start) / 1000, total(arrowShards));
  if (read !== rows || !Number.isFinite(checksum)) throw new Error(`read ${read} of ${rows} rows`);

  return { rows, payloadBytes, arrowWrite, parquetWrite, arrowRead, arrowShards, parquetShards };
}
