/**
 * The model's parameters: one tf.Variable per named tensor, owned here. Names are stable
 * ("g_v/stage2/block0/conv1/kernel") and used by checkpoints and by gradient exchange
 * between workers; each variable is registered in the tfjs engine as `<scope>/<name>`
 * because engine variable names are global and two models may live in one process.
 */
import * as tf from '@tensorflow/tfjs-core';

let nextScope = 0;

/** Names of parameters that get no weight decay (biases and normalisation affines). */
export function isNoDecayParam(name: string): boolean {
  return /\/(bias|gamma|beta)$/.test(name);
}

export class ParamSet {
  readonly scope: string;
  private readonly variables = new Map<string, tf.Variable>();
  private readonly byEngineName = new Map<string, string>();

  constructor(scope?: string) {
    this.scope = scope ?? `model${nextScope++}`;
  }

  /** Registers a parameter; takes ownership of nothing (values are copied into the variable). */
  add(name: string, shape: number[], values: Float32Array, trainable = true): tf.Variable {
    if (this.variables.has(name)) throw new Error(`ParamSet: duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`ParamSet: ${name} has ${values.length} values for shape [${shape.join(',')}]`);
    const engineName = `${this.scope}/${name}`;
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), trainable, engineName));
    this.variables.set(name, variable);
    this.byEngineName.set(engineName, name);
    return variable;
  }

  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (variable === undefined) throw new Error(`ParamSet: no parameter ${name}`);
    return variable;
  }

  has(name: string): boolean {
    return this.variables.has(name);
  }

  names(): string[] {
    return [...this.variables.keys()];
  }

  entries(): [string, tf.Variable][] {
    return [...this.variables.entries()];
  }

  /** Trainable variables whose parameter name passes `filter` (default all). */
  trainable(filter: (name: string) => boolean = () => true): tf.Variable[] {
    return this.entries()
      .filter(([name, v]) => v.trainable && filter(name))
      .map(([, v]) => v);
  }

  /** The parameter name of an engine variable name (as keyed by tf.variableGrads). */
  paramName(engineName: string): string {
    const name = this.byEngineName.get(engineName);
    if (name === undefined) throw new Error(`ParamSet: ${engineName} is not a variable of scope ${this.scope}`);
    return name;
  }

  engineName(name: string): string {
    return this.get(name).name;
  }

  /** Re-keys a gradient map from engine names (tf.variableGrads) to parameter names. */
  byParamName(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    return Object.fromEntries(Object.entries(grads).map(([engineName, g]) => [this.paramName(engineName), g]));
  }

  /** Re-keys a map keyed by parameter names to engine names (optimizer.applyGradients). */
  byEngineNames(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    return Object.fromEntries(Object.entries(grads).map(([name, g]) => [this.engineName(name), g]));
  }

  /** Number of scalars, trainable only unless `all`. */
  count(all = false): number {
    let total = 0;
    for (const v of this.variables.values()) if (all || v.trainable) total += v.size;
    return total;
  }

  /** Parameter counts by the first `depth` name segments (e.g. "g_v", "h"). */
  countBy(depth = 1): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [name, v] of this.variables) {
      if (!v.trainable) continue;
      const key = name.split('/').slice(0, depth).join('/');
      counts.set(key, (counts.get(key) ?? 0) + v.size);
    }
    return counts;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
    this.byEngineName.clear();
  }
}
