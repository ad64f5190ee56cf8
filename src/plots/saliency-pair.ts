import { colormapColor, MAGMA } from '../draw/colormap.js';
import { drawText, GLYPH_HEIGHT } from '../draw/font.js';
import { RgbImage, type Rgb } from '../draw/image.js';
import { drawColorBarHorizontal } from './color-bar.js';
import { drawTextCentered } from './text.js';
import { PLOT_THEME } from './theme.js';

const { floor, max, min, round } = Math;

/** A 2-D saliency map, row-major (data[y * width + x]); any non-negative scale. */
export type SaliencyMap = { width: number; height: number; data: Float32Array };

/** A single-channel 8-bit frame, row-major. */
export type GrayFrame = { width: number; height: number; data: Uint8Array };

const PAD = 8;
const GAP = 12;
const TITLE_SCALE = 2;
const MIN_PANEL_WIDTH = 240;
const MAX_PANEL_WIDTH = 400;
/** Opacity of the heat colour at the map's maximum; lower values fade towards the frame. */
const OVERLAY_ALPHA = 0.75;
const FIXATION_COLOR: Rgb = [0, 255, 170];

/** Where the two panels go; exported for tests. */
export interface SaliencyPairLayout {
  width: number;
  height: number;
  panelWidth: number;
  panelHeight: number;
  /** Display pixels per frame pixel. */
  scale: number;
  predictedX: number;
  truthX: number;
  panelY: number;
}

export function layoutSaliencyPair(frameWidth: number, frameHeight: number): SaliencyPairLayout {
  const panelWidth = max(MIN_PANEL_WIDTH, min(MAX_PANEL_WIDTH, frameWidth));
  const scale = panelWidth / frameWidth;
  const panelHeight = max(1, round(frameHeight * scale));
  const panelY = PAD + GLYPH_HEIGHT * TITLE_SCALE + 4 + GLYPH_HEIGHT + 6;
  return {
    width: 2 * panelWidth + GAP + 2 * PAD,
    height: panelY + panelHeight + 10 + 10 + 6 + GLYPH_HEIGHT + PAD,
    panelWidth,
    panelHeight,
    scale,
    predictedX: PAD,
    truthX: PAD + panelWidth + GAP,
    panelY,
  };
}

function checkMap(name: string, map: SaliencyMap): void {
  if (!(map.width > 0 && map.height > 0) || map.data.length !== map.width * map.height) {
    throw new Error(`drawSaliencyPair: ${name} map is ${map.width}x${map.height} with ${map.data.length} values`);
  }
}

/** Bilinear sample of a row-major grid at continuous pixel-centre coordinates (clamped at the edges). */
function bilinear(data: ArrayLike<number>, w: number, h: number, x: number, y: number): number {
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = floor(cx);
  const y0 = floor(cy);
  const x1 = min(w - 1, x0 + 1);
  const y1 = min(h - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const a = (data[y0 * w + x0] as number) * (1 - fx) + (data[y0 * w + x1] as number) * fx;
  const b = (data[y1 * w + x0] as number) * (1 - fx) + (data[y1 * w + x1] as number) * fx;
  return a * (1 - fy) + b * fy;
}

/** Map values over the map's maximum (non-finite and negative values count as 0). */
function normalised(map: SaliencyMap): { values: Float32Array; peak: number } {
  let peak = 0;
  for (let i = 0; i < map.data.length; i++) {
    const v = map.data[i] as number;
    if (Number.isFinite(v) && v > peak) peak = v;
  }
  const values = new Float32Array(map.data.length);
  if (peak > 0) {
    for (let i = 0; i < values.length; i++) {
      const v = map.data[i] as number;
      values[i] = Number.isFinite(v) && v > 0 ? v / peak : 0;
    }
  }
  return { values, peak };
}

/** The frame scaled into a panel with the map (resampled bilinearly to the frame) blended over it as heat. */
function drawOverlayPanel(img: RgbImage, frame: GrayFrame, map: SaliencyMap, layout: SaliencyPairLayout, left: number): void {
  const { values } = normalised(map);
  const d = img.data;
  const { panelWidth, panelHeight, scale, panelY } = layout;
  for (let j = 0; j < panelHeight; j++) {
    // Panel pixel centre -> frame pixel coordinates -> map pixel coordinates (centres aligned).
    const fy = (j + 0.5) / scale - 0.5;
    const my = ((fy + 0.5) * map.height) / frame.height - 0.5;
    for (let i = 0; i < panelWidth; i++) {
      const fx = (i + 0.5) / scale - 0.5;
      const mx = ((fx + 0.5) * map.width) / frame.width - 0.5;
      const grey = bilinear(frame.data, frame.width, frame.height, fx, fy);
      const t = bilinear(values, map.width, map.height, mx, my);
      const heat = colormapColor(MAGMA, t);
      const alpha = OVERLAY_ALPHA * t;
      const o = ((panelY + j) * img.width + left + i) * 3;
      d[o] = round(grey * (1 - alpha) + heat[0] * alpha);
      d[o + 1] = round(grey * (1 - alpha) + heat[1] * alpha);
      d[o + 2] = round(grey * (1 - alpha) + heat[2] * alpha);
    }
  }
}

function formatPeak(v: number): string {
  if (v === 0) return '0';
  return v >= 0.01 && v < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}

/**
 * Predicted and true saliency side by side, each blended as heat over the frame, with the
 * gaze fixations ([x, y] in frame pixels) marked on both. Each map is scaled to its own
 * maximum, which is printed above its panel.
 */
export function drawSaliencyPair(
  frame: GrayFrame,
  predicted: SaliencyMap,
  truth: SaliencyMap,
  fixations: [number, number][] = [],
): RgbImage {
  if (!(frame.width > 0 && frame.height > 0) || frame.data.length !== frame.width * frame.height) {
    throw new Error(`drawSaliencyPair: frame is ${frame.width}x${frame.height} with ${frame.data.length} bytes (expected grey, 1 byte per pixel)`);
  }
  checkMap('predicted', predicted);
  checkMap('truth', truth);
  const layout = layoutSaliencyPair(frame.width, frame.height);
  const img = new RgbImage(layout.width, layout.height, PLOT_THEME.background);
  const panels: [string, SaliencyMap, number][] = [
    ['predicted', predicted, layout.predictedX],
    ['truth', truth, layout.truthX],
  ];
  const markerRadius = fixations.length > 10 ? 3 : 5;
  for (const [name, map, left] of panels) {
    const cx = left + layout.panelWidth / 2;
    drawTextCentered(img, cx, PAD, name, PLOT_THEME.text, TITLE_SCALE);
    const info = `map ${map.width}x${map.height}, max ${formatPeak(normalised(map).peak)}`;
    drawTextCentered(img, cx, PAD + GLYPH_HEIGHT * TITLE_SCALE + 4, info, PLOT_THEME.dimText);
    drawOverlayPanel(img, frame, map, layout, left);
    img.strokeRect(left - 1, layout.panelY - 1, layout.panelWidth + 2, layout.panelHeight + 2, PLOT_THEME.axis);
    for (const [x, y] of fixations) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const px = left + (x + 0.5) * layout.scale - 0.5;
      const py = layout.panelY + (y + 0.5) * layout.scale - 0.5;
      if (px < left || px >= left + layout.panelWidth || py < layout.panelY || py >= layout.panelY + layout.panelHeight) continue;
      img.drawMarker(px, py, markerRadius, FIXATION_COLOR);
    }
  }

  const barY = layout.panelY + layout.panelHeight + 10;
  const barW = min(200, layout.panelWidth);
  drawColorBarHorizontal(img, PAD, barY, barW, 10, MAGMA, [
    { at: 0, label: '0' },
    { at: 1, label: 'map max' },
  ]);
  const legendX = PAD + barW + 40;
  if (fixations.length > 0) {
    img.drawMarker(legendX + 5, barY + 5, 4, FIXATION_COLOR);
    drawText(img, legendX + 16, barY + 2, 'gaze fixation', PLOT_THEME.text);
  }
  return img;
}
