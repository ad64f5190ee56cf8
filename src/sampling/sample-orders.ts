/**
 * TaggedClip -> OrderSample (METHOD.md, frame-order task of the affinity-aware scheme): for
 * each low-affinity clip (every clip with `orderFromAllClips`), 4 frames `orderSpacing`
 * apart from a start drawn uniformly among those that fit the clip, stored in an order drawn
 * uniformly among all 24 permutations. perm[j] = temporal rank of the frame stored at j;
 * label = orderLabel(perm) (schemas/columns.ts).
 *
 * The identity order is NOT excluded: with all 24 orders equally likely each of the 12
 * classes (an order and its reverse) has probability 1/12; excluding the identity would
 * halve class 0 (0-1-2-3 == 3-2-1-0), and the identity tells the model nothing it can exploit.
 *
 * One sample per clip, drawn from its own Rng (sample-seed.ts, task 'order', group 0).
 * Samples reference the clip's frame buffers.
 */
import { mergeMap, type OperatorFunction } from 'rxjs';
import { orderLabel } from '../../schemas/columns.js';
import type { OrderSample, TaggedClip } from '../types/ingest.js';
import { ORDER_SAMPLE_FRAMES, resolveSamplingConfig, type SamplingConfig } from './config.js';
import { sampleRng, sampleSeed } from './sample-seed.js';

type Four<T> = [T, T, T, T];

/** The order sample of one clip (config already resolved). */
export function drawOrderSample(clip: TaggedClip, config: SamplingConfig): OrderSample {
  const spacing = config.orderSpacing;
  const span = (ORDER_SAMPLE_FRAMES - 1) * spacing;
  if (clip.frames.length <= span) throw new Error(`sampleOrders(${clip.scan}): clip ${clip.index} has ${clip.frames.length} frames, need > ${span}`);
  const seed = sampleSeed(config.seed, clip.scan, clip.index, 0, 'order');
  const rng = sampleRng(seed);
  const start = rng.int(0, clip.frames.length - 1 - span);
  const perm = rng.shuffle([0, 1, 2, 3]) as Four<number>;
  const offsets = perm.map((rank) => start + rank * spacing) as Four<number>;
  return {
    kind: 'order',
    scan: clip.scan,
    clip: clip.index,
    frameIndices: offsets.map((o) => clip.firstFrame + o) as Four<number>,
    frames: offsets.map((o) => clip.frames[o] as Uint8Array) as Four<Uint8Array>,
    perm,
    label: orderLabel(perm),
    speechFraction: clip.speechFraction,
    sampleSeed: seed,
  };
}

/** The parameters the order sampler reads (and validates). */
export const ORDER_CONFIG_KEYS = ['seed', 'framesPerClip', 'orderSpacing', 'orderFromAllClips'] as const;

export function sampleOrders(options: Partial<SamplingConfig> = {}): OperatorFunction<TaggedClip, OrderSample> {
  const config = resolveSamplingConfig(options, ORDER_CONFIG_KEYS);
  return mergeMap((clip: TaggedClip) => (config.orderFromAllClips || clip.affinity === 'low' ? [drawOrderSample(clip, config)] : []));
}
