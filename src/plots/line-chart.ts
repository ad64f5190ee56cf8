import { drawText, GLYPH_HEIGHT, textWidth } from '../draw/font.js';
import { RgbImage, type Rgb } from '../draw/image.js';
import { CoverageMask } from './coverage-mask.js';
import { drawTextCentered, drawTextRight, drawTextVertical, fitText } from './text.js';
import { PLOT_THEME, seriesColor } from './theme.js';
import { formatLogTick, formatTick, linearTicks, logTicks, niceDomain, niceStep } from './ticks.js';

const { log10, max, min, round } = Math;

export interface LineSeries {
  name: string;
  /** [x, y] pairs in drawing order; a non-finite x or y (or y <= 0 on a log axis) breaks the line. */
  points: [number, number][];
  color?: Rgb;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  logY?: boolean;
  /** Fixed y range; each bound left out is taken from the data (widened to a tick). */
  yMin?: number;
  yMax?: number;
}

export interface LineChartInput {
  series: LineSeries[];
  options: LineChartOptions;
}

export const DEFAULT_CHART_WIDTH = 640;
export const DEFAULT_CHART_HEIGHT = 400;
const MIN_WIDTH = 160;
const MIN_HEIGHT = 120;
const PAD = 8;
const TITLE_SCALE = 2;
const TICK = 4;
const LEGEND_ROW = 13;
const LEGEND_SWATCH = 16;
const LINE_WIDTH = 2;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LegendItem {
  name: string;
  color: Rgb;
  x: number;
  y: number;
}

export interface AxisTick {
  value: number;
  label: string | null;
}

/** Where everything goes, and how data maps to pixels; exported for tests. */
export interface LineChartLayout {
  width: number;
  height: number;
  title: Rect;
  legend: LegendItem[];
  plot: Rect;
  xLabel: Rect;
  yLabel: Rect;
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  /** False when no series has a drawable point: the plot then says "no data". */
  hasData: boolean;
  xToPx(x: number): number;
  yToPx(y: number): number;
}

function drawable(x: number, y: number, logY: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
}

interface Extent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

function dataExtent(series: readonly LineSeries[], logY: boolean): Extent | null {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!drawable(x, y, logY)) continue;
      xMin = min(xMin, x);
      xMax = max(xMax, x);
      yMin = min(yMin, y);
      yMax = max(yMax, y);
    }
  }
  return xMin <= xMax ? { xMin, xMax, yMin, yMax } : null;
}

/** A non-empty range: a single value v becomes v +- 1 (or +- 10% of v). */
function widen(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - pad, hi + pad];
}

function legendItems(series: readonly LineSeries[], left: number, right: number, top: number): LegendItem[] {
  const items: LegendItem[] = [];
  let x = left;
  let y = top;
  series.forEach((s, i) => {
    const name = fitText(s.name, right - left - LEGEND_SWATCH - 4);
    const w = LEGEND_SWATCH + 4 + textWidth(name);
    if (x > left && x + w > right) {
      x = left;
      y += LEGEND_ROW;
    }
    items.push({ name, color: s.color ?? seriesColor(i), x, y });
    x += w + 14;
  });
  return items;
}

interface YScale {
  lo: number;
  hi: number;
  ticks: AxisTick[];
  log: boolean;
}

function yScale(extent: Extent | null, options: LineChartOptions, plotHeight: number): YScale {
  const logY = options.logY === true;
  const target = max(2, round(plotHeight / 45));
  if (logY) {
    const fixedLo = options.yMin !== undefined && options.yMin > 0 ? options.yMin : undefined;
    const fixedHi = options.yMax !== undefined && options.yMax > 0 ? options.yMax : undefined;
    let lo = fixedLo ?? (extent ? 10 ** Math.floor(log10(extent.yMin) + 1e-9) : 1);
    let hi = fixedHi ?? (extent ? 10 ** Math.ceil(log10(extent.yMax) - 1e-9) : 10);
    if (!(hi > lo)) [lo, hi] = fixedHi !== undefined ? [hi / 10, hi] : [lo, lo * 10];
    const ticks = logTicks(lo, hi, target).map((t) => ({ value: t.value, label: t.major ? formatLogTick(t.value) : null }));
    return { lo, hi, ticks, log: true };
  }
  let [lo, hi] = widen(options.yMin ?? extent?.yMin ?? 0, options.yMax ?? extent?.yMax ?? 1);
  if (options.yMin !== undefined && options.yMax === undefined && !(hi > options.yMin)) hi = options.yMin + 1;
  if (options.yMax !== undefined && options.yMin === undefined && !(options.yMax > lo)) lo = options.yMax - 1;
  const step = niceStep(hi - lo, target);
  const [niceLo, niceHi] = niceDomain(lo, hi, step);
  if (options.yMin === undefined) lo = niceLo;
  if (options.yMax === undefined) hi = niceHi;
  const ticks = linearTicks(lo, hi, step).map((v) => ({ value: v, label: formatTick(v, step) }));
  return { lo, hi, ticks, log: false };
}

export function layoutLineChart(series: readonly LineSeries[], options: LineChartOptions): LineChartLayout {
  const width = max(MIN_WIDTH, round(options.width ?? DEFAULT_CHART_WIDTH));
  const height = max(MIN_HEIGHT, round(options.height ?? DEFAULT_CHART_HEIGHT));
  const logY = options.logY === true;
  const extent = dataExtent(series, logY);

  const titleH = GLYPH_HEIGHT * TITLE_SCALE;
  const title: Rect = { x: PAD, y: PAD, width: width - 2 * PAD, height: titleH };
  const legendTop = PAD + titleH + 6;
  const legend = legendItems(series, PAD + GLYPH_HEIGHT + 4, width - PAD, legendTop);
  const legendBottom = legend.length > 0 ? (legend[legend.length - 1] as LegendItem).y + LEGEND_ROW : legendTop;

  const plotTop = legendBottom + 6;
  const xLabelY = height - PAD - GLYPH_HEIGHT;
  const plotBottom = xLabelY - 6 - GLYPH_HEIGHT - 3 - TICK;
  const plotHeight = max(20, plotBottom - plotTop);
  const ys = yScale(extent, options, plotHeight);

  const yTickLabelW = ys.ticks.reduce((w, t) => max(w, t.label === null ? 0 : textWidth(t.label)), 0);
  const yLabelX = PAD;
  const plotLeft = yLabelX + GLYPH_HEIGHT + 6 + yTickLabelW + 3 + TICK;
  const [xLo, xHi] = extent ? widen(extent.xMin, extent.xMax) : [0, 1];
  const provisionalW = width - PAD - plotLeft;
  const xStep = niceStep(xHi - xLo, max(2, round(provisionalW / 80)));
  const xTickValues = linearTicks(xLo, xHi, xStep);
  const lastLabel = xTickValues.length > 0 ? formatTick(xTickValues[xTickValues.length - 1] as number, xStep) : '';
  const plotRight = width - max(PAD + 4, ceilHalf(textWidth(lastLabel)) + 4);
  const plot: Rect = { x: plotLeft, y: plotTop, width: max(20, plotRight - plotLeft), height: plotHeight };

  const xToPx = (x: number): number => plot.x + ((x - xLo) / (xHi - xLo)) * (plot.width - 1);
  const yToPx = ys.log
    ? (y: number): number => plot.y + (plot.height - 1) * (1 - (log10(y) - log10(ys.lo)) / (log10(ys.hi) - log10(ys.lo)))
    : (y: number): number => plot.y + (plot.height - 1) * (1 - (y - ys.lo) / (ys.hi - ys.lo));

  const xLabelW = textWidth(options.xLabel);
  const yLabelW = min(plot.height, textWidth(options.yLabel));
  return {
    width,
    height,
    title,
    legend,
    plot,
    xLabel: { x: round(plot.x + plot.width / 2 - xLabelW / 2), y: xLabelY, width: xLabelW, height: GLYPH_HEIGHT },
    yLabel: { x: yLabelX, y: round(plot.y + plot.height / 2 - yLabelW / 2), width: GLYPH_HEIGHT, height: yLabelW },
    xTicks: xTickValues.map((v) => ({ value: v, label: formatTick(v, xStep) })),
    yTicks: ys.ticks,
    hasData: extent !== null,
    xToPx,
    yToPx,
  };
}

function ceilHalf(n: number): number {
  return Math.ceil(n / 2);
}

function drawAxes(img: RgbImage, layout: LineChartLayout): void {
  const { plot } = layout;
  const bottom = plot.y + plot.height - 1;
  const right = plot.x + plot.width - 1;
  for (const t of layout.yTicks) {
    const y = round(layout.yToPx(t.value));
    if (y < plot.y || y > bottom) continue;
    img.hline(plot.x, right, y, t.label === null ? PLOT_THEME.minorGrid : PLOT_THEME.grid);
    if (t.label === null) continue;
    img.hline(plot.x - TICK, plot.x - 1, y, PLOT_THEME.axis);
    drawTextRight(img, plot.x - TICK - 3, y - 3, t.label, PLOT_THEME.text);
  }
  for (const t of layout.xTicks) {
    const x = round(layout.xToPx(t.value));
    if (x < plot.x || x > right) continue;
    img.vline(x, plot.y, bottom, PLOT_THEME.grid);
    img.vline(x, bottom + 1, bottom + TICK, PLOT_THEME.axis);
    if (t.label !== null) drawTextCentered(img, x, bottom + TICK + 3, t.label, PLOT_THEME.text);
  }
  img.strokeRect(plot.x - 1, plot.y - 1, plot.width + 2, plot.height + 2, PLOT_THEME.axis);
}

function drawSeries(img: RgbImage, layout: LineChartLayout, series: readonly LineSeries[], logY: boolean): void {
  const mask = new CoverageMask(img.width, img.height, layout.plot);
  series.forEach((s, i) => {
    const pts = s.points;
    let prev: [number, number] | null = null;
    for (let k = 0; k < pts.length; k++) {
      const [x, y] = pts[k] as [number, number];
      if (!drawable(x, y, logY)) {
        prev = null;
        continue;
      }
      const p: [number, number] = [layout.xToPx(x), layout.yToPx(y)];
      if (prev !== null) {
        mask.segment(prev[0], prev[1], p[0], p[1], LINE_WIDTH);
      } else {
        const next = pts[k + 1];
        // A point with no drawable neighbour would be invisible as a line: mark it with a dot.
        if (next === undefined || !drawable(next[0], next[1], logY)) mask.dot(p[0], p[1], 2.5);
      }
      prev = p;
    }
    mask.composite(img, s.color ?? seriesColor(i));
  });
}

/** A line chart: nice ticks, grid, legend, one anti-aliased line per series, gaps at non-finite points. */
export function drawLineChart(series: LineSeries[], options: LineChartOptions): RgbImage {
  const layout = layoutLineChart(series, options);
  const img = new RgbImage(layout.width, layout.height, PLOT_THEME.background);
  const titleText = fitText(options.title, layout.title.width, TITLE_SCALE);
  drawTextCentered(img, layout.width / 2, layout.title.y, titleText, PLOT_THEME.text, TITLE_SCALE);

  for (const item of layout.legend) {
    img.fillRect(item.x, item.y + 3, LEGEND_SWATCH, 3, item.color);
    drawText(img, item.x + LEGEND_SWATCH + 4, item.y, item.name, PLOT_THEME.text);
  }

  drawAxes(img, layout);
  drawText(img, layout.xLabel.x, layout.xLabel.y, options.xLabel, PLOT_THEME.text);
  drawTextVertical(img, layout.yLabel.x, layout.yLabel.y, fitText(options.yLabel, layout.plot.height), PLOT_THEME.text);

  if (layout.hasData) {
    drawSeries(img, layout, series, options.logY === true);
  } else {
    const { plot } = layout;
    drawTextCentered(img, plot.x + plot.width / 2, plot.y + plot.height / 2 - GLYPH_HEIGHT, 'no data', PLOT_THEME.dimText, 2);
  }
  return img;
}

/** Several charts tiled row by row, `columns` per row, each in a cell as large as the largest chart. */
export function drawCurvesPanel(panels: LineChartInput[], columns: number): RgbImage {
  if (panels.length === 0) return drawLineChart([], { title: 'no charts', xLabel: '', yLabel: '' });
  const charts = panels.map((p) => drawLineChart(p.series, p.options));
  const cols = max(1, min(panels.length, Math.floor(columns) || 1));
  const rows = Math.ceil(charts.length / cols);
  const cellW = charts.reduce((w, c) => max(w, c.width), 0);
  const cellH = charts.reduce((h, c) => max(h, c.height), 0);
  const img = new RgbImage(cols * cellW, rows * cellH, PLOT_THEME.background);
  charts.forEach((chart, i) => img.blit(chart, (i % cols) * cellW, Math.floor(i / cols) * cellH));
  // Hairlines between cells so neighbouring charts do not read as one.
  for (let c = 1; c < cols; c++) img.vline(c * cellW, 0, img.height - 1, PLOT_THEME.grid);
  for (let r = 1; r < rows; r++) img.hline(0, img.width - 1, r * cellH, PLOT_THEME.grid);
  return img;
}
