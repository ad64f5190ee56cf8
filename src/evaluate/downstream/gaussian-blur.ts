const { ceil, exp } = Math;

/**
 * Separable Gaussian blur of a small row-major map, kernel truncated at 3 sigma and
 * normalised to sum 1; outside the map counts as zero (mass near the border is lost,
 * which only lowers values there: maps are rescaled to their maximum afterwards).
 */
export class GaussianBlur {
  readonly kernel: Float64Array;
  readonly radius: number;
  private readonly tmp: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly sigma: number,
  ) {
    if (!(sigma > 0)) throw new Error(`GaussianBlur: sigma must be > 0, got ${sigma}`);
    this.radius = Math.max(1, ceil(3 * sigma));
    this.kernel = new Float64Array(2 * this.radius + 1);
    let sum = 0;
    for (let i = -this.radius; i <= this.radius; i++) sum += this.kernel[i + this.radius] = exp((-i * i) / (2 * sigma * sigma));
    for (let i = 0; i < this.kernel.length; i++) this.kernel[i]! /= sum;
    this.tmp = new Float64Array(width * height);
  }

  /** A new blurred map (the input is left as it is). */
  apply(input: Float64Array): Float64Array {
    const { width: w, height: h, radius: r, kernel: k, tmp } = this;
    if (input.length !== w * h) throw new Error(`GaussianBlur: map has ${input.length} cells, expected ${w * h}`);
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        let s = 0;
        const lo = Math.max(0, x - r);
        const hi = Math.min(w - 1, x + r);
        for (let xx = lo; xx <= hi; xx++) s += input[row + xx]! * k[xx - x + r]!;
        tmp[row + x] = s;
      }
    }
    for (let y = 0; y < h; y++) {
      const lo = Math.max(0, y - r);
      const hi = Math.min(h - 1, y + r);
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let yy = lo; yy <= hi; yy++) s += tmp[yy * w + x]! * k[yy - y + r]!;
        out[y * w + x] = s;
      }
    }
    return out;
  }
}
