/**
 * Gaze samples (sidecar, source video pixels) -> saliency map of the cropped frame.
 * Pure functions; the coordinate convention is continuous pixels: pixel k spans [k, k+1),
 * as the synthetic renderer uses (pixel centres at k + 0.5).
 */
import type { CropBox } from '../../types/ingest.js';
import { GaussianBlur } from './gaussian-blur.js';

const { ceil, floor, round } = Math;

export interface GazeMapping {
  /** The fan crop, source video pixels. */
  crop: CropBox;
  /** Source video pixels per sidecar pixel (1 unless the video was rescaled after labelling). */
  scaleX: number;
  scaleY: number;
  mapWidth: number;
  mapHeight: number;
}

/**
 * Map cell of a gaze point, or undefined when it lies outside the crop (or is not a number).
 * Cell (cx, cy) covers source x in [crop.x + cx * w / mapWidth, crop.x + (cx + 1) * w / mapWidth).
 */
export function gazeCell(x: number, y: number, m: GazeMapping): [number, number] | undefined {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  const u = ((x * m.scaleX - m.crop.x) / m.crop.width) * m.mapWidth;
  const v = ((y * m.scaleY - m.crop.y) / m.crop.height) * m.mapHeight;
  if (!(u >= 0 && u < m.mapWidth && v >= 0 && v < m.mapHeight)) return undefined;
  return [floor(u), floor(v)];
}

/**
 * Indices [first, last] (inclusive) of the gaze samples whose time j / sampleFps lies within
 * +- halfWindow of t, clipped to the samples present; first > last when there are none.
 * A 1e-9 s tolerance keeps window edges that fall exactly on a sample (0.5 s at 30 fps).
 */
export function gazeWindow(sampleCount: number, sampleFps: number, t: number, halfWindow: number): { first: number; last: number } {
  const eps = 1e-9;
  const first = Math.max(0, ceil((t - halfWindow) * sampleFps - eps));
  const last = Math.min(sampleCount - 1, floor((t + halfWindow) * sampleFps + eps));
  return { first, last };
}

export interface FrameGaze {
  /** Samples per cell, row-major mapHeight x mapWidth. */
  counts: Float64Array;
  /** Samples that fell inside the crop. */
  samples: number;
  /** Distinct fixated cells as (x, y) pairs, sorted by y then x. */
  fixations: Int32Array;
}

/** Rasterises samples first..last of (xs, ys) as fixation points on the map. */
export function rasteriseGaze(xs: ArrayLike<number | null>, ys: ArrayLike<number | null>, first: number, last: number, m: GazeMapping): FrameGaze {
  const counts = new Float64Array(m.mapWidth * m.mapHeight);
  let samples = 0;
  for (let j = first; j <= last; j++) {
    const cell = gazeCell(xs[j] ?? NaN, ys[j] ?? NaN, m);
    if (!cell) continue;
    counts[cell[1] * m.mapWidth + cell[0]]! += 1;
    samples++;
  }
  const cells: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) cells.push(i % m.mapWidth, floor(i / m.mapWidth));
  return { counts, samples, fixations: Int32Array.from(cells) };
}

/** Blurred density -> uint8 with its maximum at 255 (schemas/downstream.ts SALIENCY_ENCODING); all 0 without samples. */
export function quantiseSaliency(density: Float64Array): Uint8Array {
  let max = 0;
  for (let i = 0; i < density.length; i++) if (density[i]! > max) max = density[i]!;
  const out = new Uint8Array(density.length);
  if (max <= 0) return out;
  const k = 255 / max;
  for (let i = 0; i < density.length; i++) out[i] = round(density[i]! * k);
  return out;
}

/** Fixations as FIXATIONS_ENCODING bytes: little-endian uint16 x, y per cell. */
export function encodeFixations(fixations: Int32Array): Uint8Array {
  const bytes = new Uint8Array(fixations.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < fixations.length; i++) view.setUint16(i * 2, fixations[i]!, true);
  return bytes;
}

export function decodeFixations(bytes: Uint8Array): Int32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`fixations: ${bytes.byteLength} bytes is not a whole number of (x, y) uint16 pairs`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

export interface FrameSaliency {
  saliency: Uint8Array;
  fixations: Int32Array;
  samples: number;
}

/** The saliency of frames of one scan: gaze window -> fixation points -> Gaussian blur -> uint8. */
export class SaliencyMapper {
  private readonly blur: GaussianBlur;

  constructor(
    private readonly mapping: GazeMapping,
    private readonly gaze: { x: ArrayLike<number | null>; y: ArrayLike<number | null>; fps: number },
    private readonly halfWindow: number,
    sigmaCells: number,
  ) {
    this.blur = new GaussianBlur(mapping.mapWidth, mapping.mapHeight, sigmaCells);
  }

  at(t: number): FrameSaliency {
    const count = Math.min(this.gaze.x.length, this.gaze.y.length);
    const { first, last } = gazeWindow(count, this.gaze.fps, t, this.halfWindow);
    const raster = rasteriseGaze(this.gaze.x, this.gaze.y, first, last, this.mapping);
    const saliency = raster.samples > 0 ? quantiseSaliency(this.blur.apply(raster.counts)) : new Uint8Array(raster.counts.length);
    return { saliency, fixations: raster.fixations, samples: raster.samples };
  }
}
