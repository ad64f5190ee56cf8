import type { FanPixels } from './fan.js';
import { screenToWorld, type ProbePose } from './pose.js';
import { SPECKLE_INT_SCALE, type SpecklePair } from './speckle.js';

/** One anatomy raster seen through the probe at `pose`, mixed in with `weight`. */
export interface AnatomyLayer {
  raster: Float32Array;
  size: number;
  pose: ProbePose;
  weight: number;
}

export interface DisplaySettings {
  /** Depth attenuation (nepers over the full depth) left after time-gain compensation. */
  attenuation: number;
  /** Displayed dynamic range, dB. */
  dynamicRangeDb: number;
  /** Amplitude that maps to white. */
  whiteLevel: number;
}

// Bound once: inside Jest's ESM sandbox every global `Math` lookup is ~100x slower.
const { sqrt } = Math;

/** Echogenicity seen where a layer's raster has no content (outside its unit square). */
const FAR_TISSUE = 0.3;
const LUT_SIZE = 16384;
const LUT_MAX = 4;

/**
 * Renders grey ultrasound frames: anatomy (echogenicity) x speckle (Rayleigh) x depth
 * attenuation x gain, log-compressed to 8 bits, inside the fan. Pixels outside the fan are
 * left as they are in `out` (the caller copies its on-screen overlay there first).
 */
export class FrameRenderer {
  private readonly attenuation: Float32Array;
  private readonly lut: Uint8Array;
  private readonly extra: Float32Array;

  constructor(
    private readonly fan: FanPixels,
    private readonly speckle: SpecklePair,
    display: DisplaySettings,
  ) {
    this.attenuation = new Float32Array(fan.count);
    for (let i = 0; i < fan.count; i++) {
      const d = fan.depth[i] as number;
      const nearField = 1 + 0.35 * Math.exp(-d / 0.04);
      this.attenuation[i] = Math.exp(-display.attenuation * d) * nearField * (fan.edge[i] as number);
    }
    this.extra = new Float32Array(fan.count);
    this.lut = new Uint8Array(LUT_SIZE);
    const dr = display.dynamicRangeDb;
    for (let k = 0; k < LUT_SIZE; k++) {
      const amplitude = ((k + 0.5) / LUT_SIZE) * LUT_MAX;
      const db = 20 * Math.log10(amplitude / display.whiteLevel);
      this.lut[k] = Math.round(255 * Math.min(1, Math.max(0, (db + dr) / dr)));
    }
  }

  /**
   * @param layers the first layer carries the tissue the speckle is fixed to; more layers
   *   (a cross-fade between planes) add their echogenicity
   * @param specklePhase radians; turning it decorrelates the speckle (out-of-plane motion)
   * @param gain overall receive gain (linear amplitude factor)
   */
  render(out: Uint8Array, layers: readonly AnatomyLayer[], specklePhase: number, gain: number): void {
    const main = layers[0];
    if (!main) throw new Error('render needs at least one anatomy layer');
    const { fan, attenuation, lut, extra } = this;
    const hasExtra = layers.length > 1;
    if (hasExtra) {
      extra.fill(0);
      for (const layer of layers.slice(1)) accumulateLayer(extra, fan, layer);
    }
    const texels = this.speckle.texels;
    const sSize = this.speckle.size;
    const sMask = sSize - 1;
    const ca = Math.cos(specklePhase) / SPECKLE_INT_SCALE;
    const cb = Math.sin(specklePhase) / SPECKLE_INT_SCALE;
    const [a, b, c, d, e, f] = screenToWorld(main.pose);
    const { raster, size, weight } = main;
    const max = size - 1;
    const lutScale = (LUT_SIZE / LUT_MAX) * gain;
    const n = fan.count;
    for (let i = 0; i < n; i++) {
      const x = fan.anatomyX[i] as number;
      const y = fan.anatomyY[i] as number;
      const wu = a * x + b * y + c;
      const wv = d * x + e * y + f;
      // Anatomy: bilinear lookup.
      const u = wu * max;
      const v = wv * max;
      let echo: number;
      if (u < 0 || v < 0 || u >= max || v >= max) {
        echo = FAR_TISSUE;
      } else {
        const iu = u | 0;
        const iv = v | 0;
        const fu = u - iu;
        const fv = v - iv;
        const p = iv * size + iu;
        const top = (raster[p] as number) + ((raster[p + 1] as number) - (raster[p] as number)) * fu;
        const bottom = (raster[p + size] as number) + ((raster[p + size + 1] as number) - (raster[p + size] as number)) * fu;
        echo = top + (bottom - top) * fv;
      }
      echo *= weight;
      if (hasExtra) echo += extra[i] as number;
      // Speckle fixed to the tissue: nearest texel of the two interleaved fields, blended.
      const s = (((((wv * sSize) | 0) & sMask) * sSize + (((wu * sSize) | 0) & sMask)) << 2);
      const re = ca * (texels[s] as number) + cb * (texels[s + 2] as number);
      const im = ca * (texels[s + 1] as number) + cb * (texels[s + 3] as number);
      let k = (echo * sqrt(re * re + im * im) * (attenuation[i] as number) * lutScale) | 0;
      if (k >= LUT_SIZE) k = LUT_SIZE - 1;
      out[fan.index[i] as number] = lut[k] as number;
    }
  }
}

function accumulateLayer(echo: Float32Array, fan: FanPixels, layer: AnatomyLayer): void {
  const [a, b, c, d, e, f] = screenToWorld(layer.pose);
  const { raster, size, weight } = layer;
  const max = size - 1;
  for (let i = 0; i < fan.count; i++) {
    const x = fan.anatomyX[i] as number;
    const y = fan.anatomyY[i] as number;
    const u = (a * x + b * y + c) * max;
    const v = (d * x + e * y + f) * max;
    let value: number;
    if (u < 0 || v < 0 || u >= max || v >= max) {
      value = FAR_TISSUE;
    } else {
      const iu = u | 0;
      const iv = v | 0;
      const fu = u - iu;
      const fv = v - iv;
      const p = iv * size + iu;
      const top = (raster[p] as number) * (1 - fu) + (raster[p + 1] as number) * fu;
      const bottom = (raster[p + size] as number) * (1 - fu) + (raster[p + size + 1] as number) * fu;
      value = top * (1 - fv) + bottom * fv;
    }
    echo[i] = (echo[i] as number) + weight * value;
  }
}
