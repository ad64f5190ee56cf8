import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import { clipAffinities, speechIntervals } from './affinity-timelines.js';
import { FrameSource } from '../finetune/frame-source.js';
import { syntheticDownstream } from '../finetune/synthetic-downstream.js';
import { meanGazeDensity, scoreCentrePrior } from './centre-prior.js';
import { decodeFloats, evenlySpaced } from './fold-job.js';
import { fixationMap, SaliencyMeans, scoreSaliency } from './saliency-scores.js';
import { markdownRows } from './tables.js';
import { formatTable } from '../metrics/result-tables.js';

describe('affinity timeline data', () => {
  it('merges runs of speech decisions into intervals', () => {
    expect(speechIntervals(Uint8Array.from([0, 1, 1, 0, 0, 1]), 0.5)).toEqual([
      { start: 0.5, end: 1.5 },
      { start: 2.5, end: 3 },
    ]);
    expect(speechIntervals(new Uint8Array(4), 0.1)).toEqual([]);
  });

  it('gives each VAD frame to the clip holding its centre, and tags clips by the threshold', () => {
    // 0.3 s frames, 1 s clips: frame 3 (0.9-1.2 s, centre 1.05) belongs to clip 1, which holds frames 3-6.
    const decisions = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
    const clips = clipAffinities(decisions, 0.3, 1, 3, 0.5);
    expect(clips.map((c) => [c.start, c.end])).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(clips.map((c) => c.speechFraction)).toEqual([1, 1 / 4, 1 / 3]);
    expect(clips.map((c) => c.affinity)).toEqual(['high', 'low', 'low']);
    expect(clipAffinities(decisions, 0.3, 1, 3, 0).every((c) => c.affinity === 'high')).toBe(true);
  });
});

describe('saliency scores', () => {
  it('scores a prediction that matches the gaze better than a uniform one, and averages without NaN', () => {
    const w = 8;
    const truth = new Float32Array(w * w);
    truth[2 * w + 3] = 0.6;
    truth[2 * w + 4] = 0.4;
    const fixations = fixationMap(Int32Array.from([3, 2, 4, 2]), w, w);
    const uniform = new Float32Array(w * w).fill(1 / (w * w));
    const good = Float32Array.from(truth, (v) => v * 0.9 + 0.1 / (w * w));
    const map = (data: Float32Array) => ({ width: w, height: w, data });
    const a = scoreSaliency(map(good), map(truth), fixations, new Rng(1), 20);
    const b = scoreSaliency(map(uniform), map(truth), fixations, new Rng(1), 20);
    expect(a.kl).toBeLessThan(b.kl);
    expect(a.nss).toBeGreaterThan(b.nss);
    expect(a.aucJudd).toBeGreaterThan(b.aucJudd);
    expect(a.cc).toBeGreaterThan(0.9);
    expect(b.nss).toBe(0);
    const means = new SaliencyMeans();
    means.add(a);
    means.add({ ...b, cc: NaN });
    expect(means.means().cc).toBeCloseTo(a.cc, 12);
    expect(means.means().kl).toBeCloseTo((a.kl + b.kl) / 2, 12);
    expect(means.nanCounts().cc).toBe(1);
    expect(means.frames).toBe(2);
    expect(() => fixationMap(Int32Array.from([8, 0]), w, w)).toThrow(/outside/);
  });
});

describe('centre prior', () => {
  const data = syntheticDownstream({ scans: 2, rowsPerScan: 12, classes: 3, size: 16, mapSize: 8, seed: 2 });
  const source = new FrameSource(data);
  const [a, b] = data.scans.map((s) => s.id) as [string, string];

  it('is the mean of the training densities, a distribution', () => {
    const refs = source.select([a], { gazeOnly: true });
    const mean = meanGazeDensity(source, refs);
    expect(mean.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    const cell = 20;
    expect(mean[cell]).toBeCloseTo(refs.reduce((s, r) => s + (source.saliencyRow(r)[cell] as number), 0) / refs.length, 7);
    expect(() => meanGazeDensity(source, [])).toThrow(/no training rows/);
  });

  it('scores perfectly when every test frame has the training mean as its truth, and worse on other frames', () => {
    const one = source.select([a], { gazeOnly: true }).slice(0, 1);
    const self = scoreCentrePrior(source, { fold: 0, train: [a], test: [a] }, one, one, { seed: 1, aucBorjiSplits: 10 });
    expect(self.kl).toBeCloseTo(0, 5);
    expect(self.cc).toBeCloseTo(1, 5);
    expect(self.sim).toBeCloseTo(1, 5);
    expect(self.frames).toBe(1);
    const other = scoreCentrePrior(source, { fold: 0, train: [a], test: [b] }, one, source.select([b], { gazeOnly: true }), { seed: 1, aucBorjiSplits: 10 });
    expect(other.kl).toBeGreaterThan(0.1);
    expect(other.cc).toBeLessThan(1);
  });
});

describe('helpers', () => {
  it('picks evenly spaced samples, never more than there are', () => {
    expect(evenlySpaced(10, 3)).toEqual([1, 5, 8]);
    expect(evenlySpaced(2, 5)).toEqual([0, 1]);
    expect(evenlySpaced(0, 3)).toEqual([]);
  });

  it('round-trips float maps through base64', () => {
    const values = Float32Array.from([0.1, 1e-7, 3]);
    const b64 = Buffer.from(values.buffer).toString('base64');
    expect(Array.from(decodeFloats(b64))).toEqual(Array.from(values));
  });

  it('reads a formatted table back into header and rows, bold kept', () => {
    const t = formatTable({ title: 'T', rowLabels: ['a', 'b'], columns: [{ name: 'x', higherIsBetter: true, digits: 1 }], cells: [[[1, 2]], [[3, 4]]] });
    expect(markdownRows(t.markdown)).toEqual({ header: ['Method', 'x ↑'], rows: [['a', '1.5 ± 0.7'], ['b', '**3.5 ± 0.7**']] });
  });
});
