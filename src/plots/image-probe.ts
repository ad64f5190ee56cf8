import type { Rgb, RgbImage } from '../draw/image.js';

// Pixel queries for checking drawn images (used by the specs).

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Largest per-channel difference between two colours. */
export function colorDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

/** Calls `visit` with every pixel of the region that lies inside the image. */
function forEachPixel(img: RgbImage, region: Region, visit: (c: Rgb, x: number, y: number) => void): void {
  const x0 = Math.max(0, Math.round(region.x));
  const y0 = Math.max(0, Math.round(region.y));
  const x1 = Math.min(img.width, Math.round(region.x + region.width));
  const y1 = Math.min(img.height, Math.round(region.y + region.height));
  const d = img.data;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 3;
      visit([d[i] as number, d[i + 1] as number, d[i + 2] as number], x, y);
    }
  }
}

/** Pixels of the region farther than `tolerance` from `background`. */
export function countInk(img: RgbImage, region: Region, background: Rgb, tolerance = 24): number {
  let n = 0;
  forEachPixel(img, region, (c) => {
    if (colorDistance(c, background) > tolerance) n++;
  });
  return n;
}

/** Pixels of the region within `tolerance` of `color`. */
export function countColor(img: RgbImage, region: Region, color: Rgb, tolerance = 0): number {
  let n = 0;
  forEachPixel(img, region, (c) => {
    if (colorDistance(c, color) <= tolerance) n++;
  });
  return n;
}

/** A square region of half-size `r` centred on (x, y). */
export function around(x: number, y: number, r: number): Region {
  return { x: Math.round(x) - r, y: Math.round(y) - r, width: 2 * r + 1, height: 2 * r + 1 };
}
