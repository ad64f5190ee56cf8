/**
 * A training run: replay (pull: the next batch is asked for only after a step) -> data-parallel
 * step -> metrics line -> checkpoints, epoch after epoch, with the step learning-rate
 * schedule. `resume` continues from the run directory's latest checkpoint and produces the
 * same steps an uninterrupted run would have.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { openReplay } from '../../replay/replay-reader.js';
import type { ReplayBatch, ReplayState } from '../../replay/replay-batch.js';
import { TOOL_VERSION } from '../../version.js';
import { registerCpuGradientKernels } from '../model/cpu-gradient-kernels.js';
import { selectBackend, type BackendPreference } from '../tfjs/backend.js';
import { readCheckpoint, writeCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.js';
import { ReplicaGroup } from './replica-group.js';
import { stepPartOf } from './replay-parts.js';
import { RunDir, type MetricsLine } from './run-dir.js';
import { learningRateAt, type TrainConfig } from './train-config.js';

export interface RunRecord {
  format: 'sonospeech.run';
  toolVersion: string;
  config: TrainConfig;
  /** sha256 of the config without `epochs` (a resumed run may be given more epochs). */
  configSha256: string;
  lake: { path: string; manifestSha256: string };
  backend: BackendPreference;
  workers: number;
}

export interface TrainStartInfo {
  device: string;
  params: number;
  epochLength: number;
  totalSteps: number;
  startStep: number;
  resumedFrom: string | null;
}

export interface TrainProgress {
  onStart?(info: TrainStartInfo): void;
  onStep?(line: MetricsLine): void;
  onEpoch?(epoch: number, lines: MetricsLine[]): void;
}

export interface TrainRunOptions {
  lake: string;
  run: string;
  config: TrainConfig;
  backend: BackendPreference;
  /** 0: train in this thread; n >= 1: n worker threads (data parallel). */
  workers: number;
  resume?: boolean;
  /** End the run after this many steps in total, as if killed (tests of resume). */
  stopAfterStep?: number;
  /** Epoch checkpoints kept besides latest (default 3). */
  keepEpochCheckpoints?: number;
  progress?: TrainProgress;
  /** Draws the curves PNG from the metrics so far (redrawn at every epoch end). */
  drawCurves?: (lines: MetricsLine[]) => Uint8Array;
}

export interface TrainRunResult {
  steps: number;
  epochs: number;
  /** True when stopAfterStep ended the run early. */
  stopped: boolean;
  device: string;
  runDir: string;
  /** Mean of the last epoch's step losses. */
  finalLoss: number | undefined;
  /** Sample rows per second over the steps of this invocation. */
  samplesPerSecond: number;
  /** Share of step time spent waiting for replay. */
  dataWaitShare: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function configHash(config: TrainConfig): string {
  const { epochs: _epochs, ...rest } = config;
  return sha256(JSON.stringify(rest));
}

function stopAt(options: TrainRunOptions, step: number): boolean {
  return options.stopAfterStep !== undefined && step >= options.stopAfterStep;
}

export async function runTraining(options: TrainRunOptions): Promise<TrainRunResult> {
  const { config } = options;
  const runDir = new RunDir(options.run);
  const lakePath = resolve(options.lake);

  // The thread that runs the replay carries its tensors on the cpu backend when workers compute.
  let device: string;
  if (options.workers === 0) {
    if (options.backend === 'cpu') registerCpuGradientKernels();
    device = (await selectBackend(options.backend)).device;
  } else {
    await tf.setBackend('cpu');
    device = '';
  }

  const reader = await openReplay(lakePath, {
    seed: config.seed,
    batchSize: config.batchSize,
    shuffleBuffer: config.replay.shuffleBuffer,
    interleave: config.replay.interleave,
    mix: config.replay.mix,
    lastBatch: config.replay.lastBatch,
  });
  const record: RunRecord = {
    format: 'sonospeech.run',
    toolVersion: TOOL_VERSION,
    config,
    configSha256: configHash(config),
    lake: { path: lakePath, manifestSha256: reader.manifestSha256 },
    backend: options.backend,
    workers: options.workers,
  };

  let checkpoint: Checkpoint | null = null;
  if (options.resume && runDir.exists('checkpoints/latest.ckpt')) {
    const previous = await runDir.readJson<RunRecord>('config.json');
    if (previous.configSha256 !== record.configSha256) throw new Error(`${runDir.configPath}: the run was made with another configuration; resume it with the same config (only --epochs may change)`);
    if (previous.lake.manifestSha256 !== record.lake.manifestSha256) throw new Error(`${runDir.configPath}: the run was made on another lake (manifest ${previous.lake.manifestSha256.slice(0, 12)}, now ${record.lake.manifestSha256.slice(0, 12)})`);
    checkpoint = await readCheckpoint(runDir.latestCheckpoint);
  } else if (runDir.exists('config.json') && !options.resume) {
    throw new Error(`${options.run} already holds a run: pass --resume to continue it, or choose another --run`);
  }
  await runDir.create();
  await runDir.writeJson('config.json', record);

  const group = await ReplicaGroup.create(
    { model: config.model, loss: config.loss, optimizer: config.optimizer, seed: config.seed },
    { workers: options.workers, backend: options.backend, device },
  );
  try {
    let step = 0;
    let epoch = 0;
    let replayState: ReplayState | null = null;
    if (checkpoint !== null) {
      await group.importState(checkpoint.state);
      ({ step, epoch, replay: replayState } = checkpoint.meta);
      await runDir.truncateMetrics(step);
    } else {
      await runDir.truncateMetrics(0);
    }
    await rm(runDir.path('summary.json'), { force: true }); // present again only when this invocation completes

    const epochLength = reader.epoch(0).length;
    options.progress?.onStart?.({
      device: group.device,
      params: group.paramCount,
      epochLength,
      totalSteps: epochLength * config.epochs,
      startStep: step,
      resumedFrom: checkpoint === null ? null : runDir.latestCheckpoint,
    });

    const save = async (nextEpoch: number, replay: ReplayState | null, epochEnd: boolean): Promise<void> => {
      const cp: Checkpoint = {
        meta: {
          format: CHECKPOINT_FORMAT,
          version: CHECKPOINT_VERSION,
          step,
          epoch: nextEpoch,
          replay,
          seed: config.seed,
          configSha256: record.configSha256,
          manifestSha256: record.lake.manifestSha256,
          toolVersion: TOOL_VERSION,
        },
        state: await group.exportState(),
      };
      if (epochEnd) {
        await writeCheckpoint(runDir.epochCheckpoint(nextEpoch - 1), cp);
        await runDir.pruneEpochCheckpoints(options.keepEpochCheckpoints ?? 3);
      }
      await writeCheckpoint(runDir.latestCheckpoint, cp);
    };

    let rowsDone = 0;
    let waitMs = 0;
    let computeMs = 0;
    let stopped = false;
    for (; epoch < config.epochs && !stopped; epoch++) {
      const lr = learningRateAt(config.optimizer, epoch);
      const replay = replayState !== null && replayState.epoch === epoch ? reader.resume(replayState) : reader.epoch(epoch);
      replayState = null;
      const batches = replay[Symbol.asyncIterator]();
      try {
        for (;;) {
          const asked = performance.now();
          const next = await batches.next();
          const dataWaitMs = performance.now() - asked;
          if (next.done) break;
          const batch: ReplayBatch = next.value;
          let part;
          try {
            part = await stepPartOf(batch);
          } finally {
            batch.dispose();
          }
          const outcome = await group.step(part, lr, { microBatch: config.microBatch, maxGradNorm: config.optimizer.maxGradNorm });
          step++;
          rowsDone += outcome.rows;
          waitMs += dataWaitMs;
          computeMs += outcome.computeMs;
          const line: MetricsLine = {
            step,
            epoch,
            position: batch.position,
            kind: outcome.kind,
            rows: outcome.rows,
            loss: outcome.loss,
            ...outcome.terms,
            ...outcome.metrics,
            lr,
            gradNorm: outcome.gradNorm,
            samplesPerSecond: (outcome.rows * 1000) / (dataWaitMs + outcome.computeMs),
            dataWaitMs,
            computeMs: outcome.computeMs,
          };
          await runDir.appendMetrics(line);
          options.progress?.onStep?.(line);
          if (config.checkpointEvery > 0 && step % config.checkpointEvery === 0) await save(epoch, batch.state, false);
          if (stopAt(options, step)) {
            stopped = true;
            break;
          }
        }
      } finally {
        await batches.return?.();
      }
      if (stopped) break;
      await save(epoch + 1, null, true);
      const lines = await runDir.readMetrics();
      if (options.drawCurves) await runDir.writeFile('curves.png', options.drawCurves(lines));
      options.progress?.onEpoch?.(epoch, lines.filter((l) => l.epoch === epoch));
    }

    const lines = await runDir.readMetrics();
    const lastEpoch = lines.length > 0 ? (lines[lines.length - 1] as MetricsLine).epoch : undefined;
    const last = lines.filter((l) => l.epoch === lastEpoch);
    const result: TrainRunResult = {
      steps: step,
      epochs: epoch,
      stopped,
      device: group.device,
      runDir: options.run,
      finalLoss: last.length > 0 ? last.reduce((s, l) => s + l.loss, 0) / last.length : undefined,
      samplesPerSecond: (rowsDone * 1000) / Math.max(1e-9, waitMs + computeMs),
      dataWaitShare: waitMs / Math.max(1e-9, waitMs + computeMs),
    };
    if (!stopped) {
      await runDir.writeFile('weights.ssw', new Uint8Array((await group.exportState()).weights));
      await runDir.writeJson('summary.json', { status: 'complete', ...result });
    }
    return result;
  } finally {
    await group.close();
  }
}
