/**
 * The trainer's view of a replica, wherever it runs: in this thread (InProcessReplica) or in
 * a worker thread (WorkerReplica, one tfjs backend per thread).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendPreference } from '../tfjs/backend.js';
import { Replica, type PartResult, type ReplicaConfig, type ReplicaState } from './replica.js';
import type { ReplicaReply, ReplicaRequest, ReplicaWorkerData } from './replica-protocol.js';
import { partBuffers, type StepPart } from './step-part.js';

export interface ReplicaHandle {
  readonly device: string;
  readonly paramNames: readonly string[];
  readonly paramCount: number;
  /** Gradients of each part, computed one after another. */
  gradients(parts: StepPart[]): Promise<PartResult[]>;
  apply(grads: (Float32Array | null)[], lr: number): Promise<void>;
  exportState(): Promise<ReplicaState>;
  importState(state: ReplicaState): Promise<void>;
  numTensors(): Promise<number>;
  close(): Promise<void>;
}

export class InProcessReplica implements ReplicaHandle {
  private readonly replica: Replica;

  constructor(config: ReplicaConfig, readonly device: string) {
    this.replica = new Replica(config);
  }

  get paramNames(): readonly string[] {
    return this.replica.paramNames;
  }

  get paramCount(): number {
    return this.replica.model.params.count();
  }

  async gradients(parts: StepPart[]): Promise<PartResult[]> {
    const results: PartResult[] = [];
    for (const part of parts) results.push(await this.replica.gradients(part));
    return results;
  }

  async apply(grads: (Float32Array | null)[], lr: number): Promise<void> {
    this.replica.apply(grads, lr);
  }

  exportState(): Promise<ReplicaState> {
    return this.replica.exportState();
  }

  async importState(state: ReplicaState): Promise<void> {
    this.replica.importState(state);
  }

  async numTensors(): Promise<number> {
    return this.replica.numTensors();
  }

  async close(): Promise<void> {
    this.replica.dispose();
  }
}

/** The compiled worker entry: beside this module in dist/, or dist/ from the TypeScript sources (tests). */
export function replicaWorkerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = resolve(dirname(here), 'replica-worker.js');
  if (here.endsWith('.js')) return beside;
  const built = resolve(dirname(here), '../../../dist/src/train/loop/replica-worker.js');
  if (!existsSync(built)) throw new Error(`replica worker threads need the compiled ${built}: run 'make build' first`);
  return built;
}

type RequestBody = ReplicaRequest extends infer R ? (R extends ReplicaRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve: (reply: ReplicaReply) => void; reject: (error: Error) => void };

export class WorkerReplica implements ReplicaHandle {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly device: string,
    readonly paramNames: readonly string[],
    readonly paramCount: number,
    private readonly label: string,
  ) {
    worker.on('message', (reply: ReplicaReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.op === 'error') waiting.reject(new Error(`${this.label}: ${reply.message}`));
      else waiting.resolve(reply);
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`${label} crashed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`${label} exited (code ${code})`)));
  }

  static start(index: number, config: ReplicaConfig, backend: BackendPreference): Promise<WorkerReplica> {
    const label = `replica worker ${index}`;
    const worker = new Worker(replicaWorkerPath(), { workerData: { config, backend } satisfies ReplicaWorkerData });
    return new Promise((resolveStart, rejectStart) => {
      const onError = (error: Error): void => rejectStart(new Error(`${label} failed to start: ${error.message}`));
      const onExit = (code: number): void => rejectStart(new Error(`${label} exited during start-up (code ${code})`));
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (reply: ReplicaReply) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (reply.op !== 'ready') {
          rejectStart(new Error(`${label}: ${reply.op === 'error' ? reply.message : `unexpected ${reply.op}`}`));
          return;
        }
        resolveStart(new WorkerReplica(worker, reply.device, reply.paramNames, reply.paramCount, label));
      });
    });
  }

  private request<T extends ReplicaReply['op']>(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<Extract<ReplicaReply, { op: T }>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolveReply, reject) => {
      this.pending.set(id, { resolve: resolveReply as (reply: ReplicaReply) => void, reject });
      this.worker.postMessage({ ...body, id } as ReplicaRequest, transfer);
    });
  }

  async gradients(parts: StepPart[]): Promise<PartResult[]> {
    const reply = await this.request<'gradients'>({ op: 'gradients', parts }, parts.flatMap(partBuffers));
    return reply.results;
  }

  async apply(grads: (Float32Array | null)[], lr: number): Promise<void> {
    await this.request<'apply'>({ op: 'apply', grads, lr });
  }

  async exportState(): Promise<ReplicaState> {
    return (await this.request<'exportState'>({ op: 'exportState' })).state;
  }

  async importState(state: ReplicaState): Promise<void> {
    await this.request<'importState'>({ op: 'importState', state });
  }

  async numTensors(): Promise<number> {
    return (await this.request<'numTensors'>({ op: 'numTensors' })).numTensors;
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.worker.removeAllListeners('error');
    await this.worker.terminate();
  }
}
