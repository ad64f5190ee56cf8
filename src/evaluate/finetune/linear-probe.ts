/**
 * Standard-plane detection by linear probe: g_v frozen (features computed once, in evaluation
 * mode), each feature standardised with the training rows' mean and std, and a linear softmax
 * classifier trained on them with class-balanced cross-entropy. The standardisation is an affine
 * map folded into the linear classifier: it only evens out the feature scales, which differ a lot
 * between a random and a trained backbone, so one learning rate suits every initialisation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TwoStreamModel } from '../../train/model/two-stream.js';
import type { Rng } from '../../util/rng.js';
import { chunks, type FrameRef, type FrameSource } from './frame-source.js';
import type { LinearHead } from './linear-head.js';
import { weightedCrossEntropy } from './losses.js';
import { trainEpochs, type SgdSettings, type StepReport } from './sgd-loop.js';

/** Pooled g_v features [n, C] of the rows, evaluation mode (no parameter or statistic changes). */
export async function extractFeatures(model: TwoStreamModel, source: FrameSource, refs: readonly FrameRef[], batchSize: number): Promise<Float32Array> {
  const c = model.featureSize;
  const out = new Float32Array(refs.length * c);
  let at = 0;
  for (const batch of chunks(refs, batchSize)) {
    const features = tf.tidy(() => model.videoFeatures(source.frames(batch), false));
    out.set(await features.data(), at * c);
    features.dispose();
    at += batch.length;
  }
  return out;
}

export interface ProbeTraining {
  settings: SgdSettings;
  classWeights: Float32Array | null;
  rng: Rng;
  onStep?: (report: StepReport) => void;
}

/** Trains the head on standardised features [n, C] with labels; returns each epoch's mean loss. */
export function trainLinearProbe(head: LinearHead, features: Float32Array, labels: Int32Array, options: ProbeTraining): Promise<number[]> {
  const c = head.inputs;
  const n = labels.length;
  if (features.length !== n * c) throw new Error(`trainLinearProbe: ${features.length} feature values for ${n} rows of ${c}`);
  return trainEpochs({
    settings: options.settings,
    rows: n,
    rng: options.rng,
    variables: head.variables(),
    loss: (batch) => {
      const x = new Float32Array(batch.length * c);
      batch.forEach((row, i) => x.set(features.subarray(row * c, (row + 1) * c), i * c));
      return weightedCrossEntropy(head.apply(tf.tensor2d(x, [batch.length, c])), Int32Array.from(batch, (row) => labels[row] as number), options.classWeights);
    },
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
}

/** Predicted class of every row of standardised features [n, C]. */
export async function predictLinear(head: LinearHead, features: Float32Array, batchSize: number): Promise<Int32Array> {
  const c = head.inputs;
  const n = features.length / c;
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    const predicted = tf.tidy(() => tf.argMax(head.apply(tf.tensor2d(features.subarray(start * c, (start + rows) * c), [rows, c])), 1));
    out.set(await predicted.data(), start);
    predicted.dispose();
  }
  return out;
}
