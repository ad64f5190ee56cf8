import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { AffinityLevel, PairSample, TaggedClip } from '../types/ingest.js';
import { Rng } from '../util/rng.js';
import type { SamplingConfig } from './config.js';
import { samplePairs, type PairSamplingStats } from './sample-pairs.js';
import { sampleSeed } from './sample-seed.js';
import { taggedClip } from './spec-fixtures.js';

// Clips of 4 frames at 4 fps = 1 s = 16 samples at 16 Hz; snippets of 4 samples (0.25 s).
const TINY: Partial<SamplingConfig> = { framesPerClip: 4, fps: 4, sampleRate: 16, snippetSeconds: 0.25 };
const SHAPE = { framesPerClip: 4, clipSamples: 16 };

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const scanOf = (levels: AffinityLevel[], scan = 'scan'): TaggedClip[] => levels.map((a, i) => taggedClip(scan, i, a, SHAPE));
const highs = (n: number, scan = 'scan'): TaggedClip[] => scanOf(Array<AffinityLevel>(n).fill('high'), scan);
/** Marble values a, b, c, ... */
const named = (clips: TaggedClip[]): Record<string, TaggedClip> => Object.fromEntries(clips.map((c, i) => [String.fromCharCode(97 + i), c]));

async function pairsOf(clips: TaggedClip[], config: Partial<SamplingConfig> = {}): Promise<{ pairs: PairSample[]; stats: PairSamplingStats }> {
  let stats: PairSamplingStats | undefined;
  const pairs = await lastValueFrom(from(clips).pipe(samplePairs({ ...TINY, ...config, onStats: (s) => (stats = s) }), toArray()));
  return { pairs, stats: stats as PairSamplingStats };
}

describe('samplePairs', () => {
  it('draws K groups per high-affinity clip and none for low ones', async () => {
    const { pairs, stats } = await pairsOf(scanOf(['high', 'low', 'high', 'low', 'low']), { groupsPerClip: 3 });
    expect(pairs.map((p) => `${p.clip}.${p.group}`)).toEqual(['0.0', '0.1', '0.2', '2.0', '2.1', '2.2']);
    expect(stats).toMatchObject({ clips: 5, highClips: 2, pairs: 6, unpairedGroups: 0 });
  });

  it('emits the pairs of clip T only once clip T + D - 1 has arrived, or at completion', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const pairs = cold('-a-b-c-d-|', named(highs(4))).pipe(samplePairs({ ...TINY, shiftRange: 3, groupsPerClip: 1 }), map((p) => p.clip));
      expectObservable(pairs).toBe('-----w-x-(yz|)', { w: 0, x: 1, y: 2, z: 3 });
    });
    scheduler().run(({ cold, expectObservable }) => {
      const pairs = cold('-a-b-c----|', named(scanOf(['high', 'low', 'low']))).pipe(samplePairs({ ...TINY, shiftRange: 3 }), map((p) => `${p.clip}.${p.group}`));
      expectObservable(pairs).toBe('-----(xy)-|', { x: '0.0', y: '0.1' });
    });
  });

  it('keeps hard positives inside T within maxOffset of the frame, and negatives inside T + delta, 1 <= delta < D', async () => {
    const rng = new Rng(7);
    const n = 60;
    const levels = Array.from({ length: n }, (): AffinityLevel => (rng.chance(0.6) ? 'high' : 'low'));
    const maxOffsetSeconds = 0.4;
    const { pairs, stats } = await pairsOf(scanOf(levels), { maxOffsetSeconds, seed: 11 });
    expect(pairs.length).toBe(2 * levels.filter((l) => l === 'high').length);
    const deltas = new Set<number>();
    let beyondFrame = 0;
    for (const p of pairs) {
      expect(levels[p.clip]).toBe('high');
      expect(p.frameIndex - 4 * p.clip).toBeGreaterThanOrEqual(0);
      expect(p.frameIndex - 4 * p.clip).toBeLessThan(4);
      expect(p.frame[0]).toBe(p.frameIndex);
      const pos = p.positiveTime * 16;
      expect(p.positiveAudio[0]).toBe(pos);
      expect(p.positiveAudio).toHaveLength(4);
      expect(pos).toBeGreaterThanOrEqual(16 * p.clip);
      expect(pos + 4).toBeLessThanOrEqual(16 * (p.clip + 1));
      const offset = p.positiveTime + 0.125 - (p.frameIndex + 0.5) / 4;
      expect(Math.abs(offset)).toBeLessThanOrEqual(maxOffsetSeconds + 1e-12);
      if (Math.abs(offset) > 0.125) beyondFrame++; // the snippet misses the frame's moment: a perturbed alignment
      expect(Math.abs(p.delta)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(p.delta)).toBeLessThan(5);
      if (p.delta < 0) expect(p.clip + Math.abs(p.delta)).toBeGreaterThanOrEqual(n);
      const neg = p.negativeTime * 16;
      const other = p.clip + p.delta;
      expect(p.negativeAudio[0]).toBe(neg);
      expect(p.negativeAudio).toHaveLength(4);
      expect(neg).toBeGreaterThanOrEqual(16 * other);
      expect(neg + 4).toBeLessThanOrEqual(16 * (other + 1));
      expect(p.speechFraction).toBe(1);
      deltas.add(p.delta);
    }
    expect([...deltas].filter((d) => d > 0).sort()).toEqual([1, 2, 3, 4]);
    expect(beyondFrame).toBeGreaterThan(0);
    expect(stats.maxHeldAudioClips).toBeLessThanOrEqual(2 * (5 - 1));
  });

  it('draws only frames that admit a snippet within maxOffset (exact alignment at maxOffset 0)', async () => {
    // 8 frames at 8 fps, 0.5 s snippets: centres lie in [0.25, 0.75] s, so only frames 2..5 can be matched exactly.
    const shape = { framesPerClip: 8, clipSamples: 16 };
    const clips = Array.from({ length: 30 }, (_, i) => taggedClip('scan', i, 'high', shape));
    const config = { framesPerClip: 8, fps: 8, sampleRate: 16, snippetSeconds: 0.5, maxOffsetSeconds: 0 };
    const pairs = await lastValueFrom(from(clips).pipe(samplePairs(config), toArray()));
    const local = new Set(pairs.map((p) => p.frameIndex - 8 * p.clip));
    expect([...local].sort()).toEqual([2, 3, 4, 5]);
    for (const p of pairs) expect(p.positiveTime + 0.25).toBeCloseTo((p.frameIndex + 0.5) / 8, 12);
  });

  it('takes delta backwards at the scan end, and emits nothing for a 1-clip scan', async () => {
    const two = await pairsOf(highs(2));
    expect(two.pairs.map((p) => [p.clip, p.delta])).toEqual([
      [0, 1],
      [0, 1],
      [1, -1],
      [1, -1],
    ]);
    expect(two.stats.backwardPairs).toBe(2);
    const six = await pairsOf(highs(6));
    expect(six.pairs.filter((p) => p.clip === 5).every((p) => p.delta < 0)).toBe(true);
    const one = await pairsOf(highs(1));
    expect(one.pairs).toEqual([]);
    expect(one.stats).toMatchObject({ clips: 1, pairs: 0, unpairedGroups: 2 });
  });

  it('ends a scan when the scan id changes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const pairs = cold('a-b-c---|', named([...highs(2, 'one'), ...highs(1, 'two')])).pipe(samplePairs({ ...TINY, groupsPerClip: 1 }), map((p) => `${p.scan}/${p.clip}:${p.delta}`));
      expectObservable(pairs).toBe('----(xy)|', { x: 'one/0:1', y: 'one/1:-1' });
    });
  });

  it('is deterministic: same seed same samples, seeded per (seed, scan, clip, group) whatever the other clips', async () => {
    const levels = Array.from({ length: 12 }, (_, i): AffinityLevel => (i % 3 === 0 ? 'high' : 'low'));
    const first = await pairsOf(scanOf(levels), { seed: 5 });
    const again = await pairsOf(scanOf(levels), { seed: 5 });
    expect(again.pairs).toEqual(first.pairs);
    const other = await pairsOf(scanOf(levels), { seed: 6 });
    expect(other.pairs.map((p) => p.sampleSeed)).not.toEqual(first.pairs.map((p) => p.sampleSeed));
    const allHigh = await pairsOf(highs(12), { seed: 5 });
    const clip6 = (ps: PairSample[]): PairSample[] => ps.filter((p) => p.clip === 6);
    expect(clip6(allHigh.pairs)).toEqual(clip6(first.pairs));
    for (const p of first.pairs) expect(p.sampleSeed).toBe(sampleSeed(5, 'scan', p.clip, p.group, 'pair'));
  });

  it('fails on clips out of order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('ba', named(highs(2))).pipe(samplePairs(TINY))).toBe('-#', undefined, new Error('samplePairs(scan): clip 0 after clip 1'));
    });
  });
});

describe('sampleSeed', () => {
  it('is a pure uint32 function of every input', () => {
    const base = sampleSeed(1, 'scan', 2, 0);
    expect(sampleSeed(1, 'scan', 2, 0)).toBe(base);
    expect(base).toBeGreaterThanOrEqual(0n);
    expect(base).toBeLessThan(2n ** 32n);
    const variants = [sampleSeed(2, 'scan', 2, 0), sampleSeed(1, 'scan2', 2, 0), sampleSeed(1, 'scan', 3, 0), sampleSeed(1, 'scan', 2, 1), sampleSeed(1, 'scan', 2, 0, 'order')];
    expect(new Set([base, ...variants]).size).toBe(6);
  });
});
