/**
 * Replay batches as tfjs tensors. The tensors wrap the batch's own fresh arrays (tfjs keeps
 * a typed array it is given, no copy); the consumer owns them and calls dispose().
 */
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_FRAMES } from '../../schemas/columns.js';
import type { PreparedBatch } from './kind-assembler.js';
import type { OrderConfig } from './replay-config.js';

/** What a checkpoint carries to resume a replay exactly where it stopped. */
export interface ReplayState {
  /** sha256 of the manifest file bytes. */
  manifestSha256: string;
  seed: number;
  epoch: number;
  /** Batches of the epoch already delivered on this rank. */
  position: number;
  rank: number;
  ranks: number;
  order: OrderConfig;
}

export interface PairTensors {
  /** [B, H, W, 1], grey / 255 in [0, 1]. */
  frames: tf.Tensor4D;
  /** [B, bins, frames, 1], dB (q * specDbScale + specDbOffset). */
  speechPos: tf.Tensor4D;
  speechNeg: tf.Tensor4D;
  /** [B] speech fraction of the clip. */
  affinity: tf.Tensor1D;
  /** [B] 1 for sample rows, 0 for padding. */
  mask: tf.Tensor1D;
}

export interface OrderTensors {
  /** [B, 4, H, W, 1], grey / 255, the 4 frames in shuffled order. */
  frames: tf.Tensor5D;
  /** [B] int32 frame-order class 0..11. */
  labels: tf.Tensor1D;
  mask: tf.Tensor1D;
}

interface BatchBase {
  /** Place of the batch in this rank's epoch. */
  position: number;
  /** Sample rows (the rest is padding). */
  size: number;
  /** `<shard path>#<row>` of each sample row. */
  samples: string[];
  digest?: string;
  /** The state after this batch: resuming from it yields the batch after this one. */
  state: ReplayState;
  /** Disposes every tensor of the batch. */
  dispose(): void;
}

export interface PairBatch extends BatchBase {
  kind: 'pairs';
  tensors: PairTensors;
  /** [B] int32 id of each row's clip (scan id + clip index); padding rows get distinct negative ids. */
  clipKeys: Int32Array;
}

export interface OrderBatch extends BatchBase {
  kind: 'orders';
  tensors: OrderTensors;
}

export type ReplayBatch = PairBatch | OrderBatch;

export function toReplayBatch(batch: PreparedBatch, state: ReplayState): ReplayBatch {
  const { batchSize: n, layout } = batch;
  const { frameHeight: h, frameWidth: w, specBins, specFrames } = layout;
  const base = { position: batch.position, size: batch.size, samples: batch.samples, state, ...(batch.digest ? { digest: batch.digest } : {}) };
  const mask = tf.tensor1d(batch.mask, 'float32');
  if (batch.kind === 'pairs') {
    const tensors: PairTensors = {
      frames: tf.tensor4d(batch.frames, [n, h, w, 1], 'float32'),
      speechPos: tf.tensor4d(batch.speechPos!, [n, specBins, specFrames, 1], 'float32'),
      speechNeg: tf.tensor4d(batch.speechNeg!, [n, specBins, specFrames, 1], 'float32'),
      affinity: tf.tensor1d(batch.affinity!, 'float32'),
      mask,
    };
    holdRegion(batch, [tensors.frames, tensors.speechPos, tensors.speechNeg]);
    return { ...base, kind: 'pairs', tensors, clipKeys: batch.clipKeys!, dispose: () => tf.dispose(tensors as unknown as tf.TensorContainer) };
  }
  const tensors: OrderTensors = {
    frames: tf.tensor5d(batch.frames, [n, ORDER_FRAMES, h, w, 1], 'float32'),
    labels: tf.tensor1d(batch.labels!, 'int32'),
    mask,
  };
  holdRegion(batch, [tensors.frames]);
  return { ...base, kind: 'orders', tensors, dispose: () => tf.dispose(tensors as unknown as tf.TensorContainer) };
}

/** The batch's region is reused once the backend holds none of the tensors made over it (clones included). */
function holdRegion(batch: PreparedBatch, over: tf.Tensor[]): void {
  if (!batch.region) return;
  const backend = tf.backend();
  const ids = over.map((t) => t.dataId);
  batch.region.heldBy(() => ids.some((id) => backend.refCount(id) > 0));
}
