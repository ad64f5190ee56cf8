/**
 * Clip -> TaggedClip: the clip's speech fraction (VAD frames marked speech) and its
 * affinity level, high when the fraction is >= `affinityThreshold` (default 0.5: METHOD.md's
 * low-affinity clips are "mostly noise"). A clip without VAD decisions has fraction 0: low.
 */
import { map, type OperatorFunction } from 'rxjs';
import { resolveSamplingConfig, type SamplingConfig } from '../sampling/config.js';
import type { AffinityLevel, Clip, TaggedClip } from '../types/ingest.js';
import { speechFraction } from './vad-engine.js';

export function affinityLevel(fraction: number, threshold: number): AffinityLevel {
  return fraction >= threshold ? 'high' : 'low';
}

export function tagAffinity(options: Partial<Pick<SamplingConfig, 'affinityThreshold'>> = {}): OperatorFunction<Clip, TaggedClip> {
  const { affinityThreshold } = resolveSamplingConfig(options, ['affinityThreshold']);
  return map((clip): TaggedClip => {
    const fraction = speechFraction(clip.speech);
    return { ...clip, speechFraction: fraction, affinity: affinityLevel(fraction, affinityThreshold) };
  });
}
