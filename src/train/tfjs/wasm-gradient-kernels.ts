/**
 * Registers the convolution gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput/Filter), so conv nets train on
 * wasm. Conv2DBackpropFilter runs wasm-conv-filter-gradient.ts's SIMD loops on the wasm heap
 * when the output channels are a multiple of 4; everything else is composed of tfjs ops
 * (conv-backprop-ops.ts) that run in XNNPACK.
 *
 * It also replaces wasm's own Conv2DBackpropInput, a scalar C++ loop: for dy [32,64,64,32]
 * and a 3x3x32x32 filter it took 1.6 s here against 0.15 s for the flipped-filter conv.
 *
 * By default it also registers the training-speed replacements of this folder: copy-free
 * Identity/Cast (wasm-alias-kernels.ts), Slice/SplitV/Unpack (wasm-slice-kernels.ts), a
 * cache-blocked Transpose (wasm-transpose-kernel.ts) and the RowSums/RowAffine kernels of
 * ../model/row-ops.ts (wasm-row-kernels.ts).
 *
 * A kernel function may call ops: the engine stops taping while a kernel runs, and a Tensor
 * returned from a kernel is passed through as its output.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  conv2dFilterGradient,
  conv2dInputGradient,
  depthwiseFilterGradient,
  depthwiseInputGradient,
} from './conv-backprop-ops.js';
import { registerWasmAliasKernels } from './wasm-alias-kernels.js';
import { wasmConv2dFilterGradient } from './wasm-conv-filter-gradient.js';
import { registerWasmRowKernels } from './wasm-row-kernels.js';
import { registerWasmSliceKernels } from './wasm-slice-kernels.js';
import { registerWasmTransposeKernel } from './wasm-transpose-kernel.js';

const BACKEND = 'wasm';
const OURS = Symbol.for('sonospeech.wasmGradientKernel');

type Tagged = tf.KernelFunc & { [OURS]?: true };
type Shape4 = [number, number, number, number];

function asTensor4D(info: tf.TensorInfo | undefined, name: string): tf.Tensor4D {
  if (info === undefined) throw new Error(`wasm gradient kernel: missing input ${name}`);
  const tensor = info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
  if (tensor.rank !== 4) throw new Error(`wasm gradient kernel: ${name} must be rank 4, got ${tensor.rank}`);
  return tensor as tf.Tensor4D;
}

function requireNhwc(dataFormat: string | undefined, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports NHWC only, got ${dataFormat}`);
  }
}

const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  requireNhwc(a.dataFormat, tf.Conv2DBackpropFilter);
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const direct = wasmConv2dFilterGradient(backend as BackendWasm, x, dy, info);
  if (direct !== null) return direct;
  return tf.tidy(() =>
    conv2dFilterGradient(asTensor4D(inputs.x, 'x'), asTensor4D(inputs.dy, 'dy'), a.filterShape, a.strides, a.pad, 1, a.dimRoundingMode),
  );
};

const conv2DBackpropInput: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  requireNhwc(a.dataFormat, tf.Conv2DBackpropInput);
  return tf.tidy(() =>
    conv2dInputGradient(asTensor4D(inputs.dy, 'dy'), asTensor4D(inputs.filter, 'filter'), a.inputShape, a.strides, a.pad, 1, a.dimRoundingMode),
  );
};

const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() =>
    depthwiseInputGradient(
      asTensor4D(inputs.dy, 'dy'),
      asTensor4D(inputs.filter, 'filter'),
      a.inputShape,
      a.strides,
      a.pad,
      a.dilations,
      a.dimRoundingMode,
    ),
  );
};

const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  return tf.tidy(() =>
    depthwiseFilterGradient(asTensor4D(inputs.x, 'x'), asTensor4D(inputs.dy, 'dy'), a.filterShape, a.strides, a.pad, a.dilations, a.dimRoundingMode),
  );
};

/** Kernels wasm does not have at all. */
const MISSING: ReadonlyArray<[string, tf.KernelFunc]> = [
  [tf.Conv2DBackpropFilter, conv2DBackpropFilter],
  [tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput],
  [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter],
];

export interface WasmGradientKernelOptions {
  /** Replace wasm's slow built-in Conv2DBackpropInput (default true). */
  replaceConv2DBackpropInput?: boolean;
  /** Replace wasm's Slice/SplitV/Unpack, which copy their whole input per call (default true). */
  replaceSliceKernels?: boolean;
  /** Replace wasm's Identity and same-dtype Cast, which copy, by copy-free ones (default true). */
  replaceCopyKernels?: boolean;
  /** Replace wasm's Transpose by a cache-blocked one (default true). */
  replaceTranspose?: boolean;
}

function isOurs(kernelName: string): boolean {
  const existing = tf.getKernel(kernelName, BACKEND);
  return existing !== undefined && (existing.kernelFunc as Tagged)[OURS] === true;
}

function register(kernelName: string, kernelFunc: tf.KernelFunc): void {
  (kernelFunc as Tagged)[OURS] = true;
  tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
}

/**
 * Registers the missing wasm gradient kernels (and, by default, the faster Conv2DBackpropInput,
 * slice, copy-free and transpose kernels, and the row kernels). Idempotent; never overrides a
 * gradient kernel a future tfjs-backend-wasm might ship.
 * Returns the kernel names registered by this call.
 */
export function registerWasmGradientKernels(options: WasmGradientKernelOptions = {}): string[] {
  const registered: string[] = [];
  for (const [kernelName, kernelFunc] of MISSING) {
    if (tf.getKernel(kernelName, BACKEND) !== undefined) continue;
    register(kernelName, kernelFunc);
    registered.push(kernelName);
  }
  if ((options.replaceConv2DBackpropInput ?? true) && !isOurs(tf.Conv2DBackpropInput)) {
    if (tf.getKernel(tf.Conv2DBackpropInput, BACKEND) !== undefined) tf.unregisterKernel(tf.Conv2DBackpropInput, BACKEND);
    register(tf.Conv2DBackpropInput, conv2DBackpropInput);
    registered.push(tf.Conv2DBackpropInput);
  }
  if (options.replaceSliceKernels ?? true) registered.push(...registerWasmSliceKernels());
  if (options.replaceCopyKernels ?? true) registered.push(...registerWasmAliasKernels());
  if (options.replaceTranspose ?? true) registered.push(...registerWasmTransposeKernel());
  registered.push(...registerWasmRowKernels());
  return registered;
}
