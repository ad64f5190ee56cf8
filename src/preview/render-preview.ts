import { drawText, LINE_HEIGHT, textWidth } from '../draw/font.js';
import { RgbImage } from '../draw/image.js';
import type { ScanSidecar } from '../synth/sidecar.js';
import { classColor, GAZE_COLOR, THEME } from './colors.js';
import { drawContactSheet, sheetSize, type Rect, type SheetTile } from './contact-sheet.js';
import { drawTimelineStrip, scanDuration, stripHeight, type StripLayout } from './timeline-strip.js';

export interface RenderInput {
  /** Shown in the title, usually the scan's file name. */
  title: string;
  sidecar: ScanSidecar;
  /** Thumbnails, tileWidth x tileHeight grey each, in time order. */
  tiles: readonly SheetTile[];
  tileWidth: number;
  tileHeight: number;
  columns: number;
  audio: Float32Array;
  audioRate: number;
}

export interface PreviewLayout {
  /** Pixel area of each thumbnail. */
  tiles: Rect[];
  strip: StripLayout;
}

const MARGIN = 14;
const GAP = 8;
const LABEL_WIDTH = 58;

/** Thumbnail size for a video of width x height shown `tileWidth` wide. */
export function tileSize(media: { width: number; height: number }, tileWidth: number): { width: number; height: number } {
  return { width: tileWidth, height: Math.max(1, Math.round((tileWidth * media.height) / media.width)) };
}

/** Renders the whole preview: title, contact sheet, time-aligned strip and legend. */
export function renderPreview(input: RenderInput): { image: RgbImage; layout: PreviewLayout } {
  const { sidecar } = input;
  const geom = { x: MARGIN, y: 0, columns: input.columns, tileWidth: input.tileWidth, tileHeight: input.tileHeight, gap: GAP };
  const sheet = sheetSize(geom, input.tiles.length);
  const width = Math.max(sheet.width, 640) + 2 * MARGIN;
  const headerHeight = MARGIN + 2 * LINE_HEIGHT + LINE_HEIGHT + 6;
  const legendRows = legendLines(sidecar, width - 2 * MARGIN);
  const height = headerHeight + sheet.height + 2 * GAP + stripHeight() + GAP + legendRows.length * (LINE_HEIGHT + 4) + MARGIN;
  const img = new RgbImage(width, height, THEME.background);

  let y = MARGIN;
  drawText(img, MARGIN, y, input.title, THEME.text, 2);
  y += 2 * LINE_HEIGHT;
  drawText(img, MARGIN, y, describe(sidecar), THEME.dimText);
  y += LINE_HEIGHT + 6;

  geom.y = y;
  const tiles = drawContactSheet(img, sidecar, input.tiles, geom);
  y += sheet.height + 2 * GAP;

  const strip = drawTimelineStrip(
    img,
    { sidecar, audio: input.audio, audioRate: input.audioRate, sheetFrames: input.tiles.map((t) => t.frameIndex) },
    { x: MARGIN, y, width: width - 2 * MARGIN, labelWidth: LABEL_WIDTH },
  );
  y += strip.height + GAP;

  for (const row of legendRows) {
    let x = MARGIN;
    for (const item of row) {
      x = drawLegendItem(img, x, y, item);
    }
    y += LINE_HEIGHT + 4;
  }
  return { image: img, layout: { tiles, strip } };
}

function describe(sidecar: ScanSidecar): string {
  const m = sidecar.media;
  const anatomy = sidecar.speech.filter((s) => s.kind === 'anatomy').length;
  return [
    `${m.width}x${m.height} ${m.fps} fps, ${scanDuration(sidecar).toFixed(1)} s, ${sidecar.frames.label.length} frames`,
    `${m.videoCodec}/${m.audioCodec} ${m.audioRate} Hz`,
    `seed ${sidecar.seed}, scan ${sidecar.scanIndex}`,
    `${sidecar.planes.length} plane segments, ${sidecar.speech.length} utterances (${anatomy} anatomy), ${sidecar.noise.length} noise events`,
    `${sidecar.generator.name} ${sidecar.generator.version}`,
  ].join('  |  ');
}

type LegendItem = { kind: 'class'; name: string; share: number } | { kind: 'gaze' } | { kind: 'note'; text: string };

const ITEM_GAP = 16;

function legendItemWidth(item: LegendItem): number {
  switch (item.kind) {
    case 'class':
      return 12 + textWidth(legendClassText(item.name, item.share));
    case 'gaze':
      return 16 + textWidth('gaze');
    case 'note':
      return textWidth(item.text);
  }
}

function legendClassText(name: string, share: number): string {
  return `${name} ${share < 0.005 && share > 0 ? '<1' : Math.round(share * 100)}%`;
}

/** Legend items wrapped into rows that fit `width`. */
function legendLines(sidecar: ScanSidecar, width: number): LegendItem[][] {
  const counts = new Array<number>(sidecar.classes.length).fill(0);
  for (const l of sidecar.frames.label) counts[l] = (counts[l] ?? 0) + 1;
  const total = Math.max(1, sidecar.frames.label.length);
  const items: LegendItem[] = [
    { kind: 'note', text: 'labelled frames:' },
    ...sidecar.classes.map((name, i): LegendItem => ({ kind: 'class', name, share: (counts[i] ?? 0) / total })),
    { kind: 'gaze' },
    { kind: 'note', text: 'segment: dark = probe moving, bright = plane held' },
  ];
  const rows: LegendItem[][] = [[]];
  let used = 0;
  for (const item of items) {
    const w = legendItemWidth(item);
    const row = rows[rows.length - 1] as LegendItem[];
    if (row.length > 0 && used + w > width) {
      rows.push([item]);
      used = w + ITEM_GAP;
    } else {
      row.push(item);
      used += w + ITEM_GAP;
    }
  }
  return rows;
}

function drawLegendItem(img: RgbImage, x: number, y: number, item: LegendItem): number {
  switch (item.kind) {
    case 'class': {
      img.fillRect(x, y, 8, 8, classColor(item.name));
      const color = item.share > 0 ? THEME.text : THEME.dimText;
      return drawText(img, x + 12, y, legendClassText(item.name, item.share), color) + ITEM_GAP;
    }
    case 'gaze':
      img.drawMarker(x + 5, y + 4, 4, GAZE_COLOR);
      return drawText(img, x + 16, y, 'gaze', THEME.text) + ITEM_GAP;
    case 'note':
      return drawText(img, x, y, item.text, THEME.dimText) + ITEM_GAP;
  }
}
