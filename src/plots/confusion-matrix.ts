import { colormapColor } from '../draw/colormap.js';
import { GLYPH_HEIGHT, textWidth } from '../draw/font.js';
import { RgbImage } from '../draw/image.js';
import { drawColorBarVertical, type ColorBarTick } from './color-bar.js';
import { BLUES } from './color-scale.js';
import { drawTextCentered, drawTextRight, drawTextVertical, fitText } from './text.js';
import { PLOT_THEME, textColorOn } from './theme.js';
import { formatTick, linearTicks, niceStep } from './ticks.js';

const { floor, max, min, round } = Math;

export interface ConfusionMatrixOptions {
  title: string;
  /** 'row' (default): each row divided by its total, so a cell is the recall share; 'none': raw values. */
  normalise?: 'row' | 'none';
}

const PAD = 8;
const TITLE_SCALE = 2;
const MAX_LABEL_WIDTH = 96;
const BAR_WIDTH = 14;
const GRID_TARGET = 520;

function subtitleFor(normalise: 'row' | 'none'): string {
  return normalise === 'row' ? 'rows: true, columns: predicted; shade: row share' : 'rows: true, columns: predicted; shade: count';
}

/** Where the grid and its parts go; exported for tests. */
export interface ConfusionMatrixLayout {
  width: number;
  height: number;
  gridX: number;
  gridY: number;
  cell: number;
  labels: string[];
  barX: number;
}

export function layoutConfusionMatrix(labels: readonly string[], title: string, normalise: 'row' | 'none' = 'row'): ConfusionMatrixLayout {
  const n = labels.length;
  const cell = max(12, min(48, floor(GRID_TARGET / max(1, n))));
  const shown = labels.map((l) => fitText(l, MAX_LABEL_WIDTH));
  const labelW = shown.reduce((w, l) => max(w, textWidth(l)), 0);
  const grid = n * cell;
  const gridX = PAD + GLYPH_HEIGHT + 8 + labelW + 5;
  const gridY = PAD + GLYPH_HEIGHT * TITLE_SCALE + 6 + GLYPH_HEIGHT + 10;
  const barX = gridX + grid + 16;
  const width = max(barX + BAR_WIDTH + 6 + 36 + PAD, textWidth(title, TITLE_SCALE) + 2 * PAD, textWidth(subtitleFor(normalise)) + 2 * PAD);
  const height = gridY + grid + 5 + labelW + 8 + GLYPH_HEIGHT + PAD;
  return { width, height, gridX, gridY, cell, labels: shown, barX };
}

function checkSquare(matrix: readonly number[][], n: number): void {
  if (matrix.length !== n) throw new Error(`drawConfusionMatrix: ${matrix.length} rows for ${n} labels`);
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new Error(`drawConfusionMatrix: row ${i} has ${row.length} cells for ${n} labels`);
  });
}

function formatCount(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Cell shares in [0, 1]: row shares, or values over the largest value. */
function cellShares(matrix: readonly number[][], normalise: 'row' | 'none'): number[][] {
  const clean = matrix.map((row) => row.map((v) => (Number.isFinite(v) && v > 0 ? v : 0)));
  if (normalise === 'row') {
    return clean.map((row) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (total > 0 ? v / total : 0));
    });
  }
  const peak = clean.reduce((m, row) => row.reduce((a, b) => max(a, b), m), 0);
  return clean.map((row) => row.map((v) => (peak > 0 ? v / peak : 0)));
}

function barTicks(matrix: readonly number[][], normalise: 'row' | 'none'): ColorBarTick[] {
  if (normalise === 'row') return [0, 0.25, 0.5, 0.75, 1].map((v) => ({ at: v, label: formatTick(v, 0.25) }));
  const peak = matrix.reduce((m, row) => row.reduce((a, b) => (Number.isFinite(b) ? max(a, b) : a), m), 0);
  if (!(peak > 0)) return [{ at: 0, label: '0' }];
  const step = niceStep(peak, 4);
  return linearTicks(0, peak, step).map((v) => ({ at: v / peak, label: formatTick(v, step) }));
}

/**
 * A confusion matrix (rows: true class, columns: predicted class) as a heat map: cells
 * shaded by row share (or raw value), counts and row percentages written where they fit,
 * class names on both axes and a colour bar.
 */
export function drawConfusionMatrix(matrix: number[][], labels: string[], options: ConfusionMatrixOptions): RgbImage {
  const normalise = options.normalise ?? 'row';
  const n = labels.length;
  checkSquare(matrix, n);
  const layout = layoutConfusionMatrix(labels, options.title, normalise);
  const img = new RgbImage(layout.width, layout.height, PLOT_THEME.background);
  drawTextCentered(img, layout.width / 2, PAD, options.title, PLOT_THEME.text, TITLE_SCALE);
  drawTextCentered(img, layout.width / 2, PAD + GLYPH_HEIGHT * TITLE_SCALE + 6, subtitleFor(normalise), PLOT_THEME.dimText);

  const { gridX, gridY, cell } = layout;
  const grid = n * cell;
  if (n === 0) {
    drawTextCentered(img, layout.width / 2, gridY + 20, 'no data', PLOT_THEME.dimText, 2);
    return img;
  }

  const shares = cellShares(matrix, normalise);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const share = shares[r]?.[c] ?? 0;
      const color = colormapColor(BLUES, share);
      const x = gridX + c * cell;
      const y = gridY + r * cell;
      img.fillRect(x, y, cell - 1, cell - 1, color);
      writeCell(img, x, y, cell, matrix[r]?.[c] ?? 0, share, normalise, color);
    }
  }
  img.strokeRect(gridX - 1, gridY - 1, grid + 1, grid + 1, PLOT_THEME.axis);

  layout.labels.forEach((label, i) => {
    const mid = i * cell + (cell - 1) / 2;
    drawTextRight(img, gridX - 5, round(gridY + mid - 3), label, PLOT_THEME.text);
    drawTextVertical(img, round(gridX + mid - GLYPH_HEIGHT / 2 + 1), gridY + grid + 5, label, PLOT_THEME.text);
  });
  const labelW = layout.labels.reduce((w, l) => max(w, textWidth(l)), 0);
  drawTextCentered(img, gridX + grid / 2, gridY + grid + 5 + labelW + 8, 'predicted class', PLOT_THEME.text);
  const axisTitle = 'true class';
  drawTextVertical(img, PAD, round(gridY + grid / 2 - textWidth(axisTitle) / 2), axisTitle, PLOT_THEME.text);

  drawColorBarVertical(img, layout.barX, gridY, BAR_WIDTH, grid - 1, BLUES, barTicks(matrix, normalise));
  return img;
}

/** The count, and under it the row percentage, when they fit in the cell. */
function writeCell(
  img: RgbImage,
  x: number,
  y: number,
  cell: number,
  value: number,
  share: number,
  normalise: 'row' | 'none',
  background: readonly [number, number, number],
): void {
  const inner = cell - 1;
  const count = formatCount(value);
  if (inner < GLYPH_HEIGHT + 2 || textWidth(count) > inner - 2) return;
  const ink = textColorOn(background);
  const percent = `${round(share * 100)}%`;
  const twoLines = normalise === 'row' && inner >= 2 * GLYPH_HEIGHT + 6 && textWidth(percent) <= inner - 2;
  const cx = x + inner / 2;
  if (twoLines) {
    const top = round(y + inner / 2 - GLYPH_HEIGHT - 1);
    drawTextCentered(img, cx, top, count, ink);
    drawTextCentered(img, cx, top + GLYPH_HEIGHT + 2, percent, ink);
  } else {
    drawTextCentered(img, cx, round(y + inner / 2 - 3.5), count, ink);
  }
}
