import type { Rgb } from '../draw/image.js';

/** Light theme: the plots are embedded in an HTML report on a white page. */
export const PLOT_THEME = {
  background: [255, 255, 255] as Rgb,
  text: [28, 28, 34] as Rgb,
  dimText: [110, 110, 120] as Rgb,
  axis: [60, 60, 70] as Rgb,
  grid: [226, 226, 232] as Rgb,
  minorGrid: [242, 242, 246] as Rgb,
};

/** Tableau 10: distinct hues that stay distinct for most colour-vision deficiencies. */
const SERIES_PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** The colour of the i-th series: the palette, then golden-angle hues beyond it. */
export function seriesColor(i: number): Rgb {
  const fixed = SERIES_PALETTE[i];
  if (fixed !== undefined) return fixed;
  const hue = ((i - SERIES_PALETTE.length) * 137.508) % 360;
  return hslToRgb(hue, 0.65, 0.45);
}

export function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const h = (((hue % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const m = lightness - c / 2;
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** Relative luminance proxy (Rec. 601 luma), 0..255. */
export function luma(color: Rgb): number {
  return 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2];
}

/** Dark or light text, whichever reads better on `background`. */
export function textColorOn(background: Rgb): Rgb {
  return luma(background) > 140 ? [20, 20, 26] : [250, 250, 250];
}
