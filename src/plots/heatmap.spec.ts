import { describe, expect, it } from '@jest/globals';
import { GLYPH_HEIGHT } from '../draw/font.js';
import type { RgbImage } from '../draw/image.js';
import { drawConfusionMatrix, drawSaliencyPair, layoutConfusionMatrix, layoutSaliencyPair, type SaliencyMap } from './heatmap.js';
import { around, countColor, countInk } from './image-probe.js';
import { luma, PLOT_THEME } from './theme.js';

const LABELS = ['3VT', '4CH', 'abdomen', 'femur', 'background'];

/** The colour of a cell, read near its top-left corner (the text sits in the middle). */
function cellColor(img: RgbImage, labels: string[], title: string, r: number, c: number) {
  const { gridX, gridY, cell } = layoutConfusionMatrix(labels, title);
  return img.getPixel(gridX + c * cell + 1, gridY + r * cell + 1);
}

function cellRegion(labels: string[], title: string, r: number, c: number, inset = 2) {
  const { gridX, gridY, cell } = layoutConfusionMatrix(labels, title);
  return { x: gridX + c * cell + inset, y: gridY + r * cell + inset, width: cell - 1 - 2 * inset, height: cell - 1 - 2 * inset };
}

describe('drawConfusionMatrix', () => {
  it('grows with the number of classes and rejects a matrix that does not match the labels', () => {
    const small = drawConfusionMatrix([[1, 0], [0, 1]], ['a', 'b'], { title: 'x' });
    const big = drawConfusionMatrix(
      LABELS.map((_, r) => LABELS.map((_, c) => (r === c ? 5 : 1))),
      LABELS,
      { title: 'x' },
    );
    expect(big.width).toBeGreaterThan(small.width);
    expect(big.height).toBeGreaterThan(small.height);
    expect(() => drawConfusionMatrix([[1, 0]], ['a', 'b'], { title: 'x' })).toThrow(/1 rows for 2 labels/);
    expect(() => drawConfusionMatrix([[1], [0, 1]], ['a', 'b'], { title: 'x' })).toThrow(/row 0 has 1 cells/);
  });

  it('shades cells darker as the row share grows', () => {
    const row = [1, 2, 4, 8, 16];
    const matrix = LABELS.map((_, r) => row.map((v) => v * (r + 1)));
    const img = drawConfusionMatrix(matrix, LABELS, { title: 't' });
    for (let r = 0; r < LABELS.length; r++) {
      const lumas = row.map((_, c) => luma(cellColor(img, LABELS, 't', r, c)));
      for (let c = 1; c < lumas.length; c++) expect(lumas[c]).toBeLessThan(lumas[c - 1]!);
    }
    // Each row is the same distribution at a different scale: row normalisation makes them equal.
    expect(cellColor(img, LABELS, 't', 4, 2)).toEqual(cellColor(img, LABELS, 't', 0, 2));
  });

  it('shades by raw value when not normalised', () => {
    const matrix = [
      [10, 0],
      [10, 90],
    ];
    const byRow = drawConfusionMatrix(matrix, ['a', 'b'], { title: 't' });
    const raw = drawConfusionMatrix(matrix, ['a', 'b'], { title: 't', normalise: 'none' });
    // Row shares: 100% vs 10%; raw values: equal.
    expect(luma(cellColor(byRow, ['a', 'b'], 't', 0, 0))).toBeLessThan(luma(cellColor(byRow, ['a', 'b'], 't', 1, 0)));
    expect(cellColor(raw, ['a', 'b'], 't', 0, 0)).toEqual(cellColor(raw, ['a', 'b'], 't', 1, 0));
    expect(luma(cellColor(raw, ['a', 'b'], 't', 1, 1))).toBeLessThan(luma(cellColor(raw, ['a', 'b'], 't', 0, 0)));
  });

  it('writes counts in cells that fit them and leaves tiny cells plain', () => {
    const matrix = [
      [7, 0],
      [3, 12],
    ];
    const img = drawConfusionMatrix(matrix, ['a', 'b'], { title: 't' });
    for (const [r, c] of [[0, 0], [1, 0], [1, 1], [0, 1]] as const) {
      const background = cellColor(img, ['a', 'b'], 't', r, c);
      expect(countInk(img, cellRegion(['a', 'b'], 't', r, c), background)).toBeGreaterThan(8);
    }
    const many = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const huge = many.map((_, r) => many.map((_, c) => (r === c ? 123456789 : 0)));
    const crowded = drawConfusionMatrix(huge, many, { title: 't' });
    const diag = cellRegion(many, 't', 3, 3, 0);
    expect(countInk(crowded, diag, cellColor(crowded, many, 't', 3, 3), 0)).toBe(0);
  });

  it('labels both axes and draws a colour bar from light to dark', () => {
    const matrix = LABELS.map((_, r) => LABELS.map((_, c) => (r === c ? 9 : 1)));
    const img = drawConfusionMatrix(matrix, LABELS, { title: 'planes' });
    const { gridX, gridY, cell, barX } = layoutConfusionMatrix(LABELS, 'planes');
    const grid = LABELS.length * cell;
    const bg = PLOT_THEME.background;
    for (let i = 0; i < LABELS.length; i++) {
      const rowLabel = { x: gridX - 60, y: gridY + i * cell + cell / 2 - 5, width: 56, height: 10 };
      const colLabel = { x: gridX + i * cell + cell / 2 - 5, y: gridY + grid + 4, width: 10, height: 20 };
      expect(countInk(img, rowLabel, bg)).toBeGreaterThan(8);
      expect(countInk(img, colLabel, bg)).toBeGreaterThan(8);
    }
    expect(luma(img.getPixel(barX + 7, gridY + 1))).toBeLessThan(80);
    expect(luma(img.getPixel(barX + 7, gridY + grid - 3))).toBeGreaterThan(230);
  });

  it('draws an empty matrix as "no data"', () => {
    const img = drawConfusionMatrix([], [], { title: 'nothing' });
    expect(countColor(img, { x: 0, y: 0, width: img.width, height: img.height }, PLOT_THEME.dimText)).toBeGreaterThan(40);
  });
});

function gaussianMap(w: number, h: number, cx: number, cy: number, sigma: number): SaliencyMap {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
  return { width: w, height: h, data };
}

const FRAME = { width: 160, height: 120, data: new Uint8Array(160 * 120).fill(100) };

function isGrey(c: readonly number[]): boolean {
  return c[0] === c[1] && c[1] === c[2];
}

describe('drawSaliencyPair', () => {
  it('puts the two panels side by side at a readable scale', () => {
    const img = drawSaliencyPair(FRAME, gaussianMap(16, 12, 4, 6, 2), gaussianMap(16, 12, 12, 6, 2));
    const layout = layoutSaliencyPair(160, 120);
    expect(layout.panelWidth).toBe(240);
    expect(layout.panelHeight).toBe(180);
    expect([img.width, img.height]).toEqual([layout.width, layout.height]);
    expect(img.width).toBeGreaterThan(2 * 240);
  });

  it('overlays each map as heat where it is high and leaves the frame grey elsewhere', () => {
    // Predicted peaks on the left quarter, truth on the right quarter of the frame.
    const img = drawSaliencyPair(FRAME, gaussianMap(16, 12, 4, 6, 1.5), gaussianMap(16, 12, 12, 6, 1.5));
    const { predictedX, truthX, panelY, panelWidth, panelHeight } = layoutSaliencyPair(160, 120);
    const left = (x0: number) => img.getPixel(x0 + panelWidth * (4.5 / 16), panelY + panelHeight * (6.5 / 12));
    const right = (x0: number) => img.getPixel(x0 + panelWidth * (12.5 / 16), panelY + panelHeight * (6.5 / 12));
    expect(isGrey(left(predictedX))).toBe(false);
    expect(isGrey(right(truthX))).toBe(false);
    expect(left(truthX)).toEqual([100, 100, 100]);
    expect(right(predictedX)).toEqual([100, 100, 100]);
  });

  it('upsamples a coarse map smoothly (bilinear, not blocky)', () => {
    const ramp: SaliencyMap = { width: 2, height: 1, data: new Float32Array([0, 1]) };
    const img = drawSaliencyPair(FRAME, ramp, ramp);
    const { predictedX, panelY, panelWidth, panelHeight } = layoutSaliencyPair(160, 120);
    const y = panelY + Math.floor(panelHeight / 2);
    let biggestStep = 0;
    let prev = img.getPixel(predictedX, y);
    for (let x = predictedX + 1; x < predictedX + panelWidth; x++) {
      const c = img.getPixel(x, y);
      biggestStep = Math.max(biggestStep, ...c.map((v, k) => Math.abs(v - prev[k]!)));
      prev = c;
    }
    expect(biggestStep).toBeLessThanOrEqual(8);
    expect(img.getPixel(predictedX + 2, y)).toEqual([100, 100, 100]);
    expect(isGrey(img.getPixel(predictedX + panelWidth - 3, y))).toBe(false);
  });

  it('marks fixations on both panels, and only when given', () => {
    const map = gaussianMap(8, 6, 4, 3, 1);
    const marker: [number, number, number] = [0, 255, 170];
    const { predictedX, truthX, panelY, scale } = layoutSaliencyPair(160, 120);
    const withFix = drawSaliencyPair(FRAME, map, map, [[40, 90]]);
    const without = drawSaliencyPair(FRAME, map, map);
    for (const x0 of [predictedX, truthX]) {
      const region = around(x0 + 40.5 * scale, panelY + 90.5 * scale, 8);
      expect(countColor(withFix, region, marker, 10)).toBeGreaterThan(10);
      expect(countColor(without, region, marker, 10)).toBe(0);
    }
  });

  it('labels the panels', () => {
    const map = gaussianMap(8, 6, 4, 3, 1);
    const img = drawSaliencyPair(FRAME, map, map);
    const { predictedX, truthX, panelWidth } = layoutSaliencyPair(160, 120);
    for (const x0 of [predictedX, truthX]) {
      expect(countInk(img, { x: x0, y: 8, width: panelWidth, height: 2 * GLYPH_HEIGHT }, PLOT_THEME.background)).toBeGreaterThan(60);
    }
  });

  it('rejects maps and frames whose data does not match their size', () => {
    const map = gaussianMap(8, 6, 4, 3, 1);
    expect(() => drawSaliencyPair(FRAME, { width: 8, height: 7, data: map.data }, map)).toThrow(/predicted map is 8x7/);
    expect(() => drawSaliencyPair({ width: 10, height: 10, data: new Uint8Array(99) }, map, map)).toThrow(/frame is 10x10/);
  });
});
