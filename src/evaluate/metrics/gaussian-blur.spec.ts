import { describe, expect, it } from '@jest/globals';
import { densityFromFixations, gaussianBlur, gaussianKernel, reflectIndex } from './gaussian-blur.js';
import { saliencyMap } from './saliency-map.js';

const { exp } = Math;

// sigma = 0.5: radius floor(4 * 0.5 + 0.5) = 2, raw weights exp(-2 k^2) = 1, e^-2, e^-8 for |k| = 0, 1, 2.
const S = 1 + 2 * exp(-2) + 2 * exp(-8); // 1.2713415
const W0 = 1 / S; // 0.7865707
const W1 = exp(-2) / S; // 0.1064508
const W2 = exp(-8) / S; // 0.0002639

describe('gaussianKernel', () => {
  it('truncates at floor(4 sigma + 0.5) and sums to 1', () => {
    const k = gaussianKernel(0.5);
    expect(Array.from(k)).toHaveLength(5);
    expect(k[2]).toBeCloseTo(W0, 12);
    expect(k[1]).toBeCloseTo(W1, 12);
    expect(k[0]).toBeCloseTo(W2, 12);
    expect(gaussianKernel(1)).toHaveLength(9);
    expect(Array.from(gaussianKernel(0.1))).toEqual([1]);
    expect(Array.from(gaussianKernel(0))).toEqual([1]);
    expect(() => gaussianKernel(-1)).toThrow(/sigma/);
  });
});

describe('reflectIndex (d c b a | a b c d | d c b a)', () => {
  it('mirrors about the half-sample edge, repeatedly', () => {
    expect([-1, -2, -4, -5, 4, 5, 7, 8, 12].map((i) => reflectIndex(i, 4))).toEqual([0, 1, 3, 3, 3, 2, 0, 0, 3]);
    expect([-3, 0, 2].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0]);
  });
});

describe('gaussianBlur', () => {
  it('spreads an edge impulse with the reflected kernel: 1x3 row [1 0 0] -> [W0+W1, W1+W2, W2]', () => {
    // Position 0 receives taps -1 (reflected onto 0) and 0; position 1 taps -1 and -2 (reflected onto 0);
    // position 2 tap -2. The vertical pass on a 1-row map reflects every tap onto the row itself: identity.
    const out = gaussianBlur(saliencyMap(3, 1, [1, 0, 0]), 0.5);
    expect(out.data[0]).toBeCloseTo(W0 + W1, 6); // 0.893021
    expect(out.data[1]).toBeCloseTo(W1 + W2, 6); // 0.106715
    expect(out.data[2]).toBeCloseTo(W2, 6);
  });

  it('is separable: a centred impulse becomes the outer product of the kernel', () => {
    const values = new Array<number>(25).fill(0);
    values[12] = 1;
    const out = gaussianBlur(saliencyMap(5, 5, values), 0.5);
    const k = [W2, W1, W0, W1, W2];
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) expect(out.data[y * 5 + x]).toBeCloseTo((k[y] as number) * (k[x] as number), 6);
  });

  it('matches scipy.ndimage.gaussian_filter(mode="reflect", truncate=4) on a 4x3 map', () => {
    // Cross-check values printed by scipy 1.17.1 for sigma = 1.3 (radius 5 > map size: repeated reflection).
    const out = gaussianBlur(saliencyMap(4, 3, [0, 1, 2, 7, 3, 0, 0, 1, 5, 2, 0, 0]), 1.3);
    const scipy = [1.39139862, 1.52750436, 2.04782198, 2.66390203, 1.89188976, 1.6378514, 1.59688159, 1.7997344, 2.41196324, 1.79013562, 1.21599428, 1.02492272];
    scipy.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 5));
  });

  it('conserves mass even when the kernel is wider than the map', () => {
    const values = new Array<number>(35).fill(0);
    values[0] = 1;
    const out = gaussianBlur(saliencyMap(7, 5, values), 3);
    expect(out.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(out.data[0]).toBeGreaterThan(out.data[34] as number);
  });

  it('sigma 0 is the identity and the input is not modified', () => {
    const input = saliencyMap(2, 2, [1, 2, 3, 4]);
    expect(Array.from(gaussianBlur(input, 0).data)).toEqual([1, 2, 3, 4]);
    gaussianBlur(input, 2);
    expect(Array.from(input.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('densityFromFixations', () => {
  it('counts repeated points and sums to 1', () => {
    const d = densityFromFixations([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 0 }], 2, 1, 0);
    expect(d.data[0]).toBeCloseTo(2 / 3, 6);
    expect(d.data[1]).toBeCloseTo(1 / 3, 6);
    const blurred = densityFromFixations([{ x: 3, y: 1 }, { x: 8, y: 6 }], 12, 8, 2);
    expect(blurred.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(blurred.data[1 * 12 + 3]).toBeCloseTo(blurred.data[6 * 12 + 8] as number, 6); // point-mirrored bumps
  });

  it('rejects an empty list and points that are not pixels of the map', () => {
    expect(() => densityFromFixations([], 2, 2, 1)).toThrow(/no fixations/);
    expect(() => densityFromFixations([{ x: 2, y: 0 }], 2, 2, 1)).toThrow(/not an integer pixel/);
    expect(() => densityFromFixations([{ x: 0, y: 0.5 }], 2, 2, 1)).toThrow(/not an integer pixel/);
  });
});
