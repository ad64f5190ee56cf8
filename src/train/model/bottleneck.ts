/**
 * SE-ResNeXt bottleneck: 1x1 -> grouped 3x3 (stride or dilation) -> 1x1, each followed by a
 * norm (ReLU after the first two), squeeze-and-excitation on the branch, and a residual
 * connection through a 1x1 projection (+ norm) when the shape changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { Conv } from './conv.js';
import type { BackboneConfig } from './model-config.js';
import { Norm } from './norm.js';
import type { ParamSet } from './param-set.js';
import { rowAffine } from './row-ops.js';
import { SqueezeExcite } from './squeeze-excite.js';

export interface BottleneckSpec {
  inChannels: number;
  width: number;
  outChannels: number;
  stride: number;
  dilation: number;
}

export class Bottleneck {
  private readonly reduce: Conv;
  private readonly reduceNorm: Norm;
  private readonly grouped: Conv;
  private readonly groupedNorm: Norm;
  private readonly expand: Conv;
  private readonly expandNorm: Norm;
  private readonly se: SqueezeExcite;
  private readonly projection: { conv: Conv; norm: Norm } | null;

  constructor(params: ParamSet, name: string, rng: Rng, spec: BottleneckSpec, config: BackboneConfig) {
    const { inChannels, width, outChannels, stride, dilation } = spec;
    this.reduce = new Conv(params, `${name}/conv1`, rng, { inChannels, outChannels: width, kernel: 1 });
    this.reduceNorm = new Norm(params, `${name}/norm1`, width, config);
    this.grouped = new Conv(params, `${name}/conv2`, rng, {
      inChannels: width,
      outChannels: width,
      kernel: 3,
      stride,
      dilation,
      groups: config.cardinality,
    });
    this.groupedNorm = new Norm(params, `${name}/norm2`, width, config);
    this.expand = new Conv(params, `${name}/conv3`, rng, { inChannels: width, outChannels, kernel: 1 });
    this.expandNorm = new Norm(params, `${name}/norm3`, outChannels, config, config.residualGamma);
    this.se = new SqueezeExcite(params, `${name}/se`, rng, outChannels, config.seReduction);
    this.projection =
      inChannels !== outChannels || stride !== 1
        ? {
            conv: new Conv(params, `${name}/proj`, rng, { inChannels, outChannels, kernel: 1, stride }),
            norm: new Norm(params, `${name}/proj_norm`, outChannels, config),
          }
        : null;
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let y = tf.relu(this.reduceNorm.apply(this.reduce.apply(x), training));
    y = tf.relu(this.groupedNorm.apply(this.grouped.apply(y), training));
    y = this.normAndExcite(this.expand.apply(y), training);
    const shortcut = this.projection === null ? x : this.projection.norm.apply(this.projection.conv.apply(x), training);
    return tf.relu(tf.add(y, shortcut)) as tf.Tensor4D;
  }

  /**
   * se(expandNorm(x)). With GroupNorm both are one per-(sample, channel) affine: the SE's
   * pooled input, the mean of the normalised map, is mean(x) * scale + shift, and the gates
   * multiply scale and shift. Same values as the two steps, one full-size pass fewer each way.
   */
  private normAndExcite(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const [b, h, w, c] = x.shape;
    const x3 = tf.reshape(x, [b, h * w, c]) as tf.Tensor3D;
    const norm = this.expandNorm.groupCoefficients(x3);
    if (norm === null) return this.se.apply(this.expandNorm.apply(x, training));
    const gates = this.se.gates(tf.add(tf.mul(norm.mean, norm.scale), norm.shift) as tf.Tensor2D);
    return tf.reshape(rowAffine(x3, tf.mul(norm.scale, gates) as tf.Tensor2D, tf.mul(norm.shift, gates) as tf.Tensor2D), [b, h, w, c]);
  }
}
