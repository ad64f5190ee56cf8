/**
 * Writes a small synthetic data lake (Arrow shards of seeded noise rows + manifest.json)
 * in the format the ingest engine produces, for replay tests and benchmarks.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { resolveLayout, SCHEMA_VERSION, type ShardKind, type ShardLayout } from '../../schemas/columns.js';
import { MANIFEST_FILE_NAME, MANIFEST_SCHEMA_ID, type LakeManifest, type ManifestShard } from '../../schemas/manifest.js';
import { ArrowShardWriter } from '../shards/arrow-shard-writer.js';
import { syntheticOrderColumns, syntheticPairColumns } from '../shards/synthetic-rows.js';
import { manifestShardEntry } from '../shards/written-shard.js';
import { Rng } from '../util/rng.js';

export interface TestLakeOptions {
  dir: string;
  /** Rows of each pair shard, in manifest order. */
  pairShards: readonly number[];
  /** Rows of each order shard. */
  orderShards?: readonly number[];
  layout?: Partial<ShardLayout>;
  /** Rows per record batch (default 10). */
  batchRows?: number;
  seed?: number;
}

/** Small layout for fast tests. */
export const TINY_LAYOUT: Partial<ShardLayout> = { frameHeight: 32, frameWidth: 32, specBins: 32, specFrames: 32 };

export async function writeTestLake(options: TestLakeOptions): Promise<LakeManifest> {
  const layout = resolveLayout(options.layout ?? TINY_LAYOUT);
  const batchRows = options.batchRows ?? 10;
  const rng = new Rng(options.seed ?? 7).fork('test-lake');
  const shards: ManifestShard[] = [];
  const write = async (kind: ShardKind, index: number, rows: number): Promise<void> => {
    const writer = new ArrowShardWriter({
      dir: path.join(options.dir, kind), kind, layout, baseName: `${kind}-${String(index).padStart(3, '0')}`,
      batchRows, shardRows: Math.max(1, rows), durable: false,
    });
    const shardRng = rng.fork(`${kind} ${index}`);
    const scanId = `scan-${String(index).padStart(4, '0')}`;
    // Generated one record batch at a time so that big shards never sit in memory whole.
    for (let done = 0; done < rows; done += batchRows) {
      const n = Math.min(batchRows, rows - done);
      const chunkRng = shardRng.fork(done);
      if (kind === 'pairs') await writer.appendBatch(syntheticPairColumns(chunkRng, n, layout, scanId));
      else await writer.appendBatch(syntheticOrderColumns(chunkRng, n, layout, scanId));
    }
    for (const shard of await writer.close()) shards.push(manifestShardEntry(shard, options.dir));
  };
  for (const [i, rows] of options.pairShards.entries()) await write('pairs', i, rows);
  for (const [i, rows] of (options.orderShards ?? []).entries()) await write('orders', i, rows);
  const manifest: LakeManifest = {
    schema: MANIFEST_SCHEMA_ID,
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'sonospeech-test-lake', version: '1' },
    config: { layout: { ...layout }, batchRows },
    seed: options.seed ?? 7,
    inputs: [],
    shards,
    scans: [],
  };
  await writeManifest(options.dir, manifest);
  return manifest;
}

export async function writeManifest(dir: string, manifest: LakeManifest | Record<string, unknown>): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(path.join(dir, MANIFEST_FILE_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
}
