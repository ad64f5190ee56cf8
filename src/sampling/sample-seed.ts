/**
 * Per-sample seeds: each sample's draws come from its own Rng, seeded by a pure function of
 * (root seed, task, scan, clip, group), so a sample never depends on timing, concurrency or
 * on which other clips were sampled before it.
 *
 * Rng consumes 32 bits of seed, so a sample seed is a uint32 (stored as int64 in the shards).
 * Two samples of a run share a seed with probability ~n^2 / 2^33 (a handful over 10^5
 * samples); they then draw the same positions inside different clips, which is harmless.
 */
import { hashString, Rng } from '../util/rng.js';

export type SampleTask = 'pair' | 'order';

export function sampleSeed(seed: number, scan: string, clip: number, group: number, task: SampleTask = 'pair'): bigint {
  const scanHash = hashString(scan, hashString(`sonospeech/${task}/${seed >>> 0}`));
  return BigInt(hashString(`${clip}/${group}`, scanHash));
}

/** The Rng a sample with seed `seed` draws from. */
export function sampleRng(seed: bigint): Rng {
  return new Rng(Number(BigInt.asUintN(32, seed)));
}
