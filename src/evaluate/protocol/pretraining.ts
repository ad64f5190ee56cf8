/**
 * The pre-training runs behind the initialisations: given ones are read; missing ones are
 * trained with runTraining (../../train/loop/train-run.ts) into the evaluation's folder. A
 * complete run with the same configuration is reused, an interrupted one resumed, so a killed
 * evaluation picks up where it stopped.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunRecord, TrainProgress } from '../../train/loop/train-run.js';
import { configHash, runTraining } from '../../train/loop/train-run.js';
import { RunDir, type MetricsLine } from '../../train/loop/run-dir.js';
import type { TrainConfig } from '../../train/loop/train-config.js';
import { drawTrainingCurves } from '../../train/training-curves.js';
import type { BackendPreference } from '../../train/tfjs/backend.js';
import type { PretrainVariant } from './init-variants.js';

export interface PretrainedRun {
  variant: PretrainVariant;
  dir: string;
  record: RunRecord;
  weights: Uint8Array;
  weightsSha256: string;
  metrics: MetricsLine[];
  /** given: passed in; complete: found complete in the evaluation folder; trained: trained now. */
  origin: 'given' | 'complete' | 'trained';
  /** Wall time spent training in this invocation. */
  seconds: number;
}

/** Reads a complete run directory (config.json, weights.ssw, metrics.jsonl, summary.json). */
export async function readCompleteRun(dir: string, variant: PretrainVariant, origin: PretrainedRun['origin'], seconds = 0): Promise<PretrainedRun> {
  const runDir = new RunDir(dir);
  for (const name of ['config.json', 'weights.ssw', 'summary.json']) {
    if (!runDir.exists(name)) throw new Error(`${dir}: not a complete training run (no ${name})`);
  }
  const record = await runDir.readJson<RunRecord>('config.json');
  if (record.format !== 'sonospeech.run') throw new Error(`${runDir.configPath}: not a sonospeech run record`);
  const weights = new Uint8Array(await readFile(runDir.path('weights.ssw')));
  return {
    variant,
    dir,
    record,
    weights,
    weightsSha256: createHash('sha256').update(weights).digest('hex'),
    metrics: await runDir.readMetrics(),
    origin,
    seconds,
  };
}

export interface EnsureRunOptions {
  variant: PretrainVariant;
  dir: string;
  lake: string;
  config: TrainConfig;
  backend: BackendPreference;
  workers: number;
  progress?: TrainProgress;
}

/** Whether `dir` holds this exact run, complete. */
export async function runIsComplete(dir: string, config: TrainConfig): Promise<boolean> {
  const runDir = new RunDir(dir);
  if (!runDir.exists('summary.json') || !runDir.exists('weights.ssw') || !runDir.exists('config.json')) return false;
  const record = await runDir.readJson<RunRecord>('config.json');
  if (record.configSha256 !== configHash(config)) {
    throw new Error(`${dir} holds a run made with another configuration: remove it or evaluate into another --out`);
  }
  if (record.config.epochs > config.epochs) throw new Error(`${dir} holds a run of ${record.config.epochs} epochs, ${config.epochs} asked: remove it or evaluate into another --out`);
  return record.config.epochs === config.epochs;
}

export async function ensureRun(options: EnsureRunOptions): Promise<PretrainedRun> {
  const { dir, config } = options;
  if (await runIsComplete(dir, config)) return readCompleteRun(dir, options.variant, 'complete');
  const started = performance.now();
  const resume = existsSync(join(dir, 'checkpoints', 'latest.ckpt'));
  // Killed before its first checkpoint: nothing to continue from (the folder is the evaluation's own).
  if (!resume && existsSync(join(dir, 'config.json'))) await rm(dir, { recursive: true, force: true });
  await runTraining({
    lake: options.lake,
    run: dir,
    config,
    backend: options.backend,
    workers: options.workers,
    // An earlier, interrupted invocation (or fewer epochs) continues from its latest checkpoint.
    resume,
    ...(options.progress ? { progress: options.progress } : {}),
    drawCurves: drawTrainingCurves,
  });
  return readCompleteRun(dir, options.variant, 'trained', (performance.now() - started) / 1000);
}
