import { drawText, LINE_HEIGHT, textWidth } from '../draw/font.js';
import type { RgbImage } from '../draw/image.js';
import { isPlaneClass, PLANE_NAMES } from '../synth/planes.js';
import type { ScanSidecar } from '../synth/sidecar.js';
import { classColor, GAZE_COLOR, THEME } from './colors.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One decoded frame for the sheet, already scaled to the tile size. */
export interface SheetTile {
  frameIndex: number;
  gray: Uint8Array;
}

export interface SheetGeometry {
  x: number;
  y: number;
  columns: number;
  tileWidth: number;
  tileHeight: number;
  /** Space between cells, both ways. */
  gap: number;
}

/** Width of the class-coloured frame around each thumbnail. */
export const TILE_BORDER = 3;
const CAPTION_HEIGHT = 2 * LINE_HEIGHT + 4;

/** Height of one cell (bordered thumbnail and its two caption lines). */
export function sheetCellHeight(tileHeight: number): number {
  return tileHeight + 2 * TILE_BORDER + CAPTION_HEIGHT;
}

export function sheetSize(geom: SheetGeometry, tileCount: number): { width: number; height: number } {
  const rows = Math.ceil(tileCount / geom.columns);
  const cellWidth = geom.tileWidth + 2 * TILE_BORDER;
  return {
    width: geom.columns * cellWidth + (geom.columns - 1) * geom.gap,
    height: rows * sheetCellHeight(geom.tileHeight) + Math.max(0, rows - 1) * geom.gap,
  };
}

/** The label of frame `i`: the class name, or '?' when the sidecar has none for it. */
export function frameLabel(sidecar: ScanSidecar, i: number): string {
  const index = sidecar.frames.label[i];
  return index === undefined ? '?' : (sidecar.classes[index] ?? `class ${index}`);
}

/**
 * Draws the thumbnails in a grid: each framed in its plane-label colour, the gaze point
 * marked, and captioned with its number, time, frame index and label. Returns the
 * rectangle of each thumbnail's pixels.
 */
export function drawContactSheet(img: RgbImage, sidecar: ScanSidecar, tiles: readonly SheetTile[], geom: SheetGeometry): Rect[] {
  const { tileWidth: tw, tileHeight: th } = geom;
  const cellWidth = tw + 2 * TILE_BORDER;
  const sx = tw / sidecar.media.width;
  const sy = th / sidecar.media.height;
  const markerRadius = Math.max(4, Math.round(tw / 28));
  return tiles.map((tile, k) => {
    const cx = geom.x + (k % geom.columns) * (cellWidth + geom.gap);
    const cy = geom.y + Math.floor(k / geom.columns) * (sheetCellHeight(th) + geom.gap);
    const label = frameLabel(sidecar, tile.frameIndex);
    const color = classColor(label);
    img.fillRect(cx, cy, cellWidth, th + 2 * TILE_BORDER, color);
    const ix = cx + TILE_BORDER;
    const iy = cy + TILE_BORDER;
    img.blitGray(tile.gray, tw, th, ix, iy);

    const gx = sidecar.frames.gazeX[tile.frameIndex];
    const gy = sidecar.frames.gazeY[tile.frameIndex];
    if (gx !== undefined && gy !== undefined && Number.isFinite(gx) && Number.isFinite(gy)) {
      img.drawMarker(ix + gx * sx, iy + gy * sy, markerRadius, GAZE_COLOR);
    }

    const t = tile.frameIndex / sidecar.media.fps;
    const line1 = cy + th + 2 * TILE_BORDER + 3;
    const number = `#${k + 1}`;
    drawText(img, cx, line1, number, THEME.text);
    drawText(img, cx + textWidth(number) + 8, line1, `${t.toFixed(2)} s`, THEME.text);
    const frameText = `frame ${tile.frameIndex}`;
    drawText(img, cx + cellWidth - textWidth(frameText), line1, frameText, THEME.dimText);

    const line2 = line1 + LINE_HEIGHT;
    const end = drawText(img, cx, line2, label, color);
    if (isPlaneClass(label) && PLANE_NAMES[label] !== label) {
      const name = PLANE_NAMES[label];
      if (end + 8 + textWidth(name) <= cx + cellWidth) drawText(img, end + 8, line2, name, THEME.dimText);
    }
    return { x: ix, y: iy, width: tw, height: th };
  });
}
