/** A replay batch (tfjs tensors) -> the plain arrays of a step (copied: the batch can be disposed at once). */
import type { ReplayBatch } from '../../replay/replay-batch.js';
import type { StepPart } from './step-part.js';

export function stepPartOf(batch: ReplayBatch): StepPart {
  if (batch.kind === 'pairs') {
    const { frames, speechPos, speechNeg, mask } = batch.tensors;
    const [n, h, w] = frames.shape;
    const [, bins, cols] = speechPos.shape;
    return {
      kind: 'pairs',
      rows: n,
      frames: (frames.dataSync() as Float32Array).slice(),
      frameSize: [h, w],
      speechPos: (speechPos.dataSync() as Float32Array).slice(),
      speechNeg: (speechNeg.dataSync() as Float32Array).slice(),
      speechSize: [bins, cols],
      clipKeys: batch.clipKeys.slice(),
      mask: (mask.dataSync() as Float32Array).slice(),
    };
  }
  const { frames, labels, mask } = batch.tensors;
  const [n, , h, w] = frames.shape;
  return {
    kind: 'orders',
    rows: n,
    frames: (frames.dataSync() as Float32Array).slice(),
    frameSize: [h, w],
    labels: Int32Array.from(labels.dataSync() as Int32Array),
    mask: (mask.dataSync() as Float32Array).slice(),
  };
}
