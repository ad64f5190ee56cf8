/**
 * Bilinear resizing as two matrix products (rows, then columns), so it is differentiable on every
 * backend through matMul alone. Sampling positions use half-pixel centres, as
 * tf.image.resizeBilinear(..., alignCorners false, halfPixelCenters true) and PyTorch's
 * interpolate(align_corners=False): source = (target + 0.5) * in / out - 0.5, clamped to the edge.
 */
import * as tf from '@tensorflow/tfjs-core';

const { floor, min, max } = Math;

/** [out, in] interpolation weights: each row sums to 1. */
export function interpolationMatrix(inSize: number, outSize: number): Float32Array {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new Error(`interpolationMatrix: sizes must be positive integers, got ${inSize} -> ${outSize}`);
  }
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const s = min(inSize - 1, max(0, ((o + 0.5) * inSize) / outSize - 0.5));
    const i0 = floor(s);
    const i1 = min(inSize - 1, i0 + 1);
    const f = s - i0;
    m[o * inSize + i0] = (m[o * inSize + i0] as number) + (1 - f);
    m[o * inSize + i1] = (m[o * inSize + i1] as number) + f;
  }
  return m;
}

/** Resizes maps [B, h, w] to [B, outH, outW]; the matrices are kept per size pair. */
export class BilinearUpsampler {
  private readonly cache = new Map<string, { rowsT: tf.Tensor2D; colsT: tf.Tensor2D }>();

  constructor(readonly outHeight: number, readonly outWidth: number) {}

  private matrices(h: number, w: number): { rowsT: tf.Tensor2D; colsT: tf.Tensor2D } {
    const key = `${h}x${w}`;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = tf.tidy(() => ({
        rowsT: tf.keep(tf.transpose(tf.tensor2d(interpolationMatrix(h, this.outHeight), [this.outHeight, h]))),
        colsT: tf.keep(tf.transpose(tf.tensor2d(interpolationMatrix(w, this.outWidth), [this.outWidth, w]))),
      }));
      this.cache.set(key, entry);
    }
    return entry;
  }

  apply(maps: tf.Tensor3D): tf.Tensor3D {
    const [b, h, w] = maps.shape;
    const { rowsT, colsT } = this.matrices(h, w);
    const H = this.outHeight;
    const W = this.outWidth;
    const alongX = tf.reshape(tf.matMul(tf.reshape(maps, [b * h, w]), colsT), [b, h, W]);
    const swapped = tf.reshape(tf.transpose(alongX, [0, 2, 1]), [b * W, h]);
    const alongY = tf.reshape(tf.matMul(swapped, rowsT), [b, W, H]);
    return tf.transpose(alongY, [0, 2, 1]) as tf.Tensor3D;
  }

  dispose(): void {
    for (const { rowsT, colsT } of this.cache.values()) tf.dispose([rowsT, colsT]);
    this.cache.clear();
  }
}
