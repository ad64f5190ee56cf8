/**
 * One initialisation on one fold: the three transfer protocols, each from the same starting
 * weights —
 *   1. linear probe: frozen g_v features -> standardised -> linear classifier (plane detection);
 *   2. fine-tuning: g_v + a linear head (plane detection), on the same model after the probe
 *      (the probe changes nothing in it); the head standardises its input with the probe's
 *      statistics (the initial backbone's features of the training rows), kept fixed;
 *   3. saliency: a fresh copy of the backbone + the saliency head, on rows with gaze.
 * Heads and row orders come from forks of the evaluation seed named by fold and task, so every
 * initialisation of a fold starts its heads from the same values and sees the same row orders.
 */
import { performance } from 'node:perf_hooks';
import { buildBackbone, type BackboneSpec } from '../finetune/backbone.js';
import { balancedClassWeights } from '../finetune/class-weights.js';
import { fineTuneClassifier, predictClasses } from '../finetune/finetune-classifier.js';
import { fineTuneSaliency, predictSaliency } from '../finetune/finetune-saliency.js';
import type { FrameRef, FrameSource } from '../finetune/frame-source.js';
import { LinearHead } from '../finetune/linear-head.js';
import { fitStandardisation, standardise } from '../finetune/feature-standardisation.js';
import { extractFeatures, predictLinear, trainLinearProbe } from '../finetune/linear-probe.js';
import { SaliencyHead } from '../finetune/saliency-head.js';
import type { StepReport } from '../finetune/sgd-loop.js';
import { classificationReport } from '../metrics/classification-metrics.js';
import type { Fold } from '../metrics/folds.js';
import type { SaliencyFold } from '../metrics/result-tables.js';
import { Rng } from '../../util/rng.js';
import type { EvaluateConfig } from '../../../pipelines/evaluate-config.js';
import type { InitId } from './init-variants.js';
import { SaliencyMeans, scoreRow } from './saliency-scores.js';

export const FOLD_RESULT_FORMAT = 'sonospeech.eval-fold';
// 3: the fine-tuned head standardises its input (finetune-classifier.ts).
export const FOLD_RESULT_VERSION = 3;

export interface ClassificationOutcome {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** confusion[true][predicted] over the test rows. */
  confusion: number[][];
  perClassF1: number[];
  epochLoss: number[];
  /** Every training step's loss (fine-tuning only; the probe's steps are too many and too cheap to keep). */
  stepLoss?: number[];
  seconds: number;
}

export interface SaliencySample {
  scan: string;
  row: number;
  /** The predicted map, float32 little endian, base64. */
  predicted: string;
}

export interface SaliencyOutcome extends SaliencyFold {
  frames: number;
  nanCounts: Record<keyof SaliencyFold, number>;
  /** Mean KL (nats) of each training epoch, and each training batch's KL. */
  epochLoss: number[];
  stepLoss: number[];
  seconds: number;
  samples: SaliencySample[];
}

export interface FoldResult {
  format: typeof FOLD_RESULT_FORMAT;
  version: typeof FOLD_RESULT_VERSION;
  /** Hash of everything the numbers depend on (reuse check). */
  key: string;
  init: InitId;
  fold: number;
  train: string[];
  test: string[];
  rows: FoldRows;
  probe: ClassificationOutcome;
  finetune: ClassificationOutcome;
  saliency: SaliencyOutcome;
  seconds: number;
}

export interface FoldRows {
  train: number;
  test: number;
  trainGaze: number;
  testGaze: number;
}

export interface FoldRefs {
  train: FrameRef[];
  test: FrameRef[];
  trainGaze: FrameRef[];
  testGaze: FrameRef[];
}

export function foldRefs(source: FrameSource, fold: Fold, config: Pick<EvaluateConfig, 'trainEvery' | 'testEvery'>): FoldRefs {
  return {
    train: source.select(fold.train, { every: config.trainEvery }),
    test: source.select(fold.test, { every: config.testEvery }),
    trainGaze: source.select(fold.train, { every: config.trainEvery, gazeOnly: true }),
    testGaze: source.select(fold.test, { every: config.testEvery, gazeOnly: true }),
  };
}

/**
 * Progress units of a job: about one g_v forward pass of one frame each, so the bar's rate and
 * ETA hold across the job's phases (counting batches made the cheap probe steps look like most of
 * the work). Relative costs measured on the bench set (tiny preset, wasm): a training row ~3
 * (forward + backward), a saliency training row ~4 and a scored saliency test row ~5 (the
 * up-sampled head and the six metrics); the probe's head-only steps are negligible.
 */
export const WORK_PER_ROW = { forward: 1, train: 3, saliencyTrain: 4, saliencyTest: 5 } as const;

export function foldJobWork(config: EvaluateConfig, rows: FoldRows): number {
  const w = WORK_PER_ROW;
  return (
    (rows.train + rows.test) * w.forward + config.finetune.epochs * rows.train * w.train + rows.test * w.forward +
    config.saliency.epochs * rows.trainGaze * w.saliencyTrain + rows.testGaze * w.saliencyTest
  );
}

export interface FoldJob {
  init: InitId;
  backbone: BackboneSpec;
  fold: Fold;
  refs: FoldRefs;
  source: FrameSource;
  config: EvaluateConfig;
  key: string;
  /** Keep the predicted maps of `config.report.saliencySamples` test frames. */
  keepSamples: boolean;
  /** Called after every batch with the job's work done so far (foldJobWork units). */
  onWork?: (done: number) => void;
}

/** Evenly spaced picks: indices floor((i + 0.5) n / k). */
export function evenlySpaced(n: number, k: number): number[] {
  const picks = new Set<number>();
  for (let i = 0; i < Math.min(n, k); i++) picks.add(Math.floor(((i + 0.5) * n) / Math.min(n, k)));
  return [...picks];
}

function encodeFloats(values: Float32Array): string {
  const copy = Float32Array.from(values);
  return Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength).toString('base64');
}

export function decodeFloats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function classification(trueLabels: Int32Array, predicted: Int32Array, classes: number, epochLoss: number[], seconds: number, stepLoss?: number[]): ClassificationOutcome {
  const report = classificationReport(Array.from(trueLabels), Array.from(predicted), classes);
  return { ...report.macro, accuracy: report.accuracy, confusion: report.confusion, perClassF1: report.perClass.map((c) => c.f1), epochLoss, ...(stepLoss ? { stepLoss } : {}), seconds };
}

/** 5 significant digits: plenty for a curve, a fifth of the JSON. */
function rounded(v: number): number {
  return Number(v.toPrecision(5));
}

/** The Rng every random choice of a fold's jobs forks from. */
export function foldSeeds(seed: number, fold: number): Rng {
  return new Rng(seed).fork(`fold-${fold}`);
}

/** The AUC-Borji draws of a fold: the same stream for every map scored on it. */
export function aucBorjiDraws(seed: number, fold: number): Rng {
  return foldSeeds(seed, fold).fork('saliency/auc-borji');
}

export async function runFoldJob(job: FoldJob): Promise<FoldResult> {
  const { source, config, refs, fold } = job;
  const seeds = foldSeeds(config.seed, fold.fold);
  const started = performance.now();
  let done = 0;
  const work = (units: number): void => {
    done += units;
    job.onWork?.(done);
  };
  const classes = source.classes;
  const trainLabels = source.labels(refs.train);
  const testLabels = source.labels(refs.test);
  const classWeights = config.classWeighting === 'balanced' ? balancedClassWeights(trainLabels, classes) : null;

  const model = buildBackbone(job.backbone);
  let probe: ClassificationOutcome;
  let finetune: ClassificationOutcome;
  try {
    let t0 = performance.now();
    const c = model.featureSize;
    const trainRaw = await extractFeatures(model, source, refs.train, config.evalBatchSize);
    work(refs.train.length * WORK_PER_ROW.forward);
    const testRaw = await extractFeatures(model, source, refs.test, config.evalBatchSize);
    work(refs.test.length * WORK_PER_ROW.forward);
    const scaling = fitStandardisation(trainRaw, c);
    const probeHead = new LinearHead(seeds.fork('probe/head'), c, classes);
    try {
      const loss = await trainLinearProbe(probeHead, standardise(trainRaw, scaling), trainLabels, { settings: config.probe, classWeights, rng: seeds.fork('probe/order') });
      const predicted = await predictLinear(probeHead, standardise(testRaw, scaling), config.evalBatchSize);
      probe = classification(testLabels, predicted, classes, loss, (performance.now() - t0) / 1000);
    } finally {
      probeHead.dispose();
    }

    t0 = performance.now();
    const head = new LinearHead(seeds.fork('finetune/head'), c, classes, scaling);
    try {
      const steps: number[] = [];
      const onStep = (r: StepReport): void => {
        steps.push(rounded(r.loss));
        work(r.rows * WORK_PER_ROW.train);
      };
      const loss = await fineTuneClassifier(model, head, source, refs.train, { settings: config.finetune, classWeights, rng: seeds.fork('finetune/order'), onStep });
      const predicted = await predictClasses(model, head, source, refs.test, config.evalBatchSize);
      work(refs.test.length * WORK_PER_ROW.forward);
      finetune = classification(testLabels, predicted, classes, loss, (performance.now() - t0) / 1000, steps);
    } finally {
      head.dispose();
    }
  } finally {
    model.dispose();
  }

  const saliency = await runSaliency(job, seeds, work);
  return {
    format: FOLD_RESULT_FORMAT,
    version: FOLD_RESULT_VERSION,
    key: job.key,
    init: job.init,
    fold: fold.fold,
    train: fold.train,
    test: fold.test,
    rows: { train: refs.train.length, test: refs.test.length, trainGaze: refs.trainGaze.length, testGaze: refs.testGaze.length },
    probe,
    finetune,
    saliency,
    seconds: (performance.now() - started) / 1000,
  };
}

async function runSaliency(job: FoldJob, seeds: Rng, work: (units: number) => void): Promise<SaliencyOutcome> {
  const { source, config, refs } = job;
  const t0 = performance.now();
  const model = buildBackbone(job.backbone);
  const head = new SaliencyHead(seeds.fork('saliency/head'), model.featureSize, config.saliency.hidden, source.mapHeight, source.mapWidth);
  try {
    const steps: number[] = [];
    const onStep = (r: StepReport): void => {
      steps.push(rounded(r.loss));
      work(r.rows * WORK_PER_ROW.saliencyTrain);
    };
    const loss = await fineTuneSaliency(model, head, source, refs.trainGaze, { settings: config.saliency, rng: seeds.fork('saliency/order'), onStep });
    const means = new SaliencyMeans();
    const auc = aucBorjiDraws(config.seed, job.fold.fold);
    const sampled = new Set(job.keepSamples ? evenlySpaced(refs.testGaze.length, config.report.saliencySamples) : []);
    const samples: SaliencySample[] = [];
    await predictSaliency(model, head, source, refs.testGaze, config.evalBatchSize, (i, predicted) => {
      const ref = refs.testGaze[i] as FrameRef;
      means.add(scoreRow(source, ref, predicted, auc, config.aucBorjiSplits));
      if (sampled.has(i)) samples.push({ scan: source.scan(ref).id, row: ref.row, predicted: encodeFloats(predicted) });
      // Report once per batch of scored frames, and after the last (short) one.
      if ((i + 1) % config.evalBatchSize === 0 || i + 1 === refs.testGaze.length) work(((i % config.evalBatchSize) + 1) * WORK_PER_ROW.saliencyTest);
    });
    return { ...means.means(), frames: means.frames, nanCounts: means.nanCounts(), epochLoss: loss, stepLoss: steps, seconds: (performance.now() - t0) / 1000, samples };
  } finally {
    head.dispose();
    model.dispose();
  }
}
