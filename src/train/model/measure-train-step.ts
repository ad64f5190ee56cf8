/**
 * Parameter counts of the presets and the time of one forward + backward pass (the full
 * objective's gradients) on synthetic batches, for the model report.
 *
 *   node dist/src/train/model/measure-train-step.js [--backend cpu|wasm] [--preset tiny]
 *        [--batch 32] [--size 64] [--steps 3] [--counts]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_FRAMES } from '../../../schemas/columns.js';
import { Rng } from '../../util/rng.js';
import { resolveLossConfig } from '../losses/loss-config.js';
import { objectiveGradients, type ObjectiveInputs } from '../losses/objective.js';
import { selectBackend, type BackendName } from '../tfjs/backend.js';
import { MODEL_PRESETS, modelPreset, type ModelPresetName } from './model-config.js';
import { registerCpuGradientKernels } from './cpu-gradient-kernels.js';
import { TwoStreamModel } from './two-stream.js';

export interface PresetCount {
  preset: ModelPresetName;
  total: number;
  /** Parameters by part: g_v, g_s, h (or h_v, h_s), f, order. */
  parts: Record<string, number>;
}

export function countPresetParameters(): PresetCount[] {
  return MODEL_PRESETS.map((preset) => {
    const model = new TwoStreamModel(modelPreset(preset), new Rng(1));
    const result = { preset, total: model.params.count(), parts: Object.fromEntries(model.params.countBy(1)) };
    model.dispose();
    return result;
  });
}

export interface StepTiming {
  backend: string;
  preset: ModelPresetName;
  batch: number;
  size: number;
  /** Median milliseconds of objectiveGradients + reading the loss, per batch kind. */
  pairsMs: number;
  ordersMs: number;
  /** The same steps' median process CPU time (user + system): steadier than wall time on a shared machine. */
  pairsCpuMs: number;
  ordersCpuMs: number;
}

interface Medians {
  wallMs: number;
  cpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function uniformTensor(rng: Rng, shape: number[], lo: number, hi: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.uniform(lo, hi);
  return tf.tensor(values, shape);
}

async function timeSteps(model: TwoStreamModel, inputs: ObjectiveInputs, steps: number): Promise<Medians> {
  const config = resolveLossConfig();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const start = performance.now();
    const startCpu = cpuMs();
    const result = objectiveGradients(model, inputs, config);
    await result.loss.data();
    await Promise.all(Object.values(result.grads).map((g) => g.data()));
    if (i > 0) {
      // the first step warms up kernels
      wall.push(performance.now() - start);
      cpu.push(cpuMs() - startCpu);
    }
    tf.dispose(result as unknown as tf.TensorContainer);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

export async function measureStep(preset: ModelPresetName, batch: number, size: number, steps: number): Promise<Omit<StepTiming, 'backend'>> {
  const rng = new Rng(7);
  const model = new TwoStreamModel(modelPreset(preset), rng.fork('model'));
  const data = rng.fork('data');
  const pairs = {
    frames: uniformTensor(data, [batch, size, size, 1], 0, 1) as tf.Tensor4D,
    speechPos: uniformTensor(data, [batch, size, size, 1], -100, 0) as tf.Tensor4D,
    speechNeg: uniformTensor(data, [batch, size, size, 1], -100, 0) as tf.Tensor4D,
  };
  const orders = {
    frames: uniformTensor(data, [batch, ORDER_FRAMES, size, size, 1], 0, 1) as tf.Tensor5D,
    labels: tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 12), 'int32'),
  };
  const pairsTime = await timeSteps(model, { pairs }, steps);
  const ordersTime = await timeSteps(model, { orders }, steps);
  tf.dispose([pairs, orders] as unknown as tf.TensorContainer);
  model.dispose();
  return { preset, batch, size, pairsMs: pairsTime.wallMs, ordersMs: ordersTime.wallMs, pairsCpuMs: pairsTime.cpuMs, ordersCpuMs: ordersTime.cpuMs };
}

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const backend = argument('backend', 'cpu') as BackendName;
  if (backend === 'cpu') registerCpuGradientKernels();
  const selected = await selectBackend(backend);
  if (process.argv.includes('--counts')) {
    for (const c of countPresetParameters()) console.log(JSON.stringify(c));
  }
  const timing = await measureStep(argument('preset', 'tiny') as ModelPresetName, Number(argument('batch', '32')), Number(argument('size', '64')), Number(argument('steps', '3')));
  const round = (v: number) => Math.round(v);
  console.log(
    JSON.stringify({
      backend: selected.device,
      ...timing,
      pairsMs: round(timing.pairsMs),
      ordersMs: round(timing.ordersMs),
      pairsCpuMs: round(timing.pairsCpuMs),
      ordersCpuMs: round(timing.ordersCpuMs),
      pairSamplesPerSecond: Number(((1000 * timing.batch) / timing.pairsMs).toFixed(1)),
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
