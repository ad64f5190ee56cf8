import { drawTextGray, textWidth } from '../../draw/font.js';
import type { Rng } from '../../util/rng.js';
import type { FanGeometry } from '../sidecar.js';

/**
 * The scanner's on-screen furniture outside the fan: header text, settings, a depth scale
 * with a focus marker, a grey bar, an orientation mark and a running clock. It is what a
 * real recording carries and what the fan crop must remove.
 */
export interface Overlay {
  /** The static part: copy it into each frame before rendering the fan. */
  template: Uint8Array;
  /** Draws what changes over time (clock, gain readout). */
  drawDynamic(frame: Uint8Array, t: number, gainDb: number): void;
}

export function makeOverlay(width: number, height: number, fan: FanGeometry, depthCm: number, rng: Rng): Overlay {
  const template = new Uint8Array(width * height);
  const text = (x: number, y: number, s: string, value = 200): void => drawTextGray(template, width, height, x, y, s, value, 1);
  const ga = `GA ${rng.int(18, 23)}W${rng.int(0, 6)}D`;
  const probe = rng.pick(['C5-1', 'C6-2', 'AB5-2', 'C9-4']);
  text(4, 4, `SONOSPEECH  ${probe}  OB/2ND TRI`, 210);
  text(4, 14, `${ga}  MI ${rng.uniform(0.6, 1.2).toFixed(1)}  TIS ${rng.uniform(0.1, 0.6).toFixed(1)}`, 170);
  const left = ['2D', `FR 30`, `DR ${rng.int(55, 72)}`, `P ${rng.pick(['HI', 'MED', 'PEN'])}`];
  left.forEach((s, i) => text(4, Math.round(height * 0.3) + 10 * i, s, 180));
  // Orientation mark at the left edge of the probe face.
  const markX = Math.round(fan.box.x + fan.box.width * 0.15);
  for (let dy = 0; dy < 5; dy++) for (let dx = 0; dx < 5; dx++) template[(fan.box.y + dy) * width + markX + dx] = 235;
  // Depth scale along the right side of the fan: a tick every cm, a number every 5 cm.
  const depthPx = fan.radiusOuter - fan.radiusInner;
  const top = fan.apexY + fan.radiusInner;
  const scaleX = Math.min(width - 14, Math.round(fan.box.x + fan.box.width + 4));
  for (let cm = 0; cm <= depthCm; cm++) {
    const y = Math.round(top + (cm / depthCm) * depthPx);
    if (y >= height) break;
    const len = cm % 5 === 0 ? 5 : 2;
    for (let dx = 0; dx < len; dx++) template[y * width + scaleX + dx] = 200;
    if (cm % 5 === 0 && cm > 0) text(Math.min(width - textWidth(String(cm), 1), scaleX + 7), y - 3, String(cm), 190);
  }
  // Focus marker: a small triangle pointing at the focal depth.
  const focusY = Math.round(top + rng.uniform(0.4, 0.7) * depthPx);
  for (let k = 0; k < 4; k++) for (let dy = -k; dy <= k; dy++) {
    const y = focusY + dy;
    if (y >= 0 && y < height) template[y * width + Math.max(0, scaleX - 4 + k)] = 220;
  }
  // Grey bar at the bottom left.
  const barX = 6;
  const barH = Math.round(height * 0.25);
  const barY = height - barH - 6;
  for (let y = 0; y < barH; y++) for (let x = 0; x < 6; x++) template[(barY + y) * width + barX + x] = Math.round(255 * (1 - y / barH));
  const startSeconds = rng.int(8 * 3600, 17 * 3600);
  const clockX = width - textWidth('00:00:00', 1) - 4;
  return {
    template,
    drawDynamic(frame, t, gainDb) {
      clear(frame, width, clockX, 4, textWidth('00:00:00', 1), 8);
      drawTextGray(frame, width, height, clockX, 4, clock(startSeconds + Math.floor(t)), 210, 1);
      const g = `G ${Math.round(gainDb)}`;
      clear(frame, width, 4, Math.round(height * 0.3) - 10, 30, 8);
      drawTextGray(frame, width, height, 4, Math.round(height * 0.3) - 10, g, 180, 1);
    },
  };
}

function clear(frame: Uint8Array, width: number, x: number, y: number, w: number, h: number): void {
  for (let r = y; r < y + h; r++) frame.fill(0, r * width + x, r * width + x + w);
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return [h, m, s].map((v) => String(v).padStart(2, '0')).join(':');
}
