/**
 * Training curves from a run's metrics.jsonl, as one PNG: the loss of pair and order steps,
 * each loss term, pair and order accuracy, the learning rate, and throughput with the data
 * wait. Per-step values are noisy (pair and order batches alternate), so each series is
 * drawn as its moving average over `window` of its own steps.
 */
import { encodePng } from '../draw/png.js';
import { drawCurvesPanel, type LineChartInput, type LineSeries } from '../plots/line-chart.js';
import type { MetricsLine } from './loop/run-dir.js';

export function movingAverage(points: [number, number][], window: number): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    sum += (points[i] as [number, number])[1];
    if (i >= window) sum -= (points[i - window] as [number, number])[1];
    out.push([(points[i] as [number, number])[0], sum / Math.min(i + 1, window)]);
  }
  return out;
}

function series(lines: MetricsLine[], name: string, pick: (l: MetricsLine) => number | undefined, window: number): LineSeries {
  const points: [number, number][] = [];
  for (const l of lines) {
    const v = pick(l);
    if (v !== undefined && Number.isFinite(v)) points.push([l.step, v]);
  }
  return { name, points: window > 1 ? movingAverage(points, window) : points };
}

export function trainingCurvePanels(lines: MetricsLine[], window = Math.max(1, Math.min(20, Math.floor(lines.length / 20)))): LineChartInput[] {
  const size = { width: 560, height: 340 };
  const smooth = window > 1 ? ` (moving average of ${window} steps)` : '';
  const pairs = lines.filter((l) => l.kind === 'pairs');
  const orders = lines.filter((l) => l.kind === 'orders');
  return [
    {
      series: [series(pairs, 'pair steps: alpha L_cls + beta L_cont', (l) => l.loss, window), series(orders, 'order steps: gamma L_ord', (l) => l.loss, window)],
      options: { title: `Loss${smooth}`, xLabel: 'step', yLabel: 'loss', ...size },
    },
    {
      series: [series(pairs, 'L_cls', (l) => l.cls, window), series(pairs, 'L_cont', (l) => l.cont, window), series(orders, 'L_ord', (l) => l.ord, window)],
      options: { title: 'Loss terms', xLabel: 'step', yLabel: 'loss', ...size },
    },
    {
      series: [series(pairs, 'pair accuracy', (l) => l.pairAccuracy, window), series(orders, 'order accuracy (chance 1/12)', (l) => l.orderAccuracy, window)],
      options: { title: 'Accuracy', xLabel: 'step', yLabel: 'accuracy', yMin: 0, yMax: 1, ...size },
    },
    {
      series: [series(lines, 'learning rate', (l) => l.lr, 1)],
      options: { title: 'Learning rate', xLabel: 'step', yLabel: 'lr', logY: true, ...size },
    },
    {
      series: [series(lines, 'samples/s', (l) => l.samplesPerSecond, window)],
      options: { title: 'Throughput', xLabel: 'step', yLabel: 'samples/s', yMin: 0, ...size },
    },
    {
      series: [series(lines, 'data wait share of the step', (l) => l.dataWaitMs / Math.max(1e-9, l.dataWaitMs + l.computeMs), window)],
      options: { title: 'Waiting for replay', xLabel: 'step', yLabel: 'share', yMin: 0, ...size },
    },
  ];
}

export function drawTrainingCurves(lines: MetricsLine[]): Buffer {
  return encodePng(drawCurvesPanel(trainingCurvePanels(lines), 2));
}
