import { describe, expect, it } from '@jest/globals';
import { decodePng } from '../draw/png.js';
import type { MetricsLine } from './loop/run-dir.js';
import { drawTrainingCurves, movingAverage, trainingCurvePanels } from './training-curves.js';

function line(step: number): MetricsLine {
  const kind = step % 2 === 0 ? 'pairs' : 'orders';
  return {
    step, epoch: Math.floor(step / 10), position: step % 10, kind, rows: 32, loss: 3 / (1 + step / 10),
    ...(kind === 'pairs' ? { cls: 0.7, cont: 2, pairAccuracy: 0.5 } : { ord: 2.4, orderAccuracy: 0.1 }),
    lr: 1e-3, gradNorm: 1, samplesPerSecond: 20, dataWaitMs: 1, computeMs: 1000,
  };
}

describe('training curves', () => {
  it('moving average over a trailing window', () => {
    expect(movingAverage([[0, 1], [1, 3], [2, 5], [3, 7]], 2)).toEqual([[0, 1], [1, 2], [2, 4], [3, 6]]);
  });

  it('one panel per quantity, series split by batch kind, terms only where present', () => {
    const panels = trainingCurvePanels(Array.from({ length: 40 }, (_, i) => line(i + 1)), 1);
    expect(panels.map((p) => p.options.title)).toEqual(['Loss', 'Loss terms', 'Accuracy', 'Learning rate', 'Throughput', 'Waiting for replay']);
    const loss = panels[0]!.series;
    expect(loss[0]!.points.every(([step]) => step % 2 === 0)).toBe(true);
    expect(loss[1]!.points.every(([step]) => step % 2 === 1)).toBe(true);
    const terms = panels[1]!.series;
    expect(terms.map((s) => s.points.length)).toEqual([20, 20, 20]);
  });

  it('draws a PNG of 2 columns x 3 rows of charts', () => {
    const image = decodePng(drawTrainingCurves(Array.from({ length: 40 }, (_, i) => line(i + 1))));
    expect(image.width).toBe(2 * 560);
    expect(image.height).toBe(3 * 340);
  });
});
