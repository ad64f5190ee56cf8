// Math functions bound once: hot pixel loops then avoid a global lookup per call (slow in
// sandboxed runtimes such as Jest's module VM, ~100x).
const { ceil, exp, floor, max, min, round } = Math;

/**
 * The raster that anatomy is drawn into. Pixel (ix, iy) sits at anatomy point
 * (ix / (size - 1), iy / (size - 1)), the same mapping the frame renderer samples with.
 *
 * Two layers: soft tissue is painted in place (each shape blends towards its value by its
 * anti-aliased coverage); bone goes to a separate layer so that `finish` can cast its
 * acoustic shadow straight down (+y) over the tissue before compositing the bone on top.
 */
export class Canvas {
  readonly size: number;
  /** Anatomy units per pixel. */
  readonly pixel: number;
  /** Width of the anti-aliased edge ramp, anatomy units (~1.5 px). */
  readonly edge: number;
  readonly out: Float32Array;
  /** A second raster-sized buffer for callers that need a temporary copy (contents undefined). */
  readonly spare: Float32Array;
  private readonly boneCover: Float32Array;
  private readonly boneValue: Float32Array;
  private readonly boneAtt: Float32Array;
  private readonly transmission: Float32Array;
  private boneMode = false;
  private attenuation = 0;
  private hasBone = false;
  /** Lowest pixel index painted in the bone layer (rows above it are unshadowed). */
  private boneStart = Infinity;

  constructor(size: number, out: Float32Array) {
    if (size < 2 || out.length < size * size) throw new Error(`Canvas: need ${size * size} values, got ${out.length}`);
    this.size = size;
    this.pixel = 1 / (size - 1);
    this.edge = 1.5 * this.pixel;
    this.out = out;
    const scratch = scratchFor(size);
    this.boneCover = scratch.cover;
    this.boneValue = scratch.value;
    this.boneAtt = scratch.att;
    this.transmission = scratch.transmission;
    this.spare = scratch.spare;
    this.boneCover.fill(0);
    this.boneValue.fill(0);
    this.boneAtt.fill(0);
  }

  /** Subsequent shapes paint soft tissue / fluid in place. */
  tissue(): void {
    this.boneMode = false;
  }

  /**
   * Subsequent shapes are bone: composited last, and each pixel of bone attenuates the beam
   * below it by exp(-attenuation * path length in anatomy units).
   */
  bone(attenuation: number): void {
    this.boneMode = true;
    this.attenuation = attenuation;
    this.hasBone = true;
  }

  /** Anti-aliased coverage of a pixel whose centre is at signed distance d (negative inside). */
  coverage(d: number): number {
    const c = 0.5 - d / this.edge;
    return c <= 0 ? 0 : c >= 1 ? 1 : c;
  }

  put(i: number, cover: number, value: number): void {
    if (this.boneMode) {
      if (i < this.boneStart) this.boneStart = i;
      if (cover > this.boneCover[i]!) this.boneCover[i] = cover;
      if (value > this.boneValue[i]!) this.boneValue[i] = value;
      const att = this.attenuation * cover;
      if (att > this.boneAtt[i]!) this.boneAtt[i] = att;
    } else {
      const o = this.out[i]!;
      this.out[i] = o + (value - o) * cover;
    }
  }

  /** Pixel index range [lo, hi] covering anatomy coordinates [a, b], clipped to the raster. */
  lo(a: number): number {
    const i = ceil(a / this.pixel);
    return i < 0 ? 0 : i;
  }

  hi(b: number): number {
    const i = floor(b / this.pixel);
    return i > this.size - 1 ? this.size - 1 : i;
  }

  /**
   * Casts the bone layer's shadows down the columns (slightly widening with depth, like a
   * beam), composites the bone on top and applies the overall gain.
   */
  finish(gain: number): void {
    const { size, out, boneCover, boneValue, boneAtt, transmission } = this;
    if (!this.hasBone) {
      for (let i = 0; i < size * size; i++) {
        const v = out[i]!;
        out[i] = v > 0 ? v * gain : 0;
      }
      return;
    }
    transmission.fill(1);
    const step = this.pixel;
    const blurEvery = max(1, round(size / 40));
    // Rows above the first bone pixel are unshadowed (no bone may have landed on the raster at all).
    const firstRow = min(size, floor(this.boneStart / size));
    for (let i = 0; i < firstRow * size; i++) {
      const v = out[i]!;
      out[i] = v > 0 ? v * gain : 0;
    }
    for (let y = firstRow; y < size; y++) {
      const row = y * size;
      for (let x = 0; x < size; x++) {
        const i = row + x;
        const t = transmission[x]!;
        let v = out[i]! * t;
        const cover = boneCover[i]!;
        if (cover > 0) {
          v += (boneValue[i]! * (0.6 + 0.4 * t) - v) * cover;
          const att = boneAtt[i]!;
          if (att > 0) transmission[x] = max(MIN_TRANSMISSION, t * exp(-att * step));
        }
        out[i] = v > 0 ? v * gain : 0;
      }
      if (y % blurEvery === 0) blurRow(transmission, size);
    }
    this.hasBone = false;
    this.boneMode = false;
    this.boneStart = Infinity;
  }
}

/** Deepest a shadow gets: tissue behind bone keeps this fraction of its echo. */
const MIN_TRANSMISSION = 0.22;

function blurRow(t: Float32Array, n: number): void {
  let prev = t[0]!;
  for (let x = 1; x < n - 1; x++) {
    const cur = t[x]!;
    t[x] = 0.25 * prev + 0.5 * cur + 0.25 * t[x + 1]!;
    prev = cur;
  }
}

interface Scratch {
  cover: Float32Array;
  value: Float32Array;
  att: Float32Array;
  transmission: Float32Array;
  spare: Float32Array;
}

// One bone layer per raster size, reused across calls (rendering is synchronous).
const scratches = new Map<number, Scratch>();

function scratchFor(size: number): Scratch {
  let s = scratches.get(size);
  if (!s) {
    s = {
      cover: new Float32Array(size * size),
      value: new Float32Array(size * size),
      att: new Float32Array(size * size),
      transmission: new Float32Array(size),
      spare: new Float32Array(size * size),
    };
    scratches.set(size, s);
  }
  return s;
}
