import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import { resolveLossConfig } from '../losses/loss-config.js';
import { objectiveGradients } from '../losses/objective.js';
import { registerCpuGradientKernels } from './cpu-gradient-kernels.js';
import { MODEL_PRESETS, modelPreset, outputStride, type NormKind, type TwoStreamConfig } from './model-config.js';
import { isNoDecayParam } from './param-set.js';
import { PatternBank, syntheticOrders, syntheticPairs } from './synthetic-batches.js';
import { microConfig, randomTensor } from './testing.js';
import { TwoStreamModel } from './two-stream.js';
import { loadWeights, saveWeights } from './weights-io.js';

const SIZE = 32;
const BATCH = 4;

beforeAll(async () => {
  registerCpuGradientKernels();
  await tf.setBackend('cpu');
});

describe('TwoStreamModel (tiny preset, 32x32, batch 4)', () => {
  let model: TwoStreamModel;
  beforeAll(() => {
    model = new TwoStreamModel(modelPreset('tiny'), new Rng(11));
  });
  afterAll(() => model.dispose());

  it('gives every head its shape', () => {
    const rng = new Rng(1);
    const shapes = tf.tidy(() => {
      const frames = randomTensor<tf.Tensor4D>(rng, [BATCH, SIZE, SIZE, 1], 0.3, 0.2);
      const spec = randomTensor<tf.Tensor4D>(rng, [BATCH, SIZE, 24, 1], -60, 20); // non-square spectrogram
      const out = model.pairs(frames, spec, spec, false);
      const orders = model.orderLogits(randomTensor<tf.Tensor5D>(rng, [2, 4, SIZE, SIZE, 1], 0.3, 0.2), false);
      return {
        gs: model.speechFeatures(spec, false).shape,
        map: model.videoFeatureMap(frames, false).shape,
        y: [out.yVideo.shape, out.ySpeechPos.shape, out.ySpeechNeg.shape],
        logits: [out.logitsPos.shape, out.logitsNeg.shape],
        orders: orders.shape,
      };
    });
    const stride = outputStride(model.config.backbone);
    expect(stride).toBe(4);
    expect(shapes.gs).toEqual([BATCH, 128]);
    expect(shapes.map).toEqual([BATCH, SIZE / stride, SIZE / stride, 128]);
    expect(shapes.y).toEqual([
      [BATCH, 64],
      [BATCH, 64],
      [BATCH, 64],
    ]);
    expect(shapes.logits).toEqual([
      [BATCH, 2],
      [BATCH, 2],
    ]);
    expect(shapes.orders).toEqual([2, 12]);
  });

  it('sends a finite, non-zero gradient of the full loss to every trainable variable', async () => {
    const rng = new Rng(2);
    const pairs = syntheticPairs(rng, new PatternBank(rng, 8, SIZE), BATCH);
    const orders = syntheticOrders(rng, 2, SIZE); // 2 x 4 frames
    const before = tf.memory().numTensors;
    const result = objectiveGradients(model, { pairs, orders }, resolveLossConfig());
    const names = Object.keys(result.grads).map((n) => model.params.paramName(n));
    expect(names.sort()).toEqual(model.params.names().sort());
    for (const [name, grad] of Object.entries(result.grads)) {
      const values = await (grad as tf.Tensor).data();
      let maxAbs = 0;
      for (const v of values) {
        if (!Number.isFinite(v)) throw new Error(`${name}: non-finite gradient`);
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      if (maxAbs === 0) throw new Error(`${name}: zero gradient`);
    }
    expect(Number.isFinite((await result.loss.data())[0])).toBe(true);
    expect(Object.keys(result.terms).sort()).toEqual(['cls', 'cont', 'ord']);
    tf.dispose(result as unknown as tf.TensorContainer);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([pairs, orders] as unknown as tf.TensorContainer);
  });

  it('saves to an ArrayBuffer and loads into a differently seeded model with identical outputs', async () => {
    const rng = new Rng(3);
    const frames = randomTensor<tf.Tensor4D>(rng, [2, SIZE, SIZE, 1], 0.3, 0.2);
    const spec = randomTensor<tf.Tensor4D>(rng, [2, SIZE, SIZE, 1], -60, 20);
    const outputs = (m: TwoStreamModel): tf.Tensor[] =>
      tf.tidy(() => {
        const o = m.pairs(frames, spec, spec, false);
        return [o.logitsPos, o.yVideo, o.ySpeechPos];
      });
    const buffer = await saveWeights(model.params, { preset: 'tiny' });
    const other = new TwoStreamModel(modelPreset('tiny'), new Rng(99));
    const differing = outputs(other);
    const reference = outputs(model);
    expect(Array.from(await (differing[0] as tf.Tensor).data())).not.toEqual(Array.from(await (reference[0] as tf.Tensor).data()));
    expect(loadWeights(other.params, buffer)).toEqual({ preset: 'tiny' });
    const loaded = outputs(other);
    for (let i = 0; i < reference.length; i++) {
      expect(Array.from(await (loaded[i] as tf.Tensor).data())).toEqual(Array.from(await (reference[i] as tf.Tensor).data()));
    }
    // A model of another shape refuses the buffer.
    const small = new TwoStreamModel({ ...modelPreset('tiny'), fusionHidden: 8 }, new Rng(1));
    expect(() => loadWeights(small.params, buffer)).toThrow(/shape/);
    tf.dispose([frames, spec, ...differing, ...reference, ...loaded]);
    other.dispose();
    small.dispose();
  });

  it('names parameters stably and marks biases and norm affines as free of weight decay', () => {
    const names = model.params.names();
    expect(names).toContain('g_v/stage3/block0/conv2/kernel');
    expect(names).toContain('g_s/stem/norm/gamma');
    expect(names).toContain('h/fc1/kernel');
    expect(names).toContain('f/fc2/bias');
    expect(names).toContain('order/fc2/kernel');
    const engineName = model.params.engineName('h/fc1/kernel');
    expect(engineName).toBe(`${model.params.scope}/h/fc1/kernel`);
    expect(model.params.paramName(engineName)).toBe('h/fc1/kernel');
    expect(isNoDecayParam('g_v/stem/norm/gamma')).toBe(true);
    expect(isNoDecayParam('f/fc2/bias')).toBe(true);
    expect(isNoDecayParam('g_v/stage1/block0/conv1/kernel')).toBe(false);
  });
});

describe('model configuration', () => {
  it('counts parameters per preset and keeps tiny at ~100-150k', () => {
    const tiny = new TwoStreamModel(modelPreset('tiny'), new Rng(1));
    const total = tiny.params.count();
    const parts = tiny.params.countBy(1);
    expect(total).toBeGreaterThan(100_000);
    expect(total).toBeLessThan(150_000);
    expect(parts.get('g_v')).toBe(parts.get('g_s'));
    expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(total);
    tiny.dispose();
    expect(MODEL_PRESETS).toEqual(['tiny', 'small', 'resnext50']);
  });

  it('builds per-stream projections when asked', () => {
    const config = modelPreset('tiny');
    config.projection.shared = false;
    const model = new TwoStreamModel(config, new Rng(1));
    expect(model.params.countBy(1).has('h_v')).toBe(true);
    expect(model.params.countBy(1).has('h_s')).toBe(true);
    model.dispose();
  });

  it('rejects inconsistent configurations without leaking variables', () => {
    const before = tf.memory().numTensors;
    const config = modelPreset('tiny');
    (config.backbone.stages[0] as { width: number }).width = 18; // not a multiple of cardinality 4
    expect(() => new TwoStreamModel(config, new Rng(1))).toThrow(/cardinality/);
    const dilatedStride = modelPreset('tiny');
    (dilatedStride.backbone.stages[1] as { dilation: number }).dilation = 2;
    expect(() => new TwoStreamModel(dilatedStride, new Rng(1))).toThrow(/stride and dilation/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws the same initial weights from the same seed', async () => {
    const a = new TwoStreamModel(modelPreset('tiny'), new Rng(5));
    const b = new TwoStreamModel(modelPreset('tiny'), new Rng(5));
    const name = 'g_s/stage2/block0/conv2/kernel';
    expect(Array.from(await a.params.get(name).data())).toEqual(Array.from(await b.params.get(name).data()));
    a.dispose();
    b.dispose();
  });

  it.each(['batch', 'none'] as NormKind[])('has finite gradients with norm "%s" too (micro config)', async (norm) => {
    const config: TwoStreamConfig = microConfig();
    config.backbone.norm = norm;
    const model = new TwoStreamModel(config, new Rng(6));
    const rng = new Rng(7);
    const pairs = syntheticPairs(rng, new PatternBank(rng, 4, 16), 4);
    const result = objectiveGradients(model, { pairs }, resolveLossConfig());
    for (const grad of Object.values(result.grads)) {
      for (const v of await (grad as tf.Tensor).data()) expect(Number.isFinite(v)).toBe(true);
    }
    if (norm === 'batch') {
      // Training updated the running statistics; they are saved but not trained.
      const runningMean = model.params.get('g_v/stem/norm/running_mean');
      expect(runningMean.trainable).toBe(false);
      expect(Math.max(...Array.from(await runningMean.data()).map(Math.abs))).toBeGreaterThan(0);
      expect(model.params.count(true)).toBeGreaterThan(model.params.count());
    }
    tf.dispose([result, pairs] as unknown as tf.TensorContainer);
    model.dispose();
  });
});
