import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { input as symbolicInput, model as functionalModel, models, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { Rng } from '../../util/rng.js';
import { DilatedConv2D, dilatedConv2d } from './dilated-conv.js';
import { normalValues, onBackend, relativeError } from './tensor-testing.js';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.js';

type Shape4 = [number, number, number, number];
const TOLERANCE = 2e-5;

/** The filter with (rate - 1) zeros between taps: a dilation-1 conv with it equals the dilated conv. */
function spreadFilter(w: tf.Tensor4D, [rh, rw]: [number, number]): tf.Tensor4D {
  const [kh, kw, ci, co] = w.shape;
  const spread = tf.pad(tf.reshape(w, [kh, 1, kw, 1, ci, co]), [[0, 0], [0, rh - 1], [0, 0], [0, rw - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [kh * rh, kw * rw, ci, co]), [0, 0, 0, 0], [(kh - 1) * rh + 1, (kw - 1) * rw + 1, ci, co]) as tf.Tensor4D;
}

interface Case {
  x: Shape4;
  filter: Shape4;
  rate: [number, number];
  pad: 'same' | 'valid';
}

const cases: Case[] = [];
for (const x of [
  [2, 8, 8, 3],
  [2, 9, 7, 2],
  [1, 11, 10, 3],
] as Shape4[]) {
  for (const rate of [
    [2, 2],
    [3, 3],
    [2, 3],
  ] as [number, number][]) {
    for (const pad of ['same', 'valid'] as const) cases.push({ x, filter: [3, 3, x[3], 4], rate, pad });
  }
}
cases.push({ x: [2, 10, 9, 2], filter: [2, 3, 2, 3], rate: [2, 2], pad: 'same' });

function data(c: Case, seed: number) {
  const rng = new Rng(seed);
  const xv = normalValues(rng, c.x.reduce((a, b) => a * b));
  const wv = normalValues(rng, c.filter.reduce((a, b) => a * b));
  return { xv, wv };
}

describe('dilatedConv2d', () => {
  beforeAll(async () => {
    registerWasmGradientKernels();
    await tf.setBackend('cpu');
  });

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('forward equals tf.conv2d with dilations: %s', async (_l, c) => {
    const { xv, wv } = data(c, 21);
    const [ours, reference] = await onBackend('cpu', () => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, c.filter);
      const a = dilatedConv2d(x, w, c.rate, c.pad);
      const b = tf.conv2d(x, w, 1, c.pad, 'NHWC', c.rate);
      expect(a.shape).toEqual(b.shape);
      return [a, b];
    });
    expect(relativeError(ours as Float32Array, reference as Float32Array)).toBeLessThan(TOLERANCE);
  });

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('gradients equal the zero-spread filter reference on cpu and wasm: %s', async (_l, c) => {
    const { xv, wv } = data(c, 22);
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, 1, c.pad, 'NHWC', c.rate).shape);
    const dyv = normalValues(new Rng(23), outShape.reduce((a, b) => a * b));
    const grads = (conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D) => () => {
      const dy = tf.tensor4d(dyv, outShape);
      const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(conv(x as tf.Tensor4D, w as tf.Tensor4D), dy));
      return tf.grads(loss)([tf.tensor4d(xv, c.x), tf.tensor4d(wv, c.filter)]);
    };
    const reference = await onBackend('cpu', grads((x, w) => tf.conv2d(x, spreadFilter(w, c.rate), 1, c.pad)));
    for (const backend of ['cpu', 'wasm']) {
      const ours = await onBackend(backend, grads((x, w) => dilatedConv2d(x, w, c.rate, c.pad)));
      expect(relativeError(ours[0] as Float32Array, reference[0] as Float32Array)).toBeLessThan(TOLERANCE);
      expect(relativeError(ours[1] as Float32Array, reference[1] as Float32Array)).toBeLessThan(TOLERANCE);
    }
  });

  it('tf.conv2d itself has no gradient for dilation 2 (the gap this fills)', () => {
    const x = tf.ones([1, 6, 6, 1]) as tf.Tensor4D;
    expect(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'same', 'NHWC', 2)))(tf.ones([3, 3, 1, 1]))).toThrow(/dilation/);
  });
});

describe('DilatedConv2D layer', () => {
  it('computes dilatedConv2d + bias, infers shapes, and round-trips through a model config', async () => {
    await tf.setBackend('cpu');
    const input = symbolicInput({ shape: [9, 7, 3] });
    const layer = new DilatedConv2D({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', seed: 5, biasInitializer: 'ones' });
    const output = layer.apply(input) as SymbolicTensor;
    expect(output.shape).toEqual([null, 9, 7, 4]);
    const model = functionalModel({ inputs: input, outputs: output });
    const x = tf.tensor4d(normalValues(new Rng(31), 2 * 9 * 7 * 3), [2, 9, 7, 3]);
    const y = model.predict(x) as tf.Tensor;
    const kernel = layer.getWeights()[0] as tf.Tensor4D;
    const expected = tf.add(dilatedConv2d(x, kernel, 2, 'same'), 1);
    expect(relativeError(await y.data(), await expected.data())).toBeLessThan(1e-6);

    const restored = (await models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] })) as LayersModel;
    const restoredLayer = restored.layers[1] as DilatedConv2D;
    expect(restoredLayer).toBeInstanceOf(DilatedConv2D);
    expect(restoredLayer.getConfig()).toEqual(layer.getConfig());
    // The seed travels in the initializer config, so the restored weights are the same draw.
    expect(await (restoredLayer.getWeights()[0] as tf.Tensor).data()).toEqual(await kernel.data());
  });

  it('refuses a random initializer without a seed', () => {
    expect(() => new DilatedConv2D({ filters: 2, kernelSize: 3, dilationRate: 2 })).toThrow(/seed/);
  });
});
