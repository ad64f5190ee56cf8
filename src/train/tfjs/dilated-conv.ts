/**
 * Dilated (atrous) conv2d that has gradients on every backend. tfjs-core refuses the
 * gradient of conv2d with dilations > 1, so the dilation is moved into the batch:
 * space-to-batch(rate) -> conv2d (dilation 1, 'valid') -> batch-to-space(rate), the scheme of
 * TensorFlow's `with_space_to_batch`. The input is padded by the conv's own padding plus
 * whatever makes each spatial size a multiple of the rate; the extra rows/columns are cropped
 * after batchToSpaceND, so any size works with 'same' and 'valid'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ratePair, type Rate, type SpatialPadding } from './conv-args.js';
import { ConvLayerBase } from './conv-layer-base.js';

/** [padBefore, padAfter, extraCrop] for one spatial axis. */
function axisPlan(size: number, kernel: number, rate: number, padding: SpatialPadding): [number, number, number] {
  const effective = (kernel - 1) * rate + 1;
  if (padding === 'valid' && size < effective) throw new Error(`dilatedConv2d: input size ${size} < dilated kernel ${effective}`);
  const total = padding === 'same' ? effective - 1 : 0;
  const before = Math.floor(total / 2);
  const after = total - before;
  const extra = (rate - ((size + total) % rate)) % rate;
  return [before, after + extra, extra];
}

/**
 * [B, H, W, C] with H, W multiples of (rh, rw) -> [rh * rw * B, H / rh, W / rw, C]: sub-batch
 * (i, j) holds rows i, i + rh, ... and columns j, j + rw, .... The same rearrangement as
 * tf.spaceToBatchND, but through two 3-D transposes: wasm runs tfjs' 6-D transpose ~60x
 * slower than a 3-D one (93 ms vs 1.5 ms for 300k floats), which made spaceToBatchND and
 * batchToSpaceND the slowest kernels of a training step. The sub-batch order is private to
 * this pair of functions.
 */
function spaceToBatch(x: tf.Tensor4D, rh: number, rw: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const hq = h / rh;
  const wq = w / rw;
  let t: tf.Tensor = x;
  if (rw > 1) t = tf.transpose(tf.reshape(t, [b * h * wq, rw, c]), [1, 0, 2]); // (rw, b, h, wq, c)
  if (rh > 1) t = tf.transpose(tf.reshape(t, [rw * b * hq, rh, wq * c]), [1, 0, 2]); // (rh, rw, b, hq, wq, c)
  return tf.reshape(t, [rh * rw * b, hq, wq, c]);
}

/** Inverse of spaceToBatch for a batch of `batch` originals. */
function batchToSpace(y: tf.Tensor4D, rh: number, rw: number, batch: number): tf.Tensor4D {
  const [, hq, wq, c] = y.shape;
  let t: tf.Tensor = y;
  if (rh > 1) t = tf.transpose(tf.reshape(t, [rh, rw * batch * hq, wq * c]), [1, 0, 2]); // (rw, b, hq, rh, wq, c)
  if (rw > 1) t = tf.transpose(tf.reshape(t, [rw, batch * hq * rh * wq, c]), [1, 0, 2]); // (b, h, wq, rw, c)
  return tf.reshape(t, [batch, hq * rh, wq * rw, c]);
}

/**
 * Runs `validConv` (a stride-1, dilation-1, 'valid' convolution with a kernelSize kernel) as
 * if its kernel were dilated by `rate` and padded per `padding`.
 */
export function withSpaceToBatch(
  x: tf.Tensor4D,
  kernelSize: [number, number],
  rate: Rate,
  padding: SpatialPadding,
  validConv: (batched: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  const [rh, rw] = ratePair(rate);
  return tf.tidy(() => {
    const [b, h, w] = x.shape;
    const [top, bottom, cropH] = axisPlan(h, kernelSize[0], rh, padding);
    const [left, right, cropW] = axisPlan(w, kernelSize[1], rw, padding);
    const padded = top + bottom + left + right > 0 ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const y = batchToSpace(validConv(spaceToBatch(padded, rh, rw)), rh, rw, b);
    if (cropH === 0 && cropW === 0) return y;
    const [, oh, ow, c] = y.shape;
    return tf.slice(y, [0, 0, 0, 0], [b, oh - cropH, ow - cropW, c]);
  });
}

/**
 * conv2d(x, filter) with the given dilation rate and stride 1 (NHWC). Equals
 * tf.conv2d(x, filter, 1, padding, 'NHWC', rate) and is differentiable everywhere.
 */
export function dilatedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, rate: Rate, padding: SpatialPadding): tf.Tensor4D {
  const [rh, rw] = ratePair(rate);
  if (rh === 1 && rw === 1) return tf.conv2d(x, filter, 1, padding);
  return withSpaceToBatch(x, [filter.shape[0], filter.shape[1]], [rh, rw], padding, (batched) => tf.conv2d(batched, filter, 1, 'valid'));
}

/** A stride-1 Conv2D whose dilationRate, unlike tfjs-layers' Conv2D, has gradients on every backend. */
export class DilatedConv2D extends ConvLayerBase {
  static readonly className = 'DilatedConv2D';

  protected kernelInputChannels(inChannels: number): number {
    return inChannels;
  }

  protected strides(): [number, number] {
    return [1, 1];
  }

  protected convolve(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
    return dilatedConv2d(x, kernel, this.dilationRate, this.padding);
  }
}
tf.serialization.registerClass(DilatedConv2D);
