// Math's functions as module constants: under Jest's VM each global lookup (Math) in a
// per-pixel loop is slow.
const { abs, ceil, floor, hypot, max, min, round } = Math;

/** An sRGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/** A 256-entry colour table: 768 bytes, entry i at [3i, 3i + 1, 3i + 2]. */
export type ColorTable = Uint8Array;

/**
 * An 8-bit RGB raster (3 bytes per pixel, rows top to bottom) with a few clipped
 * drawing primitives. Coordinates are pixels; non-integers are rounded.
 */
export class RgbImage {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [0, 0, 0],
    data?: Uint8Array,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`RgbImage: invalid size ${width}x${height}`);
    }
    if (data !== undefined) {
      if (data.length !== width * height * 3) {
        throw new Error(`RgbImage: data holds ${data.length} bytes, ${width}x${height} RGB needs ${width * height * 3}`);
      }
      this.data = data;
    } else {
      this.data = new Uint8Array(width * height * 3);
      this.fill(background);
    }
  }

  fill(color: Rgb): void {
    const [r, g, b] = color;
    const d = this.data;
    for (let i = 0; i < d.length; i += 3) {
      d[i] = r;
      d[i + 1] = g;
      d[i + 2] = b;
    }
  }

  getPixel(x: number, y: number): [number, number, number] {
    const xi = round(x);
    const yi = round(y);
    if (!this.contains(xi, yi)) throw new Error(`RgbImage.getPixel: (${xi}, ${yi}) outside ${this.width}x${this.height}`);
    const i = (yi * this.width + xi) * 3;
    return [this.data[i] as number, this.data[i + 1] as number, this.data[i + 2] as number];
  }

  contains(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  setPixel(x: number, y: number, color: Rgb): void {
    const xi = round(x);
    const yi = round(y);
    if (!this.contains(xi, yi)) return;
    const i = (yi * this.width + xi) * 3;
    this.data[i] = color[0];
    this.data[i + 1] = color[1];
    this.data[i + 2] = color[2];
  }

  /** Mixes `color` over the pixel with opacity `alpha` (0..1). */
  blendPixel(x: number, y: number, color: Rgb, alpha: number): void {
    const xi = round(x);
    const yi = round(y);
    if (!this.contains(xi, yi)) return;
    const i = (yi * this.width + xi) * 3;
    const d = this.data;
    d[i] = round((d[i] as number) * (1 - alpha) + color[0] * alpha);
    d[i + 1] = round((d[i + 1] as number) * (1 - alpha) + color[1] * alpha);
    d[i + 2] = round((d[i + 2] as number) * (1 - alpha) + color[2] * alpha);
  }

  /** Fills [x, x + w) x [y, y + h), clipped; with alpha < 1 the colour is blended over. */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    const x0 = max(0, round(x));
    const y0 = max(0, round(y));
    const x1 = min(this.width, round(x + w));
    const y1 = min(this.height, round(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    const d = this.data;
    const [r, g, b] = color;
    for (let yy = y0; yy < y1; yy++) {
      let i = (yy * this.width + x0) * 3;
      for (let xx = x0; xx < x1; xx++, i += 3) {
        if (alpha >= 1) {
          d[i] = r;
          d[i + 1] = g;
          d[i + 2] = b;
        } else {
          d[i] = round((d[i] as number) * (1 - alpha) + r * alpha);
          d[i + 1] = round((d[i + 1] as number) * (1 - alpha) + g * alpha);
          d[i + 2] = round((d[i + 2] as number) * (1 - alpha) + b * alpha);
        }
      }
    }
  }

  /** Outline of the rectangle [x, x + w) x [y, y + h), `thickness` pixels inwards. */
  strokeRect(x: number, y: number, w: number, h: number, color: Rgb, thickness = 1): void {
    const t = max(1, round(thickness));
    this.fillRect(x, y, w, t, color);
    this.fillRect(x, y + h - t, w, t, color);
    this.fillRect(x, y + t, t, h - 2 * t, color);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, color);
  }

  /** Horizontal line from x0 to x1 inclusive. */
  hline(x0: number, x1: number, y: number, color: Rgb): void {
    const a = round(min(x0, x1));
    const b = round(max(x0, x1));
    this.fillRect(a, y, b - a + 1, 1, color);
  }

  /** Vertical line from y0 to y1 inclusive. */
  vline(x: number, y0: number, y1: number, color: Rgb): void {
    const a = round(min(y0, y1));
    const b = round(max(y0, y1));
    this.fillRect(x, a, 1, b - a + 1, color);
  }

  /** A straight line; width 1 is a Bresenham line, wider lines are filled capsules. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 1): void {
    if (width <= 1) {
      this.bresenham(round(x0), round(y0), round(x1), round(y1), color);
      return;
    }
    const half = width / 2;
    const minX = floor(min(x0, x1) - half);
    const maxX = ceil(max(x0, x1) + half);
    const minY = floor(min(y0, y1) - half);
    const maxY = ceil(max(y0, y1) + half);
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    for (let y = max(0, minY); y <= min(this.height - 1, maxY); y++) {
      for (let x = max(0, minX); x <= min(this.width - 1, maxX); x++) {
        const t = len2 === 0 ? 0 : max(0, min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
        const ex = x - (x0 + t * dx);
        const ey = y - (y0 + t * dy);
        if (ex * ex + ey * ey <= half * half) this.setPixel(x, y, color);
      }
    }
  }

  private bresenham(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    const dx = abs(x1 - x0);
    const dy = -abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    let x = x0;
    let y = y0;
    for (;;) {
      this.setPixel(x, y, color);
      if (x === x1 && y === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** A ring of radius r (to the middle of the stroke). */
  circle(cx: number, cy: number, r: number, color: Rgb, thickness = 1): void {
    const half = max(0.5, thickness / 2);
    const outer = r + half;
    for (let y = floor(cy - outer); y <= ceil(cy + outer); y++) {
      for (let x = floor(cx - outer); x <= ceil(cx + outer); x++) {
        const d = hypot(x - cx, y - cy);
        if (abs(d - r) <= half) this.setPixel(x, y, color);
      }
    }
  }

  fillCircle(cx: number, cy: number, r: number, color: Rgb): void {
    for (let y = floor(cy - r); y <= ceil(cy + r); y++) {
      for (let x = floor(cx - r); x <= ceil(cx + r); x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) this.setPixel(x, y, color);
      }
    }
  }

  /** A '+' of arms `size` pixels long from the centre. */
  drawCross(cx: number, cy: number, size: number, color: Rgb, width = 1): void {
    this.line(cx - size, cy, cx + size, cy, color, width);
    this.line(cx, cy - size, cx, cy + size, color, width);
  }

  /**
   * A gaze-style marker: a ring of `radius` with four ticks pointing inwards and a centre
   * dot, drawn over a dark outline so it stays visible on bright and dark pixels alike.
   */
  drawMarker(cx: number, cy: number, radius: number, color: Rgb, outline: Rgb = [0, 0, 0]): void {
    const tick = max(2, round(radius * 0.6));
    const strokes = (c: Rgb, w: number): void => {
      this.circle(cx, cy, radius, c, w);
      this.line(cx - radius - tick, cy, cx - radius + tick * 0.5, cy, c, w);
      this.line(cx + radius - tick * 0.5, cy, cx + radius + tick, cy, c, w);
      this.line(cx, cy - radius - tick, cx, cy - radius + tick * 0.5, c, w);
      this.line(cx, cy + radius - tick * 0.5, cx, cy + radius + tick, c, w);
    };
    strokes(outline, 3.2);
    this.fillCircle(cx, cy, 2.2, outline);
    strokes(color, 1.5);
    this.fillCircle(cx, cy, 1.2, color);
  }

  /**
   * Copies a single-channel image (gw x gh bytes, row-major) with its top-left corner at
   * (x, y), scaled by `scale`: nearest neighbour when enlarging, box average when shrinking.
   */
  blitGray(gray: Uint8Array, gw: number, gh: number, x: number, y: number, scale = 1): void {
    if (gray.length < gw * gh) throw new Error(`blitGray: ${gray.length} bytes for a ${gw}x${gh} image`);
    if (!(scale > 0)) throw new Error(`blitGray: scale must be positive, got ${scale}`);
    const dw = max(1, round(gw * scale));
    const dh = max(1, round(gh * scale));
    const ox = round(x);
    const oy = round(y);
    const d = this.data;
    for (let j = 0; j < dh; j++) {
      const ty = oy + j;
      if (ty < 0 || ty >= this.height) continue;
      const sy0 = floor((j * gh) / dh);
      const sy1 = max(sy0 + 1, floor(((j + 1) * gh) / dh));
      for (let i = 0; i < dw; i++) {
        const tx = ox + i;
        if (tx < 0 || tx >= this.width) continue;
        const sx0 = floor((i * gw) / dw);
        const sx1 = max(sx0 + 1, floor(((i + 1) * gw) / dw));
        let v: number;
        if (sx1 - sx0 === 1 && sy1 - sy0 === 1) {
          v = gray[sy0 * gw + sx0] as number;
        } else {
          let sum = 0;
          for (let sy = sy0; sy < sy1; sy++) for (let sx = sx0; sx < sx1; sx++) sum += gray[sy * gw + sx] as number;
          v = round(sum / ((sx1 - sx0) * (sy1 - sy0)));
        }
        const o = (ty * this.width + tx) * 3;
        d[o] = v;
        d[o + 1] = v;
        d[o + 2] = v;
      }
    }
  }

  /** Copies a w x h grid of colour-table indices (0..255) through `table` at (x, y), unscaled. */
  blitColormap(indices: Uint8Array, w: number, h: number, x: number, y: number, table: ColorTable): void {
    if (indices.length < w * h) throw new Error(`blitColormap: ${indices.length} values for a ${w}x${h} grid`);
    if (table.length < 768) throw new Error(`blitColormap: colour table has ${table.length} bytes, needs 768`);
    const ox = round(x);
    const oy = round(y);
    const d = this.data;
    for (let j = 0; j < h; j++) {
      const ty = oy + j;
      if (ty < 0 || ty >= this.height) continue;
      for (let i = 0; i < w; i++) {
        const tx = ox + i;
        if (tx < 0 || tx >= this.width) continue;
        const c = (indices[j * w + i] as number) * 3;
        const o = (ty * this.width + tx) * 3;
        d[o] = table[c] as number;
        d[o + 1] = table[c + 1] as number;
        d[o + 2] = table[c + 2] as number;
      }
    }
  }

  /** Copies another RGB image with its top-left corner at (x, y). */
  blit(src: RgbImage, x: number, y: number): void {
    const ox = round(x);
    const oy = round(y);
    const x0 = max(0, -ox);
    const x1 = min(src.width, this.width - ox);
    if (x1 <= x0) return;
    for (let j = 0; j < src.height; j++) {
      const ty = oy + j;
      if (ty < 0 || ty >= this.height) continue;
      const from = (j * src.width + x0) * 3;
      this.data.set(src.data.subarray(from, from + (x1 - x0) * 3), (ty * this.width + ox + x0) * 3);
    }
  }
}
