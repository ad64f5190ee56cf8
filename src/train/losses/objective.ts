/**
 * The training objective over a pair batch, an order batch, or both:
 *   L = alpha L_cls + beta L_cont   (pairs: high-affinity clips)
 *     + gamma L_ord                 (orders: low-affinity clips)
 * A term whose batch is absent, or that an ablation switches off, is absent from L (not
 * computed), so the variables only it would reach get no gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TwoStreamModel } from '../model/two-stream.js';
import { contrastiveLoss } from './contrastive.js';
import type { LossConfig } from './loss-config.js';
import { orderAccuracy, orderLoss } from './order-loss.js';
import { pairAccuracy, pairClassificationLoss } from './pair-classification.js';

/** Structurally the replay's PairTensors / OrderTensors. */
export interface PairInputs {
  /** [B, H, W, 1]. */
  frames: tf.Tensor4D;
  /** [B, bins, frames, 1]. */
  speechPos: tf.Tensor4D;
  speechNeg: tf.Tensor4D;
  mask?: tf.Tensor1D;
  /** [B] int32 clip id per row: rows of one clip are not each other's contrastive negatives. */
  clipKeys?: tf.Tensor1D;
}

export interface OrderInputs {
  /** [B, 4, H, W, 1] in stored (shuffled) order. */
  frames: tf.Tensor5D;
  /** [B] class 0..11. */
  labels: tf.Tensor1D;
  mask?: tf.Tensor1D;
}

export interface ObjectiveInputs {
  pairs?: PairInputs;
  orders?: OrderInputs;
}

export interface LossTerms {
  cls?: tf.Scalar;
  cont?: tf.Scalar;
  ord?: tf.Scalar;
}

export interface LossMetrics {
  pairAccuracy?: tf.Scalar;
  orderAccuracy?: tf.Scalar;
}

export interface ObjectiveResult {
  total: tf.Scalar;
  /** The unweighted terms that are present. */
  terms: LossTerms;
  metrics: LossMetrics;
}

/** Every term and metric; the caller disposes the result (tf.dispose(result) works). */
export function objective(model: TwoStreamModel, inputs: ObjectiveInputs, config: LossConfig, training = true): ObjectiveResult {
  const result = tf.tidy(() => {
    const terms: LossTerms = {};
    const metrics: LossMetrics = {};
    const weighted: tf.Scalar[] = [];
    const { pairs, orders } = inputs;
    if (pairs !== undefined) {
      const out = model.pairs(pairs.frames, pairs.speechPos, pairs.speechNeg, training);
      terms.cls = pairClassificationLoss(out.logitsPos, out.logitsNeg, pairs.mask);
      weighted.push(tf.mul(terms.cls, config.alpha));
      metrics.pairAccuracy = pairAccuracy(out.logitsPos, out.logitsNeg, pairs.mask);
      if (!config.noContrastive) {
        terms.cont = contrastiveLoss(out.yVideo, out.ySpeechPos, out.ySpeechNeg, {
          temperature: config.temperature,
          hardNegatives: config.hardNegatives,
          ...(pairs.mask === undefined ? {} : { mask: pairs.mask }),
          ...(pairs.clipKeys === undefined ? {} : { groups: pairs.clipKeys }),
        });
        weighted.push(tf.mul(terms.cont, config.beta));
      }
    }
    if (orders !== undefined && !config.noAffinity) {
      const logits = model.orderLogits(orders.frames, training);
      terms.ord = orderLoss(logits, orders.labels, orders.mask);
      weighted.push(tf.mul(terms.ord, config.gamma));
      metrics.orderAccuracy = orderAccuracy(logits, orders.labels, orders.mask);
    }
    if (weighted.length === 0) {
      throw new Error(pairs === undefined && orders === undefined ? 'objective: no batch given' : 'objective: every term is switched off for this batch');
    }
    const out: ObjectiveResult = { total: tf.addN(weighted) as tf.Scalar, terms, metrics };
    return out as unknown as tf.TensorContainer;
  });
  return result as unknown as ObjectiveResult;
}

export interface ObjectiveGradients {
  /** L (the caller disposes it, and everything below). */
  loss: tf.Scalar;
  /** d L / d variable, keyed by engine variable name (what optimizer.applyGradients takes). Variables L does not reach are absent. */
  grads: tf.NamedTensorMap;
  terms: LossTerms;
  metrics: LossMetrics;
}

/**
 * L and its gradients with respect to `varList` (default: every trainable parameter of the
 * model), in training mode. Clip, average across workers (model.params.byParamName gives
 * stable names) and apply them with src/train/tfjs/optim.ts.
 */
export function objectiveGradients(
  model: TwoStreamModel,
  inputs: ObjectiveInputs,
  config: LossConfig,
  varList: tf.Variable[] = model.params.trainable(),
): ObjectiveGradients {
  let side: Pick<ObjectiveResult, 'terms' | 'metrics'> | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const result = objective(model, inputs, config, true);
    // Kept past variableGrads' own tidy; handed to the caller.
    for (const t of [...Object.values(result.terms), ...Object.values(result.metrics)] as tf.Scalar[]) tf.keep(t);
    side = { terms: result.terms, metrics: result.metrics };
    return result.total;
  }, varList);
  const kept = side as Pick<ObjectiveResult, 'terms' | 'metrics'>;
  return { loss: value, grads: grads as tf.NamedTensorMap, terms: kept.terms, metrics: kept.metrics };
}
