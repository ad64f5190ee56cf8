import { drawText, GLYPH_HEIGHT, textWidth } from '../draw/font.js';
import { RgbImage, type Rgb } from '../draw/image.js';
import { drawTextCentered, drawTextRight, fitText } from './text.js';
import { PLOT_THEME } from './theme.js';
import { formatMinSec, linearTicks, timeStep } from './ticks.js';

const { ceil, max, min, round } = Math;

export interface TimeInterval {
  start: number;
  end: number;
}

export interface TimelineClip extends TimeInterval {
  /** Share of the clip the VAD called speech, 0..1. */
  speechFraction: number;
  affinity: 'high' | 'low';
}

export interface AffinityTimelineInput {
  scanId: string;
  /** Seconds; when not positive, the latest interval end is used. */
  duration: number;
  /** Ground-truth speech; empty when unknown. */
  speech: TimeInterval[];
  /** The VAD's speech decision. */
  vad: TimeInterval[];
  clips: TimelineClip[];
}

export interface AffinityTimelineOptions {
  width?: number;
}

export const AFFINITY_COLORS = {
  speech: [62, 130, 200] as Rgb,
  vad: [150, 90, 200] as Rgb,
  high: [40, 160, 90] as Rgb,
  low: [225, 125, 40] as Rgb,
};

const PAD = 8;
const TITLE_SCALE = 2;
const LABEL_COLUMN = 112;
const LANE = 16;
const CLIP_ROW = 20;
const MAX_CLIP_ROWS = 4;
const LANE_GAP = 6;
const TICK = 4;
const MIN_WIDTH = 360;
const DEFAULT_WIDTH = 960;

/** Where the lanes go and how time maps to x; exported for tests. */
export interface AffinityTimelineLayout {
  width: number;
  height: number;
  plotX: number;
  plotWidth: number;
  duration: number;
  speechLane: { y: number; height: number };
  vadLane: { y: number; height: number };
  clipLane: { y: number; height: number };
  /** Clip index -> sub-row within the clip lane (overlapping clips stack). */
  clipRows: number[];
  legendY: number;
  legend: LegendEntry[];
  axisY: number;
  timeToX(t: number): number;
}

function effectiveDuration(input: AffinityTimelineInput): number {
  if (input.duration > 0 && Number.isFinite(input.duration)) return input.duration;
  let end = 0;
  for (const list of [input.speech, input.vad, input.clips]) for (const iv of list) if (Number.isFinite(iv.end)) end = max(end, iv.end);
  return end > 0 ? end : 1;
}

/** Greedy interval packing: each clip goes to the first row free at its start. */
function packClips(clips: readonly TimelineClip[]): number[] {
  const order = clips.map((_, i) => i).sort((a, b) => (clips[a] as TimelineClip).start - (clips[b] as TimelineClip).start);
  const rowEnds: number[] = [];
  const rows = new Array<number>(clips.length).fill(0);
  const eps = 1e-6;
  for (const i of order) {
    const clip = clips[i] as TimelineClip;
    let row = rowEnds.findIndex((end) => end <= clip.start + eps);
    if (row < 0) {
      if (rowEnds.length < MAX_CLIP_ROWS) {
        row = rowEnds.length;
        rowEnds.push(-Infinity);
      } else {
        // Too many overlaps to show separately: reuse the row that frees up first.
        row = rowEnds.reduce((best, end, k) => (end < (rowEnds[best] as number) ? k : best), 0);
      }
    }
    rowEnds[row] = max(rowEnds[row] as number, clip.end);
    rows[i] = row;
  }
  return rows;
}

export function layoutAffinityTimeline(input: AffinityTimelineInput, options: AffinityTimelineOptions = {}): AffinityTimelineLayout {
  const width = max(MIN_WIDTH, round(options.width ?? DEFAULT_WIDTH));
  const duration = effectiveDuration(input);
  const clipRows = packClips(input.clips);
  const rowCount = max(1, clipRows.reduce((m, r) => max(m, r + 1), 0));
  const legendY = PAD + GLYPH_HEIGHT * TITLE_SCALE + 8;
  const legend = legendEntries(width, legendY);
  const legendBottom = (legend[legend.length - 1] as LegendEntry).y + GLYPH_HEIGHT;
  const speechY = legendBottom + 12;
  const vadY = speechY + LANE + LANE_GAP;
  const clipY = vadY + LANE + LANE_GAP;
  const clipH = rowCount * CLIP_ROW;
  const axisY = clipY + clipH + 3;
  const plotX = PAD + LABEL_COLUMN;
  const plotWidth = width - plotX - PAD - 20;
  return {
    width,
    height: axisY + TICK + 3 + GLYPH_HEIGHT + PAD,
    plotX,
    plotWidth,
    duration,
    speechLane: { y: speechY, height: LANE },
    vadLane: { y: vadY, height: LANE },
    clipLane: { y: clipY, height: clipH },
    clipRows,
    legendY,
    legend,
    axisY,
    timeToX: (t: number) => plotX + (max(0, min(duration, t)) / duration) * plotWidth,
  };
}

function drawIntervals(img: RgbImage, layout: AffinityTimelineLayout, intervals: readonly TimeInterval[], y: number, h: number, color: Rgb): void {
  for (const iv of intervals) {
    if (!Number.isFinite(iv.start) || !Number.isFinite(iv.end) || iv.end <= iv.start) continue;
    const x0 = layout.timeToX(iv.start);
    const x1 = layout.timeToX(iv.end);
    // At least one pixel wide, so a short burst is still visible.
    img.fillRect(x0, y, max(1, x1 - x0), h, color);
  }
}

function drawClips(img: RgbImage, layout: AffinityTimelineLayout, clips: readonly TimelineClip[]): void {
  clips.forEach((clip, i) => {
    if (!Number.isFinite(clip.start) || !Number.isFinite(clip.end) || clip.end <= clip.start) return;
    const color = AFFINITY_COLORS[clip.affinity];
    const row = layout.clipRows[i] ?? 0;
    const x0 = round(layout.timeToX(clip.start));
    const w = max(1, round(layout.timeToX(clip.end)) - x0);
    const y = layout.clipLane.y + row * CLIP_ROW + 1;
    const h = CLIP_ROW - 3;
    img.fillRect(x0, y, w, h, color, 0.22);
    const fraction = Number.isFinite(clip.speechFraction) ? max(0, min(1, clip.speechFraction)) : 0;
    const barH = round(fraction * h);
    img.fillRect(x0, y + h - barH, w, barH, color);
    // Outlines only where they do not swamp the clip.
    if (w >= 6) img.strokeRect(x0, y, w, h, color);
  });
}

const LEGEND_ITEMS: readonly [string, Rgb][] = [
  ['speech (truth)', AFFINITY_COLORS.speech],
  ['VAD speech', AFFINITY_COLORS.vad],
  ['high-affinity clip', AFFINITY_COLORS.high],
  ['low-affinity clip', AFFINITY_COLORS.low],
];
const LEGEND_NOTE = '(clip fill height = speech fraction)';
const LEGEND_ROW = GLYPH_HEIGHT + 5;

export interface LegendEntry {
  text: string;
  color: Rgb | null;
  x: number;
  y: number;
}

/** Legend entries laid out left to right, wrapping onto a new row when one would not fit. */
function legendEntries(width: number, top: number): LegendEntry[] {
  const entries: LegendEntry[] = [];
  let x = PAD;
  let y = top;
  const place = (text: string, color: Rgb | null): void => {
    const w = (color ? 16 : 0) + textWidth(text);
    if (x > PAD && x + w > width - PAD) {
      x = PAD;
      y += LEGEND_ROW;
    }
    entries.push({ text, color, x, y });
    x += w + 14;
  };
  for (const [name, color] of LEGEND_ITEMS) place(name, color);
  place(LEGEND_NOTE, null);
  return entries;
}

function drawLegend(img: RgbImage, entries: readonly LegendEntry[]): void {
  for (const e of entries) {
    if (e.color === null) {
      drawText(img, e.x, e.y, e.text, PLOT_THEME.dimText);
      continue;
    }
    img.fillRect(e.x, e.y, 12, GLYPH_HEIGHT - 1, e.color);
    drawText(img, e.x + 16, e.y, e.text, PLOT_THEME.text);
  }
}

/**
 * Three lanes against time (m:ss): ground-truth speech, the VAD's speech decision, and the
 * clips coloured by affinity with a fill whose height is the clip's speech fraction.
 */
export function drawAffinityTimeline(input: AffinityTimelineInput, options: AffinityTimelineOptions = {}): RgbImage {
  const layout = layoutAffinityTimeline(input, options);
  const img = new RgbImage(layout.width, layout.height, PLOT_THEME.background);
  const high = input.clips.filter((c) => c.affinity === 'high').length;
  const title = `${input.scanId}  ${formatMinSec(layout.duration)}  ${input.clips.length} clips, ${high} high-affinity`;
  drawText(img, PAD, PAD, fitText(title, layout.width - 2 * PAD, TITLE_SCALE), PLOT_THEME.text, TITLE_SCALE);
  drawLegend(img, layout.legend);

  const { plotX, plotWidth } = layout;
  const right = plotX + plotWidth;
  const lanes = [layout.speechLane, layout.vadLane, layout.clipLane];
  for (const lane of lanes) img.fillRect(plotX, lane.y, plotWidth, lane.height, [246, 246, 249]);

  const step = timeStep(layout.duration, plotWidth, max(56, textWidth(formatMinSec(layout.duration)) + 16));
  const ticks = linearTicks(0, layout.duration, step);
  for (const t of ticks) {
    const x = round(layout.timeToX(t));
    for (const lane of lanes) img.vline(x, lane.y, lane.y + lane.height - 1, PLOT_THEME.grid);
    img.vline(x, layout.axisY, layout.axisY + TICK, PLOT_THEME.axis);
    drawTextCentered(img, x, layout.axisY + TICK + 3, formatMinSec(t, step), PLOT_THEME.text);
  }
  img.hline(plotX, right, layout.axisY, PLOT_THEME.axis);

  drawIntervals(img, layout, input.speech, layout.speechLane.y + 2, LANE - 4, AFFINITY_COLORS.speech);
  drawIntervals(img, layout, input.vad, layout.vadLane.y + 2, LANE - 4, AFFINITY_COLORS.vad);
  drawClips(img, layout, input.clips);
  if (input.speech.length === 0) {
    drawText(img, plotX + 4, layout.speechLane.y + 4, 'no ground truth (unknown or none)', PLOT_THEME.dimText);
  }

  const labels: [string, { y: number; height: number }][] = [
    ['speech (truth)', layout.speechLane],
    ['VAD speech', layout.vadLane],
    ['clips (affinity)', layout.clipLane],
  ];
  for (const [name, lane] of labels) drawTextRight(img, plotX - 6, lane.y + ceil(lane.height / 2) - 4, name, PLOT_THEME.text);
  return img;
}
