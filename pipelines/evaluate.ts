/**
 * The evaluation stage (issue 6; METHOD.md "Evaluation"): downstream data -> pre-training runs
 * (given, reused or trained) -> for each fold and initialisation, the linear probe, fine-tuned
 * plane detection and fine-tuned saliency prediction -> Tables 1-3 (Markdown + CSV) -> the HTML
 * report. Every stage is idempotent: a rerun reuses the downstream data, lakes, complete runs and
 * fold results whose inputs are unchanged, so a killed benchmark continues where it stopped.
 * Protocol and layout: src/evaluate/protocol/README.md.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDownstream } from '../src/evaluate/downstream/load-downstream.js';
import type { BackboneSpec } from '../src/evaluate/finetune/backbone.js';
import { FrameSource } from '../src/evaluate/finetune/frame-source.js';
import { splitFolds } from '../src/evaluate/metrics/folds.js';
import { writeReport } from '../src/evaluate/report/write-report.js';
import type { ReportSummaryItem } from '../src/evaluate/report/report-types.js';
import { TimelineBuilder, type ScanTimeline } from '../src/evaluate/protocol/affinity-timelines.js';
import { pretrainPlan, PRETRAIN_VARIANTS, type InitId, type PretrainVariant } from '../src/evaluate/protocol/init-variants.js';
import { ensureRun, readCompleteRun, type PretrainedRun } from '../src/evaluate/protocol/pretraining.js';
import { buildReportInput } from '../src/evaluate/protocol/report-input.js';
import { ensureAllClipsLake, ensureLake } from '../src/evaluate/protocol/lakes.js';
import { buildTables, writeTables, type EvaluationTables } from '../src/evaluate/protocol/tables.js';
import { summedUpdates, type TaskProgress } from '../src/evaluate/protocol/task-progress.js';
import { runTransfer } from '../src/evaluate/protocol/transfer-stage.js';
import { scoreCentrePrior } from '../src/evaluate/protocol/centre-prior.js';
import { foldRefs, type FoldResult } from '../src/evaluate/protocol/fold-job.js';
import { listScanInputs } from '../src/lake/inputs.js';
import { readManifest } from '../src/lake/manifest-io.js';
import { resolveTrainConfig } from '../src/train/loop/train-config.js';
import type { TwoStreamConfig } from '../src/train/model/model-config.js';
import { selectBackend, type BackendPreference } from '../src/train/tfjs/backend.js';
import { writeJsonAtomic } from '../src/util/atomic-json.js';
import type { LakeManifest } from '../schemas/manifest.js';
import { MANIFEST_FILE_NAME } from '../schemas/manifest.js';
import { DEFAULT_DOWNSTREAM_CONFIG, type DownstreamConfig } from './downstream-config.js';
import { runDownstream } from './downstream.js';
import type { EvaluateConfig } from './evaluate-config.js';
import { DEFAULT_INGEST_CONFIG, type IngestConfig } from './ingest-config.js';

export { foldResultPath } from '../src/evaluate/protocol/transfer-stage.js';

export type EvaluateProgress = TaskProgress;

export interface EvaluateOptions {
  /** Labelled scans (`<name>.mp4` + sidecar): the downstream data, and the lakes built here. */
  scans: string;
  out: string;
  config: EvaluateConfig;
  /** The method's lake of the same scans; built in <out>/lake when absent (and needed). */
  lake?: string;
  /** Downstream data folder (built or completed from `scans`); default <out>/downstream. */
  downstream?: string;
  /** Complete pre-training runs to use instead of training them. */
  runs?: Partial<Record<PretrainVariant, string>>;
  backend: BackendPreference;
  /** Scans decoded at once by the downstream and ingest stages. */
  concurrency?: number;
  /** Ingest on this thread instead of worker threads (same lake; tests run without dist/). */
  ingestInProcess?: boolean;
  /** Ingest configuration of a lake built here (default: the ingest defaults). */
  ingestConfig?: IngestConfig;
  downstreamConfig?: DownstreamConfig;
  /** Draw the affinity timelines (a VAD pass over every scan's audio); default true. */
  timelines?: boolean;
  progress?: EvaluateProgress;
}

export interface EvaluateResult {
  out: string;
  tables: EvaluationTables;
  tablePaths: string[];
  reportPath: string;
  results: Map<InitId, FoldResult[]>;
  runs: PretrainedRun[];
  /** Wall seconds per stage of this invocation. */
  stageSeconds: Record<string, number>;
  seconds: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function runEvaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const started = performance.now();
  const { config } = options;
  const out = resolve(options.out);
  const progress = options.progress ?? {};
  const log = (line: string): void => progress.log?.(line);
  const stageSeconds: Record<string, number> = {};
  const stage = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    log(`${name}...`);
    try {
      return await work();
    } finally {
      stageSeconds[name] = (stageSeconds[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  const concurrency = options.concurrency ?? Math.max(1, availableParallelism());
  await mkdir(out, { recursive: true });

  // 1. Downstream data (idempotent: scans already built are skipped).
  const downstreamDir = resolve(options.downstream ?? join(out, 'downstream'));
  await stage('downstream data', async () => {
    const update = summedUpdates(progress, 'downstream');
    const result = await runDownstream({
      input: options.scans,
      out: downstreamDir,
      config: options.downstreamConfig ?? DEFAULT_DOWNSTREAM_CONFIG,
      concurrency,
      progress: {
        onPlan: (scans) => {
          if (scans.length > 0) progress.start?.('downstream', scans.reduce((n, s) => n + s.frames, 0), 'frames');
        },
        onFrames: update,
      },
    });
    progress.finish?.('downstream');
    const failed = result.manifest.scans.filter((s) => s.status === 'failed');
    for (const f of failed) log(`downstream: skipped a failed scan: ${f.error}`);
    log(`downstream data: ${result.processed.length} scan(s) built, ${result.skipped.length} reused, ${failed.length} failed (${downstreamDir})`);
  });

  // 2. Pre-training runs: given, complete from an earlier invocation, or trained now.
  const runs: PretrainedRun[] = [];
  let normalLake: string | undefined = options.lake ? resolve(options.lake) : undefined;
  await stage('pre-training', async () => {
    const missing: PretrainVariant[] = [];
    for (const variant of PRETRAIN_VARIANTS) {
      const given = options.runs?.[variant];
      if (given !== undefined) runs.push(await readCompleteRun(resolve(given), variant, 'given'));
      else missing.push(variant);
    }
    if (missing.length === 0) return;
    const lakeBuild = { scans: options.scans, concurrency, inProcess: options.ingestInProcess ?? false, progress };
    normalLake ??= await ensureLake({ ...lakeBuild, dir: join(out, 'lake'), config: options.ingestConfig ?? DEFAULT_INGEST_CONFIG, seed: config.seed, what: 'lake (method)' });
    let allClipsLake: string | undefined;
    for (const variant of missing) {
      const plan = pretrainPlan(variant);
      let lake = normalLake;
      if (plan.lake === 'all-clips') {
        allClipsLake ??= await ensureAllClipsLake(normalLake, { ...lakeBuild, dir: join(out, 'lake-all-clips') });
        lake = allClipsLake;
      }
      const trainConfig = resolveTrainConfig({ seed: config.seed }, config.pretrain, plan.overrides);
      const task = `pretrain ${variant}`;
      let first = 0;
      const run = await ensureRun({
        variant,
        dir: join(out, 'runs', variant),
        lake,
        config: trainConfig,
        backend: options.backend,
        workers: config.pretrainWorkers,
        progress: {
          onStart: (info) => {
            first = info.startStep;
            log(`${task}: ${info.totalSteps} steps on ${info.device}${info.resumedFrom ? ` (resumed at step ${info.startStep})` : ''}`);
            progress.start?.(task, info.totalSteps - info.startStep, 'steps');
          },
          onStep: (line) => progress.update?.(task, line.step - first),
        },
      });
      progress.finish?.(task);
      log(`${task}: ${run.origin === 'complete' ? 'complete run reused' : `trained in ${run.seconds.toFixed(0)} s`} (${run.dir})`);
      runs.push(run);
    }
    runs.sort((a, b) => PRETRAIN_VARIANTS.indexOf(a.variant) - PRETRAIN_VARIANTS.indexOf(b.variant));
  });

  // 3. One architecture for every initialisation; random = the runs' common starting point.
  const full = runs.find((r) => r.variant === 'full') as PretrainedRun;
  const model: TwoStreamConfig = full.record.config.model;
  for (const run of runs) {
    if (JSON.stringify(run.record.config.model) !== JSON.stringify(model)) throw new Error(`${run.dir}: its architecture differs from the full run's (${full.dir}); every initialisation must share one`);
  }
  const [height, width] = model.video.size;
  if (height !== width) throw new Error(`the model's video input is ${height}x${width}; the downstream frames are square`);
  const backbones = new Map<InitId, { spec: BackboneSpec; identity: string }>();
  backbones.set('random', { spec: { model, seed: full.record.config.seed }, identity: `random:${full.record.config.seed}` });
  for (const run of runs) backbones.set(run.variant, { spec: { model, seed: run.record.config.seed, weights: run.weights }, identity: `weights:${run.weightsSha256}` });

  // 4. Downstream rows at the model's input size, folds by scan.
  const data = await stage('loading downstream data', () => loadDownstream(downstreamDir, { size: width }));
  const source = new FrameSource(data);
  const scanIds = data.scans.map((s) => s.id);
  const folds = splitFolds(scanIds, config.folds, config.seed).slice(0, config.foldsToRun);
  const dataIdentity = sha256(JSON.stringify(data.manifest.shards.filter((s) => s.format === 'arrow' && scanIds.includes(s.scan)).map((s) => s.sha256).sort()));
  log(`downstream: ${scanIds.length} scans, ${data.scans.reduce((n, s) => n + s.count, 0)} rows at ${width}x${width}; ${folds.length} of ${config.folds} folds`);

  // 5. Every (fold, initialisation): reuse a result whose inputs are unchanged, else run it.
  const device = (await selectBackend(options.backend)).device; // pre-training with workers leaves the cpu backend on
  const results = await stage('transfer', () => runTransfer({ out, source, folds, backbones, model, dataIdentity, config, device, progress }));

  // 6. Tables, with the saliency reference that needs no backbone.
  const centrePrior = await stage('centre prior', async () =>
    folds.map((fold) => {
      const refs = foldRefs(source, fold, config);
      return scoreCentrePrior(source, fold, refs.trainGaze, refs.testGaze, config);
    }),
  );
  const tables = buildTables(results, centrePrior);
  const foldNote =
    `${folds.length} of ${config.folds} folds by scan (seed ${config.seed}); training rows: ${everyRow(config.trainEvery)} of each training scan, ` +
    `test rows: ${everyRow(config.testEvery)} of each test scan (downstream rows: every ${ordinal(Number((data.manifest.config as { stride?: number }).stride))} video frame); profile '${config.profile}'.`;
  const tablePaths = await writeTables(join(out, 'tables'), tables, `# sonospeech evaluation (${config.profile} profile)\n\n${foldNote}\n`);

  // 7. Affinity timelines.
  const timelines: { timeline: ScanTimeline; lakeHighClips: number | null }[] = [];
  if (options.timelines !== false) {
    await stage('affinity timelines', async () => {
      const lakeManifest = normalLake ? await readManifest(join(normalLake, MANIFEST_FILE_NAME)) : await lakeOfRun(full);
      const ingestConfig = (lakeManifest?.config as unknown as IngestConfig | undefined) ?? options.ingestConfig ?? DEFAULT_INGEST_CONFIG;
      const builder = await TimelineBuilder.create(ingestConfig);
      const inputs = (await listScanInputs(options.scans)).filter((i) => scanIds.includes(i.id));
      progress.start?.('timelines', inputs.length, 'scans');
      for (const [k, input] of inputs.entries()) {
        const timeline = await builder.build(input.id, input.absPath);
        timelines.push({ timeline, lakeHighClips: lakeManifest?.scans.find((s) => s.id === input.id)?.highAffinity ?? null });
        progress.update?.('timelines', k + 1);
      }
      progress.finish?.('timelines');
    });
  }

  // 8. Report and summary.
  const seconds = (performance.now() - started) / 1000;
  const summary: ReportSummaryItem[] = [
    { key: 'Profile', value: config.profile },
    { key: 'Scans', value: `${resolve(options.scans)} (${scanIds.length} with downstream data, ${data.scans.reduce((n, s) => n + s.count, 0)} rows)` },
    { key: 'Folds', value: foldNote },
    { key: 'Model', value: `${full.record.config.preset} preset, ${width}x${width} frames; random init = Rng(${full.record.config.seed}).fork('model'), the runs' starting point` },
    ...runs.map((r) => ({ key: `Run ${r.variant}`, value: `${r.dir} (${r.origin}; ${r.record.config.epochs} epochs, ${r.metrics.length} steps, lake ${r.record.lake.path})` })),
    { key: 'Fine-tuning', value: sgdText(config.finetune) + `; class weights ${config.classWeighting}; head on features standardised with the initial backbone's training-row statistics` },
    { key: 'Linear probe', value: sgdText(config.probe) + '; standardised frozen features' },
    { key: 'Saliency head', value: sgdText(config.saliency) + `; 1x1 conv ${config.saliency.hidden} + ReLU + 1x1 conv, bilinear to ${source.mapWidth}x${source.mapHeight}, softmax; KL loss` },
    { key: 'Device', value: `${device}; Node ${process.version}; ${availableParallelism()} CPU(s)` },
    ...Object.entries(stageSeconds).map(([name, s]) => ({ key: `Time: ${name}`, value: duration(s) })),
    { key: 'Time: total (this invocation)', value: duration(seconds) },
  ];
  const reportPath = join(out, 'report.html');
  writeReport(
    reportPath,
    buildReportInput({
      title: `sonospeech evaluation (${config.profile} profile)`,
      generatedAt: new Date().toISOString(),
      intro:
        'Transfer of the pre-trained video backbone g_v to standard-plane detection and gaze saliency prediction (METHOD.md "Evaluation"): ' +
        'random initialisation vs video-only pre-training (frame order) vs the full video-speech method, and the ablation of its objective. ' +
        (config.profile === 'quick'
          ? 'This is the quick profile: short pre-training and fine-tuning on a small subset, to show the protocol end to end; its numbers are not the benchmark. '
          : config.profile === 'full'
            ? "This is the full profile: the benchmark at a 2-core machine's scale (3 epochs of pre-training at lr 0.01 instead of the method's 80 at 1e-3; fine-tuning on every 16th training row for 3 epochs); the paper profile runs the method's schedule. "
            : '') +
        'All numbers are reported as measured.',
      summary,
      tables,
      tableNote: foldNote,
      results,
      runs,
      source,
      timelines,
    }),
  );
  await writeJsonAtomic(
    join(out, 'summary.json'),
    {
      format: 'sonospeech.evaluation',
      profile: config.profile,
      config,
      scans: resolve(options.scans),
      downstream: downstreamDir,
      runs: runs.map((r) => ({ variant: r.variant, dir: r.dir, origin: r.origin, weightsSha256: r.weightsSha256, seconds: r.seconds })),
      folds: folds.map((f) => ({ fold: f.fold, train: f.train, test: f.test })),
      tables: Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t.summary])),
      centrePrior,
      stageSeconds,
      seconds,
      device,
    },
    2,
  );
  return { out, tables, tablePaths, reportPath, results, runs, stageSeconds, seconds };
}

async function lakeOfRun(run: PretrainedRun): Promise<LakeManifest | undefined> {
  return readManifest(join(run.record.lake.path, MANIFEST_FILE_NAME)).catch(() => undefined);
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function everyRow(n: number): string {
  return n === 1 ? 'every row' : `every ${ordinal(n)} row`;
}

function sgdText(s: EvaluateConfig['finetune']): string {
  return `${s.epochs} epoch(s), batch ${s.batchSize}, SGD lr ${s.learningRate}, momentum ${s.momentum}, weight decay ${s.weightDecay}, clip ${s.maxGradNorm}`;
}

export function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}
