/**
 * Picks and initialises the TensorFlow.js backend for training in Node.
 *
 * 'auto' order: 'tensorflow' (libtensorflow through @tensorflow/tfjs-node-gpu or
 * @tensorflow/tfjs-node, optional dependencies that are absent when their install script
 * could not download libtensorflow) -> 'webgpu' on a hardware adapter (Dawn through the
 * `webgpu` package; a software adapter such as lavapipe trains ~2x slower than wasm, so it
 * is only used when asked for) -> 'wasm' with this folder's gradient kernels.
 *
 * How the wasm binary is found in Node: `@tensorflow/tfjs-backend-wasm` resolves to its
 * CommonJS bundle dist/tf-backend-wasm.node.js, whose Emscripten loader locates the binary
 * relative to that file's own __dirname and reads it with fs.readFileSync. Node has WASM SIMD
 * and tfjs disables threads in Node, so the file read is
 * node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm and no
 * setWasmPaths call is needed. Only when the JS is bundled away from that folder must the
 * binaries' directory be given (`wasmPaths` below -> setWasmPaths), as a filesystem path
 * ending in '/', not a file:// URL (Emscripten hands it to fs), before the first
 * setBackend('wasm').
 */
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface SelectedBackend {
  backend: BackendName;
  /** Human-readable device, e.g. "wasm (SIMD, 1 thread)" or the GPU adapter's name. */
  device: string;
}

export interface SelectBackendOptions {
  /** Directory of the tfjs-backend-wasm .wasm files, only needed when bundled (see above). */
  wasmPaths?: string;
}

export interface WebGpuAdapterProbe {
  description: string;
  software: boolean;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;

async function loadTensorflowBinding(): Promise<string | null> {
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(name); // a variable specifier: these packages may not exist at compile time
      return name;
    } catch {
      // absent or its native addon failed to load: try the next one
    }
  }
  return null;
}

let webGpuGlobalsInstalled = false;

/** Installs the Dawn-backed `navigator.gpu` (and WebGPU globals) that tfjs-backend-webgpu expects. */
async function installWebGpuGlobals(): Promise<void> {
  if (webGpuGlobalsInstalled) return;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  webGpuGlobalsInstalled = true;
}

/** The first WebGPU adapter Dawn offers, or null. Must run before importing the webgpu backend. */
export async function probeWebGpuAdapter(): Promise<WebGpuAdapterProbe | null> {
  try {
    await installWebGpuGlobals();
  } catch {
    return null; // the `webgpu` package or its dawn.node did not load
  }
  const gpu = (globalThis as unknown as { navigator: { gpu: GPU } }).navigator.gpu;
  const adapter = await gpu.requestAdapter();
  if (adapter === null) return null;
  const info = adapter.info as Partial<GPUAdapterInfo & { isFallbackAdapter: boolean }> | undefined;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p): p is string => typeof p === 'string' && p !== '');
  const description = parts.length > 0 ? [...new Set(parts)].join(' / ') : 'unknown adapter';
  const fallback = info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  return { description, software: fallback || SOFTWARE_ADAPTER.test(description) };
}

async function activate(name: BackendName): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}

async function useWasm(options: SelectBackendOptions): Promise<SelectedBackend> {
  if (options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths);
  registerWasmGradientKernels();
  await activate('wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  return { backend: 'wasm', device: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})` };
}

async function useWebGpu(adapter: WebGpuAdapterProbe): Promise<SelectedBackend> {
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  return { backend: 'webgpu', device: `webgpu: ${adapter.description}${adapter.software ? ' (software)' : ''}` };
}

async function useTensorflow(binding: string): Promise<SelectedBackend> {
  await activate('tensorflow');
  return { backend: 'tensorflow', device: `tensorflow via ${binding}` };
}

/**
 * Selects, initialises and activates a backend. An explicit preference that cannot be
 * honoured throws; 'auto' falls through to wasm, which always works.
 */
export async function selectBackend(preference: BackendPreference, options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  switch (preference) {
    case 'cpu':
      await activate('cpu');
      return { backend: 'cpu', device: 'cpu (plain JavaScript)' };
    case 'wasm':
      return useWasm(options);
    case 'tensorflow': {
      const binding = await loadTensorflowBinding();
      if (binding === null) throw new Error('neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads');
      return useTensorflow(binding);
    }
    case 'webgpu': {
      const adapter = await probeWebGpuAdapter();
      if (adapter === null) throw new Error('no WebGPU adapter (Dawn found no Vulkan/Metal/D3D device)');
      return useWebGpu(adapter);
    }
    case 'auto': {
      const binding = await loadTensorflowBinding();
      if (binding !== null) return useTensorflow(binding);
      const adapter = await probeWebGpuAdapter();
      if (adapter !== null && !adapter.software) return useWebGpu(adapter);
      return useWasm(options);
    }
  }
}
