/**
 * A replay batch (tfjs tensors) -> the plain arrays of a step, copied so that the batch can
 * be disposed at once. Read asynchronously: a GPU backend has no synchronous read-back.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ReplayBatch } from '../../replay/replay-batch.js';
import type { StepPart } from './step-part.js';

async function floats(t: tf.Tensor): Promise<Float32Array> {
  return ((await t.data()) as Float32Array).slice();
}

export async function stepPartOf(batch: ReplayBatch): Promise<StepPart> {
  if (batch.kind === 'pairs') {
    const { frames, speechPos, speechNeg, mask } = batch.tensors;
    const [n, h, w] = frames.shape;
    const [, bins, cols] = speechPos.shape;
    return {
      kind: 'pairs',
      rows: n,
      frames: await floats(frames),
      frameSize: [h, w],
      speechPos: await floats(speechPos),
      speechNeg: await floats(speechNeg),
      speechSize: [bins, cols],
      clipKeys: batch.clipKeys.slice(),
      mask: await floats(mask),
    };
  }
  const { frames, labels, mask } = batch.tensors;
  const [n, , h, w] = frames.shape;
  return {
    kind: 'orders',
    rows: n,
    frames: await floats(frames),
    frameSize: [h, w],
    labels: Int32Array.from((await labels.data()) as Int32Array),
    mask: await floats(mask),
  };
}
