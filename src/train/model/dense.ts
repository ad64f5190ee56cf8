/** Fully connected layers and MLPs over [B, features]. */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { filled, heNormal, lecunNormal } from './init.js';
import type { ParamSet } from './param-set.js';

export class Dense {
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  /** `beforeRelu` picks He initialisation (the output feeds a ReLU), else LeCun (a linear output). */
  constructor(params: ParamSet, name: string, rng: Rng, inputs: number, units: number, beforeRelu: boolean, biasInit = 0) {
    const init = beforeRelu ? heNormal : lecunNormal;
    this.kernel = params.add(`${name}/kernel`, [inputs, units], init(rng.fork(name), inputs * units, inputs));
    this.bias = params.add(`${name}/bias`, [units], filled(units, biasInit));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }
}

/** Dense layers of sizes[0] -> sizes[1] -> ... with ReLU between them and a linear output. */
export class Mlp {
  private readonly layers: Dense[];

  constructor(params: ParamSet, name: string, rng: Rng, sizes: readonly number[]) {
    if (sizes.length < 2) throw new Error(`${name}: an MLP needs at least input and output sizes`);
    this.layers = [];
    for (let i = 1; i < sizes.length; i++) {
      const last = i === sizes.length - 1;
      this.layers.push(new Dense(params, `${name}/fc${i}`, rng, sizes[i - 1] as number, sizes[i] as number, !last));
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let y = x;
    this.layers.forEach((layer, i) => {
      y = layer.apply(y);
      if (i < this.layers.length - 1) y = tf.relu(y);
    });
    return y;
  }
}
