/**
 * A checkpoint: everything a run needs to continue exactly where it stopped, in one file
 * (written to a temporary name and renamed): the weights, the optimiser's momentum buffers
 * and iteration count, the replay position (ReplayState), the step and epoch. The only
 * random state of a run is the replay's order (a pure function of seed, epoch and
 * position) and the initial weights (from the seed), so the seed in the meta is the RNG state.
 */
import { readFile } from 'node:fs/promises';
import type { ReplayState } from '../../replay/replay-batch.js';
import { writeFileAtomic } from '../../shards/atomic-file.js';
import { decodeTensors, encodeValues } from '../model/weights-io.js';
import type { ReplicaState } from './replica.js';

export const CHECKPOINT_FORMAT = 'sonospeech.checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Optimisation steps done. */
  step: number;
  /** The epoch to continue in. */
  epoch: number;
  /** Where the replay of `epoch` continues; null = at its start. */
  replay: ReplayState | null;
  seed: number;
  configSha256: string;
  manifestSha256: string;
  toolVersion: string;
}

export interface Checkpoint {
  meta: CheckpointMeta;
  state: ReplicaState;
}

const WEIGHTS = 'weights/';
const MOMENTUM = 'momentum/';

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const weights = decodeTensors(checkpoint.state.weights);
  const optimizer = decodeTensors(checkpoint.state.optimizer);
  const entries = [
    ...[...weights.tensors].map(([name, t]) => [WEIGHTS + name, t] as [string, { shape: number[]; values: Float32Array }]),
    ...[...optimizer.tensors].map(([name, t]) => [MOMENTUM + name, t] as [string, { shape: number[]; values: Float32Array }]),
  ];
  return new Uint8Array(encodeValues(entries, { ...checkpoint.meta, optimizer: optimizer.meta, weights: weights.meta }));
}

export function decodeCheckpoint(bytes: Uint8Array, where: string): Checkpoint {
  let decoded;
  try {
    decoded = decodeTensors(bytes);
  } catch (error) {
    throw new Error(`${where}: not a checkpoint (${(error as Error).message})`);
  }
  const meta = decoded.meta as CheckpointMeta & { optimizer: unknown; weights: unknown };
  if (meta?.format !== CHECKPOINT_FORMAT) throw new Error(`${where}: not a sonospeech checkpoint`);
  if (meta.version !== CHECKPOINT_VERSION) throw new Error(`${where}: checkpoint version ${meta.version}, this build reads ${CHECKPOINT_VERSION}`);
  const pick = (prefix: string) =>
    [...decoded.tensors].filter(([name]) => name.startsWith(prefix)).map(([name, t]) => [name.slice(prefix.length), t] as [string, { shape: number[]; values: Float32Array }]);
  const { optimizer, weights, ...rest } = meta;
  return {
    meta: rest,
    state: { weights: encodeValues(pick(WEIGHTS), weights), optimizer: encodeValues(pick(MOMENTUM), optimizer) },
  };
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint));
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(await readFile(path), path);
}
