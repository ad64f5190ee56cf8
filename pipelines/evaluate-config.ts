/**
 * Everything the evaluation protocol depends on (src/evaluate/protocol/README.md), as three
 * profiles of the same protocol (every stage, fold, initialisation and score) at different
 * amounts of compute: `quick` (the demo: minutes), `full` (the benchmark, `make evaluate`:
 * about two hours on 2 cores) and `paper` (the method's 80-epoch pre-training and every row:
 * days on 2 cores). A config file or flags override single values; unknown keys are errors.
 */
import { readFile } from 'node:fs/promises';
import { checkSgdSettings, type SgdSettings } from '../src/evaluate/finetune/sgd-loop.js';
import type { TrainConfigInput } from '../src/train/loop/train-config.js';
import { overlayLayers, type DeepPartial } from '../src/util/config-overlay.js';

export const EVALUATE_PROFILES = ['quick', 'full', 'paper'] as const;
export type EvaluateProfileName = (typeof EVALUATE_PROFILES)[number];

export interface EvaluateConfig {
  profile: EvaluateProfileName;
  /** Seed of the folds, the heads' initial weights, the row shuffles, the AUC-Borji draws and (by default) the pre-training runs. */
  seed: number;
  /** k of the k-fold cross-validation by scan. */
  folds: number;
  /** Evaluate the first n of the k folds (n <= k). */
  foldsToRun: number;
  /** Keep every n-th downstream row of each training scan (1: all; METHOD's stride 8 is already applied). */
  trainEvery: number;
  /** Keep every n-th downstream row of each test scan. */
  testEvery: number;
  /** Plane-detection losses: 'balanced' class weights (scores are macro averages) or none. */
  classWeighting: 'balanced' | 'none';
  /** Fine-tuning g_v + a linear head for plane detection. */
  finetune: SgdSettings;
  /** The linear probe on frozen, standardised g_v features. */
  probe: SgdSettings;
  /** Fine-tuning g_v + the saliency head; `hidden` = channels of its 1x1 conv. */
  saliency: SgdSettings & { hidden: number };
  /** Rows per forward pass when predicting. */
  evalBatchSize: number;
  /** AUC-Borji random negative sets per frame (the benchmark's 100). */
  aucBorjiSplits: number;
  /** Layered over the training defaults for every pre-training run (epochs, preset, batchSize, ...); seed defaults to `seed`. */
  pretrain: TrainConfigInput;
  /** Worker threads of each pre-training run (0: in this thread). */
  pretrainWorkers: number;
  report: {
    /** Test frames (of fold 0) whose predicted and true saliency maps are drawn, per initialisation. */
    saliencySamples: number;
  };
}

const FINETUNE: SgdSettings = { epochs: 5, batchSize: 32, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4, maxGradNorm: 5 };
const PROBE: SgdSettings = { epochs: 100, batchSize: 64, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, maxGradNorm: 5 };

/** The method's settings throughout: 80 epochs of pre-training, every downstream row, 5 epochs of fine-tuning. */
const PAPER: EvaluateConfig = {
  profile: 'paper',
  seed: 1,
  folds: 3,
  foldsToRun: 3,
  trainEvery: 1,
  testEvery: 1,
  classWeighting: 'balanced',
  finetune: { ...FINETUNE },
  probe: { ...PROBE },
  saliency: { ...FINETUNE, hidden: 64 },
  evalBatchSize: 64,
  aucBorjiSplits: 100,
  pretrain: {},
  pretrainWorkers: 0,
  report: { saliencySamples: 4 },
};

/**
 * The benchmark at the scale of a 2-core machine (~2 h): pre-training shortened from 80 epochs
 * at lr 1e-3 to 3 epochs at lr 0.01 (x0.1 after 2; the demo's schedule, which visibly learns
 * on the demo lake) on 2 worker threads (so L_cont's in-batch negatives are the 16 rows of a
 * worker's part), fine-tuning on every 16th downstream row of the training scans for 3 epochs,
 * scores on every 4th row of the test scans. Chosen for time before any result was seen.
 */
const FULL: EvaluateConfig = {
  ...PAPER,
  profile: 'full',
  trainEvery: 16,
  testEvery: 4,
  finetune: { ...FINETUNE, epochs: 3 },
  saliency: { ...FINETUNE, epochs: 3, hidden: 64 },
  pretrain: { epochs: 3, optimizer: { learningRate: 0.01, decayEvery: 2 } },
  pretrainWorkers: 2,
};

/**
 * The demo: every stage and all 3 folds, at the smallest useful size (a quarter of the rows, one
 * epoch of pre-training and fine-tuning). Far too short for the tiny network to learn the
 * planes: its numbers show the protocol working, not the method's effect.
 */
const QUICK: EvaluateConfig = {
  ...PAPER,
  profile: 'quick',
  trainEvery: 4,
  testEvery: 4,
  finetune: { ...FINETUNE, epochs: 1 },
  probe: { ...PROBE, epochs: 20 },
  saliency: { ...FINETUNE, epochs: 1, hidden: 64 },
  pretrain: { epochs: 1 },
  report: { saliencySamples: 3 },
};

export const EVALUATE_PROFILE_CONFIGS: Readonly<Record<EvaluateProfileName, EvaluateConfig>> = { quick: QUICK, full: FULL, paper: PAPER };

export type EvaluateConfigOverrides = DeepPartial<Omit<EvaluateConfig, 'pretrain'>> & { pretrain?: TrainConfigInput };

/** The profile's values overlaid with each layer in turn (config file, then flags). */
export function resolveEvaluateConfig(profile: EvaluateProfileName, ...layers: EvaluateConfigOverrides[]): EvaluateConfig {
  const base = EVALUATE_PROFILE_CONFIGS[profile];
  if (base === undefined) throw new Error(`evaluate: unknown profile '${String(profile)}' (expected ${EVALUATE_PROFILES.join(' or ')})`);
  // The pre-training block is checked by resolveTrainConfig.
  const resolved = overlayLayers(base, layers, { label: 'evaluate config', isOpen: (path) => path === 'pretrain' || path.startsWith('pretrain.') });
  resolved.profile = profile;
  checkEvaluateConfig(resolved);
  return resolved;
}

function positiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`evaluate config: ${what} must be a positive integer, got ${value}`);
}

export function checkEvaluateConfig(c: EvaluateConfig): void {
  if (!Number.isInteger(c.seed) || c.seed < 0) throw new Error(`evaluate config: seed must be an integer >= 0, got ${c.seed}`);
  if (!Number.isInteger(c.folds) || c.folds < 2) throw new Error(`evaluate config: folds must be an integer >= 2, got ${c.folds}`);
  positiveInt(c.foldsToRun, 'foldsToRun');
  if (c.foldsToRun > c.folds) throw new Error(`evaluate config: foldsToRun ${c.foldsToRun} exceeds folds ${c.folds}`);
  positiveInt(c.trainEvery, 'trainEvery');
  positiveInt(c.testEvery, 'testEvery');
  positiveInt(c.evalBatchSize, 'evalBatchSize');
  positiveInt(c.aucBorjiSplits, 'aucBorjiSplits');
  positiveInt(c.saliency.hidden, 'saliency.hidden');
  if (!Number.isInteger(c.pretrainWorkers) || c.pretrainWorkers < 0) throw new Error(`evaluate config: pretrainWorkers must be an integer >= 0, got ${c.pretrainWorkers}`);
  if (!Number.isInteger(c.report.saliencySamples) || c.report.saliencySamples < 0) throw new Error(`evaluate config: report.saliencySamples must be an integer >= 0`);
  if (c.classWeighting !== 'balanced' && c.classWeighting !== 'none') throw new Error(`evaluate config: classWeighting must be 'balanced' or 'none'`);
  checkSgdSettings(c.finetune, 'evaluate config: finetune');
  checkSgdSettings(c.probe, 'evaluate config: probe');
  checkSgdSettings(c.saliency, 'evaluate config: saliency');
}

export async function readEvaluateConfigFile(path: string): Promise<EvaluateConfigOverrides> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as EvaluateConfigOverrides;
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`);
  }
}
