/**
 * Replacements for tfjs-backend-wasm 4.22's Slice, SplitV and Unpack. Those read their input
 * through backend.readSync, which copies the WHOLE input out of the wasm heap on every call,
 * so splitting a tensor into G parts costs G full copies: splitting [32, 8192, 2] into 32
 * took 60 ms, one [1, 8192, 2] slice 2 ms. These versions copy only the selected elements,
 * reading through a view on the heap (taken after the output is allocated, since the
 * allocation may grow and detach the heap).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';
const OURS = Symbol.for('sonospeech.wasmSliceKernel');
type Tagged = tf.KernelFunc & { [OURS]?: true };
type TypedArray = tf.backend_util.TypedArray;

/** Runs shorter than this are copied element by element (cheaper than subarray + set). */
const SHORT_RUN = 64;

/** Copies the box [begin, begin + size) of a row-major `src` of `shape` into `dst` from 0. */
export function copyBox(src: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: TypedArray): void {
  const rank = shape.length;
  if (size.some((s) => s === 0)) return;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = (strides[d + 1] as number) * (shape[d + 1] as number);
  // Trailing axes taken whole join the innermost one into a single contiguous run.
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  let run = 1;
  for (let d = k; d < rank; d++) run *= size[d] as number;
  const base = begin.reduce((acc, b, d) => acc + b * (strides[d] as number), 0);
  const counters = new Array<number>(k).fill(0);
  let out = 0;
  for (;;) {
    let offset = base;
    for (let d = 0; d < k; d++) offset += (counters[d] as number) * (strides[d] as number);
    if (run >= SHORT_RUN) {
      dst.set(src.subarray(offset, offset + run), out);
    } else {
      for (let i = 0; i < run; i++) dst[out + i] = src[offset + i] as number;
    }
    out += run;
    let d = k - 1;
    while (d >= 0) {
      const next = (counters[d] as number) + 1;
      if (next < (size[d] as number)) {
        counters[d] = next;
        break;
      }
      counters[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

function sliceInto(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

function withStringFallback(kernelName: string, fast: tf.KernelFunc): tf.KernelFunc {
  const original = tf.getKernel(kernelName, BACKEND)?.kernelFunc;
  return (args) => {
    const first = Object.values(args.inputs)[0];
    if (first?.dtype === 'string') {
      if (original === undefined) throw new Error(`${kernelName}: no wasm kernel for strings`);
      return original(args);
    }
    return fast(args);
  };
}

const slice: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const a = attrs as unknown as tf.SliceAttrs;
  const [begin, size] = tf.slice_util.parseSliceParams(x, a.begin, a.size) as [number[], number[]];
  return sliceInto(backend as BackendWasm, x, begin, size);
};

const splitV: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const a = attrs as unknown as tf.SplitVAttrs;
  const axis = tf.util.parseAxisParam(a.axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x, a.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const out = sliceInto(backend as BackendWasm, x, begin, size);
    begin[axis] = (begin[axis] as number) + s;
    return out;
  });
};

const unpack: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.value as tf.TensorInfo;
  const rank = x.shape.length;
  const axis = ((attrs as unknown as tf.UnpackAttrs).axis + rank) % rank;
  const outShape = x.shape.filter((_, d) => d !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = [...x.shape];
  size[axis] = 1;
  return Array.from({ length: x.shape[axis] as number }, (_, i) => {
    begin[axis] = i;
    const out = sliceInto(backend as BackendWasm, x, begin, size);
    return { dataId: out.dataId, dtype: out.dtype, shape: outShape };
  });
};

/** Replaces wasm's Slice, SplitV and Unpack. Idempotent; returns the kernel names replaced. */
export function registerWasmSliceKernels(): string[] {
  const replaced: string[] = [];
  for (const [kernelName, fast] of [
    [tf.Slice, slice],
    [tf.SplitV, splitV],
    [tf.Unpack, unpack],
  ] as const) {
    const existing = tf.getKernel(kernelName, BACKEND);
    if (existing !== undefined && (existing.kernelFunc as Tagged)[OURS] === true) continue;
    const kernelFunc: Tagged = withStringFallback(kernelName, fast);
    kernelFunc[OURS] = true;
    if (existing !== undefined) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
    replaced.push(kernelName);
  }
  return replaced;
}
