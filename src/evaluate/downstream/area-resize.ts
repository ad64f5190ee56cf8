/**
 * Area-averaging resize (each output pixel is the mean of the source area it covers,
 * fractional coverage at the edges), separable; the same rule as ffmpeg's `flags=area`
 * used when the frames were stored. Identity when the sizes match.
 */

/** For each output index: the source indices it covers and their weights (summing to 1). */
export interface AreaWeights {
  start: Int32Array;
  count: Int32Array;
  /** Weights of output i: weight[offset[i] .. offset[i] + count[i]). */
  offset: Int32Array;
  weight: Float32Array;
}

export function areaWeights(source: number, target: number): AreaWeights {
  if (!(Number.isInteger(source) && source > 0 && Number.isInteger(target) && target > 0)) {
    throw new Error(`areaWeights: sizes must be positive integers, got ${source} -> ${target}`);
  }
  const scale = source / target;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const offset = new Int32Array(target);
  const weights: number[] = [];
  for (let i = 0; i < target; i++) {
    const lo = i * scale;
    const hi = (i + 1) * scale;
    const first = Math.floor(lo);
    const last = Math.min(source - 1, Math.ceil(hi) - 1);
    start[i] = first;
    count[i] = last - first + 1;
    offset[i] = weights.length;
    for (let s = first; s <= last; s++) weights.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
  }
  return { start, count, offset, weight: Float32Array.from(weights) };
}

/** Resizes a uint8 grey image (row-major h x w) to `size` x `size` floats in [0, 1], written at `out[at ..]`. */
export class AreaResizer {
  private readonly rows: AreaWeights;
  private readonly cols: AreaWeights;
  private readonly tmp: Float32Array;

  constructor(
    readonly sourceHeight: number,
    readonly sourceWidth: number,
    readonly size: number,
  ) {
    this.rows = areaWeights(sourceHeight, size);
    this.cols = areaWeights(sourceWidth, size);
    this.tmp = new Float32Array(sourceHeight * size);
  }

  resize(src: Uint8Array, out: Float32Array, at: number): void {
    const { sourceHeight: h, sourceWidth: w, size, tmp } = this;
    if (src.length !== h * w) throw new Error(`AreaResizer: image has ${src.length} pixels, expected ${h * w}`);
    if (h === size && w === size) {
      for (let i = 0; i < src.length; i++) out[at + i] = src[i]! / 255;
      return;
    }
    const { start: cs, count: cn, offset: co, weight: cw } = this.cols;
    const { start: rs, count: rn, offset: ro, weight: rw } = this.rows;
    // Horizontal pass: h x size.
    for (let y = 0; y < h; y++) {
      const row = y * w;
      const tmpRow = y * size;
      for (let x = 0; x < size; x++) {
        const s0 = row + cs[x]!;
        const o = co[x]!;
        const n = cn[x]!;
        let sum = 0;
        for (let k = 0; k < n; k++) sum += src[s0 + k]! * cw[o + k]!;
        tmp[tmpRow + x] = sum;
      }
    }
    // Vertical pass into the output, scaled to [0, 1].
    for (let y = 0; y < size; y++) {
      const s0 = rs[y]!;
      const o = ro[y]!;
      const n = rn[y]!;
      const dst = at + y * size;
      for (let x = 0; x < size; x++) out[dst + x] = 0;
      for (let k = 0; k < n; k++) {
        const weight = rw[o + k]! / 255;
        const from = (s0 + k) * size;
        for (let x = 0; x < size; x++) out[dst + x] = out[dst + x]! + tmp[from + x]! * weight;
      }
    }
  }
}
