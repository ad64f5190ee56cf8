import { describe, expect, it } from '@jest/globals';
import { Rng, hashString } from './rng.js';

describe('Rng', () => {
  it('repeats its sequence for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const drawsA = Array.from({ length: 100 }, () => a.nextUint32());
    const drawsB = Array.from({ length: 100 }, () => b.nextUint32());
    expect(drawsA).toEqual(drawsB);
  });

  it('differs between seeds and between forks', () => {
    const base = new Rng(1);
    expect(new Rng(2).nextUint32()).not.toEqual(new Rng(1).nextUint32());
    expect(base.fork('audio').nextUint32()).not.toEqual(base.fork('video').nextUint32());
    expect(base.fork('audio').nextUint32()).toEqual(new Rng(1).fork('audio').nextUint32());
  });

  it('draws uniform values in [0, 1) with the right mean', () => {
    const rng = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
  });

  it('draws normals with mean 0 and unit variance', () => {
    const rng = new Rng(9);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('hashes strings stably', () => {
    expect(hashString('sonospeech')).toBe(hashString('sonospeech'));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});
