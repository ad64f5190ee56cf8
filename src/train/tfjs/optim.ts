/**
 * What tfjs lacks for the paper's optimisation (METHOD: SGD, momentum 0.9, weight decay
 * 5e-4, gradient clipping): clip-by-global-norm, and SGD with momentum and weight decay
 * applied by hand, driven by variableGrads -> clip -> update (tfjs' `minimize` cannot clip).
 *
 * Update rule, PyTorch's torch.optim.SGD with dampening 0:
 *   coupled (L2, PyTorch default):  g += wd * w
 *   buf = momentum * buf + g        (buf starts at 0, so the first step has buf = g)
 *   step = nesterov ? g + momentum * buf : buf
 *   decoupled (SGDW):               w -= lr * wd * w
 *   w -= lr * step
 */
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients (the core CJS bundle has none)
import * as tf from '@tensorflow/tfjs-core';

/** sqrt of the sum of squares of every element of every gradient. */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  });
}

/**
 * Scales all gradients by maxNorm / max(globalNorm, maxNorm) (TensorFlow's
 * clip_by_global_norm): unchanged when the global norm is within maxNorm. Returns new
 * tensors; the caller disposes both the inputs and the outputs.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be > 0, got ${maxNorm}`);
  const names = Object.keys(grads);
  const tensors = names.map((n) => grads[n] as tf.Tensor);
  const norm = globalNorm(tensors);
  const clipped = tf.tidy(() => {
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    return tensors.map((g) => tf.mul(g, scale));
  });
  return { grads: Object.fromEntries(names.map((n, i) => [n, clipped[i] as tf.Tensor])), norm };
}

export interface SgdOptions {
  learningRate: number;
  /** Default 0.9. */
  momentum?: number;
  /** Default 5e-4. */
  weightDecay?: number;
  /** 'coupled': L2 added to the gradient (PyTorch SGD). 'decoupled': SGDW. Default coupled. */
  weightDecayMode?: 'coupled' | 'decoupled';
  nesterov?: boolean;
  /** Variables (by name) that get no weight decay, e.g. biases and norm scales. Default none. */
  excludeFromWeightDecay?: (variableName: string) => boolean;
}

/** Checkpointable optimiser state; momentum buffers keyed by variable name. */
export interface SgdState {
  iterations: number;
  learningRate: number;
  buffers: { name: string; shape: number[]; values: Float32Array }[];
}

const BUFFER_SUFFIX = '/momentum';

/** tfjs-core's NamedTensor, which it does not export. */
type NamedTensor = { name: string; tensor: tf.Tensor };

export class SgdMomentum extends tf.Optimizer {
  static get className(): string {
    return 'SgdMomentum';
  }

  learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly weightDecayMode: 'coupled' | 'decoupled';
  readonly nesterov: boolean;
  private readonly exempt: (variableName: string) => boolean;
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(options: SgdOptions) {
    super();
    this.learningRate = options.learningRate;
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 5e-4;
    this.weightDecayMode = options.weightDecayMode ?? 'coupled';
    this.nesterov = options.nesterov ?? false;
    this.exempt = options.excludeFromWeightDecay ?? (() => false);
  }

  private buffer(name: string, like: tf.Tensor): tf.Variable {
    let buffer = this.buffers.get(name);
    if (buffer === undefined) {
      buffer = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      this.buffers.set(name, buffer);
    }
    return buffer;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const { learningRate: lr, momentum, weightDecay: wd } = this;
    for (const [name, gradient] of entries) {
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined) throw new Error(`SgdMomentum: no variable named ${name}`);
      const buffer = this.buffer(name, variable);
      const decay = wd > 0 && !this.exempt(name);
      tf.tidy(() => {
        const g = decay && this.weightDecayMode === 'coupled' ? tf.add(gradient, tf.mul(variable, wd)) : gradient;
        const nextBuffer = tf.add(tf.mul(buffer, momentum), g);
        const step = this.nesterov ? tf.add(g, tf.mul(nextBuffer, momentum)) : nextBuffer;
        const decayed = decay && this.weightDecayMode === 'decoupled' ? tf.mul(variable, 1 - lr * wd) : variable;
        buffer.assign(nextBuffer);
        variable.assign(tf.sub(decayed, tf.mul(step, lr)));
      });
    }
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    for (const buffer of this.buffers.values()) buffer.dispose();
    this.buffers.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const buffers = [...this.buffers].map(([name, tensor]) => ({ name: name + BUFFER_SUFFIX, tensor }));
    return [await this.saveIterations(), ...buffers];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    for (const { name, tensor } of rest) {
      if (!name.endsWith(BUFFER_SUFFIX)) throw new Error(`SgdMomentum: unexpected weight ${name}`);
      const variableName = name.slice(0, -BUFFER_SUFFIX.length);
      this.buffers.get(variableName)?.dispose();
      this.buffers.set(variableName, tf.variable(tensor, false));
    }
  }

  /** A plain-data snapshot (typed arrays) for checkpoints. */
  async exportState(): Promise<SgdState> {
    const buffers = await Promise.all(
      [...this.buffers].map(async ([name, tensor]) => ({ name, shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) })),
    );
    return { iterations: this.iterations, learningRate: this.learningRate, buffers };
  }

  /** Restores a snapshot from exportState, replacing all momentum buffers. */
  importState(state: SgdState): void {
    for (const buffer of this.buffers.values()) buffer.dispose();
    this.buffers.clear();
    for (const { name, shape, values } of state.buffers) {
      this.buffers.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), false)));
    }
    this.iterations_ = state.iterations;
    this.learningRate = state.learningRate;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
      weightDecayMode: this.weightDecayMode,
      nesterov: this.nesterov,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as unknown as SgdOptions);
  }
}
tf.serialization.registerClass(SgdMomentum);

export interface TrainStepOptions {
  /** Clip the global gradient norm to this value; undefined = no clipping. */
  maxGradNorm?: number;
  /** Variables to train; default all trainable variables. */
  varList?: tf.Variable[];
}

/**
 * One optimisation step: variableGrads -> clipByGlobalNorm -> optimizer.applyGradients.
 * Returns the loss and the pre-clipping global gradient norm; the caller disposes them.
 */
export function trainStep(
  optimizer: tf.Optimizer,
  loss: () => tf.Scalar,
  options: TrainStepOptions = {},
): { loss: tf.Scalar; gradNorm: tf.Scalar } {
  const { value, grads } = tf.variableGrads(loss, options.varList);
  let applied = grads;
  let gradNorm: tf.Scalar;
  if (options.maxGradNorm !== undefined) {
    const clipped = clipByGlobalNorm(grads, options.maxGradNorm);
    applied = clipped.grads;
    gradNorm = clipped.norm;
  } else {
    gradNorm = globalNorm(Object.values(grads));
  }
  optimizer.applyGradients(applied);
  tf.dispose(grads);
  if (applied !== grads) tf.dispose(applied);
  return { loss: value, gradNorm };
}
