import { MAGMA } from '../draw/colormap.js';
import { drawText, GLYPH_HEIGHT, textWidth } from '../draw/font.js';
import type { Rgb, RgbImage } from '../draw/image.js';
import type { ScanSidecar } from '../synth/sidecar.js';
import type { NoiseEvent } from '../synth/timeline-types.js';
import { classColor, darken, NOISE_COLORS, SPEECH_COLORS, textColorOn, THEME } from './colors.js';
import type { Rect } from './contact-sheet.js';
import { dbToIndices, logSpectrogram } from './spectrogram.js';
import { formatSeconds, tickStep, tickTimes } from './time-axis.js';
import { peakAbs, waveformColumns } from './waveform.js';

export interface StripGeometry {
  x: number;
  y: number;
  /** Total width, track names included. */
  width: number;
  /** Width of the track-name column left of the plots. */
  labelWidth: number;
}

export interface StripInput {
  sidecar: ScanSidecar;
  /** Mono audio of the scan and its rate. */
  audio: Float32Array;
  audioRate: number;
  /** Frame indices shown in the contact sheet, marked along the top. */
  sheetFrames: readonly number[];
}

export interface StripLayout {
  height: number;
  /** Time t maps to plot.x + t / duration * plot.width. */
  plot: Rect;
  duration: number;
  waveform: Rect;
  spectrogram: Rect;
  speech: Rect;
  noise: Rect;
  planes: Rect;
}

const GAP = 6;
const MARKS_HEIGHT = 14;
const WAVE_HEIGHT = 56;
const SPEC_ROWS = 112;
const LANE = 12;
const NOISE_LANE = 10;
const SEGMENT_LANE = 9;
const FRAME_LANE = 15;
const AXIS_HEIGHT = 16;
const NOISE_KINDS: readonly NoiseEvent['kind'][] = ['click', 'beep', 'hum', 'air_conditioning'];
const NOISE_NAMES: Record<NoiseEvent['kind'], string> = { click: 'click', beep: 'beep', hum: 'hum', air_conditioning: 'aircon' };

export function stripHeight(): number {
  return MARKS_HEIGHT + WAVE_HEIGHT + SPEC_ROWS + 2 * LANE + NOISE_KINDS.length * NOISE_LANE + SEGMENT_LANE + FRAME_LANE + AXIS_HEIGHT + 5 * GAP;
}

/** Scan duration in seconds: the frame count is the reference, the recorded duration the fallback. */
export function scanDuration(sidecar: ScanSidecar): number {
  const frames = sidecar.frames.label.length || sidecar.media.frames;
  const fromFrames = frames / sidecar.media.fps;
  return fromFrames > 0 ? fromFrames : sidecar.media.duration;
}

/** What every track drawer needs: where the plot is and how time maps onto it. */
interface Track {
  img: RgbImage;
  input: StripInput;
  geom: StripGeometry;
  plotX: number;
  plotW: number;
  duration: number;
  ticks: number[];
  /** Mono audio cut or zero-padded to exactly the scan duration. */
  samples: Float32Array;
}

function xAt(track: Track, t: number): number {
  return track.plotX + (Math.max(0, Math.min(track.duration, t)) / track.duration) * track.plotW;
}

function trackName(track: Track, text: string, top: number, height: number, color: Rgb = THEME.text): void {
  drawText(track.img, track.geom.x, top + Math.floor((height - GLYPH_HEIGHT) / 2) + 1, text, color);
}

/** A track background, with faint vertical lines at the time ticks. */
function panel(track: Track, top: number, height: number, grid = true): Rect {
  const { img, plotX, plotW } = track;
  img.fillRect(plotX, top, plotW, height, THEME.panel);
  if (grid) for (const t of track.ticks) img.vline(Math.min(plotX + plotW - 1, Math.round(xAt(track, t))), top, top + height - 1, THEME.grid);
  return { x: plotX, y: top, width: plotW, height };
}

/**
 * Draws the time-aligned tracks under the contact sheet: sheet frame marks, waveform,
 * spectrogram, speech (anatomy / chatter), noise events per kind, plane segments and
 * per-frame labels, and the time axis in seconds.
 */
export function drawTimelineStrip(img: RgbImage, input: StripInput, geom: StripGeometry): StripLayout {
  const duration = scanDuration(input.sidecar);
  const plotW = geom.width - geom.labelWidth;
  const track: Track = {
    img,
    input,
    geom,
    plotX: geom.x + geom.labelWidth,
    plotW,
    duration,
    ticks: tickTimes(duration, tickStep(duration, plotW, 70)),
    samples: fitToDuration(input.audio, Math.round(duration * input.audioRate)),
  };
  let y = geom.y;
  drawFrameMarks(track, y);
  y += MARKS_HEIGHT;
  const waveform = drawWaveform(track, y);
  y += waveform.height + GAP;
  const spectrogram = drawSpectrogram(track, y);
  y += spectrogram.height + GAP;
  const speech = drawSpeech(track, y);
  y += speech.height + GAP;
  const noise = drawNoise(track, y);
  y += noise.height + GAP;
  const planes = drawPlanes(track, y);
  y += planes.height;
  drawTimeAxis(track, y);
  y += AXIS_HEIGHT;
  const plot = { x: track.plotX, y: geom.y, width: plotW, height: y - geom.y };
  return { height: y - geom.y, plot, duration, waveform, spectrogram, speech, noise, planes };
}

/** Numbered ticks where the contact sheet's thumbnails sit in time. */
function drawFrameMarks(track: Track, y: number): void {
  const { img, input } = track;
  trackName(track, 'frames', y, MARKS_HEIGHT, THEME.dimText);
  let lastRight = -Infinity;
  input.sheetFrames.forEach((frame, k) => {
    const x = Math.round(xAt(track, frame / input.sidecar.media.fps));
    img.vline(x, y + MARKS_HEIGHT - 4, y + MARKS_HEIGHT - 1, THEME.text);
    const text = String(k + 1);
    const left = x - Math.floor(textWidth(text) / 2);
    if (left > lastRight + 3) {
      drawText(img, left, y, text, THEME.dimText);
      lastRight = left + textWidth(text);
    }
  });
}

/** Min/max per pixel column, scaled to the loudest sample (its level written beside). */
function drawWaveform(track: Track, y: number): Rect {
  const { img, plotX, plotW, samples } = track;
  const rect = panel(track, y, WAVE_HEIGHT);
  const peak = peakAbs(samples);
  trackName(track, 'wave', y, WAVE_HEIGHT / 2);
  const note = track.input.audio.length === 0 ? 'no audio' : peak > 0 ? `pk ${peak.toFixed(2)}` : 'silent';
  drawText(img, track.geom.x, y + WAVE_HEIGHT / 2 + 2, note, THEME.dimText);
  const mid = y + WAVE_HEIGHT / 2;
  img.hline(plotX, plotX + plotW - 1, Math.round(mid), THEME.grid);
  if (peak > 0) {
    const { min, max } = waveformColumns(samples, plotW);
    const half = WAVE_HEIGHT / 2 - 2;
    for (let c = 0; c < plotW; c++) {
      const top = Math.round(mid - ((max[c] as number) / peak) * half);
      const bottom = Math.round(mid - ((min[c] as number) / peak) * half);
      img.vline(plotX + c, top, bottom, THEME.waveform);
    }
  }
  return rect;
}

/** 512-point log spectrogram, 0 Hz at the bottom, its shown dynamic range written beside. */
function drawSpectrogram(track: Track, y: number): Rect {
  const { img, plotX, plotW } = track;
  const db = logSpectrogram(track.samples, { columns: plotW, rows: SPEC_ROWS, fftSize: 512 });
  const levels = dbToIndices(db);
  img.blitColormap(levels.indices, plotW, SPEC_ROWS, plotX, y, MAGMA);
  trackName(track, 'spec', y, GLYPH_HEIGHT);
  drawText(img, track.geom.x, y + GLYPH_HEIGHT + 3, `${Math.round(levels.rangeDb)} dB`, THEME.dimText);
  const nyquist = track.input.audioRate / 2;
  for (const f of [nyquist, nyquist / 2, 0]) {
    const label = f >= 1000 ? `${formatSeconds(f / 1000)}k` : String(f);
    const ly = Math.round(y + (1 - f / nyquist) * (SPEC_ROWS - 1));
    drawText(img, plotX - 4 - textWidth(label), Math.max(y, Math.min(y + SPEC_ROWS - GLYPH_HEIGHT, ly - 4)), label, THEME.dimText);
  }
  return { x: plotX, y, width: plotW, height: SPEC_ROWS };
}

/** One lane per speech kind; anatomy bars start with their class colour; text when it fits. */
function drawSpeech(track: Track, y: number): Rect {
  const { img } = track;
  (['anatomy', 'chatter'] as const).forEach((kind, lane) => {
    const top = y + lane * LANE;
    const color = SPEECH_COLORS[kind];
    panel(track, top, LANE - 1);
    trackName(track, kind, top, LANE - 1, color);
    for (const seg of track.input.sidecar.speech) {
      if (seg.kind !== kind) continue;
      const x0 = Math.round(xAt(track, seg.start));
      const x1 = Math.max(x0 + 1, Math.round(xAt(track, seg.end)));
      img.fillRect(x0, top, x1 - x0, LANE - 1, color);
      let textX = x0 + 2;
      if (seg.cls !== undefined && x1 - x0 >= 6) {
        img.fillRect(x0, top, 3, LANE - 1, classColor(seg.cls));
        textX = x0 + 5;
      }
      const text = abbreviate(seg.text, x1 - textX - 1);
      if (text !== '') drawText(img, textX, top + 2, text, textColorOn(color));
    }
  });
  return { x: track.plotX, y, width: track.plotW, height: 2 * LANE };
}

/** One lane per noise kind: ticks for events shorter than 2 pixels, bars otherwise. */
function drawNoise(track: Track, y: number): Rect {
  const { img } = track;
  NOISE_KINDS.forEach((kind, lane) => {
    const top = y + lane * NOISE_LANE;
    const color = NOISE_COLORS[kind];
    panel(track, top, NOISE_LANE - 1);
    trackName(track, NOISE_NAMES[kind], top, NOISE_LANE - 1, darken(color, 0.9));
    for (const ev of track.input.sidecar.noise) {
      if (ev.kind !== kind) continue;
      const x0 = Math.round(xAt(track, ev.start));
      const x1 = Math.round(xAt(track, ev.end));
      if (x1 - x0 < 2) img.vline(x0, top, top + NOISE_LANE - 2, color);
      else img.fillRect(x0, top + 1, x1 - x0, NOISE_LANE - 3, color, 0.75);
    }
  });
  return { x: track.plotX, y, width: track.plotW, height: NOISE_KINDS.length * NOISE_LANE };
}

/**
 * Plane segments (dark while the probe moves in or out, bright while the plane is held)
 * over the per-frame labels (majority per pixel column, named where the run is wide enough).
 */
function drawPlanes(track: Track, y: number): Rect {
  const { img, plotX, plotW } = track;
  panel(track, y, SEGMENT_LANE - 1, false);
  trackName(track, 'segment', y, SEGMENT_LANE - 1, THEME.dimText);
  for (const seg of track.input.sidecar.planes) {
    const color = classColor(seg.cls);
    const x0 = Math.round(xAt(track, seg.start));
    const x1 = Math.round(xAt(track, seg.end));
    img.fillRect(x0, y, x1 - x0, SEGMENT_LANE - 1, darken(color, 0.5));
    const s0 = Math.round(xAt(track, seg.stableStart));
    const s1 = Math.round(xAt(track, seg.stableEnd));
    img.fillRect(s0, y + 1, s1 - s0, SEGMENT_LANE - 3, color);
    img.vline(x0, y, y + SEGMENT_LANE - 2, THEME.background);
  }
  const top = y + SEGMENT_LANE;
  panel(track, top, FRAME_LANE, false);
  trackName(track, 'label', top, FRAME_LANE);
  for (const run of labelRuns(track.input.sidecar, plotW)) {
    const color = classColor(run.label);
    const width = run.to - run.from;
    img.fillRect(plotX + run.from, top, width, FRAME_LANE, color);
    if (textWidth(run.label) + 4 <= width) {
      drawText(img, plotX + run.from + Math.floor((width - textWidth(run.label)) / 2), top + 4, run.label, textColorOn(color));
    }
  }
  return { x: plotX, y, width: plotW, height: SEGMENT_LANE + FRAME_LANE };
}

function drawTimeAxis(track: Track, y: number): void {
  const { img, plotX, plotW } = track;
  img.hline(plotX, plotX + plotW - 1, y, THEME.text);
  trackName(track, 'time s', y + 2, AXIS_HEIGHT - 2, THEME.dimText);
  for (const t of track.ticks) {
    const x = Math.min(plotX + plotW - 1, Math.round(xAt(track, t)));
    img.vline(x, y, y + 3, THEME.text);
    const label = formatSeconds(t);
    const lx = Math.max(plotX, Math.min(plotX + plotW - textWidth(label), x - Math.floor(textWidth(label) / 2)));
    drawText(img, lx, y + 6, label, THEME.text);
  }
}

/** `text` cut to fit `pixels` (marked with '..' when cut); '' when not even 3 characters fit. */
export function abbreviate(text: string, pixels: number): string {
  if (textWidth(text) <= pixels) return text;
  const chars = Math.floor((pixels + 1) / 6);
  if (chars < 3) return '';
  return `${text.slice(0, chars - 2).trimEnd()}..`;
}

/** Runs of equal majority frame label, one label per pixel column. */
export function labelRuns(sidecar: ScanSidecar, columns: number): { from: number; to: number; label: string }[] {
  const labels = sidecar.frames.label;
  const runs: { from: number; to: number; label: string }[] = [];
  if (labels.length === 0) return runs;
  const per = labels.length / columns;
  const counts = new Map<number, number>();
  for (let c = 0; c < columns; c++) {
    const f0 = Math.floor(c * per);
    const f1 = Math.max(f0 + 1, Math.floor((c + 1) * per));
    counts.clear();
    let best = labels[Math.min(labels.length - 1, f0)] as number;
    let bestCount = 0;
    for (let f = f0; f < f1 && f < labels.length; f++) {
      const l = labels[f] as number;
      const n = (counts.get(l) ?? 0) + 1;
      counts.set(l, n);
      if (n > bestCount) {
        best = l;
        bestCount = n;
      }
    }
    const label = sidecar.classes[best] ?? `class ${best}`;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.label === label) last.to = c + 1;
    else runs.push({ from: c, to: c + 1, label });
  }
  return runs;
}

function fitToDuration(samples: Float32Array, length: number): Float32Array {
  if (samples.length === length) return samples;
  if (samples.length > length) return samples.subarray(0, length);
  const out = new Float32Array(length);
  out.set(samples);
  return out;
}
