/**
 * The saliency reference without any backbone: every test frame of a fold gets the same map, the
 * mean gaze density of the fold's training frames. It scores the centre bias (and any fixed
 * layout of the scans) that a head can learn without looking at the frame, so Table 2's rows can
 * be read against it. Scored exactly as the fine-tuned heads are (saliency-scores.ts), with the
 * same AUC-Borji draws (the fold's 'saliency/auc-borji' fork).
 */
import type { Fold } from '../metrics/folds.js';
import type { SaliencyFold } from '../metrics/result-tables.js';
import type { FrameRef, FrameSource } from '../finetune/frame-source.js';
import { aucBorjiDraws } from './fold-job.js';
import { SaliencyMeans, scoreRow } from './saliency-scores.js';

export const CENTRE_PRIOR_LABEL = 'Centre prior: mean training gaze (no backbone)';

/** Mean of the rows' ground-truth densities (each sums to 1), so the result sums to 1. */
export function meanGazeDensity(source: FrameSource, refs: readonly FrameRef[]): Float32Array {
  if (refs.length === 0) throw new Error('meanGazeDensity: no training rows with gaze');
  const sum = new Float64Array(source.mapWidth * source.mapHeight);
  for (const ref of refs) {
    const row = source.saliencyRow(ref);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (row[i] as number);
  }
  return Float32Array.from(sum, (v) => v / refs.length);
}

export interface CentrePriorFold extends SaliencyFold {
  fold: number;
  frames: number;
}

export function scoreCentrePrior(source: FrameSource, fold: Fold, trainGaze: readonly FrameRef[], testGaze: readonly FrameRef[], config: { seed: number; aucBorjiSplits: number }): CentrePriorFold {
  const predicted = meanGazeDensity(source, trainGaze);
  const auc = aucBorjiDraws(config.seed, fold.fold);
  const means = new SaliencyMeans();
  for (const ref of testGaze) means.add(scoreRow(source, ref, predicted, auc, config.aucBorjiSplits));
  return { fold: fold.fold, frames: means.frames, ...means.means() };
}
