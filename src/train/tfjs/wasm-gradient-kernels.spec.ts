import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients (the core bundle does not)
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { conv2dFilterGradient } from './conv-backprop-ops.js';
import { normalValues, onBackend, relativeError } from './tensor-testing.js';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.js';

type Shape4 = [number, number, number, number];
const TOLERANCE = 2e-5;

interface Case {
  x: Shape4;
  filter: Shape4;
  stride: number;
  pad: 'same' | 'valid';
}

function grid(xShapes: Shape4[], filters: Shape4[]): Case[] {
  const cases: Case[] = [];
  for (const x of xShapes) {
    for (const filter of filters) {
      for (const stride of [1, 2]) {
        for (const pad of ['same', 'valid'] as const) cases.push({ x, filter: [filter[0], filter[1], x[3], filter[3]], stride, pad });
      }
    }
  }
  return cases;
}

/** Input and filter gradients of sum(conv(x, w) * dy) under `backend`. */
async function convGradients(
  backend: string,
  c: Case,
  conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
  rng: Rng,
): Promise<Float32Array[]> {
  const xValues = normalValues(rng, c.x.reduce((a, b) => a * b));
  const wValues = normalValues(rng, c.filter.reduce((a, b) => a * b));
  const outShape = tf.tidy(() => conv(tf.zeros(c.x), tf.zeros(c.filter)).shape);
  const dyValues = normalValues(rng, outShape.reduce((a, b) => a * b));
  return onBackend(backend, () => {
    const x = tf.tensor4d(xValues, c.x);
    const w = tf.tensor4d(wValues, c.filter);
    const dy = tf.tensor4d(dyValues, outShape);
    return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(conv(xx as tf.Tensor4D, ww as tf.Tensor4D), dy)))([x, w]);
  });
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    registerWasmGradientKernels();
    await tf.setBackend('wasm');
  });

  it('registers the three missing kernels and replaces Conv2DBackpropInput, idempotently', () => {
    for (const name of [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter, tf.Conv2DBackpropInput]) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
    expect(registerWasmGradientKernels()).toEqual([]);
  });

  // The registered filter gradient runs wasm-conv-filter-gradient.ts's SIMD loops when the
  // output channels are a multiple of 4 (4 x 4 register blocks when both sides have 4-8
  // channels: the [2, 6, 7, 4] input), else conv-backprop-ops.ts. 1 input channel: that
  // file's im2col path; 1x1: its pointwise paths, strided ones included.
  const convCases = grid(
    [
      [2, 7, 7, 3],
      [3, 8, 6, 2],
      [2, 9, 8, 1],
      [2, 6, 7, 4],
    ],
    [
      [3, 3, 0, 4],
      [1, 1, 0, 3],
      [2, 3, 0, 2],
      [1, 1, 0, 8],
    ],
  );
  it.each(convCases.map((c) => [JSON.stringify(c), c] as const))('conv2d gradients match cpu: %s', async (_label, c) => {
    const conv = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(x, w, c.stride, c.pad);
    const reference = await convGradients('cpu', c, conv, new Rng(11));
    const actual = await convGradients('wasm', c, conv, new Rng(11));
    expect(relativeError(actual[0] as Float32Array, reference[0] as Float32Array)).toBeLessThan(TOLERANCE);
    expect(relativeError(actual[1] as Float32Array, reference[1] as Float32Array)).toBeLessThan(TOLERANCE);
  });

  const depthwiseCases = grid(
    [
      [2, 7, 7, 3],
      [3, 8, 6, 2],
    ],
    [
      [3, 3, 0, 1],
      [2, 3, 0, 2],
    ],
  );
  it.each(depthwiseCases.map((c) => [JSON.stringify(c), c] as const))('depthwise gradients match cpu: %s', async (_label, c) => {
    const conv = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.depthwiseConv2d(x, w, c.stride, c.pad);
    const reference = await convGradients('cpu', c, conv, new Rng(12));
    const actual = await convGradients('wasm', c, conv, new Rng(12));
    expect(relativeError(actual[0] as Float32Array, reference[0] as Float32Array)).toBeLessThan(TOLERANCE);
    expect(relativeError(actual[1] as Float32Array, reference[1] as Float32Array)).toBeLessThan(TOLERANCE);
  });

  it('dilated depthwise backprop kernels equal the gradients of a zero-dilated filter', async () => {
    // tfjs-cpu's DepthwiseConv2dNativeBackpropInput ignores dilations, so the reference is
    // independent: a dilation-2 3x3 depthwise conv is a 5x5 one whose odd taps are zero.
    const rng = new Rng(13);
    const xShape: Shape4 = [2, 9, 8, 3];
    const fShape: Shape4 = [3, 3, 3, 2];
    const dyShape: Shape4 = [2, 9, 8, 6];
    const xv = normalValues(rng, 2 * 9 * 8 * 3);
    const wv = normalValues(rng, 3 * 3 * 3 * 2);
    const dyv = normalValues(rng, 2 * 9 * 8 * 6);
    const attrs = { strides: 1, pad: 'same', dilations: 2 } as const;
    const actual = await onBackend('wasm', () => {
      const x = tf.tensor4d(xv, xShape);
      const w = tf.tensor4d(wv, fShape);
      const dy = tf.tensor4d(dyv, dyShape);
      const dx = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { ...attrs, inputShape: xShape }) as tf.Tensor;
      const dw = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor;
      return [dx, dw];
    });
    const reference = await onBackend('cpu', () => {
      const dy = tf.tensor4d(dyv, dyShape);
      const spreadFilter = (w: tf.Tensor) => {
        const spread = tf.pad(tf.reshape(w, [3, 1, 3, 1, 3, 2]), [[0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]);
        return tf.slice(tf.reshape(spread, [6, 6, 3, 2]), [0, 0, 0, 0], [5, 5, 3, 2]) as tf.Tensor4D;
      };
      const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, spreadFilter(w), 1, 'same'), dy));
      return tf.grads(loss)([tf.tensor4d(xv, xShape), tf.tensor4d(wv, fShape)]);
    });
    expect(relativeError(actual[0] as Float32Array, reference[0] as Float32Array)).toBeLessThan(TOLERANCE);
    expect(relativeError(actual[1] as Float32Array, reference[1] as Float32Array)).toBeLessThan(TOLERANCE);
  });

  it('conv2dFilterGradient with dilation equals the gradient of a zero-dilated filter', async () => {
    // Independent reference: a dilation-2 3x3 conv is a 5x5 conv whose odd taps are zero.
    const rng = new Rng(14);
    const xShape: Shape4 = [2, 9, 7, 3];
    const xv = normalValues(rng, 2 * 9 * 7 * 3);
    const dyv = normalValues(rng, 2 * 9 * 7 * 4);
    const wv = normalValues(rng, 3 * 3 * 3 * 4);
    const ours = await onBackend('wasm', () => {
      const dy = tf.tensor4d(dyv, [2, 9, 7, 4]);
      return [conv2dFilterGradient(tf.tensor4d(xv, xShape), dy, [3, 3, 3, 4], 1, 'same', 2)];
    });
    const reference = await onBackend('cpu', () => {
      const x = tf.tensor4d(xv, xShape);
      const dy = tf.tensor4d(dyv, [2, 9, 7, 4]);
      const spreadFilter = (w: tf.Tensor) => {
        const spread = tf.pad(tf.reshape(w, [3, 1, 3, 1, 3, 4]), [[0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]);
        return tf.slice(tf.reshape(spread, [6, 6, 3, 4]), [0, 0, 0, 0], [5, 5, 3, 4]) as tf.Tensor4D;
      };
      return [tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, spreadFilter(w), 1, 'same'), dy)))(tf.tensor4d(wv, [3, 3, 3, 4]))];
    });
    expect(relativeError(ours[0] as Float32Array, reference[0] as Float32Array)).toBeLessThan(TOLERANCE);
  });
});
