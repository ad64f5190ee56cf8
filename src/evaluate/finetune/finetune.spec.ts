import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { microConfig } from '../../train/model/testing.js';
import { TwoStreamModel } from '../../train/model/two-stream.js';
import { saveWeights } from '../../train/model/weights-io.js';
import { selectBackend } from '../../train/tfjs/backend.js';
import { Rng } from '../../util/rng.js';
import { buildBackbone, videoSnapshot } from './backbone.js';
import { interpolationMatrix, BilinearUpsampler } from './bilinear-upsample.js';
import { balancedClassWeights } from './class-weights.js';
import { fineTuneClassifier, predictClasses } from './finetune-classifier.js';
import { fineTuneSaliency, predictSaliency } from './finetune-saliency.js';
import { FrameSource } from './frame-source.js';
import { LinearHead } from './linear-head.js';
import { fitStandardisation, standardise } from './feature-standardisation.js';
import { extractFeatures, predictLinear, trainLinearProbe } from './linear-probe.js';
import { weightedCrossEntropy } from './losses.js';
import { SaliencyHead } from './saliency-head.js';
import type { SgdSettings } from './sgd-loop.js';
import { syntheticDownstream } from './synthetic-downstream.js';

const model = microConfig(); // 16 x 16 input, 16 feature channels, output stride 2
const data = syntheticDownstream({ scans: 2, rowsPerScan: 36, classes: 3, size: 16, mapSize: 12, seed: 5 });
const source = new FrameSource(data);
const all = source.select(data.scans.map((s) => s.id));
const sgd = (overrides: Partial<SgdSettings> = {}): SgdSettings => ({ epochs: 6, batchSize: 12, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, maxGradNorm: 5, ...overrides });

beforeAll(async () => {
  tf.env().set('PROD', true);
  await selectBackend('wasm');
});

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

describe('downstream pieces', () => {
  it('balanced class weights give every present class the same total weight, absent classes none', () => {
    const w = balancedClassWeights([0, 0, 0, 1, 3], 4);
    expect(Array.from(w)).toEqual([5 / 9, 5 / 3, 0, 5 / 3].map((v) => Math.fround(v)));
    expect(3 * (w[0] as number)).toBeCloseTo(w[1] as number, 6);
  });

  it('weighted cross-entropy is sum(w CE) / sum(w)', async () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 1, 0]]);
    const ce = (row: number[], k: number) => -(row[k]! - Math.log(row.reduce((a, v) => a + Math.exp(v), 0)));
    const loss = weightedCrossEntropy(logits, Int32Array.from([0, 2]), Float32Array.from([1, 1, 3]));
    expect((await loss.data())[0]).toBeCloseTo((ce([2, 0, 0], 0) + 3 * ce([0, 1, 0], 2)) / 4, 5);
    tf.dispose([logits, loss]);
  });

  it("bilinear up-sampling by matrices equals tf.image.resizeBilinear with half-pixel centres", async () => {
    const m = interpolationMatrix(5, 12);
    for (let o = 0; o < 12; o++) expect(m.subarray(o * 5, o * 5 + 5).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    const maps = tf.tensor3d(Float32Array.from({ length: 2 * 4 * 5 }, (_, i) => Math.sin(i)), [2, 4, 5]);
    const up = new BilinearUpsampler(9, 12);
    const ours = up.apply(maps);
    const reference = tf.image.resizeBilinear(tf.expandDims(maps, 3) as tf.Tensor4D, [9, 12], false, true);
    expect(ours.shape).toEqual([2, 9, 12]);
    expect(maxAbsDiff((await ours.data()) as Float32Array, (await reference.data()) as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([maps, ours, reference]);
    up.dispose();
  });

  it('loading pre-trained weights replaces the random initialisation of g_v (and so its features)', async () => {
    const trained = new TwoStreamModel(model, new Rng(99).fork('model'));
    const weights = new Uint8Array(await saveWeights(trained.params));
    const random = buildBackbone({ model, seed: 1 });
    const loaded = buildBackbone({ model, seed: 1, weights });
    const [r, l, t] = await Promise.all([videoSnapshot(random), videoSnapshot(loaded), videoSnapshot(trained)]);
    expect([...l.keys()]).toEqual([...r.keys()]);
    expect(l.size).toBeGreaterThan(10);
    for (const [name, values] of l) {
      expect(Array.from(values)).toEqual(Array.from(t.get(name)!));
    }
    const kernel = [...l.keys()].find((n) => n.endsWith('stem/conv/kernel'))!;
    expect(maxAbsDiff(l.get(kernel)!, r.get(kernel)!)).toBeGreaterThan(0.01);
    const frames = source.frames(all.slice(0, 4));
    const fr = random.videoFeatures(frames, false);
    const fl = loaded.videoFeatures(frames, false);
    expect(maxAbsDiff((await fr.data()) as Float32Array, (await fl.data()) as Float32Array)).toBeGreaterThan(1e-3);
    // The same seed and no weights is the same random model (what "random init" means here).
    const again = await videoSnapshot(buildBackbone({ model, seed: 1 }));
    expect(Array.from(again.get(kernel)!)).toEqual(Array.from(r.get(kernel)!));
    tf.dispose([frames, fr, fl]);
    for (const m of [trained, random, loaded]) m.dispose();
  });

  it('fine-tuning g_v with a linear head learns a trivially separable set', async () => {
    const backbone = buildBackbone({ model, seed: 3 });
    const head = new LinearHead(new Rng(4), backbone.featureSize, 3);
    const labels = source.labels(all);
    const before = tf.memory().numTensors;
    const losses = await fineTuneClassifier(backbone, head, source, all, { settings: sgd(), classWeights: balancedClassWeights(labels, 3), rng: new Rng(5) });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toHaveLength(6);
    expect(losses[5]!).toBeLessThan(0.5 * losses[0]!);
    const predicted = await predictClasses(backbone, head, source, all, 16);
    const correct = predicted.filter((p, i) => p === labels[i]).length;
    expect(correct / all.length).toBeGreaterThan(0.9);
    head.dispose();
    backbone.dispose();
  }, 60_000);

  it('is deterministic: the same seeds give the same losses and predictions', async () => {
    const run = async () => {
      const backbone = buildBackbone({ model, seed: 3 });
      const head = new LinearHead(new Rng(4), backbone.featureSize, 3);
      const losses = await fineTuneClassifier(backbone, head, source, all.slice(0, 24), { settings: sgd({ epochs: 2 }), classWeights: null, rng: new Rng(5) });
      const predicted = await predictClasses(backbone, head, source, all, 16);
      head.dispose();
      backbone.dispose();
      return { losses, predicted: Array.from(predicted) };
    };
    const first = await run();
    expect(await run()).toEqual(first);
  }, 60_000);

  it('a head with input scaling equals the same head on standardised features, and rejects a wrong size', async () => {
    const raw = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.sin(i) * (1 + (i % 4)) + (i % 4));
    const s = fitStandardisation(raw, 4);
    const scaled = new LinearHead(new Rng(9), 4, 3, s);
    const plain = new LinearHead(new Rng(9), 4, 3);
    const a = scaled.apply(tf.tensor2d(raw, [5, 4]));
    const b = plain.apply(tf.tensor2d(standardise(raw, s), [5, 4]));
    expect(maxAbsDiff((await a.data()) as Float32Array, (await b.data()) as Float32Array)).toBeLessThan(1e-5);
    expect(scaled.variables()).toHaveLength(2);
    expect(() => new LinearHead(new Rng(9), 5, 3, s)).toThrow(/4 means and 4 stds for 5 inputs/);
    tf.dispose([a, b]);
    scaled.dispose();
    plain.dispose();
  });

  it('the linear probe trains only its head: the backbone stays exactly as it was', async () => {
    const backbone = buildBackbone({ model, seed: 3 });
    const head = new LinearHead(new Rng(4), backbone.featureSize, 3);
    const g0 = await videoSnapshot(backbone);
    const h0 = Float32Array.from(await head.variables()[0]!.data());
    const raw = await extractFeatures(backbone, source, all, 16);
    const s = fitStandardisation(raw, backbone.featureSize);
    const features = standardise(raw, s);
    const labels = source.labels(all);
    const losses = await trainLinearProbe(head, features, labels, { settings: sgd({ epochs: 20, learningRate: 0.1 }), classWeights: null, rng: new Rng(6) });
    expect(losses[19]!).toBeLessThan(losses[0]!);
    const g1 = await videoSnapshot(backbone);
    for (const [name, values] of g0) expect(maxAbsDiff(values, g1.get(name)!)).toBe(0);
    expect(maxAbsDiff(h0, Float32Array.from(await head.variables()[0]!.data()))).toBeGreaterThan(0);
    const predicted = await predictLinear(head, features, 32);
    expect(predicted.filter((p, i) => p === labels[i]).length / all.length).toBeGreaterThan(0.8);
    head.dispose();
    backbone.dispose();
  }, 60_000);

  it('the saliency head outputs a distribution over the map, and training lowers the KL', async () => {
    const backbone = buildBackbone({ model, seed: 3 });
    const head = new SaliencyHead(new Rng(7), backbone.featureSize, 8, 12, 12);
    const gaze = source.select(data.scans.map((s) => s.id), { gazeOnly: true });
    expect(gaze.length).toBeLessThan(all.length);
    const kl = await fineTuneSaliency(backbone, head, source, gaze, { settings: sgd({ epochs: 4 }), rng: new Rng(8) });
    expect(kl[3]!).toBeLessThan(kl[0]!);
    expect(kl.every((v) => v > 0)).toBe(true);
    const sums: number[] = [];
    await predictSaliency(backbone, head, source, gaze.slice(0, 10), 4, (i, map) => {
      expect(map).toHaveLength(144);
      expect(map.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      sums[i] = map.reduce((a, v) => a + v, 0);
    });
    expect(sums).toHaveLength(10);
    for (const s of sums) expect(s).toBeCloseTo(1, 4);
    await expect(fineTuneSaliency(backbone, head, source, all, { settings: sgd({ epochs: 1 }), rng: new Rng(8) })).rejects.toThrow(/no gaze/);
    head.dispose();
    backbone.dispose();
  }, 60_000);
});
