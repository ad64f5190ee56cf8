/**
 * The saliency head that replaces g_v's pooling: on the last feature map [B, h, w, C], a per-pixel
 * MLP (a 1x1 conv C -> hidden, ReLU, 1x1 conv hidden -> 1), bilinear up-sampling to the
 * ground-truth map size, and a log-softmax over all pixels, so the output is a distribution over
 * the map (trained with KL to the gaze density).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Dense } from '../../train/model/dense.js';
import { ParamSet } from '../../train/model/param-set.js';
import type { Rng } from '../../util/rng.js';
import { BilinearUpsampler } from './bilinear-upsample.js';
import { logSoftmaxRows } from './losses.js';

export class SaliencyHead {
  readonly params = new ParamSet();
  private readonly hiddenLayer: Dense;
  private readonly outLayer: Dense;
  private readonly upsampler: BilinearUpsampler;

  constructor(rng: Rng, readonly channels: number, readonly hidden: number, readonly mapHeight: number, readonly mapWidth: number) {
    this.hiddenLayer = new Dense(this.params, 'head/saliency/conv1', rng, channels, hidden, true);
    this.outLayer = new Dense(this.params, 'head/saliency/conv2', rng, hidden, 1, false);
    this.upsampler = new BilinearUpsampler(mapHeight, mapWidth);
  }

  /** Feature map [B, h, w, C] -> log-probabilities [B, mapHeight * mapWidth]. */
  logProbabilities(featureMap: tf.Tensor4D): tf.Tensor2D {
    const [b, h, w, c] = featureMap.shape;
    if (c !== this.channels) throw new Error(`SaliencyHead: feature map has ${c} channels, the head expects ${this.channels}`);
    const pixels = tf.reshape(featureMap, [b * h * w, c]) as tf.Tensor2D;
    const logits = this.outLayer.apply(tf.relu(this.hiddenLayer.apply(pixels)));
    const maps = this.upsampler.apply(tf.reshape(logits, [b, h, w]) as tf.Tensor3D);
    return logSoftmaxRows(tf.reshape(maps, [b, this.mapHeight * this.mapWidth]) as tf.Tensor2D);
  }

  variables(): tf.Variable[] {
    return this.params.trainable();
  }

  dispose(): void {
    this.upsampler.dispose();
    this.params.dispose();
  }
}
