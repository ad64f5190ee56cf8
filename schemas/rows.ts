/**
 * The in-memory shapes the shard writers accept: one row at a time, or a columnar
 * batch of `length` rows whose binary values are concatenated in one contiguous buffer.
 * Property names are the `key`s of schemas/columns.ts.
 */
import type { ShardKind } from './columns.js';

/** Seeds are int64 in the files; a number must be a safe integer. */
export type SeedValue = bigint | number;

export interface PairRow {
  scanId: string;
  clip: number;
  groupK: number;
  frameIndex: number;
  /** frame_height * frame_width bytes. */
  frame: Uint8Array;
  /** spec_bins * spec_frames bytes each. */
  speechPos: Uint8Array;
  speechNeg: Uint8Array;
  speechPosTime: number;
  speechNegTime: number;
  delta: number;
  affinity: number;
  sampleSeed: SeedValue;
}

export interface OrderRow {
  scanId: string;
  clip: number;
  /** 4 frames in shuffled order, concatenated: 4 * frame_height * frame_width bytes. */
  frames: Uint8Array;
  /** Source frame index of each shuffled frame. */
  frameIndices: ArrayLike<number>;
  /** Temporal rank (0..3) of each shuffled frame; a permutation of 0..3. */
  permutation: ArrayLike<number>;
  label: number;
  sampleSeed: SeedValue;
}

export interface PairColumns {
  length: number;
  /** One id for every row, or one per row. */
  scanId: string | readonly string[];
  clip: ArrayLike<number>;
  groupK: ArrayLike<number>;
  frameIndex: ArrayLike<number>;
  /** length * frame bytes. */
  frame: Uint8Array;
  /** length * spectrogram bytes each. */
  speechPos: Uint8Array;
  speechNeg: Uint8Array;
  speechPosTime: ArrayLike<number>;
  speechNegTime: ArrayLike<number>;
  delta: ArrayLike<number>;
  affinity: ArrayLike<number>;
  sampleSeed: BigInt64Array | ArrayLike<SeedValue>;
}

export interface OrderColumns {
  length: number;
  scanId: string | readonly string[];
  clip: ArrayLike<number>;
  /** length * 4 * frame bytes. */
  frames: Uint8Array;
  /** length * 4, row-major. */
  frameIndices: ArrayLike<number>;
  /** length * 4, row-major. */
  permutation: ArrayLike<number>;
  label: ArrayLike<number>;
  sampleSeed: BigInt64Array | ArrayLike<SeedValue>;
}

export type ShardRow<K extends ShardKind> = K extends 'pairs' ? PairRow : OrderRow;
export type ShardColumns<K extends ShardKind> = K extends 'pairs' ? PairColumns : OrderColumns;
