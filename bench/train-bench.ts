/**
 * Training throughput: sample rows per second of full optimisation steps (replay -> parts ->
 * forward/backward -> averaged, clipped update) on a lake, for a preset and backend, with 1
 * worker thread (the single-thread rate) and with N worker threads (data parallel), in the
 * same process one after the other; plus the share of step time spent waiting for replay.
 *
 *   node dist/bench/train-bench.js LAKE [--preset tiny] [--backend wasm] [--workers 2] [--steps 12] [--batch 32] [--micro-batch 32]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { resolveTrainConfig } from '../src/train/loop/train-config.js';
import { runTraining } from '../src/train/loop/train-run.js';
import { RunDir } from '../src/train/loop/run-dir.js';
import type { ModelPresetName } from '../src/train/model/model-config.js';
import type { BackendPreference } from '../src/train/tfjs/backend.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

interface Measured {
  workers: number;
  device: string;
  steps: number;
  samplesPerSecond: number;
  dataWaitShare: number;
  pairMsPerRow: number;
  orderMsPerRow: number;
}

async function measure(lake: string, workers: number, preset: ModelPresetName, backend: BackendPreference, steps: number, batch: number, microBatch: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'train-bench-'));
  try {
    const config = resolveTrainConfig({ preset, batchSize: batch, microBatch, epochs: 1000, seed: 1 });
    const result = await runTraining({ lake, run: dir, config, backend, workers, stopAfterStep: steps });
    const lines = (await new RunDir(dir).readMetrics()).slice(2); // the first steps compile kernels and create momentum buffers
    const rows = lines.reduce((s, l) => s + l.rows, 0);
    const ms = lines.reduce((s, l) => s + l.dataWaitMs + l.computeMs, 0);
    const perRow = (kind: string) => {
      const ofKind = lines.filter((l) => l.kind === kind);
      return ofKind.reduce((s, l) => s + l.computeMs, 0) / Math.max(1, ofKind.reduce((s, l) => s + l.rows, 0));
    };
    return {
      workers,
      device: result.device,
      steps: lines.length,
      samplesPerSecond: (rows * 1000) / ms,
      dataWaitShare: lines.reduce((s, l) => s + l.dataWaitMs, 0) / ms,
      pairMsPerRow: perRow('pairs'),
      orderMsPerRow: perRow('orders'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const lake = process.argv[2];
  if (lake === undefined || lake.startsWith('--')) throw new Error('usage: train-bench LAKE [--preset tiny] [--backend wasm] [--workers 2] [--steps 12]');
  tf.env().set('PROD', true);
  const preset = flag('preset', 'tiny') as ModelPresetName;
  const backend = flag('backend', 'wasm') as BackendPreference;
  const workers = Number(flag('workers', '2'));
  const steps = Number(flag('steps', '12'));
  const batch = Number(flag('batch', '32'));
  const microBatch = Number(flag('micro-batch', String(batch)));
  console.log(`train bench: ${lake}, preset ${preset}, backend ${backend}, batch ${batch} (micro-batch ${microBatch}), ${steps} steps each (first 2 not timed)`);
  const single = await measure(lake, 1, preset, backend, steps, batch, Math.min(microBatch, Math.ceil(batch / workers)));
  console.log(`  1 worker : ${single.samplesPerSecond.toFixed(1)} samples/s, data wait ${(100 * single.dataWaitShare).toFixed(1)}%, ${single.pairMsPerRow.toFixed(1)} ms/pair row, ${single.orderMsPerRow.toFixed(1)} ms/order row (${single.device})`);
  const parallel = await measure(lake, workers, preset, backend, steps, batch, microBatch);
  console.log(`  ${workers} workers: ${parallel.samplesPerSecond.toFixed(1)} samples/s, data wait ${(100 * parallel.dataWaitShare).toFixed(1)}% (${parallel.device})`);
  console.log(`  data-parallel speed-up: ${(parallel.samplesPerSecond / single.samplesPerSecond).toFixed(2)}x`);
  console.log(JSON.stringify({ preset, backend, batch, microBatch, single, parallel, speedup: parallel.samplesPerSecond / single.samplesPerSecond }));
}

await main();
