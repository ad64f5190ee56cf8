/** Squeeze-and-excitation (Hu et al. 2018): channel gates from globally pooled features. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { Dense } from './dense.js';
import type { ParamSet } from './param-set.js';
import { rowAffine, spatialMean } from './row-ops.js';

export class SqueezeExcite {
  private readonly reduce: Dense;
  private readonly expand: Dense;

  constructor(params: ParamSet, name: string, rng: Rng, channels: number, reduction: number) {
    const hidden = Math.max(4, Math.floor(channels / reduction));
    this.reduce = new Dense(params, `${name}/reduce`, rng, channels, hidden, true);
    this.expand = new Dense(params, `${name}/expand`, rng, hidden, channels, false);
  }

  /** Channel gates [B, C] in (0, 1) from globally pooled features [B, C]. */
  gates(pooled: tf.Tensor2D): tf.Tensor2D {
    return tf.sigmoid(this.expand.apply(tf.relu(this.reduce.apply(pooled))));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [b, h, w, c] = x.shape;
    return tf.reshape(rowAffine(tf.reshape(x, [b, h * w, c]), this.gates(spatialMean(x))), [b, h, w, c]);
  }
}
