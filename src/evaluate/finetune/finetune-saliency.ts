/**
 * Gaze saliency prediction by fine-tuning: g_v's last feature map feeds the saliency head
 * (saliency-head.ts); both are trained to minimise KL(ground-truth density || predicted map) on
 * training rows with gaze.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TwoStreamModel } from '../../train/model/two-stream.js';
import type { Rng } from '../../util/rng.js';
import { videoVariables } from './backbone.js';
import { chunks, type FrameRef, type FrameSource } from './frame-source.js';
import { densityCrossEntropy, meanEntropy } from './losses.js';
import type { SaliencyHead } from './saliency-head.js';
import { trainEpochs, type SgdSettings, type StepReport } from './sgd-loop.js';

export interface SaliencyTraining {
  settings: SgdSettings;
  rng: Rng;
  /** Each step's loss is reported as the batch's KL (nats). */
  onStep?: (report: StepReport) => void;
}

/** Trains g_v and the head in place; returns each epoch's mean KL (nats). Rows must have gaze. */
export async function fineTuneSaliency(model: TwoStreamModel, head: SaliencyHead, source: FrameSource, train: readonly FrameRef[], options: SaliencyTraining): Promise<number[]> {
  const cells = head.mapWidth * head.mapHeight;
  if (source.mapWidth !== head.mapWidth || source.mapHeight !== head.mapHeight) {
    throw new Error(`fineTuneSaliency: the data's maps are ${source.mapWidth}x${source.mapHeight}, the head's ${head.mapWidth}x${head.mapHeight}`);
  }
  if (train.some((ref) => source.scan(ref).hasGaze[ref.row] !== 1)) throw new Error('fineTuneSaliency: a training row has no gaze');
  const entropy = train.reduce((h, ref) => h + meanEntropy(source.saliencyRow(ref), 1), 0) / train.length;
  let batchEntropy = 0;
  const crossEntropy = await trainEpochs({
    settings: options.settings,
    rows: train.length,
    rng: options.rng,
    variables: [...videoVariables(model), ...head.variables()],
    loss: (batch) => {
      const refs = batch.map((i) => train[i] as FrameRef);
      const density = source.saliency(refs);
      batchEntropy = meanEntropy(density, refs.length);
      const target = tf.tensor2d(density, [refs.length, cells]);
      return densityCrossEntropy(head.logProbabilities(model.videoFeatureMap(source.frames(refs), true)), target);
    },
    // Reported as the batch's KL: its cross-entropy minus its targets' entropy.
    ...(options.onStep ? { onStep: (report: StepReport) => options.onStep?.({ ...report, loss: report.loss - batchEntropy }) } : {}),
  });
  // Every epoch visits every row once, so its mean cross-entropy minus the rows' mean entropy is its mean KL.
  return crossEntropy.map((ce) => ce - entropy);
}

/** Predicted maps (probabilities over mapHeight x mapWidth, summing to 1) of the rows, batch by batch. */
export async function predictSaliency(
  model: TwoStreamModel,
  head: SaliencyHead,
  source: FrameSource,
  refs: readonly FrameRef[],
  batchSize: number,
  visit: (index: number, map: Float32Array) => void,
): Promise<void> {
  const cells = head.mapWidth * head.mapHeight;
  let at = 0;
  for (const batch of chunks(refs, batchSize)) {
    const probs = tf.tidy(() => tf.exp(head.logProbabilities(model.videoFeatureMap(source.frames(batch), false))));
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    for (let i = 0; i < batch.length; i++) visit(at + i, values.subarray(i * cells, (i + 1) * cells));
    at += batch.length;
  }
}
