/** Helpers for this folder's and the losses' specs. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { modelPreset, type TwoStreamConfig } from './model-config.js';

// Silences the cpu backend's "install tfjs-node" banner in test output.
tf.env().set('IS_TEST', true);

const { abs, max } = Math;

export function randomTensor<T extends tf.Tensor = tf.Tensor>(rng: Rng, shape: number[], mean = 0, std = 1): T {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = mean + std * rng.normal();
  return tf.tensor(values, shape) as T;
}

/** max |a - b| / max(max |b|, tiny). */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) throw new Error(`length ${actual.length} != ${reference.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = max(diff, abs((actual[i] as number) - (reference[i] as number)));
    scale = max(scale, abs(reference[i] as number));
  }
  return diff / max(scale, 1e-12);
}

/**
 * A two-stream net small enough for many cpu steps inside a test (16x16 inputs): the tiny
 * preset's structure (stem, a strided stage, a dilated stage, SE, grouped 3x3) at a few
 * channels.
 */
export function microConfig(): TwoStreamConfig {
  const config = modelPreset('tiny');
  config.backbone.stem.channels = 8;
  config.backbone.stages = [
    { blocks: 1, width: 8, outChannels: 16, stride: 2, dilation: 1 },
    { blocks: 1, width: 8, outChannels: 16, stride: 1, dilation: 2 },
  ];
  config.backbone.cardinality = 2;
  config.backbone.normGroups = 4;
  config.video.size = [16, 16];
  config.speech.size = [16, 16];
  config.projection = { hidden: 16, out: 16, shared: true };
  config.fusionHidden = 16;
  config.orderHidden = 16;
  return config;
}
