import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { formatEta } from '../cli/format-eta.js';
import type { Argv } from 'yargs';
import { EVALUATE_PROFILES, readEvaluateConfigFile, resolveEvaluateConfig, type EvaluateConfigOverrides, type EvaluateProfileName } from '../../pipelines/evaluate-config.js';
import { duration, runEvaluate, type EvaluateProgress } from '../../pipelines/evaluate.js';
import { nonNegativeInteger, positiveInteger } from '../cli/validate.js';
import { MODEL_PRESETS, type ModelPresetName } from '../train/model/model-config.js';
import type { BackendPreference } from '../train/tfjs/backend.js';
import type { PretrainVariant } from './protocol/init-variants.js';
import { TABLE_FILES } from './protocol/tables.js';

export const command = 'evaluate';
export const describe =
  'Transfer evaluation: pre-train (or reuse) the backbones, fine-tune them on plane detection and gaze saliency over folds, write Tables 1-3 (Markdown + CSV) and an HTML report';

export function builder(yargs: Argv) {
  return yargs
    .option('scans', { type: 'string', demandOption: true, describe: 'Folder of labelled scans (<name>.mp4 + <name>.json sidecar)' })
    .option('out', { type: 'string', demandOption: true, describe: 'Output folder: tables/, report.html, results/, runs/, summary.json' })
    .option('profile', { type: 'string', choices: EVALUATE_PROFILES as unknown as string[], default: 'full', describe: 'quick: the demo (minutes); full: the benchmark (~2 h on 2 cores); paper: the method\'s 80-epoch schedule (days)' })
    .option('config', { type: 'string', describe: 'JSON file overriding the profile (keys of pipelines/evaluate-config.ts)' })
    .option('lake', { type: 'string', describe: "The method's lake of these scans (default: ingested into <out>/lake when a run must be trained)" })
    .option('downstream', { type: 'string', describe: 'Downstream data folder, built or completed from --scans (default <out>/downstream)' })
    .option('full-run', { type: 'string', describe: 'Complete pre-training run of the full method to use instead of training one' })
    .option('video-only-run', { type: 'string', describe: 'Complete video-only (frame order) run' })
    .option('cls-only-run', { type: 'string', describe: 'Complete classification-only run (ablation)' })
    .option('contrastive-run', { type: 'string', describe: 'Complete classification + contrastive run (ablation)' })
    .option('seed', { type: 'number', describe: 'Seed of folds, heads, shuffles and pre-training (default 1)', coerce: nonNegativeInteger('--seed') })
    .option('folds', { type: 'number', describe: 'k of the k-fold split by scan (default 3)', coerce: positiveInteger('--folds') })
    .option('folds-to-run', { type: 'number', describe: 'Evaluate only the first n folds', coerce: positiveInteger('--folds-to-run') })
    .option('pretrain-epochs', { type: 'number', describe: 'Epochs of each pre-training run (quick 1, full 3, paper: the training default, 80)', coerce: positiveInteger('--pretrain-epochs') })
    .option('finetune-epochs', { type: 'number', describe: 'Epochs of the fine-tuned plane-detection and saliency heads', coerce: positiveInteger('--finetune-epochs') })
    .option('preset', { type: 'string', choices: MODEL_PRESETS as unknown as string[], describe: 'Model preset of the pre-training runs (default tiny)' })
    .option('workers', { type: 'number', describe: 'Worker threads per pre-training run (default 0: in this thread)', coerce: nonNegativeInteger('--workers') })
    .option('backend', { type: 'string', choices: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], default: 'wasm', describe: 'TensorFlow.js backend' })
    .option('concurrency', { type: 'number', default: availableParallelism(), describe: 'Scans decoded at once (downstream data, ingest)', coerce: positiveInteger('--concurrency') })
    .option('timelines', { type: 'boolean', default: true, describe: 'Draw the affinity timelines (a VAD pass over each scan)' })
    .option('progress', { type: 'boolean', default: true, describe: 'Show progress bars' });
}

interface Args {
  scans: string;
  out: string;
  profile: string;
  config?: string;
  lake?: string;
  downstream?: string;
  fullRun?: string;
  videoOnlyRun?: string;
  clsOnlyRun?: string;
  contrastiveRun?: string;
  seed?: number;
  folds?: number;
  foldsToRun?: number;
  pretrainEpochs?: number;
  finetuneEpochs?: number;
  preset?: string;
  workers?: number;
  backend: string;
  concurrency: number;
  timelines: boolean;
  progress: boolean;
}

/** Overrides from the flags (undefined values leave the profile's). */
export function flagOverrides(argv: Args): EvaluateConfigOverrides {
  return {
    seed: argv.seed,
    folds: argv.folds,
    foldsToRun: argv.foldsToRun ?? (argv.folds !== undefined ? argv.folds : undefined),
    pretrainWorkers: argv.workers,
    pretrain: {
      ...(argv.pretrainEpochs !== undefined ? { epochs: argv.pretrainEpochs } : {}),
      ...(argv.preset !== undefined ? { preset: argv.preset as ModelPresetName } : {}),
    },
    finetune: argv.finetuneEpochs !== undefined ? { epochs: argv.finetuneEpochs } : undefined,
    saliency: argv.finetuneEpochs !== undefined ? { epochs: argv.finetuneEpochs } : undefined,
  };
}

/** Progress on stderr: one bar with rate and ETA for the running task, log lines above it. */
function consoleProgress(bars: boolean): EvaluateProgress & { stop(): void } {
  const started = Date.now();
  const stamp = (): string => {
    const s = Math.floor((Date.now() - started) / 1000);
    return `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
  };
  const multi = bars
    ? new cliProgress.MultiBar(
        {
          format: '{task} |{bar}| {percentage}% {value}/{total} {unit} | {rate} {unit}/s | ETA {eta_formatted}',
          barCompleteChar: '#',
          barIncompleteChar: '.',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 10_000,
          stream: process.stderr,
          etaBuffer: 50,
          formatTime: formatEta,
        },
        cliProgress.Presets.legacy,
      )
    : undefined;
  const active = new Map<string, { bar: cliProgress.SingleBar; started: number; unit: string }>();
  return {
    log: (line) => {
      const text = `${stamp()} ${line}`;
      if (multi && active.size > 0) multi.log(text + '\n');
      else console.error(text);
    },
    start: (task, total, unit) => {
      if (!multi) return;
      active.set(task, { bar: multi.create(total, 0, { task: task.padEnd(22), unit, rate: '0' }), started: Date.now(), unit });
    },
    update: (task, done) => {
      const item = active.get(task);
      if (!item) return;
      const rate = done / Math.max(1e-3, (Date.now() - item.started) / 1000);
      item.bar.update(done, { rate: rate >= 10 ? rate.toFixed(0) : rate.toFixed(2) });
    },
    finish: (task) => {
      const item = active.get(task);
      if (!item || !multi) return;
      multi.remove(item.bar);
      active.delete(task);
    },
    stop: () => multi?.stop(),
  };
}

export async function handler(argv: Args): Promise<void> {
  const fromFile: EvaluateConfigOverrides = argv.config ? await readEvaluateConfigFile(argv.config) : {};
  const config = resolveEvaluateConfig(argv.profile as EvaluateProfileName, fromFile, flagOverrides(argv));
  const runs: Partial<Record<PretrainVariant, string>> = {};
  if (argv.fullRun) runs.full = argv.fullRun;
  if (argv.videoOnlyRun) runs['video-only'] = argv.videoOnlyRun;
  if (argv.clsOnlyRun) runs['cls-only'] = argv.clsOnlyRun;
  if (argv.contrastiveRun) runs.contrastive = argv.contrastiveRun;
  const progress = consoleProgress(argv.progress);
  let result;
  try {
    result = await runEvaluate({
      scans: argv.scans,
      out: argv.out,
      config,
      ...(argv.lake ? { lake: argv.lake } : {}),
      ...(argv.downstream ? { downstream: argv.downstream } : {}),
      runs,
      backend: argv.backend as BackendPreference,
      concurrency: argv.concurrency,
      timelines: argv.timelines,
      progress,
    });
  } finally {
    progress.stop();
  }
  for (const key of Object.keys(TABLE_FILES) as (keyof typeof TABLE_FILES)[]) console.log(result.tables[key].markdown);
  console.log(`tables: ${result.out}/tables/ (Markdown + CSV); report: ${result.reportPath}`);
  console.log(`evaluation (${config.profile} profile) took ${duration(result.seconds)}: ${Object.entries(result.stageSeconds).map(([k, s]) => `${k} ${duration(s)}`).join(', ')}`);
}
