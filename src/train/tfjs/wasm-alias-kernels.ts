/**
 * Copy-free Identity and same-dtype Cast for tfjs-backend-wasm 4.22, whose versions copy the
 * whole tensor. tfjs-core's engine clones (Identity) every tensor it saves for the backward
 * pass, so a training step of the tiny preset made ~1,400 full copies (~10% of the step).
 * These return the input's data under a new reference, as tfjs-backend-cpu's Identity does:
 * tensor data is never written in place (Variable.assign swaps its dataId), so sharing is safe.
 *
 * A side effect: tf.customGrad's saved tensors no longer allocate during the forward
 * kernel, so tfjs' leak check under IS_TEST accepts customGrad ops on wasm too.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';
const OURS = Symbol.for('sonospeech.wasmAliasKernel');
type Tagged = tf.KernelFunc & { [OURS]?: true };

function alias(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function identityFor(original: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') {
      if (original === undefined) throw new Error('Identity: no wasm kernel for strings');
      return original(args);
    }
    return alias(args.backend as BackendWasm, x);
  };
}

function castFor(original: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (dtype === x.dtype && dtype !== 'string') return alias(args.backend as BackendWasm, x);
    if (original === undefined) throw new Error(`Cast: no wasm kernel for ${x.dtype} -> ${dtype}`);
    return original(args);
  };
}

/** Replaces wasm's Identity and Cast. Idempotent; returns the kernel names replaced. */
export function registerWasmAliasKernels(): string[] {
  const replaced: string[] = [];
  for (const [kernelName, make] of [
    [tf.Identity, identityFor],
    [tf.Cast, castFor],
  ] as const) {
    const existing = tf.getKernel(kernelName, BACKEND);
    if (existing !== undefined && (existing.kernelFunc as Tagged)[OURS] === true) continue;
    const kernelFunc: Tagged = make(existing?.kernelFunc);
    kernelFunc[OURS] = true;
    if (existing !== undefined) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc, ...(existing?.setupFunc === undefined ? {} : { setupFunc: existing.setupFunc }) });
    replaced.push(kernelName);
  }
  return replaced;
}
