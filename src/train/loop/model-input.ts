/**
 * Lake-sized arrays -> the preset's input size. Down-sampling first averages k x k blocks
 * (k = the whole factor, so speckle and spectrogram detail are averaged rather than
 * aliased), then resizes bilinearly (half-pixel centres) to the exact size when k does not
 * divide it: 224 -> avg 3 -> 74 -> 64; 256 -> avg 4 -> 64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_FRAMES } from '../../../schemas/columns.js';
import type { TwoStreamConfig } from '../model/model-config.js';
import type { ObjectiveInputs } from '../losses/objective.js';
import type { StepPart } from './step-part.js';

export function resizeToInput(x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [th, tw] = size;
  if (h === th && w === tw) return x;
  return tf.tidy(() => {
    let y = x;
    const k = Math.min(Math.floor(h / th), Math.floor(w / tw));
    if (k >= 2) y = tf.avgPool(y, k, k, 'valid');
    if (y.shape[1] !== th || y.shape[2] !== tw) y = tf.image.resizeBilinear(y, [th, tw], false, true);
    return y;
  });
}

/** The part's tensors at the model's input sizes (the caller disposes them). */
export function partInputs(part: StepPart, model: TwoStreamConfig): ObjectiveInputs {
  const [h, w] = part.frameSize;
  const n = part.rows;
  const mask = tf.tensor1d(part.mask, 'float32');
  if (part.kind === 'pairs') {
    const [bins, cols] = part.speechSize;
    return {
      pairs: {
        frames: resizeAndDispose(tf.tensor4d(part.frames, [n, h, w, 1]), model.video.size),
        speechPos: resizeAndDispose(tf.tensor4d(part.speechPos, [n, bins, cols, 1]), model.speech.size),
        speechNeg: resizeAndDispose(tf.tensor4d(part.speechNeg, [n, bins, cols, 1]), model.speech.size),
        clipKeys: tf.tensor1d(part.clipKeys, 'int32'),
        mask,
      },
    };
  }
  const flat = resizeAndDispose(tf.tensor4d(part.frames, [n * ORDER_FRAMES, h, w, 1]), model.video.size);
  const [th, tw] = model.video.size;
  const frames = tf.reshape(flat, [n, ORDER_FRAMES, th, tw, 1]) as tf.Tensor5D;
  flat.dispose();
  return { orders: { frames, labels: tf.tensor1d(part.labels, 'int32'), mask } };
}

function resizeAndDispose(x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  const y = resizeToInput(x, size);
  if (y !== x) x.dispose();
  return y;
}
