/**
 * A step's batch as plain typed arrays, cut into contiguous row ranges ("parts") that are
 * computed separately (gradient accumulation, or one per worker thread) and whose gradients
 * are averaged. Plain data so that a part can be posted to a worker thread.
 */
import { ORDER_FRAMES } from '../../../schemas/columns.js';

export interface PairPart {
  kind: 'pairs';
  rows: number;
  /** [rows, h, w] grey / 255. */
  frames: Float32Array;
  frameSize: [number, number];
  /** [rows, bins, columns] dB. */
  speechPos: Float32Array;
  speechNeg: Float32Array;
  speechSize: [number, number];
  /** [rows] clip id: rows of one clip are not each other's contrastive negatives. */
  clipKeys: Int32Array;
  /** [rows] 1 sample, 0 padding. */
  mask: Float32Array;
}

export interface OrderPart {
  kind: 'orders';
  rows: number;
  /** [rows, 4, h, w] grey / 255, stored (shuffled) order. */
  frames: Float32Array;
  frameSize: [number, number];
  /** [rows] class 0..11. */
  labels: Int32Array;
  mask: Float32Array;
}

export type StepPart = PairPart | OrderPart;

/** Sample rows of a part (mask sum): its weight in the batch average. */
export function partWeight(part: StepPart): number {
  let sum = 0;
  for (let i = 0; i < part.mask.length; i++) sum += part.mask[i] as number;
  return sum;
}

/** Row ranges [start, end) of `parts` near-equal contiguous parts (earlier parts take the remainder). */
export function partRanges(rows: number, parts: number): [number, number][] {
  if (!(Number.isInteger(parts) && parts >= 1)) throw new Error(`parts must be a positive integer, got ${parts}`);
  const n = Math.min(parts, Math.max(rows, 1));
  const base = Math.floor(rows / n);
  const extra = rows % n;
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** Cuts a whole-batch part into `parts` parts (copies: each owns its buffers, so it can be transferred). */
export function splitPart(batch: StepPart, parts: number): StepPart[] {
  return partRanges(batch.rows, parts).map(([a, b]) => slicePart(batch, a, b));
}

function rowsOf<T extends Float32Array | Int32Array>(array: T, rowLength: number, a: number, b: number): T {
  return array.slice(a * rowLength, b * rowLength) as T;
}

export function slicePart(batch: StepPart, a: number, b: number): StepPart {
  const [h, w] = batch.frameSize;
  if (batch.kind === 'pairs') {
    const [bins, cols] = batch.speechSize;
    return {
      kind: 'pairs',
      rows: b - a,
      frames: rowsOf(batch.frames, h * w, a, b),
      frameSize: [h, w],
      speechPos: rowsOf(batch.speechPos, bins * cols, a, b),
      speechNeg: rowsOf(batch.speechNeg, bins * cols, a, b),
      speechSize: [bins, cols],
      clipKeys: rowsOf(batch.clipKeys, 1, a, b),
      mask: rowsOf(batch.mask, 1, a, b),
    };
  }
  return {
    kind: 'orders',
    rows: b - a,
    frames: rowsOf(batch.frames, ORDER_FRAMES * h * w, a, b),
    frameSize: [h, w],
    labels: rowsOf(batch.labels, 1, a, b),
    mask: rowsOf(batch.mask, 1, a, b),
  };
}

/** The buffers a part owns (to transfer it to a worker thread without a copy). */
export function partBuffers(part: StepPart): ArrayBuffer[] {
  const arrays = part.kind === 'pairs' ? [part.frames, part.speechPos, part.speechNeg, part.clipKeys, part.mask] : [part.frames, part.labels, part.mask];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
