import { drawText, drawTextGray, GLYPH_HEIGHT, textWidth } from '../draw/font.js';
import type { Rgb, RgbImage } from '../draw/image.js';

/**
 * Draws one line of text rotated a quarter turn counter-clockwise (reading bottom to top),
 * with the rotated box's top-left corner at (x, y): the box is GLYPH_HEIGHT wide and
 * textWidth(text) tall.
 */
export function drawTextVertical(img: RgbImage, x: number, y: number, text: string, color: Rgb): void {
  const w = textWidth(text);
  if (w === 0) return;
  const h = GLYPH_HEIGHT;
  const ink = new Uint8Array(w * h);
  drawTextGray(ink, w, h, 0, 0, text, 255);
  const ox = Math.round(x);
  const oy = Math.round(y);
  for (let gy = 0; gy < h; gy++) {
    for (let gx = 0; gx < w; gx++) {
      if (ink[gy * w + gx] !== 0) img.setPixel(ox + gy, oy + (w - 1 - gx), color);
    }
  }
}

/** `text` shortened with a trailing '..' so that it is at most `maxWidth` pixels wide. */
export function fitText(text: string, maxWidth: number, scale = 1): string {
  if (textWidth(text, scale) <= maxWidth) return text;
  for (let n = text.length - 1; n > 0; n--) {
    const candidate = `${text.slice(0, n)}..`;
    if (textWidth(candidate, scale) <= maxWidth) return candidate;
  }
  return '';
}

/** Draws `text` horizontally centred on `cx` with its top at `y`. */
export function drawTextCentered(img: RgbImage, cx: number, y: number, text: string, color: Rgb, scale = 1): void {
  drawText(img, Math.round(cx - textWidth(text, scale) / 2), y, text, color, scale);
}

/** Draws `text` with its right edge at `right`. */
export function drawTextRight(img: RgbImage, right: number, y: number, text: string, color: Rgb, scale = 1): void {
  drawText(img, right - textWidth(text, scale), y, text, color, scale);
}
