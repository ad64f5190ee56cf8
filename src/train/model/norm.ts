/** Per-channel normalisation after a conv: GroupNorm, BatchNorm or the affine alone (model-config.ts NormKind). */
import * as tf from '@tensorflow/tfjs-core';
import { groupNorm, groupNormCoefficients, type NormCoefficients } from './group-norm.js';
import { filled } from './init.js';
import type { BackboneConfig, NormKind } from './model-config.js';
import type { ParamSet } from './param-set.js';

/** The largest divisor of `channels` that is <= maxGroups. */
export function groupCount(channels: number, maxGroups: number): number {
  for (let g = Math.min(channels, maxGroups); g > 1; g--) if (channels % g === 0) return g;
  return 1;
}

export class Norm {
  private readonly kind: NormKind;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly groups: number;
  private readonly epsilon: number;
  private readonly momentum: number;
  private readonly runningMean: tf.Variable | null = null;
  private readonly runningVar: tf.Variable | null = null;

  constructor(params: ParamSet, name: string, channels: number, config: BackboneConfig, gammaInit = 1) {
    this.kind = config.norm;
    this.groups = groupCount(channels, config.normGroups);
    this.epsilon = config.normEpsilon;
    this.momentum = config.batchNormMomentum;
    this.gamma = params.add(`${name}/gamma`, [channels], filled(channels, gammaInit));
    this.beta = params.add(`${name}/beta`, [channels], filled(channels, 0));
    if (this.kind === 'batch') {
      this.runningMean = params.add(`${name}/running_mean`, [channels], filled(channels, 0), false);
      this.runningVar = params.add(`${name}/running_var`, [channels], filled(channels, 1), false);
    }
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    switch (this.kind) {
      case 'none':
        return tf.add(tf.mul(x, this.gamma), this.beta) as tf.Tensor4D;
      case 'group':
        return this.groupNorm(x);
      case 'batch':
        return this.batchNorm(x, training);
    }
  }

  /**
   * GroupNorm as per-(sample, channel) coefficients of x [B, N, C] (see group-norm.ts), or
   * null for the other kinds.
   */
  groupCoefficients(x: tf.Tensor3D): NormCoefficients | null {
    if (this.kind !== 'group') return null;
    return groupNormCoefficients(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D, this.groups, this.epsilon);
  }

  private groupNorm(x: tf.Tensor4D): tf.Tensor4D {
    return groupNorm(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D, this.groups, this.epsilon);
  }

  private batchNorm(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const runningMean = this.runningMean as tf.Variable;
    const runningVar = this.runningVar as tf.Variable;
    if (!training) return tf.batchNorm(x, runningMean, runningVar, this.beta, this.gamma, this.epsilon) as tf.Tensor4D;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const [b, h, w] = x.shape;
    const n = b * h * w;
    const m = this.momentum;
    // Running statistics (unbiased variance, as PyTorch). They do not reach the loss, so no
    // gradient flows through these ops.
    tf.tidy(() => {
      const batchVar = tf.mul(variance, n > 1 ? n / (n - 1) : 1);
      runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(mean, m)));
      runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(batchVar, m)));
    });
    return tf.batchNorm(x, mean, variance, this.beta, this.gamma, this.epsilon) as tf.Tensor4D;
  }
}
