/**
 * Training throughput: sample rows per second of full optimisation steps (replay -> parts ->
 * forward/backward -> averaged, clipped update) on a lake, for a preset and backend, with 1
 * worker thread (the single-thread rate) and with N worker threads (data parallel), in the
 * same process, alternating for several rounds (this machine's speed drifts by tens of per
 * cent from minute to minute); plus the share of step time spent waiting for replay, and the
 * machine's ceiling for the ratio (replica-ceiling.ts).
 *
 *   node dist/bench/train-bench.js LAKE [--preset tiny] [--backend wasm] [--workers 2] [--steps 12] [--rounds 3] [--batch 32] [--micro-batch 32]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { openReplay } from '../src/replay/replay-reader.js';
import { stepPartOf } from '../src/train/loop/replay-parts.js';
import type { StepPart } from '../src/train/loop/step-part.js';
import type { TrainConfig } from '../src/train/loop/train-config.js';
import { measureReplicaCeiling } from './replica-ceiling.js';
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
    const result = await runTraining({ lake, run: dir, config, backend, workers, stopAfterStep: WARMUP_STEPS + steps });
    const lines = (await new RunDir(dir).readMetrics()).slice(WARMUP_STEPS);
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

/** Untimed steps of each run: kernels compile and wasm tiers up, momentum buffers are created. */
const WARMUP_STEPS = 4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The first pair batch of epoch 0, as a step part. */
async function firstPairBatch(lake: string, config: TrainConfig): Promise<StepPart> {
  const reader = await openReplay(lake, { seed: config.seed, batchSize: config.batchSize, shuffleBuffer: config.replay.shuffleBuffer, interleave: config.replay.interleave, mix: config.replay.mix, lastBatch: config.replay.lastBatch });
  for await (const batch of reader.epoch(0)) {
    try {
      if (batch.kind === 'pairs') return await stepPartOf(batch);
    } finally {
      batch.dispose();
    }
  }
  throw new Error(`${lake}: no pair batch in epoch 0`);
}

const fmt = (values: number[], digits = 1) => values.map((v) => v.toFixed(digits)).join(', ');

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
  console.log(`train bench: ${lake}, preset ${preset}, backend ${backend}, batch ${batch} (micro-batch ${microBatch}), ${steps} steps each after ${WARMUP_STEPS} untimed, ${flag('rounds', '3')} rounds`);
  const rounds = Number(flag('rounds', '3'));
  const singleMicroBatch = Math.min(microBatch, Math.ceil(batch / workers)); // the same parts, computed in turn
  const singles: Measured[] = [];
  const parallels: Measured[] = [];
  for (let round = 0; round < rounds; round++) {
    const single = await measure(lake, 1, preset, backend, steps, batch, singleMicroBatch);
    const parallel = await measure(lake, workers, preset, backend, steps, batch, microBatch);
    singles.push(single);
    parallels.push(parallel);
    console.log(
      `  round ${round + 1}: 1 worker ${single.samplesPerSecond.toFixed(1)} samples/s (data wait ${(100 * single.dataWaitShare).toFixed(1)}%), ` +
        `${workers} workers ${parallel.samplesPerSecond.toFixed(1)} samples/s (data wait ${(100 * parallel.dataWaitShare).toFixed(1)}%): ${(parallel.samplesPerSecond / single.samplesPerSecond).toFixed(2)}x`,
    );
  }
  const ratios = parallels.map((p, i) => p.samplesPerSecond / (singles[i] as Measured).samplesPerSecond);
  const config = resolveTrainConfig({ preset, batchSize: batch, microBatch, epochs: 1, seed: 1 });
  const ceiling = await measureReplicaCeiling({ model: config.model, loss: config.loss, optimizer: config.optimizer, seed: config.seed }, backend, workers, await firstPairBatch(lake, config), {
    warmup: 6,
    rounds: 2 * rounds,
    partsPerRound: workers,
  });
  const summary = {
    preset,
    backend,
    batch,
    microBatch,
    steps,
    rounds,
    device: (parallels[0] as Measured).device,
    singleSamplesPerSecond: median(singles.map((m) => m.samplesPerSecond)),
    parallelSamplesPerSecond: median(parallels.map((m) => m.samplesPerSecond)),
    speedup: median(ratios),
    speedupPerRound: ratios,
    dataWaitShare: Math.max(...singles.concat(parallels).map((m) => m.dataWaitShare)),
    ceiling: median(ceiling.ratios),
    ceilingPerRound: ceiling.ratios,
    singles,
    parallels,
  };
  console.log(`  single thread: ${summary.singleSamplesPerSecond.toFixed(1)} samples/s (median; ${fmt(singles.map((m) => m.samplesPerSecond))}), ${(singles[0] as Measured).pairMsPerRow.toFixed(1)} ms/pair row`);
  console.log(`  ${workers} workers: ${summary.parallelSamplesPerSecond.toFixed(1)} samples/s (median; ${fmt(parallels.map((m) => m.samplesPerSecond))})`);
  console.log(`  data-parallel speed-up: ${summary.speedup.toFixed(2)}x (median of rounds: ${fmt(ratios, 2)}); data wait at most ${(100 * summary.dataWaitShare).toFixed(1)}% of step time`);
  console.log(
    `  machine ceiling: ${workers} replicas computing at once with no synchronisation do ${summary.ceiling.toFixed(2)}x one alone (rounds: ${fmt(ceiling.ratios, 2)}); ` +
      `the trainer reaches ${((100 * summary.speedup) / summary.ceiling).toFixed(0)}% of it`,
  );
  console.log(JSON.stringify(summary));
}

await main();
