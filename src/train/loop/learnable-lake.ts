/**
 * A small lake whose rows carry a learnable structure (for the trainer's tests, demos of the
 * loop and benchmarks; not for anything real): each pair row's frame and positive
 * spectrogram show the same blocky pattern, its hard negative another pattern; each order
 * row shows a bright bar moving across its 4 frames, stored shuffled, labelled with the
 * frame-order class. Written through the same Arrow writer and manifest as ingest's shards.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ORDER_FRAMES, resolveLayout, SCHEMA_VERSION, type ShardLayout } from '../../../schemas/columns.js';
import { MANIFEST_SCHEMA_ID, type LakeManifest, type ManifestShard } from '../../../schemas/manifest.js';
import { writeManifest } from '../../replay/test-lake.js';
import { ArrowShardWriter } from '../../shards/arrow-shard-writer.js';
import { syntheticOrderColumns, syntheticPairColumns } from '../../shards/synthetic-rows.js';
import { manifestShardEntry } from '../../shards/written-shard.js';
import { Rng } from '../../util/rng.js';

export interface LearnableLakeOptions {
  dir: string;
  pairRows: number;
  orderRows: number;
  /** Frame and spectrogram side (default 32). */
  size?: number;
  /** Distinct patterns (default 8). */
  patterns?: number;
  /** Rows per shard (default 64). */
  shardRows?: number;
  seed?: number;
}

const CELLS = 4;

function pattern(rng: Rng): Uint8Array {
  return Uint8Array.from({ length: CELLS * CELLS }, () => (rng.chance(0.5) ? 1 : 0));
}

function drawPattern(cells: Uint8Array, size: number, out: Uint8Array, offset: number, noise: Rng, lo: number, hi: number): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = cells[Math.floor((y * CELLS) / size) * CELLS + Math.floor((x * CELLS) / size)] as number;
      const v = lo + (hi - lo) * on + noise.normal() * 0.1 * (hi - lo);
      out[offset + y * size + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
}

export async function writeLearnableLake(options: LearnableLakeOptions): Promise<LakeManifest> {
  const size = options.size ?? 32;
  const shardRows = options.shardRows ?? 64;
  const layout: ShardLayout = resolveLayout({ frameHeight: size, frameWidth: size, specBins: size, specFrames: size });
  const rng = new Rng(options.seed ?? 11).fork('learnable-lake');
  const bank = Array.from({ length: options.patterns ?? 8 }, () => pattern(rng));
  const plane = size * size;
  const shards: ManifestShard[] = [];

  const pairs = new ArrowShardWriter({ dir: path.join(options.dir, 'pairs'), kind: 'pairs', layout, baseName: 'learnable', batchRows: 16, shardRows, durable: false });
  const columns = syntheticPairColumns(rng.fork('pair metadata'), options.pairRows, layout);
  for (let i = 0; i < options.pairRows; i++) {
    (columns.clip as Int32Array)[i] = i; // every row its own clip: rows of one clip are not contrastive negatives of each other
    const k = rng.int(0, bank.length - 1);
    let other = rng.int(0, bank.length - 2);
    if (other >= k) other += 1;
    drawPattern(bank[k] as Uint8Array, size, columns.frame, i * plane, rng, 40, 200);
    drawPattern(bank[k] as Uint8Array, size, columns.speechPos, i * plane, rng, 60, 180);
    drawPattern(bank[other] as Uint8Array, size, columns.speechNeg, i * plane, rng, 60, 180);
  }
  await pairs.appendBatch(columns);
  for (const shard of await pairs.close()) shards.push(manifestShardEntry(shard, options.dir));

  const orders = new ArrowShardWriter({ dir: path.join(options.dir, 'orders'), kind: 'orders', layout, baseName: 'learnable', batchRows: 16, shardRows, durable: false });
  const orderColumns = syntheticOrderColumns(rng.fork('order metadata'), options.orderRows, layout);
  const bar = Math.max(2, Math.floor(size / 8));
  for (let i = 0; i < options.orderRows; i++) {
    for (let j = 0; j < ORDER_FRAMES; j++) {
      const t = orderColumns.permutation[i * ORDER_FRAMES + j] as number; // the true time of the j-th stored frame
      const x0 = Math.round(((size - bar) * t) / (ORDER_FRAMES - 1));
      const offset = (i * ORDER_FRAMES + j) * plane;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) orderColumns.frames[offset + y * size + x] = x >= x0 && x < x0 + bar ? 220 : 30 + rng.int(0, 20);
      }
    }
  }
  await orders.appendBatch(orderColumns);
  for (const shard of await orders.close()) shards.push(manifestShardEntry(shard, options.dir));

  const manifest: LakeManifest = {
    schema: MANIFEST_SCHEMA_ID,
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'sonospeech-learnable-lake', version: '1' },
    config: { layout: { ...layout } },
    seed: options.seed ?? 11,
    inputs: [],
    shards,
    scans: [],
  };
  await fsp.mkdir(options.dir, { recursive: true });
  await writeManifest(options.dir, manifest);
  return manifest;
}
