/**
 * The video backbone g_v of a downstream model. The whole two-stream network is built (so a
 * pre-training run's weights.ssw, which holds every parameter, loads with its name and shape
 * checks), and only g_v is used and trained.
 *
 * Random initialisation uses Rng(seed).fork('model'), exactly as a training run starts: with the
 * pre-training seed, "random" is the starting point every pre-training run moved away from.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.js';
import type { TwoStreamConfig } from '../../train/model/model-config.js';
import { PART_PREFIX, TwoStreamModel } from '../../train/model/two-stream.js';
import { loadWeights } from '../../train/model/weights-io.js';

export interface BackboneSpec {
  model: TwoStreamConfig;
  /** The initial weights come from Rng(seed).fork('model'); then `weights` (if any) replace all of them. */
  seed: number;
  /** A saveWeights buffer of the same architecture (a run's weights.ssw). */
  weights?: Uint8Array | ArrayBuffer;
}

export function buildBackbone(spec: BackboneSpec): TwoStreamModel {
  const model = new TwoStreamModel(spec.model, new Rng(spec.seed).fork('model'));
  if (spec.weights !== undefined) {
    try {
      loadWeights(model.params, spec.weights);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  return model;
}

export function isVideoParam(name: string): boolean {
  return name.startsWith(PART_PREFIX.video);
}

/** g_v's trainable variables (what fine-tuning updates besides the head). */
export function videoVariables(model: TwoStreamModel): tf.Variable[] {
  return model.params.trainable(isVideoParam);
}

/** Copies of every g_v parameter's values, by name (for tests and checks). */
export async function videoSnapshot(model: TwoStreamModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of model.params.entries()) if (isVideoParam(name)) out.set(name, Float32Array.from(await v.data()));
  return out;
}
