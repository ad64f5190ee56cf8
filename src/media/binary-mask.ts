import type { CropBox } from '../types/ingest.js';

/** A width x height mask, row-major, 1 = set, 0 = clear. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export function emptyMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

export function countSet(mask: BinaryMask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i] as number;
  return n;
}

/**
 * Labels the 4-connected components of the set pixels and keeps the largest one (the first
 * in scan order on a tie). Returns an empty mask when nothing is set.
 */
export function largestComponent(mask: BinaryMask): { mask: BinaryMask; area: number } {
  const { width, height, data } = mask;
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let best = 0;
  let bestArea = 0;
  let next = 0;
  for (let seed = 0; seed < data.length; seed++) {
    if (data[seed] === 0 || label[seed] !== 0) continue;
    next++;
    let area = 0;
    let top = 0;
    stack[top++] = seed;
    label[seed] = next;
    while (top > 0) {
      const i = stack[--top] as number;
      area++;
      const x = i % width;
      if (x > 0 && data[i - 1] === 1 && label[i - 1] === 0) (label[i - 1] = next), (stack[top++] = i - 1);
      if (x < width - 1 && data[i + 1] === 1 && label[i + 1] === 0) (label[i + 1] = next), (stack[top++] = i + 1);
      if (i >= width && data[i - width] === 1 && label[i - width] === 0) (label[i - width] = next), (stack[top++] = i - width);
      if (i + width < data.length && data[i + width] === 1 && label[i + width] === 0) (label[i + width] = next), (stack[top++] = i + width);
    }
    if (area > bestArea) {
      bestArea = area;
      best = next;
    }
  }
  const out = emptyMask(width, height);
  if (best > 0) for (let i = 0; i < label.length; i++) out.data[i] = label[i] === best ? 1 : 0;
  return { mask: out, area: bestArea };
}

/** Sets every clear pixel that is not 4-connected to the image border (fills enclosed holes). */
export function fillHoles(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask;
  const outside = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  const visit = (i: number): void => {
    if (data[i] === 0 && outside[i] === 0) {
      outside[i] = 1;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < width; x++) visit(x), visit((height - 1) * width + x);
  for (let y = 0; y < height; y++) visit(y * width), visit(y * width + width - 1);
  while (top > 0) {
    const i = stack[--top] as number;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i + width < data.length) visit(i + width);
  }
  const out = emptyMask(width, height);
  for (let i = 0; i < data.length; i++) out.data[i] = outside[i] === 1 ? 0 : 1;
  return out;
}

/**
 * Morphological closing (dilate then erode) with a (2r+1)-square element. Pixels beyond the
 * image are ignored rather than treated as clear, so a shape cut by the frame edge keeps its edge.
 */
export function closeMask(mask: BinaryMask, radius: number): BinaryMask {
  if (radius <= 0) return { ...mask, data: mask.data.slice() };
  // Padded by the radius so dilation has room to grow beyond the frame; the erosion then
  // ignores pixels beyond the padding, which keeps shapes that touch the frame edge intact.
  const padded = padMask(mask, radius);
  const closed = squareFilter(squareFilter(padded, radius, 'max'), radius, 'min');
  const out = emptyMask(mask.width, mask.height);
  for (let y = 0; y < mask.height; y++) {
    const from = (y + radius) * padded.width + radius;
    out.data.set(closed.data.subarray(from, from + mask.width), y * mask.width);
  }
  return out;
}

function padMask(mask: BinaryMask, pad: number): BinaryMask {
  const out = emptyMask(mask.width + 2 * pad, mask.height + 2 * pad);
  for (let y = 0; y < mask.height; y++) {
    out.data.set(mask.data.subarray(y * mask.width, (y + 1) * mask.width), (y + pad) * out.width + pad);
  }
  return out;
}

function squareFilter(mask: BinaryMask, r: number, op: 'max' | 'min'): BinaryMask {
  const { width, height } = mask;
  const horizontal = new Uint8Array(width * height);
  // Separable: a running count of set pixels in the window along rows, then along columns.
  for (let y = 0; y < height; y++) runFilter(mask.data, horizontal, y * width, 1, width, r, op);
  const out = emptyMask(width, height);
  for (let x = 0; x < width; x++) runFilter(horizontal, out.data, x, width, height, r, op);
  return out;
}

function runFilter(src: Uint8Array, dst: Uint8Array, start: number, step: number, n: number, r: number, op: 'max' | 'min'): void {
  let set = 0;
  // Window [i - r, i + r] clipped to [0, n): prime with [0, r).
  for (let k = 0; k < Math.min(r, n); k++) set += src[start + k * step] as number;
  for (let i = 0; i < n; i++) {
    const enter = i + r;
    if (enter < n) set += src[start + enter * step] as number;
    const leave = i - r - 1;
    if (leave >= 0) set -= src[start + leave * step] as number;
    const size = Math.min(n - 1, i + r) - Math.max(0, i - r) + 1;
    dst[start + i * step] = op === 'max' ? (set > 0 ? 1 : 0) : set === size ? 1 : 0;
  }
}

export function boundingBox(mask: BinaryMask): CropBox | undefined {
  const { width, height, data } = mask;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return undefined;
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * The largest-area axis-aligned rectangle of set pixels (the maximal rectangle in a binary
 * matrix: one histogram of run heights per row, each solved with a stack; O(width x height)).
 * Undefined when nothing is set.
 */
export function largestInscribedRectangle(mask: BinaryMask): CropBox | undefined {
  const { width, height, data } = mask;
  const heights = new Int32Array(width + 1); // heights[width] = 0 flushes the stack
  const stack = new Int32Array(width + 1);
  let best: CropBox | undefined;
  let bestArea = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) heights[x] = data[y * width + x] === 1 ? (heights[x] as number) + 1 : 0;
    let top = 0;
    for (let x = 0; x <= width; x++) {
      const h = heights[x] as number;
      while (top > 0 && (heights[stack[top - 1] as number] as number) >= h) {
        const barHeight = heights[stack[--top] as number] as number;
        const left = top > 0 ? (stack[top - 1] as number) + 1 : 0;
        const area = barHeight * (x - left);
        if (area > bestArea) {
          bestArea = area;
          best = { x: left, y: y - barHeight + 1, width: x - left, height: barHeight };
        }
      }
      stack[top++] = x;
    }
  }
  return best;
}

/** Shrinks a box by `dx` on the left and right and `dy` on the top and bottom (never below 1 px). */
export function shrinkBox(box: CropBox, dx: number, dy: number): CropBox {
  const mx = Math.min(dx, Math.floor((box.width - 1) / 2));
  const my = Math.min(dy, Math.floor((box.height - 1) / 2));
  return { x: box.x + mx, y: box.y + my, width: box.width - 2 * mx, height: box.height - 2 * my };
}
