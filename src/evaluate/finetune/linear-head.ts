/** A linear classifier [B, C] -> [B, K] logits, with its own parameters (not part of the backbone). */
import type * as tf from '@tensorflow/tfjs-core';
import { Dense } from '../../train/model/dense.js';
import { ParamSet } from '../../train/model/param-set.js';
import type { Rng } from '../../util/rng.js';

export class LinearHead {
  readonly params = new ParamSet();
  private readonly dense: Dense;

  constructor(rng: Rng, readonly inputs: number, readonly classes: number) {
    this.dense = new Dense(this.params, 'head/linear', rng, inputs, classes, false);
  }

  apply(features: tf.Tensor2D): tf.Tensor2D {
    return this.dense.apply(features);
  }

  variables(): tf.Variable[] {
    return this.params.trainable();
  }

  dispose(): void {
    this.params.dispose();
  }
}
