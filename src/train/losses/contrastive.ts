/**
 * L_cont, the cross-modal contrastive loss (METHOD.md Eq. 2), as InfoNCE over the batch.
 *
 * As printed, -log((e^sim(v,s) - e^sim(v,s')) / sum_k e^sim(v,k)) is unsafe: the numerator
 * is <= 0 whenever the hard negative is at least as similar as the positive (log of zero or
 * of a negative number: -inf / NaN, exactly the hard cases it should learn from), and
 * sim(a, b) = a^T b of unnormalised embeddings overflows exp() in float32 past ~88.
 *
 * Implemented instead, for each video embedding y_v_i (L2-normalised, like every y):
 *   logits_i = [ y_v_i . y_s_j / tau  for every positive speech j of the batch ]
 *           ++ [ y_v_i . y_s'_i / tau ]              (hardNegatives 'own', default)
 *           or [ y_v_i . y_s'_j / tau for every j ]  (hardNegatives 'all')
 *   L_i = logsumexp(logits_i) - logits_i[i]           (target: its own positive)
 * It keeps Eq. 2's intent: pull y_v to its own speech, push away its hard negative and the
 * batch's other speech. Normalised embeddings bound every logit by 1/tau and logsumexp
 * subtracts the row maximum, so the loss and its gradient stay finite for any inputs.
 * Padding rows (mask 0) are neither anchors nor candidates. With `groups` (one id per row, e.g.
 * the row's clip), another row of the anchor's own group is not used as a negative: two rows
 * of the same clip carry speech from the same interval T (K groups per clip), so treating one
 * as the other's negative would push apart what belongs together.
 */
import * as tf from '@tensorflow/tfjs-core';
import { maskedMean } from './cross-entropy.js';

export type HardNegatives = 'own' | 'all';

export interface ContrastiveOptions {
  /** tau > 0. */
  temperature: number;
  hardNegatives?: HardNegatives;
  /** [B] 1 sample, 0 padding. */
  mask?: tf.Tensor1D;
  /** [B] int32 group id per row: rows of the anchor's group (other than itself) are not negatives. */
  groups?: tf.Tensor1D;
}

/** Added to the logits of padding candidates: exp() of it is exactly 0 yet it stays finite. */
const EXCLUDED = -1e9;

/** Rows scaled to unit L2 norm (a zero row stays zero). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-12))));
}

export function contrastiveLoss(yVideo: tf.Tensor2D, ySpeechPos: tf.Tensor2D, ySpeechNeg: tf.Tensor2D, options: ContrastiveOptions): tf.Scalar {
  const { temperature, mask } = options;
  const hardNegatives = options.hardNegatives ?? 'own';
  if (!(temperature > 0)) throw new Error(`contrastiveLoss: temperature must be > 0, got ${temperature}`);
  const [b, d] = yVideo.shape;
  for (const y of [ySpeechPos, ySpeechNeg]) {
    if (y.shape[0] !== b || y.shape[1] !== d) throw new Error(`contrastiveLoss: shapes [${yVideo.shape}] and [${y.shape}] differ`);
  }
  return tf.tidy(() => {
    const v = l2Normalize(yVideo);
    const s = l2Normalize(ySpeechPos);
    const n = l2Normalize(ySpeechNeg);
    const columnPenalty = mask === undefined ? null : tf.reshape(tf.mul(tf.sub(1, mask), EXCLUDED), [1, b]);
    const withPenalty = (logits: tf.Tensor2D): tf.Tensor2D => (columnPenalty === null ? logits : tf.add(logits, columnPenalty));
    let positives = withPenalty(tf.div(tf.matMul(v, s, false, true), temperature)); // [B, B]
    if (options.groups !== undefined) {
      const g = options.groups;
      const sameGroup = tf.logicalAnd(tf.equal(tf.reshape(g, [b, 1]), tf.reshape(g, [1, b])), tf.logicalNot(tf.cast(tf.eye(b), 'bool')));
      positives = tf.add(positives, tf.where(sameGroup, tf.fill([b, b], EXCLUDED), tf.zeros([b, b])));
    }
    const negatives =
      hardNegatives === 'all'
        ? withPenalty(tf.div(tf.matMul(v, n, false, true), temperature)) // [B, B]
        : tf.div(tf.sum(tf.mul(v, n), 1, true), temperature); // [B, 1]
    const target = tf.div(tf.sum(tf.mul(v, s), 1), temperature); // [B]
    const perRow = tf.sub(tf.logSumExp(tf.concat([positives, negatives], 1), 1), target) as tf.Tensor1D;
    return maskedMean(perRow, mask);
  });
}
