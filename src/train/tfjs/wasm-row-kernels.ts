/**
 * Two kernels for per-sample channel statistics and affines over [B, N, C] tensors on
 * tfjs-backend-wasm, each one pass of wasm-heap-kernels.ts's SIMD loops (C a multiple of 4):
 *
 *   RowSums   {x, y?}            -> [B, 2C]: [sum over N of x, sum over N of x * y] (y = x if absent)
 *   RowAffine {x, scale, shift}  -> [B, N, C]: x * scale[b, c] + shift[b, c]
 *
 * With tfjs ops the same takes a square, two average pools and a concat, or a broadcast
 * multiply and a broadcast add (each a full pass, the broadcasts slower than plain ones for
 * few channels). ../model/row-ops.ts uses them for GroupNorm and squeeze-excitation on wasm.
 * They have no gradients of their own: row-ops wraps them in customGrads.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapKernels } from './wasm-heap-kernels.js';

export const ROW_SUMS = 'SonospeechRowSums';
export const ROW_AFFINE = 'SonospeechRowAffine';
const BACKEND = 'wasm';

function offsetOf(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as unknown as { memoryOffset: number }).memoryOffset;
}

function rows(info: tf.TensorInfo, kernel: string): [number, number, number] {
  const [b, n, c] = info.shape as [number, number, number];
  if (info.shape.length !== 3 || c % 4 !== 0 || info.dtype !== 'float32') {
    throw new Error(`${kernel}: needs float32 [B, N, C] with C a multiple of 4, got ${info.dtype} [${info.shape.join(',')}]`);
  }
  return [b, n, c];
}

function kernelsOf(backend: BackendWasm, kernel: string) {
  const kernels = wasmHeapKernels(backend);
  if (kernels === null) throw new Error(`${kernel}: the wasm heap kernels are unavailable`);
  return kernels;
}

const rowSums: tf.KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const y = (inputs.y as tf.TensorInfo | undefined) ?? x;
  const [b, n, c] = rows(x, ROW_SUMS);
  if (y.shape.some((d, i) => d !== x.shape[i])) throw new Error(`${ROW_SUMS}: x [${x.shape.join(',')}] and y [${y.shape.join(',')}] differ`);
  const kernels = kernelsOf(wasm, ROW_SUMS);
  const out = wasm.makeOutput([b, 2 * c], 'float32');
  kernels.rowSums(offsetOf(wasm, x), offsetOf(wasm, y), b, n, c, offsetOf(wasm, out));
  return out;
};

const rowAffine: tf.KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { x, scale, shift } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo };
  const [b, n, c] = rows(x, ROW_AFFINE);
  for (const v of [scale, shift]) {
    if (v.shape.length !== 2 || v.shape[0] !== b || v.shape[1] !== c) throw new Error(`${ROW_AFFINE}: coefficients must be [${b},${c}], got [${v.shape.join(',')}]`);
  }
  const kernels = kernelsOf(wasm, ROW_AFFINE);
  const out = wasm.makeOutput([b, n, c], 'float32');
  kernels.rowAffine(offsetOf(wasm, x), offsetOf(wasm, scale), offsetOf(wasm, shift), b, n, c, offsetOf(wasm, out));
  return out;
};

/** Registers RowSums and RowAffine for wasm. Idempotent; returns the kernel names registered. */
export function registerWasmRowKernels(): string[] {
  const registered: string[] = [];
  for (const [kernelName, kernelFunc] of [
    [ROW_SUMS, rowSums],
    [ROW_AFFINE, rowAffine],
  ] as const) {
    if (tf.getKernel(kernelName, BACKEND) !== undefined) continue;
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
    registered.push(kernelName);
  }
  return registered;
}

/** Whether RowSums / RowAffine can run now: wasm active, registered, heap reachable. */
export function wasmRowKernelsActive(): boolean {
  if (tf.getBackend() !== BACKEND || tf.getKernel(ROW_SUMS, BACKEND) === undefined) return false;
  return wasmHeapKernels(tf.backend() as BackendWasm) !== null;
}
