/**
 * Every (fold, initialisation) pair of the evaluation: a result whose inputs are unchanged is read
 * back from `<out>/results/<init>/fold-<k>.json`, the others run (fold-job.ts) and are written
 * there, one by one, so a killed run loses at most the job in progress.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EvaluateConfig } from '../../../pipelines/evaluate-config.js';
import type { TwoStreamConfig } from '../../train/model/model-config.js';
import { writeJsonAtomic } from '../../util/atomic-json.js';
import type { BackboneSpec } from '../finetune/backbone.js';
import type { FrameSource } from '../finetune/frame-source.js';
import type { Fold } from '../metrics/folds.js';
import { FOLD_RESULT_FORMAT, FOLD_RESULT_VERSION, foldJobWork, foldRefs, runFoldJob, type FoldResult } from './fold-job.js';
import { INIT_IDS, initName, type InitId } from './init-variants.js';
import type { TaskProgress } from './task-progress.js';

export interface TransferStage {
  out: string;
  source: FrameSource;
  folds: readonly Fold[];
  /** The initialisations to evaluate, each with an identity (e.g. its weights' hash) for the reuse key. */
  backbones: ReadonlyMap<InitId, { spec: BackboneSpec; identity: string }>;
  model: TwoStreamConfig;
  /** Identifies the downstream rows (e.g. a hash of their shards' hashes). */
  dataIdentity: string;
  config: EvaluateConfig;
  device: string;
  progress: TaskProgress;
}

/** The file of one fold's results. */
export function foldResultPath(out: string, init: InitId, fold: number): string {
  return join(out, 'results', init, `fold-${fold}.json`);
}

/** Everything a fold result depends on, hashed: the settings that only shape the report or the pre-training are left out. */
export function foldResultKey(stage: Pick<TransferStage, 'model' | 'dataIdentity' | 'config'>, init: InitId, identity: string, fold: Fold): string {
  const { report: _report, pretrain: _pretrain, pretrainWorkers: _workers, profile: _profile, ...protocol } = stage.config;
  const samples = fold.fold === 0 ? stage.config.report.saliencySamples : 0;
  const text = JSON.stringify({ format: FOLD_RESULT_FORMAT, version: FOLD_RESULT_VERSION, init, backbone: identity, model: stage.model, fold, data: stage.dataIdentity, protocol, samples });
  return createHash('sha256').update(text).digest('hex');
}

async function readResult(path: string): Promise<FoldResult | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as FoldResult;
  } catch {
    return undefined; // torn or foreign: recomputed
  }
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

export async function runTransfer(stage: TransferStage): Promise<Map<InitId, FoldResult[]>> {
  const { config, source, progress } = stage;
  const jobs: { init: InitId; fold: Fold; key: string; path: string; cached: FoldResult | undefined }[] = [];
  for (const fold of stage.folds) {
    for (const init of INIT_IDS) {
      const backbone = stage.backbones.get(init);
      if (backbone === undefined) continue;
      const key = foldResultKey(stage, init, backbone.identity, fold);
      const path = foldResultPath(stage.out, init, fold.fold);
      const previous = await readResult(path);
      jobs.push({ init, fold, key, path, cached: previous?.key === key ? previous : undefined });
    }
  }
  const refsOf = new Map(stage.folds.map((f) => [f.fold, foldRefs(source, f, config)]));
  const workOf = (fold: Fold): number => {
    const r = refsOf.get(fold.fold)!;
    return foldJobWork(config, { train: r.train.length, test: r.test.length, trainGaze: r.trainGaze.length, testGaze: r.testGaze.length });
  };
  const todo = jobs.filter((j) => j.cached === undefined);
  progress.log?.(`transfer: ${jobs.length} fold job(s), ${jobs.length - todo.length} reused, ${todo.length} to run on ${stage.device}`);
  if (todo.length > 0) progress.start?.('transfer', todo.reduce((n, j) => n + workOf(j.fold), 0), 'frames');
  const results = new Map<InitId, FoldResult[]>();
  let before = 0;
  for (const [i, job] of jobs.entries()) {
    let result = job.cached;
    if (result === undefined) {
      result = await runFoldJob({
        init: job.init,
        backbone: stage.backbones.get(job.init)!.spec,
        fold: job.fold,
        refs: refsOf.get(job.fold.fold)!,
        source,
        config,
        key: job.key,
        keepSamples: job.fold.fold === 0,
        onWork: (done) => progress.update?.('transfer', before + done),
      });
      before += workOf(job.fold);
      progress.update?.('transfer', before);
      await mkdir(dirname(job.path), { recursive: true });
      await writeJsonAtomic(job.path, result, 1);
      progress.log?.(
        `fold ${job.fold.fold + 1}/${config.folds} ${initName(job.init)}: F1 ${pct(result.finetune.f1)} fine-tuned, ${pct(result.probe.f1)} probe; ` +
          `KL ${result.saliency.kl.toFixed(2)}, NSS ${result.saliency.nss.toFixed(2)} (${result.seconds.toFixed(0)} s) [${i + 1}/${jobs.length}]`,
      );
    }
    results.set(job.init, [...(results.get(job.init) ?? []), result]);
  }
  if (todo.length > 0) progress.finish?.('transfer');
  return results;
}
