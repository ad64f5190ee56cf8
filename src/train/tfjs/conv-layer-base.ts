/**
 * Shared plumbing of the custom conv layers (DilatedConv2D, GroupedConv2D): argument
 * normalisation, kernel/bias weights, output shape and config serialisation. Subclasses say
 * how many input channels the kernel sees and how to convolve.
 */
import * as tf from '@tensorflow/tfjs-core';
import { layers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { convOutputLength, pair, ratePair, type Rate, type SpatialPadding } from './conv-args.js';
import { resolveInitializer, serializeInitializer, type Initializer, type InitializerSpec } from './layer-initializers.js';

export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Shape = (number | null)[];

export interface ConvLayerArgs extends LayerArgs {
  filters: number;
  kernelSize: number | [number, number];
  padding?: SpatialPadding;
  dilationRate?: Rate;
  useBias?: boolean;
  /** Default 'heNormal' (fan-in, as for ReLU nets). */
  kernelInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  biasInitializer?: InitializerSpec;
  /** Seed for a named random initializer; draw it from the run's Rng. */
  seed?: number;
}

export abstract class ConvLayerBase extends layers.Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly padding: SpatialPadding;
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  protected kernel: LayerVariable | null = null;
  protected bias: LayerVariable | null = null;

  constructor(args: ConvLayerArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new Error(`filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 'kernelSize');
    this.padding = args.padding ?? 'valid';
    this.dilationRate = ratePair(args.dilationRate ?? 1);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'heNormal', args.seed);
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros', args.seed);
  }

  /** Input channels seen by each kernel slice (inChannels / groups for a grouped conv). */
  protected abstract kernelInputChannels(inChannels: number): number;
  protected abstract strides(): [number, number];
  protected abstract convolve(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D;

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inChannels = shape[3];
    if (shape.length !== 4 || inChannels === null || inChannels === undefined) {
      throw new Error(`${this.getClassName()} expects NHWC input with known channels, got ${JSON.stringify(shape)}`);
    }
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, this.kernelInputChannels(inChannels), this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const [sh, sw] = this.strides();
    const spatial = (size: number | null | undefined, axis: 0 | 1): number | null =>
      size === null || size === undefined
        ? null
        : convOutputLength(size, this.kernelSize[axis], axis === 0 ? sh : sw, this.dilationRate[axis], this.padding);
    return [shape[0] ?? null, spatial(shape[1], 0), spatial(shape[2], 1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (this.kernel === null) throw new Error(`${this.name}: call before build`);
      const y = this.convolve(x, this.kernel.read() as tf.Tensor4D);
      return this.bias === null ? y : tf.add(y, this.bias.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }
}
