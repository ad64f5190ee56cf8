import type { ColorTable, Rgb } from '../draw/image.js';

/** A 256-entry table interpolated linearly (in sRGB) between evenly spaced stops. */
export function tableFromStops(stops: readonly Rgb[]): ColorTable {
  if (stops.length < 2) throw new Error('tableFromStops: need at least two stops');
  const table = new Uint8Array(768);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(pos));
    const f = pos - k;
    const a = stops[k] as Rgb;
    const b = stops[k + 1] as Rgb;
    for (let c = 0; c < 3; c++) table[3 * i + c] = Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * f);
  }
  return table;
}

/**
 * matplotlib's "Blues" (ColorBrewer, white -> dark blue): luminance falls monotonically, so
 * a darker cell always means a larger value, and low values stay quiet on a white page.
 */
export const BLUES: ColorTable = tableFromStops([
  [247, 251, 255],
  [222, 235, 247],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
]);
