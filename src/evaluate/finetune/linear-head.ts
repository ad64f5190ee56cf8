/**
 * A linear classifier [B, C] -> [B, K] logits, with its own parameters (not part of the backbone).
 * With `inputScaling`, each input feature is first standardised with fixed (non-trained) statistics:
 * (x - mean) / std, the same map the linear probe applies to its frozen features.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Dense } from '../../train/model/dense.js';
import { ParamSet } from '../../train/model/param-set.js';
import type { Rng } from '../../util/rng.js';
import type { Standardisation } from './feature-standardisation.js';

export class LinearHead {
  readonly params = new ParamSet();
  private readonly dense: Dense;
  private readonly scaling: { mean: tf.Tensor1D; invStd: tf.Tensor1D } | null;

  constructor(rng: Rng, readonly inputs: number, readonly classes: number, inputScaling?: Standardisation) {
    this.dense = new Dense(this.params, 'head/linear', rng, inputs, classes, false);
    if (inputScaling === undefined) {
      this.scaling = null;
    } else {
      if (inputScaling.mean.length !== inputs || inputScaling.std.length !== inputs) {
        throw new Error(`LinearHead: input scaling has ${inputScaling.mean.length} means and ${inputScaling.std.length} stds for ${inputs} inputs`);
      }
      this.scaling = { mean: tf.tensor1d(inputScaling.mean), invStd: tf.tensor1d(Float32Array.from(inputScaling.std, (s) => 1 / s)) };
    }
  }

  apply(features: tf.Tensor2D): tf.Tensor2D {
    const x = this.scaling === null ? features : tf.mul(tf.sub(features, this.scaling.mean), this.scaling.invStd);
    return this.dense.apply(x as tf.Tensor2D);
  }

  variables(): tf.Variable[] {
    return this.params.trainable();
  }

  dispose(): void {
    this.scaling?.mean.dispose();
    this.scaling?.invStd.dispose();
    this.params.dispose();
  }
}
