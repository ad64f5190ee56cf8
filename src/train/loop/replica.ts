/**
 * One copy of the model and its optimiser, in whichever thread runs it: computes a part's
 * gradients (read back as typed arrays) and applies an averaged, clipped gradient. Every
 * replica of a run starts from the same seed and applies the same updates, so all hold
 * identical weights after every step.
 */
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import { Rng } from '../../util/rng.js';
import type { LossConfig } from '../losses/loss-config.js';
import { objectiveGradients } from '../losses/objective.js';
import type { TwoStreamConfig } from '../model/model-config.js';
import { isNoDecayParam } from '../model/param-set.js';
import { TwoStreamModel } from '../model/two-stream.js';
import { decodeTensors, encodeValues, loadWeights, saveWeights } from '../model/weights-io.js';
import { SgdMomentum, type SgdState } from '../tfjs/optim.js';
import type { PartGradients } from './gradient-average.js';
import { partInputs } from './model-input.js';
import { partWeight, type StepPart } from './step-part.js';
import type { OptimizerConfig } from './train-config.js';

export interface ReplicaConfig {
  model: TwoStreamConfig;
  loss: LossConfig;
  optimizer: Pick<OptimizerConfig, 'momentum' | 'weightDecay' | 'weightDecayOn'>;
  /** The model's initial weights come from Rng(seed).fork('model'). */
  seed: number;
}

/** A part's gradients and the scalars to log (unweighted means over the part's rows). */
export interface PartResult extends PartGradients {
  loss: number;
  terms: { cls?: number; cont?: number; ord?: number };
  metrics: { pairAccuracy?: number; orderAccuracy?: number };
  /** Forward + backward + read-back time. */
  ms: number;
}

/** Weights and optimiser state of a replica, as one transferable buffer each. */
export interface ReplicaState {
  weights: ArrayBuffer;
  optimizer: ArrayBuffer;
}

async function scalars<K extends string>(map: Partial<Record<K, tf.Scalar>>): Promise<Partial<Record<K, number>>> {
  const out: Partial<Record<K, number>> = {};
  for (const [key, t] of Object.entries(map) as [K, tf.Scalar][]) out[key] = (await t.data())[0] as number;
  return out;
}

export class Replica {
  readonly model: TwoStreamModel;
  private readonly optimizer: SgdMomentum;
  /** Trainable parameter names: the order of every gradient list. */
  readonly paramNames: string[];

  constructor(readonly config: ReplicaConfig) {
    this.model = new TwoStreamModel(config.model, new Rng(config.seed).fork('model'));
    const params = this.model.params;
    this.paramNames = params.entries().filter(([, v]) => v.trainable).map(([name]) => name);
    this.optimizer = new SgdMomentum({
      learningRate: 0,
      momentum: config.optimizer.momentum,
      weightDecay: config.optimizer.weightDecay,
      ...(config.optimizer.weightDecayOn === 'weights-only' ? { excludeFromWeightDecay: (engineName: string) => isNoDecayParam(params.paramName(engineName)) } : {}),
    });
  }

  async gradients(part: StepPart): Promise<PartResult> {
    const start = performance.now();
    const weight = partWeight(part);
    const inputs = partInputs(part, this.config.model);
    try {
      const result = objectiveGradients(this.model, inputs, this.config.loss);
      try {
        const byName = this.model.params.byParamName(result.grads);
        const grads = await Promise.all(
          this.paramNames.map(async (name) => {
            const g = byName[name];
            return g === undefined ? null : Float32Array.from(await g.data());
          }),
        );
        const loss = (await result.loss.data())[0] as number;
        return { weight, grads, loss, terms: await scalars(result.terms), metrics: await scalars(result.metrics), ms: performance.now() - start };
      } finally {
        tf.dispose(result as unknown as tf.TensorContainer);
      }
    } finally {
      tf.dispose(inputs as unknown as tf.TensorContainer);
    }
  }

  /** Applies a gradient list (paramNames order; null = no gradient, parameter untouched) at learning rate lr. */
  apply(grads: readonly (Float32Array | null)[], lr: number): void {
    if (grads.length !== this.paramNames.length) throw new Error(`apply: ${grads.length} gradients for ${this.paramNames.length} parameters`);
    this.optimizer.learningRate = lr;
    const named: tf.NamedTensorMap = {};
    try {
      grads.forEach((g, i) => {
        if (g === null) return;
        const variable = this.model.params.get(this.paramNames[i] as string);
        named[variable.name] = tf.tensor(g, variable.shape, 'float32');
      });
      this.optimizer.applyGradients(named);
    } finally {
      tf.dispose(Object.values(named));
    }
  }

  async exportState(): Promise<ReplicaState> {
    const opt = await this.optimizer.exportState();
    const optimizer = encodeValues(
      // Keyed by parameter name: engine names carry a per-process model scope.
      opt.buffers.map((b) => [this.model.params.paramName(b.name), { shape: b.shape, values: b.values }]),
      { iterations: opt.iterations, learningRate: opt.learningRate },
    );
    return { weights: await saveWeights(this.model.params), optimizer };
  }

  importState(state: ReplicaState): void {
    loadWeights(this.model.params, state.weights);
    const { tensors, meta } = decodeTensors(state.optimizer);
    const m = meta as { iterations: number; learningRate: number };
    const buffers: SgdState['buffers'] = [];
    for (const [name, { shape, values }] of tensors) {
      if (!this.model.params.has(name)) throw new Error(`optimizer state: momentum for unknown parameter ${name}`);
      buffers.push({ name: this.model.params.engineName(name), shape, values });
    }
    this.optimizer.importState({ iterations: m.iterations, learningRate: m.learningRate, buffers });
  }

  numTensors(): number {
    return tf.memory().numTensors;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
