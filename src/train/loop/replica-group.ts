/**
 * Data-parallel optimisation steps over one or more replicas. A step's batch is cut into
 * parts (gradient accumulation), the parts are dealt to the replicas round robin, their
 * gradients averaged and clipped here, and every replica applies the same update.
 */
import { performance } from 'node:perf_hooks';
import type { BackendPreference } from '../tfjs/backend.js';
import { averageGradients, clipByGlobalNormInPlace, weightedMean } from './gradient-average.js';
import type { PartResult, ReplicaConfig, ReplicaState } from './replica.js';
import { InProcessReplica, WorkerReplica, type ReplicaHandle } from './replica-handle.js';
import { partWeight, splitPart, type StepPart } from './step-part.js';

export interface StepOutcome {
  kind: StepPart['kind'];
  /** Sample rows in the step. */
  rows: number;
  parts: number;
  loss: number;
  terms: { cls?: number; cont?: number; ord?: number };
  metrics: { pairAccuracy?: number; orderAccuracy?: number };
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Wall time of the step: gradients on every replica, averaging, update. */
  computeMs: number;
}

export interface ReplicaGroupOptions {
  /** 0: one replica in this thread; n >= 1: n worker threads. */
  workers: number;
  backend: BackendPreference;
  /** Device of this thread's backend (in-process replicas only; selected by the caller). */
  device?: string;
}

export class ReplicaGroup {
  private constructor(readonly replicas: ReplicaHandle[]) {}

  static async create(config: ReplicaConfig, options: ReplicaGroupOptions): Promise<ReplicaGroup> {
    if (!(Number.isInteger(options.workers) && options.workers >= 0)) throw new Error(`workers must be an integer >= 0, got ${options.workers}`);
    if (options.workers > 1 && config.model.backbone.norm === 'batch') {
      throw new Error('BatchNorm running statistics would differ between worker replicas: use norm "group" or "none" with several workers');
    }
    if (options.workers === 0) return new ReplicaGroup([new InProcessReplica(config, options.device ?? 'this thread')]);
    const started = await Promise.allSettled(Array.from({ length: options.workers }, (_, i) => WorkerReplica.start(i, config, options.backend)));
    const replicas = started.filter((s): s is PromiseFulfilledResult<WorkerReplica> => s.status === 'fulfilled').map((s) => s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(replicas.map((r) => r.close()));
      throw failed.reason as Error;
    }
    return new ReplicaGroup(replicas);
  }

  /** Trainable parameters of the model. */
  get paramCount(): number {
    return (this.replicas[0] as ReplicaHandle).paramCount;
  }

  get device(): string {
    const first = this.replicas[0] as ReplicaHandle;
    return this.replicas.length > 1 || first instanceof WorkerReplica ? `${this.replicas.length} worker thread(s), ${first.device} each` : first.device;
  }

  /** Parts a batch of `rows` rows is cut into: ceil(rows / microBatch), rounded up to a multiple of the replica count. */
  partsFor(rows: number, microBatch: number): number {
    const n = this.replicas.length;
    return Math.ceil(Math.ceil(rows / microBatch) / n) * n;
  }

  async step(batch: StepPart, lr: number, options: { microBatch: number; maxGradNorm: number }): Promise<StepOutcome> {
    const start = performance.now();
    const parts = splitPart(batch, this.partsFor(batch.rows, options.microBatch)).filter((p) => partWeight(p) > 0);
    if (parts.length === 0) throw new Error('step: the batch holds no sample rows');
    const dealt: StepPart[][] = this.replicas.map(() => []);
    parts.forEach((part, i) => (dealt[i % this.replicas.length] as StepPart[]).push(part));
    const perReplica = await Promise.all(this.replicas.map((r, i) => ((dealt[i] as StepPart[]).length > 0 ? r.gradients(dealt[i] as StepPart[]) : Promise.resolve([]))));
    // Back to part order: part i went to replica i % n as its floor(i / n)-th part.
    const results: PartResult[] = parts.map((_, i) => (perReplica[i % this.replicas.length] as PartResult[])[Math.floor(i / this.replicas.length)] as PartResult);
    const grads = averageGradients(results);
    const gradNorm = clipByGlobalNormInPlace(grads, options.maxGradNorm);
    await Promise.all(this.replicas.map((r) => r.apply(grads, lr)));
    const mean = (pick: (r: PartResult) => number | undefined): number | undefined => weightedMean(results.map((r) => ({ weight: r.weight, value: pick(r) })));
    const terms: StepOutcome['terms'] = {};
    const metrics: StepOutcome['metrics'] = {};
    for (const key of ['cls', 'cont', 'ord'] as const) {
      const v = mean((r) => r.terms[key]);
      if (v !== undefined) terms[key] = v;
    }
    for (const key of ['pairAccuracy', 'orderAccuracy'] as const) {
      const v = mean((r) => r.metrics[key]);
      if (v !== undefined) metrics[key] = v;
    }
    return {
      kind: batch.kind,
      rows: results.reduce((s, r) => s + r.weight, 0),
      parts: parts.length,
      loss: mean((r) => r.loss) as number,
      terms,
      metrics,
      gradNorm,
      computeMs: performance.now() - start,
    };
  }

  /** Replica 0's state (all replicas hold the same). */
  exportState(): Promise<ReplicaState> {
    return (this.replicas[0] as ReplicaHandle).exportState();
  }

  async importState(state: ReplicaState): Promise<void> {
    // Each replica gets its own copy (a transfer would detach the buffers).
    await Promise.all(this.replicas.map((r) => r.importState({ weights: state.weights.slice(0), optimizer: state.optimizer.slice(0) })));
  }

  numTensors(): Promise<number[]> {
    return Promise.all(this.replicas.map((r) => r.numTensors()));
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()));
  }
}
