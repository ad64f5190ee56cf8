import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ORDER_CLASSES, orderLabel } from '../../schemas/columns.js';
import type { AffinityLevel, OrderSample, TaggedClip } from '../types/ingest.js';
import { drawOrderSample, ORDER_CONFIG_KEYS, sampleOrders } from './sample-orders.js';
import { resolveSamplingConfig, type SamplingConfig } from './config.js';
import { sampleSeed } from './sample-seed.js';
import { taggedClip } from './spec-fixtures.js';

// Clips of 12 frames; 4 frames 3 apart span 10 frames: starts 0..2.
const TINY: Partial<SamplingConfig> = { framesPerClip: 12, orderSpacing: 3 };
const SHAPE = { framesPerClip: 12, clipSamples: 16 };

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const lows = (n: number, scan = 'scan') => Array.from({ length: n }, (_, i) => taggedClip(scan, i, 'low', SHAPE));

describe('sampleOrders', () => {
  it('samples each low-affinity clip as it arrives, and high ones only with orderFromAllClips', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const levels: AffinityLevel[] = ['low', 'high', 'low'];
      const clips: Record<string, TaggedClip> = Object.fromEntries(levels.map((l, i) => ['abc'[i] as string, taggedClip('scan', i, l, SHAPE)]));
      expectObservable(cold('a-b-c|', clips).pipe(sampleOrders(TINY), map((s) => s.clip))).toBe('a---c|', { a: 0, c: 2 });
      expectObservable(cold('a-b-c|', clips).pipe(sampleOrders({ ...TINY, orderFromAllClips: true }), map((s) => s.clip))).toBe('a-b-c|', { a: 0, b: 1, c: 2 });
    });
  });

  it('stores 4 frames orderSpacing apart in shuffled order, perm = temporal rank, label = orderLabel(perm)', async () => {
    const samples = await lastValueFrom(from(lows(200)).pipe(sampleOrders(TINY), toArray()));
    const starts = new Set<number>();
    for (const s of samples) {
      expect([...s.perm].sort()).toEqual([0, 1, 2, 3]);
      expect(s.label).toBe(orderLabel(s.perm));
      const first = Math.min(...s.frameIndices);
      starts.add(first - 12 * s.clip);
      s.perm.forEach((rank, j) => {
        expect(s.frameIndices[j]).toBe(first + 3 * rank);
        expect(s.frames[j]?.[0]).toBe((s.frameIndices[j] as number) & 255);
      });
      expect(s.sampleSeed).toBe(sampleSeed(0, 'scan', s.clip, 0, 'order'));
      expect(s.speechFraction).toBe(0);
    }
    expect([...starts].sort()).toEqual([0, 1, 2]);
  });

  it('gives an order and its reverse the same label, and reaches all 24 orders and 12 labels', async () => {
    const samples = await lastValueFrom(from(lows(600)).pipe(sampleOrders({ ...TINY, seed: 3 }), toArray()));
    const labelOf = new Map<string, number>();
    for (const s of samples) labelOf.set(s.perm.join(''), s.label);
    expect(labelOf.size).toBe(24); // the identity order included
    for (const [perm, label] of labelOf) expect(labelOf.get([...perm].reverse().join(''))).toBe(label);
    const counts = new Array<number>(ORDER_CLASSES).fill(0);
    for (const s of samples) counts[s.label] = (counts[s.label] as number) + 1;
    // 600 draws over 12 equally likely classes: 50 each, a few sigma of slack.
    for (const c of counts) expect(c).toBeGreaterThan(25);
  });

  it('is deterministic per (seed, scan, clip)', () => {
    const config = resolveSamplingConfig({ ...TINY, seed: 9 }, ORDER_CONFIG_KEYS);
    const [clip] = lows(1);
    const once: OrderSample = drawOrderSample(clip!, config);
    expect(drawOrderSample(clip!, config)).toEqual(once);
    const others = Array.from({ length: 8 }, (_, s) => drawOrderSample(clip!, { ...config, seed: s }));
    expect(new Set(others.map((o) => `${o.perm.join('')}@${o.frameIndices[0]}`)).size).toBeGreaterThan(1);
  });

  it('rejects a spacing that does not fit the clip', () => {
    expect(() => sampleOrders({ framesPerClip: 12, orderSpacing: 4 })).toThrow(/do not fit a clip of 12 frames/);
  });
});
