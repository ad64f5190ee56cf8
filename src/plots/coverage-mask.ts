import type { Rgb, RgbImage } from '../draw/image.js';

// Bound once: under Jest's VM each global lookup (Math) in a per-pixel loop is slow.
const { ceil, floor, max, min, sqrt } = Math;

export interface ClipRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Anti-aliased strokes: each pixel keeps the highest coverage (0..1) any stroke gives it,
 * and `composite` then blends one colour through that coverage. Taking the maximum rather
 * than blending stroke by stroke keeps polyline joints from darkening where segments overlap.
 */
export class CoverageMask {
  private readonly cover: Float32Array;
  private x0 = Infinity;
  private y0 = Infinity;
  private x1 = -Infinity;
  private y1 = -Infinity;
  private readonly clipX0: number;
  private readonly clipY0: number;
  private readonly clipX1: number;
  private readonly clipY1: number;

  constructor(
    private readonly width: number,
    private readonly height: number,
    clip: ClipRect = { x: 0, y: 0, width, height },
  ) {
    this.cover = new Float32Array(width * height);
    this.clipX0 = max(0, floor(clip.x));
    this.clipY0 = max(0, floor(clip.y));
    this.clipX1 = min(width - 1, ceil(clip.x + clip.width) - 1);
    this.clipY1 = min(height - 1, ceil(clip.y + clip.height) - 1);
  }

  /** A segment of stroke width `lineWidth` with round caps; pixel centres are at integers. */
  segment(ax: number, ay: number, bx: number, by: number, lineWidth: number): void {
    const half = lineWidth / 2;
    const reach = half + 1;
    const px0 = max(this.clipX0, floor(min(ax, bx) - reach));
    const px1 = min(this.clipX1, ceil(max(ax, bx) + reach));
    const py0 = max(this.clipY0, floor(min(ay, by) - reach));
    const py1 = min(this.clipY1, ceil(max(ay, by) + reach));
    if (px1 < px0 || py1 < py0) return;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const cover = this.cover;
    const w = this.width;
    let touched = false;
    for (let y = py0; y <= py1; y++) {
      for (let x = px0; x <= px1; x++) {
        let t = len2 === 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = x - (ax + t * dx);
        const ey = y - (ay + t * dy);
        const c = half + 0.5 - sqrt(ex * ex + ey * ey);
        if (c <= 0) continue;
        const i = y * w + x;
        const v = c >= 1 ? 1 : c;
        if (v > (cover[i] as number)) cover[i] = v;
        touched = true;
      }
    }
    if (touched) {
      this.x0 = min(this.x0, px0);
      this.y0 = min(this.y0, py0);
      this.x1 = max(this.x1, px1);
      this.y1 = max(this.y1, py1);
    }
  }

  /** A filled disc of radius r. */
  dot(cx: number, cy: number, r: number): void {
    this.segment(cx, cy, cx, cy, 2 * r);
  }

  /** Blends `color` into `img` through the coverage, then clears the mask. */
  composite(img: RgbImage, color: Rgb): void {
    if (img.width !== this.width || img.height !== this.height) throw new Error('CoverageMask: image size differs from mask');
    const cover = this.cover;
    const d = img.data;
    const [r, g, b] = color;
    for (let y = this.y0; y <= this.y1; y++) {
      for (let x = this.x0; x <= this.x1; x++) {
        const i = y * this.width + x;
        const a = cover[i] as number;
        if (a === 0) continue;
        cover[i] = 0;
        const o = i * 3;
        d[o] = (d[o] as number) + (r - (d[o] as number)) * a + 0.5;
        d[o + 1] = (d[o + 1] as number) + (g - (d[o + 1] as number)) * a + 0.5;
        d[o + 2] = (d[o + 2] as number) + (b - (d[o + 2] as number)) * a + 0.5;
      }
    }
    this.x0 = Infinity;
    this.y0 = Infinity;
    this.x1 = -Infinity;
    this.y1 = -Infinity;
  }
}
