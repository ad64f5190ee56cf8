/**
 * Per-sample reductions and broadcasts over the positions of [B, N, C] tensors (N = H * W),
 * with hand-written gradients. tfjs differentiates a broadcasting mul/add by a tf.sum over the
 * broadcast (middle) axis, which is slow on both CPU backends; here every reduction over N is
 * a `meanRows`, and each op saves only what its gradient needs.
 *
 * On wasm with C a multiple of 4 the full-size work is ../tfjs/wasm-row-kernels.ts's
 * RowSums (sums of x and x * y in one pass) and RowAffine (x * scale + shift in one pass).
 * Otherwise, meanRows per backend:
 * - wasm: an average pool over the N positions (XNNPACK): ~1 ms for [64,1024,32], against
 *   ~8 ms for tf.sum over the middle axis (a transpose + reduce) and ~5 ms for a matMul with a
 *   ones row;
 * - cpu: a batched matMul with a ones row; cpu broadcasts any shape but a trailing one with
 *   per-element index arithmetic (mul([96,32,32,32], [96,1,1,32]) took ~750 ms against
 *   ~16 ms for a trailing [32]), so its broadcasts are matMuls with a ones column too;
 * - others: tf.mean.
 *
 * The customGrads save their inputs; on wasm that is copy-free only with
 * ../tfjs/wasm-alias-kernels.ts (registered by selectBackend / registerWasmGradientKernels),
 * which tfjs' leak check under IS_TEST also needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ROW_AFFINE, ROW_SUMS, wasmRowKernelsActive } from '../tfjs/wasm-row-kernels.js';

type Backend = 'cpu' | 'wasm' | 'other';

function backendKind(): Backend {
  const name = tf.getBackend();
  return name === 'cpu' || name === 'wasm' ? name : 'other';
}

/** The wasm row kernels apply to [B, N, C] with C a multiple of 4. */
function fused(x: tf.Tensor3D): boolean {
  return x.shape[2] % 4 === 0 && wasmRowKernelsActive();
}

/** [sum over N of x, sum over N of x * y]: [B, N, C] -> [B, 2C] (fused(x) only). */
function fusedRowSums(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor2D {
  return tf.engine().runKernel(ROW_SUMS, { x, y }) as tf.Tensor2D;
}

/** x * scale + shift per (sample, channel) (fused(x) only). */
function fusedAffine(x: tf.Tensor3D, scale: tf.Tensor2D, shift: tf.Tensor2D): tf.Tensor3D {
  return tf.engine().runKernel(ROW_AFFINE, { x, scale, shift }) as tf.Tensor3D;
}

/** mean over N: [B, N, C] -> [B, C] (no gradient of its own). */
function meanRows(x: tf.Tensor3D): tf.Tensor2D {
  const [b, n, c] = x.shape;
  return tf.tidy(() => {
    if (fused(x)) return tf.div(tf.slice(fusedRowSums(x, x), [0, 0], [b, c]), n) as tf.Tensor2D;
    switch (backendKind()) {
      case 'wasm':
        return tf.reshape(tf.avgPool(tf.reshape(x, [b, n, 1, c]) as tf.Tensor4D, [n, 1], [n, 1], 'valid'), [b, c]);
      case 'cpu':
        return tf.reshape(tf.div(tf.matMul(tf.ones([b, 1, n]), x), n), [b, c]);
      case 'other':
        return tf.mean(x, 1);
    }
  });
}

/** [B, C] -> [B, N, C], each row repeated (cpu only: elsewhere broadcasting is native). */
function spreadOnCpu(v: tf.Tensor2D, n: number): tf.Tensor3D {
  const [b, c] = v.shape;
  return tf.matMul(tf.ones([b, n, 1]), tf.reshape(v, [b, 1, c]));
}

/** x * v[b, c] at every position. */
function scaleRows(x: tf.Tensor3D, v: tf.Tensor2D): tf.Tensor3D {
  const [b, n, c] = x.shape;
  if (fused(x)) return tf.tidy(() => fusedAffine(x, v, tf.zerosLike(v)));
  return tf.mul(x, backendKind() === 'cpu' ? spreadOnCpu(v, n) : tf.reshape(v, [b, 1, c]));
}

/** x + v[b, c] at every position. */
function shiftRows(x: tf.Tensor3D, v: tf.Tensor2D): tf.Tensor3D {
  const [b, n, c] = x.shape;
  return tf.add(x, backendKind() === 'cpu' ? spreadOnCpu(v, n) : tf.reshape(v, [b, 1, c]));
}

/** v[b, c] at every one of n positions: [B, N, C]. */
function spread(v: tf.Tensor2D, n: number): tf.Tensor3D {
  const [b, c] = v.shape;
  if (backendKind() === 'cpu') return spreadOnCpu(v, n);
  return tf.mul(tf.reshape(v, [b, 1, c]), tf.ones([1, n, 1]));
}

// customGrad's typing wants (...args: Tensor[]) => ...; these take a fixed number of tensors.
type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const rowMeanOp = tf.customGrad(((x: tf.Tensor3D) => {
  const n = x.shape[1];
  return { value: meanRows(x), gradFunc: (dy: tf.Tensor2D) => spread(tf.div(dy, n), n) };
}) as unknown as CustomGradFn);

/** mean over N: [B, N, C] -> [B, C]. */
export function rowMean(x: tf.Tensor3D): tf.Tensor2D {
  return rowMeanOp(x) as tf.Tensor2D;
}

const rowMomentsOp = tf.customGrad(((x: tf.Tensor3D, save: tf.GradSaveFunc) => {
  save([x]);
  const [, n, c] = x.shape;
  const value = tf.tidy(() => (fused(x) ? tf.div(fusedRowSums(x, x), n) : tf.concat([meanRows(x), meanRows(tf.square(x))], 1)));
  const gradFunc = (dy: tf.Tensor2D, [saved]: tf.Tensor[]) => {
    const b = dy.shape[0];
    const dMean = tf.slice(dy, [0, 0], [b, c]) as tf.Tensor2D;
    const dSquare = tf.slice(dy, [0, c], [b, c]) as tf.Tensor2D;
    // d/dx of mean(x) and mean(x^2): dMean / n + x * 2 dSquare / n.
    return affineRows(saved as tf.Tensor3D, tf.mul(dSquare, 2 / n), tf.div(dMean, n));
  };
  return { value, gradFunc };
}) as unknown as CustomGradFn);

/** [mean over N of x, mean over N of x^2]: [B, N, C] -> [B, 2C]. */
export function rowMoments(x: tf.Tensor3D): tf.Tensor2D {
  return rowMomentsOp(x) as tf.Tensor2D;
}

/** x * scale[b, c] + shift[b, c] at every position. */
function affineRows(x: tf.Tensor3D, scale: tf.Tensor2D, shift: tf.Tensor2D): tf.Tensor3D {
  return fused(x) ? fusedAffine(x, scale, shift) : shiftRows(scaleRows(x, scale), shift);
}

/** d/d scale of sum(dy * x * scale): per-sample channel sums of dy * x. */
function sumRowsOfProduct(dy: tf.Tensor3D, x: tf.Tensor3D): tf.Tensor2D {
  const [b, n, c] = dy.shape;
  if (fused(dy)) return tf.slice(fusedRowSums(dy, x), [0, c], [b, c]);
  return tf.mul(meanRows(tf.mul(dy, x)), n);
}

/** [d/d scale, d/d shift] of sum(dy * (x * scale + shift)). */
function affineCoefficientGradients(dy: tf.Tensor3D, x: tf.Tensor3D): [tf.Tensor2D, tf.Tensor2D] {
  const [b, n, c] = dy.shape;
  if (fused(dy)) {
    const sums = fusedRowSums(dy, x); // [sum dy, sum dy * x]
    return [tf.slice(sums, [0, c], [b, c]), tf.slice(sums, [0, 0], [b, c])];
  }
  return [sumRowsOfProduct(dy, x), tf.mul(meanRows(dy), n)];
}

const rowScaleOp = tf.customGrad(((x: tf.Tensor3D, scale: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, scale]);
  const gradFunc = (dy: tf.Tensor3D, [sx, sScale]: tf.Tensor[]) => [
    scaleRows(dy, sScale as tf.Tensor2D),
    sumRowsOfProduct(dy, sx as tf.Tensor3D),
  ];
  return { value: scaleRows(x, scale), gradFunc };
}) as unknown as CustomGradFn);

const rowAffineOp = tf.customGrad(((x: tf.Tensor3D, scale: tf.Tensor2D, shift: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, scale]);
  const gradFunc = (dy: tf.Tensor3D, [sx, sScale]: tf.Tensor[]) => [
    scaleRows(dy, sScale as tf.Tensor2D),
    ...affineCoefficientGradients(dy, sx as tf.Tensor3D),
  ];
  return { value: tf.tidy(() => affineRows(x, scale, shift)), gradFunc };
}) as unknown as CustomGradFn);

/** x * scale[b, c] (+ shift[b, c]) at every position: [B, N, C]. */
export function rowAffine(x: tf.Tensor3D, scale: tf.Tensor2D, shift?: tf.Tensor2D): tf.Tensor3D {
  return (shift === undefined ? rowScaleOp(x, scale) : rowAffineOp(x, scale, shift)) as tf.Tensor3D;
}

/** Global average pooling [B, H, W, C] -> [B, C]. */
export function spatialMean(x: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  return rowMean(tf.reshape(x, [b, h * w, c]));
}
