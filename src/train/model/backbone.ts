/**
 * The SE-ResNeXt backbone with dilated convolutions (METHOD.md "Model"): stem conv (+ max
 * pool), stages of bottlenecks, global average pooling. Every grouped 3x3 of a stage uses
 * the stage's dilation (DRN style, so a single-block stage is dilated too); dilated stages
 * keep stride 1, which is how the feature map stays large for dense downstream tasks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { Bottleneck } from './bottleneck.js';
import { Conv } from './conv.js';
import type { BackboneConfig } from './model-config.js';
import { Norm } from './norm.js';
import type { ParamSet } from './param-set.js';
import { spatialMean } from './row-ops.js';

export class Backbone {
  private readonly stem: Conv;
  private readonly stemNorm: Norm;
  private readonly maxPool: boolean;
  private readonly blocks: Bottleneck[] = [];

  constructor(params: ParamSet, name: string, rng: Rng, config: BackboneConfig) {
    const { stem } = config;
    this.stem = new Conv(params, `${name}/stem/conv`, rng, {
      inChannels: config.inChannels,
      outChannels: stem.channels,
      kernel: stem.kernel,
      stride: stem.stride,
    });
    this.stemNorm = new Norm(params, `${name}/stem/norm`, stem.channels, config);
    this.maxPool = stem.maxPool;
    let channels = stem.channels;
    config.stages.forEach((stage, s) => {
      for (let i = 0; i < stage.blocks; i++) {
        const spec = {
          inChannels: channels,
          width: stage.width,
          outChannels: stage.outChannels,
          stride: i === 0 ? stage.stride : 1,
          dilation: stage.dilation,
        };
        this.blocks.push(new Bottleneck(params, `${name}/stage${s + 1}/block${i}`, rng, spec, config));
        channels = stage.outChannels;
      }
    });
  }

  /** [B, H, W, C_in] -> the last stage's feature map [B, H / stride, W / stride, C]. */
  featureMap(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let y = tf.relu(this.stemNorm.apply(this.stem.apply(x), training));
    if (this.maxPool) y = tf.maxPool(y, 3, 2, 'same');
    for (const block of this.blocks) y = block.apply(y, training);
    return y;
  }

  /** [B, H, W, C_in] -> globally average-pooled features [B, C]. */
  features(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return spatialMean(this.featureMap(x, training));
  }
}
