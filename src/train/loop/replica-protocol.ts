/** Messages between the trainer (main thread) and a replica worker thread. */
import type { BackendPreference } from '../tfjs/backend.js';
import type { PartResult, ReplicaConfig, ReplicaState } from './replica.js';
import type { StepPart } from './step-part.js';

export interface ReplicaWorkerData {
  config: ReplicaConfig;
  backend: BackendPreference;
}

export type ReplicaRequest =
  | { id: number; op: 'gradients'; parts: StepPart[] }
  | { id: number; op: 'apply'; grads: (Float32Array | null)[]; lr: number }
  | { id: number; op: 'exportState' }
  | { id: number; op: 'importState'; state: ReplicaState }
  | { id: number; op: 'numTensors' };

export type ReplicaReply =
  | { id: 0; op: 'ready'; device: string; paramNames: string[]; paramCount: number }
  | { id: number; op: 'gradients'; results: PartResult[] }
  | { id: number; op: 'apply' }
  | { id: number; op: 'exportState'; state: ReplicaState }
  | { id: number; op: 'importState' }
  | { id: number; op: 'numTensors'; numTensors: number }
  | { id: number; op: 'error'; message: string };
