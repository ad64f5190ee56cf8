/**
 * A faster Transpose for tfjs-backend-wasm 4.22. Its kernel walks the output in order and
 * gathers from the input with large strides, so big transposes miss the cache on nearly every
 * read: [65536, 32] -> [32, 65536] took ~7 ms, [64,31,31,32] with perm [3,1,2,0] ~20 ms,
 * against ~1.5 ms for an elementwise op of the same size. The conv gradients
 * (conv-backprop-ops.ts) transpose whole activations, which made Transpose ~12% of a
 * training step of the tiny preset.
 *
 * This version runs wasm's own kernel on cache-friendly pieces, moving exactly the same
 * values:
 * 1. size-1 axes are dropped and axes that stay neighbours in the same order are merged
 *    ([B,H,W,C] with perm [3,1,2,0] is [B, HW, C] with perm [2,1,0]);
 * 2. a 2-D transpose [R, C] -> [C, R] is done blockwise: [R/b, b, C] -> [R/b, C, b] (each
 *    block fits the L1 cache) -> [C, R/b, b];
 * 3. a 3-D reversal [A, B, C] -> [C, B, A] is a 2-D transpose [A, BC] -> [BC, A] followed by
 *    [B, C, A] -> [C, B, A], which moves rows of A contiguous values;
 * 4. [A, B, C] -> [B, A, C] (rows of C values moved whole) with C in 4, 8, 12, 16 (4-byte
 *    types) is wasm-heap-kernels.ts's permuteRows (~3x faster there; wasm's kernel is as
 *    fast for longer rows).
 * Everything else goes to wasm's kernel, on the merged shape.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapKernels } from './wasm-heap-kernels.js';

const BACKEND = 'wasm';
const OURS = Symbol.for('sonospeech.wasmTransposeKernel');
type Tagged = tf.KernelFunc & { [OURS]?: true };

/** Transposes below this many elements go straight to wasm's kernel (the pieces cost more than they save). */
const MIN_BLOCKED_SIZE = 1 << 14;
const MAX_DIRECT_ROWS = 128;

/** Shape and perm with size-1 axes dropped and axes that stay adjacent (in order) merged. */
export function canonicalTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const squeezed: number[] = []; // input axis -> index among the axes of size > 1, or -1
  const sizes: number[] = [];
  shape.forEach((size) => {
    squeezed.push(size === 1 ? -1 : sizes.length);
    if (size !== 1) sizes.push(size);
  });
  const order = perm.map((axis) => squeezed[axis] as number).filter((axis) => axis >= 0);
  // Runs of consecutive input axes, in output order, become one axis each.
  const runs: number[][] = [];
  for (const axis of order) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[last.length - 1] === axis - 1) last.push(axis);
    else runs.push([axis]);
  }
  const byInput = [...runs].sort((a, b) => (a[0] as number) - (b[0] as number));
  return {
    shape: byInput.map((run) => run.reduce((p, axis) => p * (sizes[axis] as number), 1)),
    perm: runs.map((run) => byInput.indexOf(run)),
  };
}

/**
 * The block length along R for a blocked [R, C] transpose, or 0 for none. wasm's kernel reads
 * R cache lines per output row: with few rows (<= MAX_DIRECT_ROWS) they stay cached.
 */
function blockRows(rows: number, cols: number): number {
  if (rows <= MAX_DIRECT_ROWS) return 0;
  const target = cols > 64 ? 32 : 64;
  for (let b = target; b >= 8; b >>= 1) if (rows % b === 0) return b;
  return 0;
}

type Original = (info: tf.TensorInfo, perm: number[]) => tf.TensorInfo;

/** Longest rows (in 4-byte values) that permuteRows moves; wasm's kernel does longer ones as fast. */
const MAX_PERMUTED_ROW = 16;

/** [A, B, C] -> [B, A, C] by permuteRows, or null when it does not apply. */
function permuteRows(backend: BackendWasm, x: tf.TensorInfo, [a, b, c]: [number, number, number]): tf.TensorInfo | null {
  if (c % 4 !== 0 || c > MAX_PERMUTED_ROW || (x.dtype !== 'float32' && x.dtype !== 'int32')) return null;
  const kernels = wasmHeapKernels(backend);
  if (kernels === null) return null;
  const out = backend.makeOutput([b, a, c], x.dtype);
  const offset = (info: tf.TensorInfo) => (backend.dataIdMap.get(info.dataId) as unknown as { memoryOffset: number }).memoryOffset;
  kernels.permuteRows(offset(x), offset(out), a, b, c * 4);
  return out;
}

function as(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** [A, B, C] -> [B, A, C]. */
function swapOuter(run: Original, backend: BackendWasm, x: tf.TensorInfo, shape: [number, number, number]): tf.TensorInfo {
  return permuteRows(backend, x, shape) ?? run(as(x, shape), [1, 0, 2]);
}

/** [R, C] -> [C, R] through cache-sized blocks (the caller reshapes the result). */
function transpose2d(run: Original, backend: BackendWasm, x: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  const b = blockRows(rows, cols);
  if (b === 0 || rows * cols < MIN_BLOCKED_SIZE) return run(as(x, [rows, cols]), [1, 0]);
  const blocks = run(as(x, [rows / b, b, cols]), [0, 2, 1]); // [R/b, C, b]
  const out = swapOuter(run, backend, blocks, [rows / b, cols, b]); // [C, R/b, b]
  backend.disposeData(blocks.dataId);
  return out;
}

function transposeCanonical(run: Original, backend: BackendWasm, x: tf.TensorInfo, shape: number[], perm: number[]): tf.TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size >= MIN_BLOCKED_SIZE && shape.length === 2) return transpose2d(run, backend, x, shape[0] as number, shape[1] as number);
  if (size >= MIN_BLOCKED_SIZE && shape.length === 3 && perm[0] === 2 && perm[1] === 1 && perm[2] === 0) {
    const [a, b, c] = shape as [number, number, number];
    const flipped = transpose2d(run, backend, x, a, b * c); // [B, C, A]
    const out = swapOuter(run, backend, flipped, [b, c, a]); // [C, B, A]
    backend.disposeData(flipped.dataId);
    return out;
  }
  if (shape.length === 3 && perm[0] === 1 && perm[1] === 0 && perm[2] === 2) return swapOuter(run, backend, x, shape as [number, number, number]);
  return run(as(x, shape), perm);
}

function transposeFor(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const backend = args.backend as BackendWasm;
    const outShape = perm.map((axis) => x.shape[axis] as number);
    if (x.dtype === 'string') return original(args);
    const canonical = canonicalTranspose(x.shape, perm);
    if (canonical.perm.every((axis, i) => axis === i)) {
      backend.incRef(x.dataId); // a pure reshape
      return as(x, outShape);
    }
    const run: Original = (info, p) => original({ inputs: { x: info }, backend, attrs: { perm: p } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    return as(transposeCanonical(run, backend, x, canonical.shape, canonical.perm), outShape);
  };
}

/** Replaces wasm's Transpose. Idempotent; returns the kernel names replaced. */
export function registerWasmTransposeKernel(): string[] {
  const existing = tf.getKernel(tf.Transpose, BACKEND);
  if (existing === undefined || (existing.kernelFunc as Tagged)[OURS] === true) return [];
  const kernelFunc: Tagged = transposeFor(existing.kernelFunc);
  kernelFunc[OURS] = true;
  tf.unregisterKernel(tf.Transpose, BACKEND);
  tf.registerKernel({ kernelName: tf.Transpose, backendName: BACKEND, kernelFunc, ...(existing.setupFunc === undefined ? {} : { setupFunc: existing.setupFunc }) });
  return [tf.Transpose];
}
