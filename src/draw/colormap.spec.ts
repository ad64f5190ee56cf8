import { describe, expect, it } from '@jest/globals';
import { colormapColor, colormapIndex, MAGMA } from './colormap.js';

function luma(i: number): number {
  return 0.2126 * (MAGMA[3 * i] as number) + 0.7152 * (MAGMA[3 * i + 1] as number) + 0.0722 * (MAGMA[3 * i + 2] as number);
}

describe('magma colour table', () => {
  it('has 256 entries running from near black to pale yellow', () => {
    expect(MAGMA).toHaveLength(768);
    expect(colormapColor(MAGMA, 0)).toEqual([0, 0, 4]);
    expect(colormapColor(MAGMA, 1)).toEqual([252, 253, 191]);
  });

  it('gets brighter along the table (readable as intensity)', () => {
    // Magma is monotonic in perceptual lightness; 8-bit sRGB luma wobbles by a fraction
    // between neighbours, so compare entries 4 apart.
    for (let i = 4; i < 256; i++) expect(luma(i)).toBeGreaterThan(luma(i - 4));
  });

  it('clamps the index', () => {
    expect(colormapIndex(-1)).toBe(0);
    expect(colormapIndex(Number.NaN)).toBe(0);
    expect(colormapIndex(0.5)).toBe(128);
    expect(colormapIndex(2)).toBe(255);
  });
});
