/**
 * Convolution gradients (NHWC) expressed as forward convolutions, so that they run in a
 * backend's optimised conv (XNNPACK on wasm) instead of scalar loops:
 * - filter gradient: a conv of the input with the output gradient, batch and channels
 *   swapped (the forward stride becomes the dilation, the forward dilation the stride);
 * - input gradient: the output gradient with zeros inserted between samples (stride),
 *   convolved with the spatially flipped filter.
 * They are plain tfjs-core ops, valid on any backend; wasm-gradient-kernels.ts registers
 * them as the wasm kernels tfjs lacks.
 */
import * as tf from '@tensorflow/tfjs-core';

export type ConvPadding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Pair = number | [number, number];
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;
type Shape4 = [number, number, number, number];

/** Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor. */
export function padOrCropSpatial(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  let out = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [b, h, w, c] = out.shape;
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    const height = h - cropTop - Math.max(0, -bottom);
    const width = w - cropLeft - Math.max(0, -right);
    out = tf.slice(out, [0, cropTop, cropLeft, 0], [b, height, width, c]);
  }
  const pads = [Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)] as const;
  if (pads.some((p) => p > 0)) {
    out = tf.pad(out, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]);
  }
  return out;
}

/** [B, H, W, C] -> [B, H*sh, W*sw, C] with each sample followed by (s - 1) zeros per axis. */
function insertZeros(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [b, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(spread, [b, h * sh, w * sw, c]);
}

function geometry(
  inShape: Shape4,
  filterShape: Shape4,
  strides: Pair,
  dilations: Pair,
  pad: ConvPadding,
  dimRoundingMode: RoundingMode,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(inShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise, 'channelsLast');
  if ((info.strideHeight > 1 || info.strideWidth > 1) && (info.dilationHeight > 1 || info.dilationWidth > 1)) {
    throw new Error('conv gradient: strides and dilations cannot both exceed 1');
  }
  return info;
}

/**
 * The output gradient laid out as an input for the flipped-filter convolution: zeros inserted
 * for the stride, padded so that a 'valid' conv with the dilated filter returns the input size.
 */
function spreadForInputGradient(dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const spread = insertZeros(dy, sh, sw);
  const eh = info.effectiveFilterHeight;
  const ew = info.effectiveFilterWidth;
  return padOrCropSpatial(
    spread,
    eh - 1 - padInfo.top,
    info.inHeight - info.outHeight * sh + padInfo.top,
    ew - 1 - padInfo.left,
    info.inWidth - info.outWidth * sw + padInfo.left,
  );
}

/**
 * The input cropped (when the forward conv never reached its last rows/columns) and the
 * explicit padding that makes the swapped conv produce exactly filterHeight x filterWidth.
 */
function inputForFilterGradient(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): { x: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const { padInfo } = info;
  const bottom = (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1 - info.inHeight - padInfo.top;
  const right = (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1 - info.inWidth - padInfo.left;
  const cropped = padOrCropSpatial(x, 0, Math.min(0, bottom), 0, Math.min(0, right));
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [padInfo.top, Math.max(0, bottom)], [padInfo.left, Math.max(0, right)], [0, 0]];
  return { x: cropped, pad };
}

/** d loss / d filter of conv2d(x, filter) given dy; same result as tf's Conv2DBackpropFilter. */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  strides: Pair,
  pad: ConvPadding,
  dilations: Pair = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = geometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, false);
    const [kh, kw, ci, co] = filterShape;
    const unpadded = info.padInfo.top === 0 && info.padInfo.bottom === 0 && info.padInfo.left === 0 && info.padInfo.right === 0;
    if (kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && unpadded) {
      // Pointwise: dW = x^T dy. Computed as (dy^T x)^T because wasm's matMul with
      // transposeA is ~6x slower than a plain one.
      const n = info.batchSize * info.outHeight * info.outWidth;
      const dyT = tf.transpose(tf.reshape(dy, [n, co]));
      return tf.reshape(tf.transpose(tf.matMul(dyT, tf.reshape(x, [n, ci]))), filterShape);
    }
    const { x: cropped, pad: swappedPad } = inputForFilterGradient(x, info);
    const xT = tf.transpose(cropped, [3, 1, 2, 0]); // [Ci, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
    const swapped = tf.conv2d(
      xT,
      dyT,
      [info.dilationHeight, info.dilationWidth],
      swappedPad,
      'NHWC',
      [info.strideHeight, info.strideWidth],
    ); // [Ci, KH, KW, Co]
    return tf.transpose(swapped, [1, 2, 0, 3]);
  });
}

/** d loss / d x of conv2d(x, filter) given dy; same result as tf's Conv2DBackpropInput. */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: Shape4,
  strides: Pair,
  pad: ConvPadding,
  dilations: Pair = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = geometry(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, false);
    const spread = spreadForInputGradient(dy, info);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    return tf.conv2d(spread, flipped, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
  });
}

/** d loss / d x of depthwiseConv2d(x, filter) given dy (filter [KH, KW, C, M]). */
export function depthwiseInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: Shape4,
  strides: Pair,
  pad: ConvPadding,
  dilations: Pair = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = geometry(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
    const [kh, kw, c, m] = filter.shape;
    const spread = spreadForInputGradient(dy, info);
    // Every one of the C*M output channels feeds back into its own input channel only.
    const flipped = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
    const perOutput = tf.depthwiseConv2d(spread, flipped, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
    if (m === 1) return perOutput;
    const [b, h, w] = inputShape;
    return tf.sum(tf.reshape(perOutput, [b, h, w, c, m]), 4);
  });
}

/** d loss / d filter of depthwiseConv2d(x, filter) given dy (filter [KH, KW, C, M]). */
export function depthwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  strides: Pair,
  pad: ConvPadding,
  dilations: Pair = 1,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = geometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
    const [kh, kw, c, m] = filterShape;
    const b = info.batchSize;
    const { x: cropped, pad: swappedPad } = inputForFilterGradient(x, info);
    // Batch folded into channels: one depthwise conv over B*C channels, then a sum over B.
    const [, h, w] = cropped.shape;
    const xT = tf.reshape<tf.Rank.R4>(tf.transpose(cropped, [1, 2, 0, 3]), [1, h, w, b * c]);
    const dyT = tf.reshape<tf.Rank.R4>(tf.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, b * c, m]);
    const swapped = tf.depthwiseConv2d(
      xT,
      dyT,
      [info.dilationHeight, info.dilationWidth],
      swappedPad,
      'NHWC',
      [info.strideHeight, info.strideWidth],
    ); // [1, KH, KW, B*C*M]
    return tf.sum(tf.reshape(swapped, [kh, kw, b, c, m]), 2);
  });
}
