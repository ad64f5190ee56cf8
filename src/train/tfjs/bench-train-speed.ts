/**
 * Training-speed benchmark for the tfjs gap fillers: samples/s of a small two-stream net
 * (forward + backward + SGD update) per backend, and the Conv2DBackpropFilter kernel alone.
 * Run after `npm run build`: node dist/src/train/tfjs/bench-train-speed.js [backend ...]
 */
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, input, layers, model, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { Rng } from '../../util/rng.js';
import { selectBackend, type BackendName } from './backend.js';
import { DilatedConv2D } from './dilated-conv.js';
import { GroupedConv2D } from './grouped-conv.js';
import { SgdMomentum, trainStep } from './optim.js';

/** One stream: stem conv, two grouped convs (downsampling), one dilated conv, pooled. */
function stream(x: SymbolicTensor, name: string, rng: Rng): SymbolicTensor {
  const seed = (label: string) => rng.fork(`${name}/${label}`).nextUint32();
  const relu = () => layers.reLU();
  let h = layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: initializers.heNormal({ seed: seed('stem') }) })
    .apply(x) as SymbolicTensor;
  h = relu().apply(h) as SymbolicTensor;
  h = new GroupedConv2D({ filters: 64, kernelSize: 3, groups: 8, strides: 2, padding: 'same', seed: seed('g1') }).apply(h) as SymbolicTensor;
  h = relu().apply(h) as SymbolicTensor;
  h = new GroupedConv2D({ filters: 128, kernelSize: 3, groups: 32, strides: 2, padding: 'same', seed: seed('g2') }).apply(h) as SymbolicTensor;
  h = relu().apply(h) as SymbolicTensor;
  h = new DilatedConv2D({ filters: 128, kernelSize: 3, dilationRate: 2, padding: 'same', seed: seed('d1') }).apply(h) as SymbolicTensor;
  h = relu().apply(h) as SymbolicTensor;
  return layers.globalAveragePooling2d({}).apply(h) as SymbolicTensor;
}

/** Video frame [size, size, 3] and spectrogram [size, size, 1] streams, concatenated, 2-way head. */
export function twoStreamNet(size: number, rng: Rng): LayersModel {
  const video = input({ shape: [size, size, 3] });
  const audio = input({ shape: [size, size, 1] });
  const fused = layers.concatenate().apply([stream(video, 'video', rng), stream(audio, 'audio', rng)]) as SymbolicTensor;
  const logits = layers.dense({ units: 2, kernelInitializer: initializers.glorotUniform({ seed: rng.fork('head').nextUint32() }) }).apply(fused) as SymbolicTensor;
  return model({ inputs: [video, audio], outputs: logits });
}

function uniformTensor(rng: Rng, shape: number[]): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-1, 1);
  return tf.tensor(values, shape);
}

export interface TrainSpeed {
  backend: string;
  device: string;
  msPerStep: number;
  samplesPerSecond: number;
}

/** Mean wall time of `steps` training steps after `warmup` untimed ones. */
export async function benchTraining(backend: BackendName, options: { size: number; batch: number; steps: number; warmup: number }): Promise<TrainSpeed> {
  const selected = await selectBackend(backend);
  const rng = new Rng(7);
  const net = twoStreamNet(options.size, rng.fork('net'));
  const video = uniformTensor(rng.fork('video'), [options.batch, options.size, options.size, 3]);
  const audio = uniformTensor(rng.fork('audio'), [options.batch, options.size, options.size, 1]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: options.batch }, (_, i) => i % 2), 'int32'), 2);
  const sgd = new SgdMomentum({ learningRate: 1e-3 });
  const loss = () => tf.losses.softmaxCrossEntropy(labels, net.apply([video, audio]) as tf.Tensor) as tf.Scalar;
  const step = async () => {
    const out = trainStep(sgd, loss, { maxGradNorm: 5 });
    await out.loss.data();
    tf.dispose([out.loss, out.gradNorm]);
  };
  for (let i = 0; i < options.warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < options.steps; i++) await step();
  const msPerStep = (performance.now() - start) / options.steps;
  sgd.dispose();
  net.dispose();
  tf.dispose([video, audio, labels]);
  return { backend, device: selected.device, msPerStep, samplesPerSecond: (options.batch * 1000) / msPerStep };
}

/** Mean ms of the registered Conv2DBackpropFilter kernel on the active backend. */
export function benchFilterGradient(xShape: [number, number, number, number], filterShape: [number, number, number, number], stride: number, repeats: number): number {
  const rng = new Rng(3);
  const x = uniformTensor(rng, xShape);
  const dyShape = tf.tidy(() => tf.conv2d(x as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, stride, 'same').shape);
  const dy = uniformTensor(rng, dyShape);
  const run = () => {
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape }) as tf.Tensor;
    dw.dataSync();
    dw.dispose();
  };
  run();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  tf.dispose([x, dy]);
  return (performance.now() - start) / repeats;
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  const backends = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['wasm', 'cpu']) as BackendName[];
  for (const backend of backends) {
    const slow = backend === 'cpu';
    const speed = await benchTraining(backend, { size: 64, batch: 32, steps: slow ? 2 : 5, warmup: 1 });
    console.log(`train ${speed.device}: ${speed.msPerStep.toFixed(0)} ms/step, ${speed.samplesPerSecond.toFixed(1)} samples/s (64x64, batch 32)`);
  }
  const kernelCases: [[number, number, number, number], [number, number, number, number], number][] = [
    [[32, 32, 32, 32], [3, 3, 32, 32], 1],
    [[32, 32, 32, 32], [3, 3, 32, 64], 2],
    [[32, 16, 16, 128], [3, 3, 128, 128], 1],
    [[32, 16, 16, 4], [3, 3, 4, 4], 1],
    [[8, 16, 16, 32], [3, 3, 32, 32], 1],
    [[32, 16, 16, 64], [1, 1, 64, 128], 1],
  ];
  // tfjs-cpu's Conv2DBackpropFilter runs at ~4 MMAC/s here: big cases would take minutes.
  const cpuMacLimit = 400e6;
  for (const backend of backends) {
    await selectBackend(backend);
    for (const [xs, fs, stride] of kernelCases) {
      const macs = (xs[0] * xs[1] * xs[2] * fs[0] * fs[1] * fs[2] * fs[3]) / (stride * stride);
      if (backend === 'cpu' && macs > cpuMacLimit) continue;
      const ms = benchFilterGradient(xs, fs, stride, backend === 'cpu' ? 1 : 5);
      console.log(`Conv2DBackpropFilter ${backend} x=${JSON.stringify(xs)} filter=${JSON.stringify(fs)} stride ${stride}: ${ms.toFixed(1)} ms`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
