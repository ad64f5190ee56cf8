/**
 * The minibatch loop every downstream head trains with: rows shuffled by a seeded Rng each
 * epoch, the last batch kept even when short, SGD with momentum and weight decay (PyTorch's SGD,
 * ../../train/tfjs/optim.ts) and clipping by global norm; only `variables` change.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SgdMomentum, trainStep } from '../../train/tfjs/optim.js';
import type { Rng } from '../../util/rng.js';
import { chunks } from './frame-source.js';

export interface SgdSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  maxGradNorm: number;
}

export interface StepReport {
  /** 1-based step over the whole run, and the run's total. */
  step: number;
  steps: number;
  epoch: number;
  /** Rows in this step's batch. */
  rows: number;
  loss: number;
}

export interface EpochLoopOptions {
  settings: SgdSettings;
  /** Number of training items; batches hold indices into them. */
  rows: number;
  rng: Rng;
  variables: tf.Variable[];
  /** The batch's loss; runs inside tf.variableGrads, so any tensor made here is released. */
  loss: (batch: readonly number[]) => tf.Scalar;
  onStep?: (report: StepReport) => void;
}

export function stepsPerRun(settings: Pick<SgdSettings, 'epochs' | 'batchSize'>, rows: number): number {
  return settings.epochs * Math.ceil(rows / settings.batchSize);
}

export function checkSgdSettings(s: SgdSettings, what: string): void {
  for (const key of ['epochs', 'batchSize'] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new Error(`${what}.${key} must be a positive integer, got ${s[key]}`);
  }
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate)) throw new Error(`${what}.learningRate must be > 0, got ${s.learningRate}`);
  if (!(s.momentum >= 0 && s.momentum < 1)) throw new Error(`${what}.momentum must be in [0, 1), got ${s.momentum}`);
  if (!(s.weightDecay >= 0)) throw new Error(`${what}.weightDecay must be >= 0, got ${s.weightDecay}`);
  if (!(s.maxGradNorm > 0)) throw new Error(`${what}.maxGradNorm must be > 0, got ${s.maxGradNorm}`);
}

/** Trains and returns the mean loss of each epoch (rows-weighted). */
export async function trainEpochs(options: EpochLoopOptions): Promise<number[]> {
  const { settings, rows } = options;
  if (rows === 0) throw new Error('trainEpochs: no training rows');
  const optimizer = new SgdMomentum({ learningRate: settings.learningRate, momentum: settings.momentum, weightDecay: settings.weightDecay });
  const steps = stepsPerRun(settings, rows);
  const epochLoss: number[] = [];
  let step = 0;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = options.rng.shuffle(Array.from({ length: rows }, (_, i) => i));
      let total = 0;
      for (const batch of chunks(order, settings.batchSize)) {
        const { loss, gradNorm } = trainStep(optimizer, () => options.loss(batch), { maxGradNorm: settings.maxGradNorm, varList: options.variables });
        const value = (await loss.data())[0] as number;
        loss.dispose();
        gradNorm.dispose();
        if (!Number.isFinite(value)) throw new Error(`training diverged: loss ${value} at epoch ${epoch}, step ${step + 1}`);
        total += value * batch.length;
        step++;
        options.onStep?.({ step, steps, epoch, rows: batch.length, loss: value });
      }
      epochLoss.push(total / rows);
    }
  } finally {
    optimizer.dispose();
  }
  return epochLoss;
}
