/**
 * The six saliency metrics (../metrics/saliency-metrics.ts, MIT benchmark definitions) of one
 * predicted map against the frame's ground truth, and their means over a fold's test frames.
 * KL, CC and SIM compare with the ground-truth density; NSS and the two AUCs with the binary map
 * of fixated cells.
 */
import { aucBorji, aucJudd, cc, kl, nss, saliencyMap, sim, type FixationMap, type SaliencyMap } from '../metrics/saliency-metrics.js';
import type { FrameRef, FrameSource } from '../finetune/frame-source.js';
import type { SaliencyFold } from '../metrics/result-tables.js';
import type { Rng } from '../../util/rng.js';

export const SALIENCY_METRICS: readonly (keyof SaliencyFold)[] = ['kl', 'nss', 'aucJudd', 'aucBorji', 'cc', 'sim'];

/** Binary fixation map from cells [x0, y0, x1, y1, ...]. */
export function fixationMap(cells: Int32Array, width: number, height: number): FixationMap {
  const data = new Uint8Array(width * height);
  for (let i = 0; i + 1 < cells.length; i += 2) {
    const x = cells[i] as number;
    const y = cells[i + 1] as number;
    if (x < 0 || y < 0 || x >= width || y >= height) throw new Error(`fixation (${x}, ${y}) lies outside the ${width}x${height} map`);
    data[y * width + x] = 1;
  }
  return { width, height, data };
}

export function scoreSaliency(predicted: SaliencyMap, truth: SaliencyMap, fixations: FixationMap, rng: Rng, aucBorjiSplits: number): SaliencyFold {
  return {
    kl: kl(predicted, truth),
    nss: nss(predicted, fixations),
    aucJudd: aucJudd(predicted, fixations),
    aucBorji: aucBorji(predicted, fixations, rng, { splits: aucBorjiSplits }),
    cc: cc(predicted, truth),
    sim: sim(predicted, truth),
  };
}

/** A predicted map (source.mapWidth x mapHeight) scored against a downstream row's gaze. */
export function scoreRow(source: FrameSource, ref: FrameRef, predicted: Float32Array, rng: Rng, aucBorjiSplits: number): SaliencyFold {
  const w = source.mapWidth;
  const h = source.mapHeight;
  return scoreSaliency({ width: w, height: h, data: predicted }, saliencyMap(w, h, source.saliencyRow(ref)), fixationMap(source.fixations(ref), w, h), rng, aucBorjiSplits);
}

/** Means over frames; a NaN score (CC of a constant map) is left out of its mean and counted. */
export class SaliencyMeans {
  private readonly sums: Record<keyof SaliencyFold, number> = { kl: 0, nss: 0, aucJudd: 0, aucBorji: 0, cc: 0, sim: 0 };
  private readonly counts: Record<keyof SaliencyFold, number> = { kl: 0, nss: 0, aucJudd: 0, aucBorji: 0, cc: 0, sim: 0 };
  frames = 0;

  add(scores: SaliencyFold): void {
    this.frames++;
    for (const key of SALIENCY_METRICS) {
      const v = scores[key];
      if (Number.isNaN(v)) continue;
      this.sums[key] += v;
      this.counts[key]++;
    }
  }

  means(): SaliencyFold {
    const out = {} as SaliencyFold;
    for (const key of SALIENCY_METRICS) out[key] = this.counts[key] > 0 ? this.sums[key] / this.counts[key] : NaN;
    return out;
  }

  /** Frames whose score was NaN, per metric. */
  nanCounts(): Record<keyof SaliencyFold, number> {
    const out = {} as Record<keyof SaliencyFold, number>;
    for (const key of SALIENCY_METRICS) out[key] = this.frames - this.counts[key];
    return out;
  }
}
