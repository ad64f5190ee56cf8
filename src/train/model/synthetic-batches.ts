/**
 * Small synthetic batches with a learnable structure, for tests and benchmarks of the model
 * and losses (not for training anything real):
 * - pairs: each row shows one of `patterns` blocky random patterns; the frame and its
 *   positive spectrogram carry the same pattern (grey in [0, 1] vs dB), the hard negative
 *   another one; a batch uses distinct patterns, so no other row's speech is a true match;
 * - orders: a bright vertical bar moving left to right over 4 frames, stored shuffled, with
 *   the frame-order class as label.
 * Everything is drawn from the given Rng.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_FRAMES, orderLabel } from '../../../schemas/columns.js';
import type { Rng } from '../../util/rng.js';
import type { OrderInputs, PairInputs } from '../losses/objective.js';

const CELLS = 4;

export class PatternBank {
  private readonly cells: Float32Array[];

  constructor(
    rng: Rng,
    readonly count: number,
    readonly size: number,
  ) {
    this.cells = Array.from({ length: count }, () => Float32Array.from({ length: CELLS * CELLS }, () => (rng.chance(0.5) ? 1 : 0)));
  }

  /** Pattern k at `size` x `size`, values 0/1, written into `out` at `offset`. */
  write(k: number, out: Float32Array, offset: number, noise: Rng, transform: (v: number) => number): void {
    const cells = this.cells[k] as Float32Array;
    const size = this.size;
    for (let y = 0; y < size; y++) {
      const cy = ((y * CELLS) / size) | 0;
      for (let x = 0; x < size; x++) {
        const cx = ((x * CELLS) / size) | 0;
        out[offset + y * size + x] = transform((cells[cy * CELLS + cx] as number) + 0.1 * noise.normal());
      }
    }
  }
}

/** A pair batch of `batch` rows (batch <= bank.count). The caller disposes the tensors. */
export function syntheticPairs(rng: Rng, bank: PatternBank, batch: number): PairInputs {
  if (batch > bank.count) throw new Error(`syntheticPairs: batch ${batch} > ${bank.count} patterns`);
  const { size } = bank;
  const plane = size * size;
  const frames = new Float32Array(batch * plane);
  const pos = new Float32Array(batch * plane);
  const neg = new Float32Array(batch * plane);
  const classes = rng.shuffle(Array.from({ length: bank.count }, (_, i) => i)).slice(0, batch);
  const toDb = (v: number): number => -70 + 40 * v;
  classes.forEach((k, i) => {
    let other = rng.int(0, bank.count - 2);
    if (other >= k) other += 1;
    bank.write(k, frames, i * plane, rng, (v) => v);
    bank.write(k, pos, i * plane, rng, toDb);
    bank.write(other, neg, i * plane, rng, toDb);
  });
  return {
    frames: tf.tensor4d(frames, [batch, size, size, 1]),
    speechPos: tf.tensor4d(pos, [batch, size, size, 1]),
    speechNeg: tf.tensor4d(neg, [batch, size, size, 1]),
  };
}

/** An order batch: frames [batch, 4, size, size, 1] and labels. The caller disposes the tensors. */
export function syntheticOrders(rng: Rng, batch: number, size: number): OrderInputs {
  const plane = size * size;
  const frames = new Float32Array(batch * ORDER_FRAMES * plane);
  const labels = new Int32Array(batch);
  const barWidth = Math.max(1, (size / (2 * ORDER_FRAMES)) | 0);
  for (let i = 0; i < batch; i++) {
    const perm = rng.shuffle([0, 1, 2, 3]);
    labels[i] = orderLabel(perm);
    perm.forEach((rank, j) => {
      const offset = (i * ORDER_FRAMES + j) * plane;
      const left = ((rank + 0.5) * size) / ORDER_FRAMES - barWidth / 2;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const inBar = x >= left && x < left + barWidth;
          frames[offset + y * size + x] = (inBar ? 0.9 : 0.1) + 0.05 * rng.normal();
        }
      }
    });
  }
  return { frames: tf.tensor5d(frames, [batch, ORDER_FRAMES, size, size, 1]), labels: tf.tensor1d(labels, 'int32') };
}
