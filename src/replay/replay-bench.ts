/**
 * Replay benchmark: pair rows/s into float32 batch tensors against a bare read of the same
 * Arrow shards (a ratio), and peak RSS while replaying a lake of 1x against 10x the shards.
 * Each lake is measured in its own child process so that peak RSS (getrusage maxrss) is
 * that of the replay alone, not of building the lakes.
 *
 *   node dist/src/replay/replay-bench.js [scratchDir] [shards1x] [factor] [rowsPerShard]
 */
import { fork } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SHARD_LAYOUT } from '../../schemas/columns.js';
import type { LakeManifest } from '../../schemas/manifest.js';
import { frameView, readBatches, speechView } from '../shards/arrow-shard-reader.js';
import { openLake, shardFilePath } from './lake.js';
import type { ReplayConfigInput } from './replay-config.js';
import { writeManifest, writeTestLake } from './test-lake.js';

export interface ReplayBenchOptions {
  /** Parent of the scratch folder the lakes are written to (default: the OS temp dir). */
  dir?: string;
  /** Shards in the 1x lake (default 5 = interleave 4 + 1 shard opened ahead: the reader's steady state). */
  shards1x?: number;
  factor?: number;
  rowsPerShard?: number;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface LakeMeasurement {
  shards: number;
  rows: number;
  bytes: number;
  bareRowsPerSecond: number;
  tensorRowsPerSecond: number;
  /** tensor / bare. */
  ratio: number;
  /** Highest RSS sampled during the tensor replay, bytes. */
  replayPeakRss: number;
  /** getrusage max RSS of the whole child process, bytes. */
  processMaxRss: number;
  rssBeforeReplay: number;
  simd: boolean;
}

export interface ReplayBenchResult {
  rowsPerShard: number;
  batchRows: number;
  config: ReplayConfigInput;
  x1: LakeMeasurement;
  x10: LakeMeasurement;
}

export const BENCH_CONFIG: ReplayConfigInput = { seed: 1, batchSize: 32 };

export async function runReplayBench(options: ReplayBenchOptions = {}): Promise<ReplayBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const shards1x = options.shards1x ?? 5;
  const factor = options.factor ?? 10;
  const rowsPerShard = options.rowsPerShard ?? 1000;
  const batchRows = 100;
  if (!(Number.isInteger(factor) && factor >= 2)) throw new Error(`replay bench: factor must be an integer >= 2, got ${factor}`);
  if (options.dir !== undefined) await fsp.mkdir(options.dir, { recursive: true });
  const dir = await fsp.mkdtemp(path.join(options.dir ?? os.tmpdir(), 'replay-bench-'));
  const big = path.join(dir, `lake-${factor}x`);
  const small = path.join(dir, 'lake-1x');
  try {
    log(`writing ${shards1x * factor} pair shards of ${rowsPerShard} rows (224x224 frames, 256x256 spectrograms) to ${big}`);
    const started = performance.now();
    const manifest = await writeTestLake({
      dir: big, pairShards: new Array<number>(shards1x * factor).fill(rowsPerShard), layout: DEFAULT_SHARD_LAYOUT, batchRows, seed: 1,
    });
    log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The 1x lake: hard links to the first shards and a manifest listing only them.
    const smallManifest: LakeManifest = { ...manifest, shards: manifest.shards.slice(0, shards1x) };
    for (const shard of smallManifest.shards) {
      const target = shardFilePath({ dir: small }, shard);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.link(shardFilePath({ dir: big }, shard), target);
    }
    await writeManifest(small, smallManifest);
    const x1 = await measureInChild(small, log);
    const x10 = await measureInChild(big, log);
    return { rowsPerShard, batchRows, config: BENCH_CONFIG, x1, x10 };
  } finally {
    if (!options.keep) await fsp.rm(dir, { recursive: true, force: true });
  }
}

function measureInChild(lakeDir: string, log: (line: string) => void): Promise<LakeMeasurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--measure', lakeDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LakeMeasurement | undefined;
    child.on('message', (message: LakeMeasurement) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) {
        log(`  ${lakeDir}: ${result.shards} shards, ${result.rows} rows: bare ${result.bareRowsPerSecond.toFixed(0)} rows/s, ` +
          `tensors ${result.tensorRowsPerSecond.toFixed(0)} rows/s (ratio ${result.ratio.toFixed(2)}), peak RSS ${(result.replayPeakRss / 2 ** 20).toFixed(0)} MiB`);
        resolve(result);
      } else reject(new Error(`benchmark child for ${lakeDir} exited with code ${code}`));
    });
  });
}

/** Bare Arrow read, then replay into tensors, of one lake; run in a child process. */
export async function measureLake(lakeDir: string): Promise<LakeMeasurement> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" banner: the cpu backend only carries tensors here
  await tf.setBackend('cpu');
  const { openReplay } = await import('./replay-reader.js');
  const { createAffineArena } = await import('./affine-arena.js');
  const lake = await openLake(lakeDir);
  const shards = lake.shards.pairs;
  const rows = shards.reduce((sum, s) => sum + s.rows, 0);
  const bytes = shards.reduce((sum, s) => sum + s.bytes, 0);

  let start = performance.now();
  let checksum = 0;
  let bareRows = 0;
  for (const shard of shards) {
    for await (const batch of readBatches(shardFilePath(lake, shard), { kind: 'pairs' })) {
      for (let r = 0; r < batch.numRows; r++) checksum += frameView(batch, r)[0]! + speechView(batch, r, 'pos')[1]! + speechView(batch, r, 'neg')[2]!;
      bareRows += batch.numRows;
    }
  }
  const bareSeconds = (performance.now() - start) / 1000;
  if (bareRows !== rows || !Number.isFinite(checksum)) throw new Error(`bare read: ${bareRows} of ${rows} rows`);

  const rssBeforeReplay = process.memoryUsage().rss;
  let peak = rssBeforeReplay;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 10);
  start = performance.now();
  const reader = await openReplay(lakeDir, BENCH_CONFIG);
  let tensorRows = 0;
  for await (const batch of reader.epoch(0)) {
    // What a trainer touches: the tensors exist; one value is read back.
    checksum += batch.tensors.mask.dataSync()[0]!;
    tensorRows += batch.size;
    batch.dispose();
    sample();
  }
  const tensorSeconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  if (tf.memory().numTensors !== 0) throw new Error(`${tf.memory().numTensors} tensors leaked`);
  const bareRowsPerSecond = bareRows / bareSeconds;
  const tensorRowsPerSecond = tensorRows / tensorSeconds;
  return {
    shards: shards.length, rows, bytes, bareRowsPerSecond, tensorRowsPerSecond, ratio: tensorRowsPerSecond / bareRowsPerSecond,
    replayPeakRss: peak, processMaxRss: process.resourceUsage().maxRSS * 1024, rssBeforeReplay, simd: createAffineArena(64).simd,
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') {
    const result = await measureLake(args[1]!);
    process.send!(result);
  } else {
    const [dir, shards1x, factor, rowsPerShard] = args;
    const result = await runReplayBench({
      ...(dir ? { dir: path.resolve(dir) } : {}),
      ...(shards1x ? { shards1x: Number(shards1x) } : {}),
      ...(factor ? { factor: Number(factor) } : {}),
      ...(rowsPerShard ? { rowsPerShard: Number(rowsPerShard) } : {}),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
}
