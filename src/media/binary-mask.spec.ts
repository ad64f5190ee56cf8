import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import {
  boundingBox,
  closeMask,
  countSet,
  fillHoles,
  largestComponent,
  largestInscribedRectangle,
  shrinkBox,
  type BinaryMask,
} from './binary-mask.js';

function maskFrom(rows: string[]): BinaryMask {
  const height = rows.length;
  const width = (rows[0] as string).length;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => [...row].forEach((c, x) => (data[y * width + x] = c === '#' ? 1 : 0)));
  return { width, height, data };
}

function rowsOf(mask: BinaryMask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.height; y++) {
    let row = '';
    for (let x = 0; x < mask.width; x++) row += mask.data[y * mask.width + x] === 1 ? '#' : '.';
    rows.push(row);
  }
  return rows;
}

describe('largestComponent', () => {
  it('keeps the biggest 4-connected region; diagonal neighbours are separate', () => {
    const m = maskFrom([
      '##....#',
      '##....#',
      '....##.',
      '...###.',
      '#......',
    ]);
    const { mask, area } = largestComponent(m);
    expect(area).toBe(5);
    expect(rowsOf(mask)).toEqual(['.......', '.......', '....##.', '...###.', '.......']);
  });

  it('returns an empty mask for an empty input', () => {
    const { mask, area } = largestComponent(maskFrom(['...', '...']));
    expect(area).toBe(0);
    expect(countSet(mask)).toBe(0);
  });
});

describe('fillHoles', () => {
  it('fills enclosed holes but not a notch open to the border', () => {
    const m = maskFrom([
      '#######',
      '#..#..#',
      '#..#..#',
      '####..#',
      '####..#',
    ]);
    // The left hole is enclosed; the right one reaches the bottom edge.
    expect(rowsOf(fillHoles(m))).toEqual(['#######', '####..#', '####..#', '####..#', '####..#']);
  });
});

describe('closeMask', () => {
  it('bridges a one-pixel gap and keeps edges cut by the frame', () => {
    const m = maskFrom([
      '###.###',
      '###.###',
      '###.###',
    ]);
    expect(rowsOf(closeMask(m, 1))).toEqual(['#######', '#######', '#######']);
  });

  it('does not grow a convex shape', () => {
    const m = maskFrom([
      '.......',
      '.####..',
      '.####..',
      '.......',
    ]);
    expect(rowsOf(closeMask(m, 2))).toEqual(rowsOf(m));
  });
});

describe('boundingBox and shrinkBox', () => {
  it('bounds the set pixels', () => {
    expect(boundingBox(maskFrom(['....', '.#..', '...#']))).toEqual({ x: 1, y: 1, width: 3, height: 2 });
    expect(boundingBox(maskFrom(['....']))).toBeUndefined();
  });

  it('shrinks each side and never below one pixel', () => {
    expect(shrinkBox({ x: 10, y: 20, width: 100, height: 50 }, 3, 2)).toEqual({ x: 13, y: 22, width: 94, height: 46 });
    expect(shrinkBox({ x: 0, y: 0, width: 3, height: 2 }, 5, 5)).toEqual({ x: 1, y: 0, width: 1, height: 2 });
  });
});

function bruteForceLargest(mask: BinaryMask): number {
  const { width, height, data } = mask;
  let best = 0;
  for (let y0 = 0; y0 < height; y0++)
    for (let x0 = 0; x0 < width; x0++)
      for (let y1 = y0; y1 < height; y1++)
        for (let x1 = x0; x1 < width; x1++) {
          let full = true;
          for (let y = y0; y <= y1 && full; y++) for (let x = x0; x <= x1 && full; x++) full = data[y * width + x] === 1;
          if (full) best = Math.max(best, (x1 - x0 + 1) * (y1 - y0 + 1));
        }
  return best;
}

describe('largestInscribedRectangle', () => {
  it('finds the maximal all-set rectangle', () => {
    const m = maskFrom([
      '..#.....',
      '.#####..',
      '.######.',
      '.######.',
      '...##...',
    ]);
    expect(largestInscribedRectangle(m)).toEqual({ x: 1, y: 1, width: 5, height: 3 });
  });

  it('agrees with brute force on random masks', () => {
    const rng = new Rng(7).fork('masks');
    for (let trial = 0; trial < 200; trial++) {
      const width = rng.int(1, 9);
      const height = rng.int(1, 9);
      const density = rng.uniform(0.3, 0.95);
      const data = new Uint8Array(width * height);
      for (let i = 0; i < data.length; i++) data[i] = rng.chance(density) ? 1 : 0;
      const mask = { width, height, data };
      const rect = largestInscribedRectangle(mask);
      const expected = bruteForceLargest(mask);
      if (expected === 0) {
        expect(rect).toBeUndefined();
        continue;
      }
      expect(rect).toBeDefined();
      const r = rect as NonNullable<typeof rect>;
      expect(r.width * r.height).toBe(expected);
      for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) expect(data[y * width + x]).toBe(1);
    }
  });
});
