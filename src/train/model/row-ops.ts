/**
 * Per-sample reductions and broadcasts over the spatial positions of [B, N, C] tensors
 * (N = H * W), written for speed per backend:
 * - tfjs-backend-cpu broadcasts any shape but a trailing one with per-element index
 *   arithmetic, and reduces non-trailing axes through a transpose: mul([96,32,32,32],
 *   [96,1,1,32]) took ~750 ms there against ~16 ms for a trailing [32] broadcast. On cpu the
 *   broadcasts are therefore batched matMuls with a ones vector (an exact outer product).
 * - On wasm a native broadcast is fast, but tf.sum over the middle axis is not: 11 ms for
 *   [64,1024,32] against 4 ms as a matMul with a ones row; and the matMul's own gradient
 *   (an outer product) is slow. rowSum is hence a matMul forward with a broadcast backward.
 */
import * as tf from '@tensorflow/tfjs-core';

function onCpu(): boolean {
  return tf.getBackend() === 'cpu';
}

/** [B, C] -> [B, N, C], each row repeated. */
function spread(v: tf.Tensor2D, n: number): tf.Tensor3D {
  const [b, c] = v.shape;
  if (onCpu()) return tf.matMul(tf.ones([b, n, 1]), tf.reshape(v, [b, 1, c]));
  return tf.mul(tf.reshape(v, [b, 1, c]), tf.ones([1, n, 1])) as tf.Tensor3D;
}

// No tensors are saved for the backward pass (it needs shapes only), so this customGrad
// also passes tfjs' kernel leak check under IS_TEST on every backend.
const rowSumOp = tf.customGrad(((x: tf.Tensor3D) => {
  const [b, n, c] = x.shape;
  const value = tf.tidy(() => tf.reshape(tf.matMul(tf.ones([onCpu() ? b : 1, 1, n]), x), [b, c]));
  return { value, gradFunc: (dy: tf.Tensor2D) => spread(dy, n) };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

/** sum over N: [B, N, C] -> [B, C]. */
export function rowSum(x: tf.Tensor3D): tf.Tensor2D {
  return rowSumOp(x) as tf.Tensor2D;
}

/** x * scale[b, c] (+ shift[b, c]) at every position: [B, N, C]. */
export function rowAffine(x: tf.Tensor3D, scale: tf.Tensor2D, shift?: tf.Tensor2D): tf.Tensor3D {
  const [b, n, c] = x.shape;
  if (!onCpu()) {
    const scaled = tf.mul(x, tf.reshape(scale, [b, 1, c])) as tf.Tensor3D;
    return shift === undefined ? scaled : (tf.add(scaled, tf.reshape(shift, [b, 1, c])) as tf.Tensor3D);
  }
  const scaled = tf.mul(x, spread(scale, n)) as tf.Tensor3D;
  return shift === undefined ? scaled : (tf.add(scaled, spread(shift, n)) as tf.Tensor3D);
}

/** Global average pooling [B, H, W, C] -> [B, C]. */
export function spatialMean(x: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  return tf.div(rowSum(tf.reshape(x, [b, h * w, c])), h * w);
}
