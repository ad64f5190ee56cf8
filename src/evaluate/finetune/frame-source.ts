/**
 * Rows of the downstream set (loadDownstream) as model batches. A fold's train and test sides are
 * lists of references into the loaded scans, not copies: the bench set at 64 x 64 is ~0.7 GB of
 * frames, and every batch copies only its own rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DownstreamData, DownstreamScanData } from '../downstream/load-downstream.js';

/** One downstream row: scan index in `data.scans` and row within that scan. */
export interface FrameRef {
  scan: number;
  row: number;
}

export interface SelectRows {
  /** Keep every `every`-th row of each scan (1 = all), starting at its first row. */
  every?: number;
  /** Only rows with gaze (the saliency task). */
  gazeOnly?: boolean;
}

export class FrameSource {
  readonly size: number;
  readonly mapWidth: number;
  readonly mapHeight: number;
  readonly classes: number;
  private readonly byId: Map<string, number>;

  constructor(readonly data: DownstreamData) {
    this.size = data.size;
    this.mapWidth = data.saliencyWidth;
    this.mapHeight = data.saliencyHeight;
    this.classes = data.classes.length;
    this.byId = new Map(data.scans.map((s, i) => [s.id, i]));
  }

  scan(ref: FrameRef): DownstreamScanData {
    const scan = this.data.scans[ref.scan];
    if (scan === undefined) throw new Error(`FrameSource: no scan #${ref.scan}`);
    return scan;
  }

  /** The rows of these scans (in the order given, rows in order). */
  select(scanIds: readonly string[], options: SelectRows = {}): FrameRef[] {
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new Error(`FrameSource.select: every must be a positive integer, got ${every}`);
    const refs: FrameRef[] = [];
    for (const id of scanIds) {
      const s = this.byId.get(id);
      if (s === undefined) throw new Error(`FrameSource: the downstream set has no scan '${id}'`);
      const scan = this.data.scans[s] as DownstreamScanData;
      for (let row = 0; row < scan.count; row += every) {
        if (options.gazeOnly && scan.hasGaze[row] !== 1) continue;
        refs.push({ scan: s, row });
      }
    }
    return refs;
  }

  /** Frames [B, size, size, 1] in [0, 1]. */
  frames(refs: readonly FrameRef[]): tf.Tensor4D {
    const cells = this.size * this.size;
    const out = new Float32Array(refs.length * cells);
    refs.forEach((ref, i) => out.set(this.scan(ref).frames.subarray(ref.row * cells, (ref.row + 1) * cells), i * cells));
    return tf.tensor4d(out, [refs.length, this.size, this.size, 1]);
  }

  labels(refs: readonly FrameRef[]): Int32Array {
    return Int32Array.from(refs, (ref) => this.scan(ref).labels[ref.row] as number);
  }

  /** Ground-truth densities [B, mapHeight * mapWidth], each summing to 1 (0 without gaze). */
  saliency(refs: readonly FrameRef[]): Float32Array {
    const cells = this.mapWidth * this.mapHeight;
    const out = new Float32Array(refs.length * cells);
    refs.forEach((ref, i) => out.set(this.scan(ref).saliency.subarray(ref.row * cells, (ref.row + 1) * cells), i * cells));
    return out;
  }

  /** One row's ground-truth density (a view, not a copy). */
  saliencyRow(ref: FrameRef): Float32Array {
    const cells = this.mapWidth * this.mapHeight;
    return this.scan(ref).saliency.subarray(ref.row * cells, (ref.row + 1) * cells);
  }

  /** Fixated map cells of a row as [x0, y0, x1, y1, ...]. */
  fixations(ref: FrameRef): Int32Array {
    return this.scan(ref).fixations[ref.row] ?? new Int32Array(0);
  }

  /** The frame as 8-bit grey (for figures). */
  greyFrame(ref: FrameRef): { width: number; height: number; data: Uint8Array } {
    const cells = this.size * this.size;
    const pixels = this.scan(ref).frames.subarray(ref.row * cells, (ref.row + 1) * cells);
    return { width: this.size, height: this.size, data: Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)) };
  }
}

/** Consecutive slices of `items` of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunks: size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
