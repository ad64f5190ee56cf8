/**
 * Worker-thread entry: one Replica on its own tfjs backend (each thread has its own wasm
 * instance). Requests are served one at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { registerCpuGradientKernels } from '../model/cpu-gradient-kernels.js';
import { selectBackend } from '../tfjs/backend.js';
import { Replica, type PartResult } from './replica.js';
import type { ReplicaReply, ReplicaRequest, ReplicaWorkerData } from './replica-protocol.js';

const port = parentPort;
if (port === null) throw new Error('replica-worker must run in a worker thread');
const data = workerData as ReplicaWorkerData;

tf.env().set('PROD', true);
if (data.backend === 'cpu') registerCpuGradientKernels();
const selected = await selectBackend(data.backend);
const replica = new Replica(data.config);

function gradientBuffers(results: PartResult[]): ArrayBuffer[] {
  return results.flatMap((r) => r.grads.filter((g): g is Float32Array => g !== null).map((g) => g.buffer as ArrayBuffer));
}

async function serve(request: ReplicaRequest): Promise<[ReplicaReply, ArrayBuffer[]]> {
  switch (request.op) {
    case 'gradients': {
      const results: PartResult[] = [];
      for (const part of request.parts) results.push(await replica.gradients(part));
      return [{ id: request.id, op: 'gradients', results }, gradientBuffers(results)];
    }
    case 'apply':
      replica.apply(request.grads, request.lr);
      return [{ id: request.id, op: 'apply' }, []];
    case 'exportState': {
      const state = await replica.exportState();
      return [{ id: request.id, op: 'exportState', state }, [state.weights, state.optimizer]];
    }
    case 'importState':
      replica.importState(request.state);
      return [{ id: request.id, op: 'importState' }, []];
    case 'numTensors':
      return [{ id: request.id, op: 'numTensors', numTensors: replica.numTensors() }, []];
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ReplicaRequest) => {
  queue = queue.then(async () => {
    try {
      const [reply, transfer] = await serve(request);
      port.postMessage(reply, transfer);
    } catch (error) {
      port.postMessage({ id: request.id, op: 'error', message: (error as Error).message } satisfies ReplicaReply);
    }
  });
});
port.postMessage({ id: 0, op: 'ready', device: selected.device, paramNames: replica.paramNames, paramCount: replica.model.params.count() } satisfies ReplicaReply);
