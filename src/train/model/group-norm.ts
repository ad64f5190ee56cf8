/**
 * GroupNorm (Wu & He 2018) over NHWC, written so that tfjs' autodiff of it is cheap: the
 * per-(sample, group) statistics come from per-sample channel sums of x and x^2 (row-ops.ts)
 * and a [C, G] membership matrix, and the normalisation is one per-(sample, channel) affine
 * x * scale + shift. The textbook form (moments, broadcast subtract, multiply) costs about
 * three times more forward + backward on wasm and ~5x more on cpu, where its mid-axis
 * broadcasts are slow (measured on [96,32,32,32], 8 groups: wasm ~1.1 s -> ~0.4 s,
 * cpu ~19 s -> ~4 s).
 *
 * Statistics are single pass: var = E[x^2] - E[x]^2 (clamped at 0), fine for conv outputs
 * whose group mean is not orders of magnitude above their spread.
 *
 * (A tf.customGrad version is not used: saving tensors for its backward pass clones them,
 * which tfjs' leak check under IS_TEST reports as a leak on the wasm backend.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { rowAffine, rowSum } from './row-ops.js';

/** [C, G] 0/1 matrix: channel c belongs to group floor(c / (C / G)). */
function membership(channels: number, groups: number): tf.Tensor2D {
  const perGroup = channels / groups;
  const values = new Float32Array(channels * groups);
  for (let c = 0; c < channels; c++) values[c * groups + ((c / perGroup) | 0)] = 1;
  return tf.tensor2d(values, [channels, groups]);
}

/** x [B, H, W, C], gamma and beta [C] -> GroupNorm(x) * gamma + beta. */
export function groupNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, epsilon: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (c % groups !== 0) throw new Error(`groupNorm: ${c} channels not divisible by ${groups} groups`);
  return tf.tidy(() => {
    const n = h * w;
    const count = (n * c) / groups;
    const x3 = tf.reshape(x, [b, n, c]) as tf.Tensor3D;
    const m = membership(c, groups);
    const mT = tf.transpose(m);
    const mean = tf.div(tf.matMul(rowSum(x3), m), count) as tf.Tensor2D; // [B, G]
    const meanSquare = tf.div(tf.matMul(rowSum(tf.square(x3) as tf.Tensor3D), m), count);
    const rstd = tf.rsqrt(tf.add(tf.relu(tf.sub(meanSquare, tf.square(mean))), epsilon)) as tf.Tensor2D;
    const scale = tf.mul(tf.matMul(rstd, mT), gamma) as tf.Tensor2D; // [B, C]
    const shift = tf.sub(beta, tf.mul(tf.matMul(mean, mT), scale)) as tf.Tensor2D;
    return tf.reshape(rowAffine(x3, scale, shift), [b, h, w, c]);
  });
}
