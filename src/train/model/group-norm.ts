/**
 * GroupNorm (Wu & He 2018) over NHWC, written so that tfjs' autodiff of it is cheap: the
 * per-(sample, group) statistics come from per-sample channel means of x and x^2
 * (row-ops.ts rowMoments) averaged within each group, and the normalisation is one
 * per-(sample, channel) affine x * scale + shift (row-ops.ts rowAffine). Only these two ops
 * touch full-size tensors, and both have hand-written gradients; everything between them is
 * [B, C]-sized and left to autodiff. The textbook form (moments, broadcast subtract,
 * multiply) costs about three times more forward + backward on wasm and ~5x more on cpu,
 * where its mid-axis broadcasts are slow.
 *
 * Statistics are single pass: var = E[x^2] - E[x]^2 (clamped at 0), fine for conv outputs
 * whose group mean is not orders of magnitude above their spread.
 *
 * `groupNormCoefficients` exposes scale and shift, and the input's channel means, so a caller
 * can fold more per-(sample, channel) factors into the same affine (bottleneck.ts folds
 * squeeze-and-excitation in: the mean of the normalised map is mean * scale + shift).
 */
import * as tf from '@tensorflow/tfjs-core';
import { rowAffine, rowMoments } from './row-ops.js';

/** Per-(sample, group) means of per-(sample, channel) values: [B, C] -> [B, G]. */
function groupMeans(v: tf.Tensor2D, groups: number): tf.Tensor2D {
  const [b, c] = v.shape;
  return tf.mean(tf.reshape(v, [b, groups, c / groups]), 2);
}

/** Per-(sample, group) values repeated for the group's channels: [B, G] -> [B, C]. */
function perChannel(v: tf.Tensor2D, channels: number): tf.Tensor2D {
  const [b, groups] = v.shape;
  return tf.reshape(tf.mul(tf.reshape(v, [b, groups, 1]), tf.ones([1, 1, channels / groups])), [b, channels]);
}

export interface NormCoefficients {
  /** normalised = x * scale + shift, per (sample, channel) [B, C]. */
  scale: tf.Tensor2D;
  shift: tf.Tensor2D;
  /** The input's per-(sample, channel) mean over positions [B, C]. */
  mean: tf.Tensor2D;
}

/** GroupNorm of x [B, N, C] as per-(sample, channel) coefficients. */
export function groupNormCoefficients(x: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, epsilon: number): NormCoefficients {
  const [b, , c] = x.shape;
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels not divisible by ${groups} groups`);
  // The [B, C] <-> [B, G] steps are reshapes with an inner-axis mean or broadcast: tiny, and
  // cheaper per call than matMuls with a [C, G] membership matrix (each a new XNNPACK
  // operator on wasm).
  const result = tf.tidy(() => {
    const moments = rowMoments(x); // [B, 2C]
    const mean = tf.slice(moments, [0, 0], [b, c]) as tf.Tensor2D;
    const groupMean = groupMeans(mean, groups); // [B, G]
    const groupSquare = groupMeans(tf.slice(moments, [0, c], [b, c]) as tf.Tensor2D, groups);
    const rstd = tf.rsqrt(tf.add(tf.relu(tf.sub(groupSquare, tf.square(groupMean))), epsilon)) as tf.Tensor2D;
    const scale = tf.mul(perChannel(rstd, c), gamma) as tf.Tensor2D; // [B, C]
    const shift = tf.sub(beta, tf.mul(perChannel(groupMean, c), scale)) as tf.Tensor2D;
    return { scale, shift, mean };
  });
  return result;
}

/** x [B, H, W, C], gamma and beta [C] -> GroupNorm(x) * gamma + beta. */
export function groupNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, epsilon: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => {
    const x3 = tf.reshape(x, [b, h * w, c]) as tf.Tensor3D;
    const { scale, shift } = groupNormCoefficients(x3, gamma, beta, groups, epsilon);
    return tf.reshape(rowAffine(x3, scale, shift), [b, h, w, c]);
  });
}
