import { beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { input as symbolicInput, model as functionalModel, models, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { Rng } from '../../util/rng.js';
import { GroupedConv2D, groupedConv2d } from './grouped-conv.js';
import { normalValues, onBackend, relativeError } from './tensor-testing.js';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.js';

type Shape4 = [number, number, number, number];
const TOLERANCE = 2e-5;

/** Independent reference: the grouped kernel as a block-diagonal full kernel, zeros spread in for dilation. */
function referenceKernel(w: tf.Tensor4D, groups: number, rate: number): tf.Tensor4D {
  const [kh, kw, c, cout] = w.shape;
  const blocks = tf.split(w, groups, 3);
  const full = tf.concat(
    blocks.map((b, g) => tf.pad(b, [[0, 0], [0, 0], [g * c, (groups - 1 - g) * c], [0, 0]])),
    3,
  ) as tf.Tensor4D;
  if (rate === 1) return full;
  const cin = c * groups;
  const spread = tf.pad(tf.reshape(full, [kh, 1, kw, 1, cin, cout]), [[0, 0], [0, rate - 1], [0, 0], [0, rate - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [kh * rate, kw * rate, cin, cout]), [0, 0, 0, 0], [(kh - 1) * rate + 1, (kw - 1) * rate + 1, cin, cout]) as tf.Tensor4D;
}

interface Case {
  x: Shape4;
  groups: number;
  outPerGroup: number;
  stride: number;
  rate: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [];
// Channels per group 1..3 take the group-major split, 16 the channel split.
for (const [x, groupChoices] of [
  [[2, 8, 8, 4], [2, 4]],
  [[2, 9, 7, 6], [2, 6]],
  [[1, 6, 5, 32], [2]],
] as [Shape4, number[]][]) {
  for (const groups of groupChoices) {
    for (const [stride, rate] of [
      [1, 1],
      [2, 1],
      [1, 2],
    ]) {
      for (const pad of ['same', 'valid'] as const) cases.push({ x, groups, outPerGroup: 3, stride: stride as number, rate: rate as number, pad });
    }
  }
}

describe('groupedConv2d', () => {
  beforeAll(async () => {
    registerWasmGradientKernels();
    await tf.setBackend('cpu');
  });

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('forward and gradients on wasm match a block-diagonal conv on cpu: %s', async (_l, c) => {
    const rng = new Rng(41);
    const cPerGroup = c.x[3] / c.groups;
    const wShape: Shape4 = [3, 3, cPerGroup, c.groups * c.outPerGroup];
    const xv = normalValues(rng, c.x.reduce((a, b) => a * b));
    const wv = normalValues(rng, wShape.reduce((a, b) => a * b));
    const options = { groups: c.groups, strides: c.stride, padding: c.pad, dilationRate: c.rate };
    const outShape = tf.tidy(() => groupedConv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, options).shape);
    const dyv = normalValues(rng, outShape.reduce((a, b) => a * b));
    const run = (conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D) => () => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, wShape);
      const dy = tf.tensor4d(dyv, outShape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), dy)))([x, w]);
      return [conv(x, w), dx as tf.Tensor, dw as tf.Tensor];
    };
    const reference = await onBackend(
      'cpu',
      run((x, w) => tf.conv2d(x, referenceKernel(w, c.groups, c.rate), c.stride, c.pad)),
    );
    const ours = await onBackend('wasm', run((x, w) => groupedConv2d(x, w, options)));
    for (let i = 0; i < 3; i++) expect(relativeError(ours[i] as Float32Array, reference[i] as Float32Array)).toBeLessThan(TOLERANCE);
  });

  it('rejects channel counts that the groups do not divide, and strides with dilation', () => {
    const x = tf.zeros([1, 5, 5, 6]) as tf.Tensor4D;
    expect(() => groupedConv2d(x, tf.zeros([3, 3, 2, 4]) as tf.Tensor4D, { groups: 4 })).toThrow(/divisible/);
    expect(() => groupedConv2d(x, tf.zeros([3, 3, 3, 4]) as tf.Tensor4D, { groups: 2, strides: 2, dilationRate: 2 })).toThrow(/strides/);
  });
});

describe('GroupedConv2D layer', () => {
  it('has the grouped kernel shape, computes groupedConv2d + bias and round-trips through JSON', async () => {
    await tf.setBackend('cpu');
    const input = symbolicInput({ shape: [9, 8, 8] });
    const layer = new GroupedConv2D({ filters: 12, kernelSize: 3, groups: 4, strides: 2, padding: 'same', seed: 7, biasInitializer: 'ones' });
    const output = layer.apply(input) as SymbolicTensor;
    expect(output.shape).toEqual([null, 5, 4, 12]);
    const kernel = layer.getWeights()[0] as tf.Tensor4D;
    expect(kernel.shape).toEqual([3, 3, 2, 12]);
    const model = functionalModel({ inputs: input, outputs: output });
    const x = tf.tensor4d(normalValues(new Rng(51), 2 * 9 * 8 * 8), [2, 9, 8, 8]);
    const expected = tf.add(groupedConv2d(x, kernel, { groups: 4, strides: 2, padding: 'same' }), 1);
    expect(relativeError(await (model.predict(x) as tf.Tensor).data(), await expected.data())).toBeLessThan(1e-6);

    const config = layer.getConfig();
    expect(config).toMatchObject({ filters: 12, kernelSize: [3, 3], groups: 4, strides: [2, 2], dilationRate: [1, 1], padding: 'same', useBias: true });
    // heNormal serialises, as in Keras, as VarianceScaling(scale 2, fan in).
    expect(config.kernelInitializer).toMatchObject({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', seed: 7 } });
    const restored = (await models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] })) as LayersModel;
    const restoredLayer = restored.layers[1] as GroupedConv2D;
    expect(restoredLayer).toBeInstanceOf(GroupedConv2D);
    expect(restoredLayer.getConfig()).toEqual(config);
    expect(await (restoredLayer.getWeights()[0] as tf.Tensor).data()).toEqual(await kernel.data());
  });

  it('takes a dilation rate and refuses input channels the groups do not divide', () => {
    const dilated = new GroupedConv2D({ filters: 4, kernelSize: 3, groups: 2, dilationRate: 2, padding: 'same', seed: 1 });
    expect((dilated.apply(symbolicInput({ shape: [7, 7, 4] })) as SymbolicTensor).shape).toEqual([null, 7, 7, 4]);
    const layer = new GroupedConv2D({ filters: 4, kernelSize: 3, groups: 2, seed: 1 });
    expect(() => layer.apply(symbolicInput({ shape: [7, 7, 3] }))).toThrow(/divisible/);
  });
});
