/**
 * Standard-plane detection by fine-tuning: g_v and a linear head on its pooled features are
 * trained together with class-balanced cross-entropy (class-weights.ts).
 *
 * The head should be built with the input scaling the probe uses (the initial backbone's feature
 * statistics on the training rows, kept fixed). Pooled features of a GroupNorm backbone differ
 * little between rows (sd ~1% of their magnitude on the bench set): an unscaled head at lr 0.01
 * barely moved its logits and its predictions collapsed onto one or two classes (F1 2-3%,
 * docs/BENCHMARKS.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TwoStreamModel } from '../../train/model/two-stream.js';
import type { Rng } from '../../util/rng.js';
import { videoVariables } from './backbone.js';
import { chunks, type FrameRef, type FrameSource } from './frame-source.js';
import type { LinearHead } from './linear-head.js';
import { weightedCrossEntropy } from './losses.js';
import { trainEpochs, type SgdSettings, type StepReport } from './sgd-loop.js';

export interface ClassifierTraining {
  settings: SgdSettings;
  /** Per-class loss weights (balancedClassWeights), or null for the plain mean. */
  classWeights: Float32Array | null;
  /** Shuffles the rows each epoch. */
  rng: Rng;
  onStep?: (report: StepReport) => void;
}

/** Trains g_v and the head in place; returns each epoch's mean loss. */
export function fineTuneClassifier(model: TwoStreamModel, head: LinearHead, source: FrameSource, train: readonly FrameRef[], options: ClassifierTraining): Promise<number[]> {
  return trainEpochs({
    settings: options.settings,
    rows: train.length,
    rng: options.rng,
    variables: [...videoVariables(model), ...head.variables()],
    loss: (batch) => {
      const refs = batch.map((i) => train[i] as FrameRef);
      const logits = head.apply(model.videoFeatures(source.frames(refs), true));
      return weightedCrossEntropy(logits, source.labels(refs), options.classWeights);
    },
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
}

/** Predicted class (argmax of the logits) of every row, in evaluation mode. */
export async function predictClasses(model: TwoStreamModel, head: LinearHead, source: FrameSource, refs: readonly FrameRef[], batchSize: number): Promise<Int32Array> {
  const out = new Int32Array(refs.length);
  let at = 0;
  for (const batch of chunks(refs, batchSize)) {
    const predicted = tf.tidy(() => tf.argMax(head.apply(model.videoFeatures(source.frames(batch), false)), 1));
    out.set(await predicted.data(), at);
    predicted.dispose();
    at += batch.length;
  }
  return out;
}
