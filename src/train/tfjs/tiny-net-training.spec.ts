import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, sequential, type Sequential } from '@tensorflow/tfjs-layers';
import { Rng } from '../../util/rng.js';
import { selectBackend } from './backend.js';
import { DilatedConv2D } from './dilated-conv.js';
import { GroupedConv2D } from './grouped-conv.js';
import { SgdMomentum, trainStep } from './optim.js';
import { normalTensor } from './tensor-testing.js';

/** 2 grouped convs + 1 dilated conv, no batch norm, global pooling, 2-way linear head. */
function tinyNet(rng: Rng): Sequential {
  const seed = (label: string) => rng.fork(label).nextUint32();
  return sequential({
    layers: [
      new GroupedConv2D({ inputShape: [12, 12, 4], filters: 8, kernelSize: 3, groups: 2, padding: 'same', seed: seed('g1') }),
      layers.reLU(),
      new GroupedConv2D({ filters: 8, kernelSize: 3, groups: 4, strides: 2, padding: 'same', seed: seed('g2') }),
      layers.reLU(),
      new DilatedConv2D({ filters: 8, kernelSize: 3, dilationRate: 2, padding: 'same', seed: seed('d1') }),
      layers.reLU(),
      layers.globalAveragePooling2d({}),
      layers.dense({ units: 2, kernelInitializer: initializers.glorotUniform({ seed: seed('head') }) }),
    ],
  });
}

describe('a tiny grouped + dilated conv net on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('takes 20 SGD steps with falling loss and a constant tensor count', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const rng = new Rng(2024);
    const model = tinyNet(rng.fork('model'));
    // Labels from a fixed rule of the input: the sign of the mean of channel 0.
    const x = normalTensor<tf.Rank.R4>(rng.fork('data'), [8, 12, 12, 4]);
    const labels = tf.tidy(() => tf.oneHot(tf.cast(tf.greater(tf.mean(tf.slice(x, [0, 0, 0, 0], [8, 12, 12, 1]), [1, 2, 3]), 0), 'int32'), 2));
    const sgd = new SgdMomentum({ learningRate: 0.2, momentum: 0.9, weightDecay: 5e-4 });
    const lossFn = () => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar;

    const losses: number[] = [];
    const tensorCounts: number[] = [];
    for (let step = 0; step < 20; step++) {
      const { loss, gradNorm } = trainStep(sgd, lossFn, { maxGradNorm: 5 });
      losses.push((await loss.data())[0] as number);
      expect(Number.isFinite((await gradNorm.data())[0])).toBe(true);
      tf.dispose([loss, gradNorm]);
      tensorCounts.push(tf.memory().numTensors);
    }
    // The momentum buffers appear during the first step; after it nothing may accumulate.
    expect(new Set(tensorCounts).size).toBe(1);
    const first = losses[0] as number;
    const last = losses.at(-1) as number;
    expect(last).toBeLessThan(0.5 * first);
    sgd.dispose();
    model.dispose();
    tf.dispose([x, labels]);
  });
});
