import { describe, expect, it } from '@jest/globals';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Clip } from '../types/ingest.js';
import { affinityLevel, tagAffinity } from './tag-affinity.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const clip = (index: number, decisions: number[]): Clip => ({
  scan: 's',
  index,
  firstFrame: index * 2,
  frames: [],
  audio: new Float32Array(0),
  speech: Uint8Array.from(decisions),
});

describe('tagAffinity', () => {
  it('tags a clip high from the threshold up (default 0.5: "mostly noise" is low)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const clips = {
        a: clip(0, [1, 1, 0, 0]), // 0.5: exactly the threshold
        b: clip(1, [1, 0, 0, 0, 0]), // 0.2
        c: clip(2, [1, 1, 1, 0]), // 0.75
        d: clip(3, []), // no VAD frames: 0
        e: clip(4, [1, 1, 1, 1, 0, 0, 0, 0, 0]), // 4/9 just under
      };
      const tagged = cold('abcde|', clips).pipe(tagAffinity(), map((t) => `${t.index}:${t.speechFraction.toFixed(2)}:${t.affinity}`));
      expectObservable(tagged).toBe('abcde|', { a: '0:0.50:high', b: '1:0.20:low', c: '2:0.75:high', d: '3:0.00:low', e: '4:0.44:low' });
    });
  });

  it('honours a configured threshold and keeps the clip fields', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = clip(0, [1, 0, 0, 0]);
      expectObservable(cold('a|', { a: source }).pipe(tagAffinity({ affinityThreshold: 0.25 }))).toBe('a|', {
        a: { ...source, speechFraction: 0.25, affinity: 'high' },
      });
      expectObservable(cold('a|', { a: source }).pipe(tagAffinity({ affinityThreshold: 0.26 }), map((t) => t.affinity))).toBe('a|', { a: 'low' });
    });
  });

  it('checks the threshold', () => {
    expect(affinityLevel(0.3, 0.3)).toBe('high');
    expect(affinityLevel(0.2999, 0.3)).toBe('low');
    expect(() => tagAffinity({ affinityThreshold: 1.5 })).toThrow(/affinityThreshold/);
  });
});
