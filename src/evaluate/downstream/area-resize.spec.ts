import { describe, expect, it } from '@jest/globals';
import { AreaResizer, areaWeights } from './area-resize.js';

describe('area resize', () => {
  it('weights sum to 1 for any ratio', () => {
    for (const [s, t] of [[224, 224], [224, 112], [224, 100], [64, 224], [7, 3]] as const) {
      const w = areaWeights(s, t);
      for (let i = 0; i < t; i++) {
        let sum = 0;
        for (let k = 0; k < w.count[i]!; k++) sum += w.weight[w.offset[i]! + k]!;
        expect(sum).toBeCloseTo(1, 5);
      }
    }
  });

  it('is the identity at the same size, scaled to [0, 1]', () => {
    const src = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const out = new Float32Array(16);
    new AreaResizer(4, 4, 4).resize(src, out, 0);
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo(src[i]! / 255, 6);
  });

  it('averages 2 x 2 blocks when halving, and writes at the offset', () => {
    const src = Uint8Array.from([0, 255, 10, 10, 255, 0, 30, 30, 51, 51, 0, 0, 51, 51, 0, 0]);
    const out = new Float32Array(2 + 4);
    new AreaResizer(4, 4, 2).resize(src, out, 2);
    expect(Array.from(out.subarray(2)).map((v) => Math.round(v * 255))).toEqual([128, 20, 51, 0]);
    expect(out[0]).toBe(0);
  });

  it('keeps a flat image flat at a non-integer ratio', () => {
    const src = new Uint8Array(224 * 224).fill(200);
    const out = new Float32Array(100 * 100);
    new AreaResizer(224, 224, 100).resize(src, out, 0);
    for (const v of out) expect(v).toBeCloseTo(200 / 255, 5);
  });
});
