/** A 'same'-padded convolution with optional groups, stride or dilation (NHWC, no bias unless asked). */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';
import { groupedConv2d } from '../tfjs/grouped-conv.js';
import { filled, heNormal } from './init.js';
import type { ParamSet } from './param-set.js';

export interface ConvSpec {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

export class Conv {
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable | null;
  private readonly stride: number;
  private readonly dilation: number;
  private readonly groups: number;

  constructor(params: ParamSet, name: string, rng: Rng, spec: ConvSpec) {
    this.stride = spec.stride ?? 1;
    this.dilation = spec.dilation ?? 1;
    this.groups = spec.groups ?? 1;
    if (spec.inChannels % this.groups !== 0 || spec.outChannels % this.groups !== 0) {
      throw new Error(`${name}: ${spec.inChannels} -> ${spec.outChannels} channels not divisible by ${this.groups} groups`);
    }
    const perGroup = spec.inChannels / this.groups;
    const shape = [spec.kernel, spec.kernel, perGroup, spec.outChannels];
    const size = shape.reduce((a, b) => a * b, 1);
    this.kernel = params.add(`${name}/kernel`, shape, heNormal(rng.fork(name), size, spec.kernel * spec.kernel * perGroup));
    this.bias = spec.bias === true ? params.add(`${name}/bias`, [spec.outChannels], filled(spec.outChannels, 0)) : null;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const y = groupedConv2d(x, this.kernel as tf.Tensor4D, {
      groups: this.groups,
      strides: this.stride,
      dilationRate: this.dilation,
      padding: 'same',
    });
    return this.bias === null ? y : tf.add(y, this.bias);
  }
}
