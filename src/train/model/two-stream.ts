/**
 * The two-stream network of METHOD.md "Model": g_v (video frame) and g_s (spectrogram),
 * two SE-ResNeXt backbones of one architecture with separate weights; the projection MLP h
 * (y = h(g(.))); the fusion classifier f on concat(y_v, y_s) -> 2 logits (index 1 =
 * "belong together"); and the frame-order head on the four frames' g_v features -> 12.
 *
 * f has a hidden layer: a linear map of concat(y_v, y_s) is a sum of a video-only and a
 * speech-only score and could not tell whether the two match.
 */
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients (the core CJS bundle has none)
import * as tf from '@tensorflow/tfjs-core';
import { ORDER_CLASSES, ORDER_FRAMES } from '../../../schemas/columns.js';
import type { Rng } from '../../util/rng.js';
import { Backbone } from './backbone.js';
import { Mlp } from './dense.js';
import { featureChannels, validateModelConfig, type StreamInputConfig, type TwoStreamConfig } from './model-config.js';
import { ParamSet } from './param-set.js';

/** Parameter-name prefixes of the parts (ParamSet names start with one of these). */
export const PART_PREFIX = {
  video: 'g_v/',
  speech: 'g_s/',
  projection: 'h',
  fusion: 'f/',
  order: 'order/',
} as const;

export type Stream = 'video' | 'speech';

export interface PairOutputs {
  /** y_v = h(g_v(v)) [B, P]. */
  yVideo: tf.Tensor2D;
  /** y_s = h(g_s(s)) for the positive speech [B, P]. */
  ySpeechPos: tf.Tensor2D;
  /** y_s' = h(g_s(s')) for the hard negative speech [B, P]. */
  ySpeechNeg: tf.Tensor2D;
  /** f(y_v, y_s) and f(y_v, y_s') [B, 2]. */
  logitsPos: tf.Tensor2D;
  logitsNeg: tf.Tensor2D;
}

export interface CreateModelOptions {
  /** Engine-name scope of the variables (default: a fresh "modelN"). */
  scope?: string;
}

export class TwoStreamModel {
  readonly params: ParamSet;
  readonly featureSize: number;
  private readonly videoNet: Backbone;
  private readonly speechNet: Backbone;
  private readonly projectVideo: Mlp;
  private readonly projectSpeech: Mlp;
  private readonly fusion: Mlp;
  private readonly orderHead: Mlp;

  constructor(readonly config: TwoStreamConfig, rng: Rng, options: CreateModelOptions = {}) {
    validateModelConfig(config);
    this.params = new ParamSet(options.scope);
    const p = this.params;
    const c = featureChannels(config.backbone);
    const { hidden, out, shared } = config.projection;
    this.featureSize = c;
    try {
      this.videoNet = new Backbone(p, 'g_v', rng.fork('g_v'), config.backbone);
      this.speechNet = new Backbone(p, 'g_s', rng.fork('g_s'), config.backbone);
      this.projectVideo = new Mlp(p, shared ? 'h' : 'h_v', rng.fork(shared ? 'h' : 'h_v'), [c, hidden, out]);
      this.projectSpeech = shared ? this.projectVideo : new Mlp(p, 'h_s', rng.fork('h_s'), [c, hidden, out]);
      this.fusion = new Mlp(p, 'f', rng.fork('f'), [2 * out, config.fusionHidden, 2]);
      this.orderHead = new Mlp(p, 'order', rng.fork('order'), [ORDER_FRAMES * c, config.orderHidden, ORDER_CLASSES]);
    } catch (error) {
      this.params.dispose();
      throw error;
    }
  }

  private standardise(x: tf.Tensor4D, input: StreamInputConfig): tf.Tensor4D {
    return tf.div(tf.sub(x, input.mean), input.std);
  }

  /** g_v: video frames [B, H, W, 1] -> pooled features [B, C]. */
  videoFeatures(frames: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.videoNet.features(this.standardise(frames, this.config.video), training);
  }

  /** g_v's last feature map [B, H / s, W / s, C] (for dense downstream heads). */
  videoFeatureMap(frames: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return this.videoNet.featureMap(this.standardise(frames, this.config.video), training);
  }

  /** g_s: spectrograms [B, bins, frames, 1] (dB) -> pooled features [B, C]. */
  speechFeatures(spectrograms: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.speechNet.features(this.standardise(spectrograms, this.config.speech), training);
  }

  /** h: backbone features [B, C] -> embeddings [B, P]. */
  project(features: tf.Tensor2D, stream: Stream): tf.Tensor2D {
    return (stream === 'video' ? this.projectVideo : this.projectSpeech).apply(features);
  }

  /** f: concat(y_v, y_s) -> [B, 2] logits. */
  fuse(yVideo: tf.Tensor2D, ySpeech: tf.Tensor2D): tf.Tensor2D {
    return this.fusion.apply(tf.concat([yVideo, ySpeech], 1));
  }

  /**
   * Both pairs of each row: (v, s) and (v, s'). The positive and negative spectrograms go
   * through g_s as one batch of 2B.
   */
  pairs(frames: tf.Tensor4D, speechPos: tf.Tensor4D, speechNeg: tf.Tensor4D, training: boolean): PairOutputs {
    const b = frames.shape[0];
    if (speechPos.shape[0] !== b || speechNeg.shape[0] !== b) throw new Error(`pairs: batch sizes ${b}, ${speechPos.shape[0]}, ${speechNeg.shape[0]} differ`);
    const yVideo = this.project(this.videoFeatures(frames, training), 'video');
    const ySpeech = this.project(this.speechFeatures(tf.concat([speechPos, speechNeg], 0), training), 'speech');
    const [ySpeechPos, ySpeechNeg] = tf.split(ySpeech, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return {
      yVideo,
      ySpeechPos,
      ySpeechNeg,
      logitsPos: this.fuse(yVideo, ySpeechPos),
      logitsNeg: this.fuse(yVideo, ySpeechNeg),
    };
  }

  /** Frame-order logits: frames [B, 4, H, W, 1] in stored order -> [B, 12]. */
  orderLogits(frames: tf.Tensor5D, training: boolean): tf.Tensor2D {
    const [b, n, h, w, c] = frames.shape;
    if (n !== ORDER_FRAMES) throw new Error(`orderLogits: expected ${ORDER_FRAMES} frames per sample, got ${n}`);
    const features = this.videoFeatures(tf.reshape(frames, [b * n, h, w, c]), training);
    return this.orderHead.apply(tf.reshape(features, [b, n * this.featureSize]));
  }

  dispose(): void {
    this.params.dispose();
  }
}
