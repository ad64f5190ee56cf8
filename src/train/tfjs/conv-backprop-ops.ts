/**
 * Convolution gradients (NHWC) expressed as forward convolutions, so that they run in a
 * backend's optimised conv (XNNPACK on wasm) instead of scalar loops:
 * - filter gradient: a conv of the input with the output gradient, batch and channels
 *   swapped (the forward stride becomes the dilation, the forward dilation the stride);
 * - input gradient: the output gradient with zeros inserted between samples (stride),
 *   convolved with the spatially flipped filter; the border goes into the conv's own
 *   (explicit) padding rather than a pad op;
 * and two cheaper special cases, each the same sums:
 * - 1x1 filters: matMuls (the strided ones on the subsampled input; the input gradient of a
 *   strided 1x1 conv is the matMul at output resolution with zeros inserted afterwards, not a
 *   conv over the zero-inserted gradient);
 * - filters with few taps x input channels (a stem conv on a 1-channel image): im2col by a
 *   depthwise conv with one-hot filters, then one matMul. The swapped conv, with its
 *   OH x OW "filter" and a handful of output pixels, runs XNNPACK at a fraction of its speed
 *   there (~15 ms for the tiny preset's stem at batch 64, ~2 ms this way).
 * They are plain tfjs-core ops, valid on any backend; wasm-gradient-kernels.ts registers
 * them as the wasm kernels tfjs lacks (there the filter gradient usually runs
 * wasm-conv-filter-gradient.ts instead), ../model/cpu-gradient-kernels.ts on cpu.
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

/**
 * conv2d(x, filter, 1, pads) with 'valid' semantics after padding by top/bottom/left/right:
 * positive amounts become the conv's explicit padding, negative ones a crop.
 */
function convWithBorder(x: tf.Tensor4D, filter: tf.Tensor4D, top: number, bottom: number, left: number, right: number, dilations: [number, number]): tf.Tensor4D {
  const cropped = padOrCropSpatial(x, Math.min(0, top), Math.min(0, bottom), Math.min(0, left), Math.min(0, right));
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
  return tf.conv2d(cropped, filter, 1, pad, 'NHWC', dilations);
}

/** The filter gradient of a pointwise conv needs no im2col; these need no swapped conv either. */
function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1;
}

/** Largest taps x input channels for which the filter gradient goes through im2col. */
const IM2COL_MAX_COLUMNS = 16;

/**
 * x^T y for x [N, A], y [N, B] -> [A, B]. wasm runs a matMul through XNNPACK only without
 * transposeA/B (otherwise a scalar loop, >10x slower), and XNNPACK packs the right operand
 * [N, width] on every call: with N in the tens of thousands that packing costs far more than
 * the multiply-adds and grows faster than the width. So the narrower operand goes on the
 * right and the wider one is transposed explicitly.
 */
function innerProductOverRows(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  if (x.shape[1] >= y.shape[1]) return tf.matMul(tf.transpose(x), y);
  return tf.transpose(tf.matMul(tf.transpose(y), x)) as tf.Tensor2D;
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

/**
 * The input at the positions a strided 1x1 conv reads ([B, OH, OW, C]), or null when its
 * padding puts some of them outside the input.
 */
function pointwiseSamples(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D | null {
  const { padInfo, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  if (padInfo.top !== 0 || padInfo.left !== 0 || (oh - 1) * sh >= info.inHeight || (ow - 1) * sw >= info.inWidth) return null;
  if (sh === 1 && sw === 1 && oh === info.inHeight && ow === info.inWidth) return x;
  // A 1x1 average pool is an exact strided copy: ~1 ms for [64,32,32,32] on wasm, where
  // tf.stridedSlice takes >100 ms.
  const pooled = tf.avgPool(x, [1, 1], [sh, sw], 'valid');
  const [b, ph, pw, c] = pooled.shape;
  return ph === oh && pw === ow ? pooled : tf.slice(pooled, [0, 0, 0, 0], [b, oh, ow, c]);
}

/** [KH, KW, C, KH*KW] one-hot: output channel c * KH*KW + t of a depthwise conv copies tap t of channel c. */
function oneHotTaps(kh: number, kw: number, c: number): tf.Tensor4D {
  const taps = kh * kw;
  const values = new Float32Array(taps * c * taps);
  for (let t = 0; t < taps; t++) for (let ch = 0; ch < c; ch++) values[(t * c + ch) * taps + t] = 1;
  return tf.tensor4d(values, [kh, kw, c, taps]);
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
    const n = info.batchSize * info.outHeight * info.outWidth;
    const dy2 = tf.reshape(dy, [n, co]) as tf.Tensor2D;
    const samples = isPointwise(info) ? pointwiseSamples(x, info) : null;
    if (samples !== null) {
      return tf.reshape(innerProductOverRows(tf.reshape(samples, [n, ci]), dy2), filterShape);
    }
    if (kh * kw * ci <= IM2COL_MAX_COLUMNS) {
      // im2col [N, ci * taps] (column c * taps + t) by a depthwise conv with one-hot filters.
      const columns = tf.depthwiseConv2d(x, oneHotTaps(kh, kw, ci), strides, pad, 'NHWC', dilations, dimRoundingMode);
      const perTap = innerProductOverRows(tf.reshape(columns, [n, ci * kh * kw]), dy2); // [ci * taps, co]
      return tf.transpose(tf.reshape(perTap, [ci, kh, kw, co]), [1, 2, 0, 3]);
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
    const { strideHeight: sh, strideWidth: sw, padInfo } = info;
    if (isPointwise(info)) {
      // Input pixel (oh * sh - top, ow * sw - left) received dy[oh, ow] . W^T; every other one 0.
      const [, , ci, co] = filter.shape;
      const [b, oh, ow] = dy.shape;
      // (wasm's matMul with transposeB is >10x slower than transposing the small filter first.)
      const z = tf.reshape(tf.matMul(tf.reshape(dy, [b * oh * ow, co]), tf.transpose(tf.reshape(filter, [ci, co]))), [b, oh, ow, ci]) as tf.Tensor4D;
      const spread = insertZeros(z, sh, sw);
      return padOrCropSpatial(spread, -padInfo.top, info.inHeight - oh * sh + padInfo.top, -padInfo.left, info.inWidth - ow * sw + padInfo.left);
    }
    const spread = insertZeros(dy, sh, sw);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // [KH, KW, Co, Ci]
    return convWithBorder(
      spread,
      flipped,
      info.effectiveFilterHeight - 1 - padInfo.top,
      info.inHeight - info.outHeight * sh + padInfo.top,
      info.effectiveFilterWidth - 1 - padInfo.left,
      info.inWidth - info.outWidth * sw + padInfo.left,
      [info.dilationHeight, info.dilationWidth],
    );
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
