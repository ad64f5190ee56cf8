import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import { splitFolds } from './folds.js';

const scans = Array.from({ length: 135 }, (_, i) => `scan-${String(i).padStart(3, '0')}`);

describe('splitFolds', () => {
  it('splits 135 scans into 3 folds of 45 test / 90 train, each scan tested exactly once', () => {
    const folds = splitFolds(scans, 3, 42);
    expect(folds.map((f) => f.fold)).toEqual([0, 1, 2]);
    for (const f of folds) {
      expect(f.test).toHaveLength(45);
      expect(f.train).toHaveLength(90);
      const train = new Set(f.train);
      expect(f.test.some((id) => train.has(id))).toBe(false);
      expect([...f.train, ...f.test].sort()).toEqual([...scans].sort());
    }
    expect(folds.flatMap((f) => f.test).sort()).toEqual(scans);
  });

  it('makes near-equal folds when k does not divide n (10 scans, 3 folds -> 3, 3, 4)', () => {
    const sizes = splitFolds(scans.slice(0, 10), 3, 1).map((f) => f.test.length);
    expect(sizes.sort()).toEqual([3, 3, 4]);
    expect(splitFolds(scans.slice(0, 3), 3, 1).map((f) => f.test.length)).toEqual([1, 1, 1]);
  });

  it('is deterministic and independent of input order', () => {
    const a = splitFolds(scans, 3, 7);
    const shuffled = new Rng(123).shuffle([...scans]);
    expect(shuffled).not.toEqual(scans);
    expect(splitFolds(shuffled, 3, 7)).toEqual(a);
    expect(splitFolds([...scans].reverse(), 3, 7)).toEqual(a);
  });

  it('depends on the seed and is not the sorted order', () => {
    const a = splitFolds(scans, 3, 7);
    expect(splitFolds(scans, 3, 8)[0]?.test).not.toEqual(a[0]?.test);
    expect(a[0]?.test).not.toEqual(scans.slice(0, 45)); // shuffled, not contiguous blocks of the sorted ids
  });

  it('rejects more folds than scans, fewer than 2 folds and duplicate ids', () => {
    expect(() => splitFolds(['a', 'b'], 3, 1)).toThrow(/3 folds need at least 3 scans, got 2/);
    expect(() => splitFolds(['a', 'b'], 1, 1)).toThrow(/>= 2/);
    expect(() => splitFolds(['a', 'b'], 2.5, 1)).toThrow(/>= 2/);
    expect(() => splitFolds(['a', 'b', 'a'], 2, 1)).toThrow(/"a" appears more than once/);
  });
});
