import { describe, expect, it } from '@jest/globals';
import type { Rgb } from '../draw/image.js';
import { around, countColor, countInk } from './image-probe.js';
import { drawCurvesPanel, drawLineChart, layoutLineChart, type LineChartOptions, type LineSeries } from './line-chart.js';
import { PLOT_THEME, seriesColor } from './theme.js';

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [30, 60, 220];
const OPTIONS: LineChartOptions = { title: 'Training losses', xLabel: 'step', yLabel: 'loss' };

function ramp(n: number, f: (i: number) => number): [number, number][] {
  return Array.from({ length: n }, (_, i) => [i, f(i)] as [number, number]);
}

describe('drawLineChart', () => {
  it('has the default or requested size', () => {
    const series: LineSeries[] = [{ name: 'a', points: ramp(5, (i) => i) }];
    const img = drawLineChart(series, OPTIONS);
    expect([img.width, img.height]).toEqual([640, 400]);
    const small = drawLineChart(series, { ...OPTIONS, width: 300, height: 220 });
    expect([small.width, small.height]).toEqual([300, 220]);
  });

  it('draws each series in its own colour through its data points', () => {
    const series: LineSeries[] = [
      { name: 'rising', points: ramp(11, (i) => i), color: RED },
      { name: 'falling', points: ramp(11, (i) => 10 - i), color: BLUE },
    ];
    const img = drawLineChart(series, OPTIONS);
    const layout = layoutLineChart(series, OPTIONS);
    for (const i of [1, 3, 7, 9]) {
      const red = around(layout.xToPx(i), layout.yToPx(i), 2);
      const blue = around(layout.xToPx(i), layout.yToPx(10 - i), 2);
      expect(countColor(img, red, RED)).toBeGreaterThan(0);
      expect(countColor(img, red, BLUE, 40)).toBe(0);
      expect(countColor(img, blue, BLUE)).toBeGreaterThan(0);
      expect(countColor(img, blue, RED, 40)).toBe(0);
    }
  });

  it('gives series without a colour distinct palette colours', () => {
    const colors = Array.from({ length: 14 }, (_, i) => seriesColor(i).join(','));
    expect(new Set(colors).size).toBe(14);
    const series: LineSeries[] = [
      { name: 'a', points: ramp(4, () => 1) },
      { name: 'b', points: ramp(4, () => 2) },
    ];
    const img = drawLineChart(series, OPTIONS);
    const layout = layoutLineChart(series, OPTIONS);
    expect(countColor(img, around(layout.xToPx(1.5), layout.yToPx(1), 1), seriesColor(0))).toBeGreaterThan(0);
    expect(countColor(img, around(layout.xToPx(1.5), layout.yToPx(2), 1), seriesColor(1))).toBeGreaterThan(0);
  });

  it('leaves a gap at NaN and Infinity points', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const series: LineSeries[] = [{ name: 'gappy', points: [[0, 0], [1, 1], [2, bad], [3, 3], [4, 4]], color: RED }];
      const img = drawLineChart(series, OPTIONS);
      const { plot, xToPx } = layoutLineChart(series, OPTIONS);
      const column = (x: number) => ({ x: Math.round(xToPx(x)) - 2, y: plot.y, width: 5, height: plot.height });
      expect(countColor(img, column(0.5), RED, 60)).toBeGreaterThan(0);
      expect(countColor(img, column(3.5), RED, 60)).toBeGreaterThan(0);
      expect(countColor(img, column(2), RED, 60)).toBe(0);
    }
  });

  it('marks a point isolated between gaps with a dot', () => {
    const series: LineSeries[] = [{ name: 'lonely', points: [[0, 0], [1, NaN], [2, 2], [3, NaN], [4, 4]], color: RED }];
    const img = drawLineChart(series, OPTIONS);
    const layout = layoutLineChart(series, OPTIONS);
    expect(countColor(img, around(layout.xToPx(2), layout.yToPx(2), 3), RED)).toBeGreaterThan(4);
  });

  it('writes the title, axis labels and legend where the layout puts them', () => {
    const series: LineSeries[] = [{ name: 'L_cls', points: ramp(5, (i) => i * i), color: RED }];
    const img = drawLineChart(series, OPTIONS);
    const layout = layoutLineChart(series, OPTIONS);
    const bg = PLOT_THEME.background;
    expect(countInk(img, { x: 0, y: layout.title.y, width: img.width, height: layout.title.height }, bg)).toBeGreaterThan(80);
    expect(countInk(img, layout.xLabel, bg)).toBeGreaterThan(15);
    expect(countInk(img, layout.yLabel, bg)).toBeGreaterThan(15);
    const item = layout.legend[0];
    expect(item?.name).toBe('L_cls');
    expect(countColor(img, { x: item!.x, y: item!.y, width: 16, height: 10 }, RED)).toBeGreaterThanOrEqual(16 * 3);
    expect(countInk(img, { x: item!.x + 20, y: item!.y, width: 30, height: 10 }, bg)).toBeGreaterThan(10);

    // The same regions stay blank when the labels are empty: the checks above can fail.
    const bare = drawLineChart(series, { title: '', xLabel: '', yLabel: '' });
    const bareLayout = layoutLineChart(series, { title: '', xLabel: '', yLabel: '' });
    expect(countInk(bare, { x: 0, y: bareLayout.title.y, width: bare.width, height: bareLayout.title.height }, bg)).toBe(0);
    expect(countInk(bare, { ...layout.yLabel, width: layout.yLabel.width }, bg)).toBe(0);
  });

  it('labels y ticks with round values spanning the data', () => {
    const series: LineSeries[] = [{ name: 'acc', points: ramp(10, (i) => 0.13 + i * 0.29) }];
    const layout = layoutLineChart(series, OPTIONS);
    const labels = layout.yTicks.map((t) => t.label);
    expect(labels[0]).toBe('0');
    expect(layout.yTicks[layout.yTicks.length - 1]!.value).toBeGreaterThanOrEqual(0.13 + 9 * 0.29);
    expect(labels).toEqual(['0', '0.5', '1.0', '1.5', '2.0', '2.5', '3.0']);
  });

  it('honours a fixed y range', () => {
    const series: LineSeries[] = [{ name: 'acc', points: ramp(10, (i) => i / 10) }];
    const options = { ...OPTIONS, yMin: 0, yMax: 1 };
    const { plot, yToPx } = layoutLineChart(series, options);
    expect(yToPx(0)).toBeCloseTo(plot.y + plot.height - 1, 6);
    expect(yToPx(1)).toBeCloseTo(plot.y, 6);
  });

  it('spaces a log axis by decades and skips non-positive values', () => {
    const series: LineSeries[] = [{ name: 'lr', points: [[0, 1e-3], [1, 1e-4], [2, 0], [3, -1], [4, 1e-5]], color: RED }];
    const options = { ...OPTIONS, logY: true };
    const layout = layoutLineChart(series, options);
    expect(layout.yToPx(1e-4)).toBeCloseTo((layout.yToPx(1e-3) + layout.yToPx(1e-5)) / 2, 6);
    expect(layout.yTicks.filter((t) => t.label !== null).map((t) => t.label)).toContain('1e-4');
    const img = drawLineChart(series, options);
    const column = { x: Math.round(layout.xToPx(2.5)) - 1, y: layout.plot.y, width: 3, height: layout.plot.height };
    expect(countColor(img, column, RED, 60)).toBe(0);
    expect(countColor(img, around(layout.xToPx(0.5), layout.yToPx(Math.sqrt(1e-7)), 3), RED)).toBeGreaterThan(0);
  });

  it('says "no data" for no series or series without drawable points', () => {
    for (const series of [[], [{ name: 'a', points: [] }, { name: 'b', points: [[NaN, 1], [2, Infinity]] }]] as LineSeries[][]) {
      const layout = layoutLineChart(series, OPTIONS);
      expect(layout.hasData).toBe(false);
      const img = drawLineChart(series, OPTIONS);
      const centre = { x: layout.plot.x + layout.plot.width / 2 - 50, y: layout.plot.y + layout.plot.height / 2 - 12, width: 100, height: 24 };
      expect(countColor(img, centre, PLOT_THEME.dimText)).toBeGreaterThan(40);
    }
    const withData = [{ name: 'a', points: ramp(3, (i) => i) }];
    const layout = layoutLineChart(withData, OPTIONS);
    const centre = { x: layout.plot.x + layout.plot.width / 2 - 50, y: layout.plot.y + layout.plot.height / 2 - 12, width: 100, height: 24 };
    expect(countColor(drawLineChart(withData, OPTIONS), centre, PLOT_THEME.dimText)).toBe(0);
  });
});

describe('drawCurvesPanel', () => {
  it('tiles the charts row by row', () => {
    const chart = (title: string, f: (i: number) => number) => ({
      series: [{ name: title, points: ramp(20, f) }],
      options: { title, xLabel: 'step', yLabel: title, width: 300, height: 200 },
    });
    const panels = [chart('loss', (i) => 1 / (i + 1)), chart('acc', (i) => i / 20), chart('lr', () => 1e-3)];
    const img = drawCurvesPanel(panels, 2);
    expect([img.width, img.height]).toEqual([600, 400]);
    const first = drawLineChart(panels[0]!.series, panels[0]!.options);
    const third = drawLineChart(panels[2]!.series, panels[2]!.options);
    for (const [x, y] of [[150, 10], [100, 100], [250, 150]] as const) {
      expect(img.getPixel(x, y)).toEqual(first.getPixel(x, y));
      expect(img.getPixel(x, 200 + y)).toEqual(third.getPixel(x, y));
    }
    // The fourth cell is empty.
    expect(countInk(img, { x: 305, y: 205, width: 290, height: 190 }, PLOT_THEME.background)).toBe(0);
  });

  it('draws a "no charts" placeholder for no panels', () => {
    const img = drawCurvesPanel([], 3);
    expect(img.width).toBeGreaterThan(0);
    expect(countColor(img, { x: 0, y: 0, width: img.width, height: img.height }, PLOT_THEME.dimText)).toBeGreaterThan(40);
  });
});
