import { colormapColor } from '../draw/colormap.js';
import type { ColorTable, RgbImage } from '../draw/image.js';
import { drawText, textWidth } from '../draw/font.js';
import { PLOT_THEME } from './theme.js';

export interface ColorBarTick {
  /** Position along the bar, 0 (low end) to 1 (high end). */
  at: number;
  label: string;
}

/** A vertical colour bar (high end at the top) with tick labels on its right. */
export function drawColorBarVertical(
  img: RgbImage,
  x: number,
  y: number,
  width: number,
  height: number,
  table: ColorTable,
  ticks: readonly ColorBarTick[],
): void {
  for (let j = 0; j < height; j++) img.fillRect(x, y + j, width, 1, colormapColor(table, 1 - j / Math.max(1, height - 1)));
  img.strokeRect(x - 1, y - 1, width + 2, height + 2, PLOT_THEME.axis);
  for (const t of ticks) {
    const ty = Math.round(y + (1 - t.at) * (height - 1));
    img.hline(x + width + 1, x + width + 3, ty, PLOT_THEME.axis);
    drawText(img, x + width + 6, ty - 3, t.label, PLOT_THEME.text);
  }
}

/** A horizontal colour bar (high end on the right) with tick labels below it. */
export function drawColorBarHorizontal(
  img: RgbImage,
  x: number,
  y: number,
  width: number,
  height: number,
  table: ColorTable,
  ticks: readonly ColorBarTick[],
): void {
  for (let i = 0; i < width; i++) img.fillRect(x + i, y, 1, height, colormapColor(table, i / Math.max(1, width - 1)));
  img.strokeRect(x - 1, y - 1, width + 2, height + 2, PLOT_THEME.axis);
  for (const t of ticks) {
    const tx = Math.round(x + t.at * (width - 1));
    img.vline(tx, y + height + 1, y + height + 3, PLOT_THEME.axis);
    const w = textWidth(t.label);
    drawText(img, Math.max(0, Math.min(img.width - w, tx - Math.floor(w / 2))), y + height + 5, t.label, PLOT_THEME.text);
  }
}
