import type { FanGeometry } from '../sidecar.js';

/**
 * The fan (sector) of a curvilinear probe laid out on a width x height screen, leaving
 * margins on both sides for the machine's on-screen text.
 */
export function fanGeometry(width: number, height: number): FanGeometry {
  const top = Math.round(height * 0.1);
  const bottom = Math.round(height * 0.96);
  const halfAngleDeg = 36;
  const half = (halfAngleDeg * Math.PI) / 180;
  // Inner radius (probe face curvature) as a fraction of the imaging depth.
  const depth = bottom - top;
  let radiusInner = 0.25 * depth;
  // Keep the fan inside 80% of the width.
  const maxHalfWidth = 0.4 * width;
  let radiusOuter = depth + radiusInner;
  if (radiusOuter * Math.sin(half) > maxHalfWidth) {
    const scale = maxHalfWidth / (radiusOuter * Math.sin(half));
    radiusOuter *= scale;
    radiusInner *= scale;
  }
  const apexX = width / 2;
  // The top of the fan (the probe face, at the centre line) sits at `top`.
  const apexY = top - radiusInner;
  const boxBottom = Math.min(height, Math.ceil(apexY + radiusOuter));
  const halfWidth = Math.ceil(radiusOuter * Math.sin(half));
  const boxTop = Math.floor(apexY + radiusInner * Math.cos(half));
  return {
    apexX,
    apexY,
    radiusInner,
    radiusOuter,
    halfAngleDeg,
    box: { x: Math.floor(apexX - halfWidth), y: boxTop, width: 2 * halfWidth, height: boxBottom - boxTop },
  };
}

/**
 * Per-pixel lookup tables for the pixels inside the fan: their index in the frame, their
 * position in anatomy space at the identity probe pose, and their depth fraction.
 * Anatomy space is the unit square with the probe face centre at (0.5, 0) and y = depth.
 */
export interface FanPixels {
  count: number;
  index: Uint32Array;
  anatomyX: Float32Array;
  anatomyY: Float32Array;
  depth: Float32Array;
  /** 1 inside, falling to 0 over the last pixel at the fan's edges (anti-aliased border). */
  edge: Float32Array;
}

export function fanPixels(fan: FanGeometry, width: number, height: number): FanPixels {
  const half = (fan.halfAngleDeg * Math.PI) / 180;
  const depthPx = fan.radiusOuter - fan.radiusInner;
  const faceY = fan.apexY + fan.radiusInner;
  const idx: number[] = [];
  const ax: number[] = [];
  const ay: number[] = [];
  const dp: number[] = [];
  const ed: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - fan.apexX;
      const dy = y + 0.5 - fan.apexY;
      const r = Math.hypot(dx, dy);
      const theta = Math.atan2(dx, dy);
      const distRadial = Math.min(r - fan.radiusInner, fan.radiusOuter - r);
      const distAngular = (half - Math.abs(theta)) * r;
      const dist = Math.min(distRadial, distAngular);
      if (dist <= -0.5 || dy <= 0) continue;
      idx.push(y * width + x);
      ax.push(0.5 + dx / depthPx);
      ay.push((y + 0.5 - faceY) / depthPx);
      dp.push(Math.max(0, Math.min(1, (r - fan.radiusInner) / depthPx)));
      ed.push(Math.min(1, dist + 0.5));
    }
  }
  return {
    count: idx.length,
    index: Uint32Array.from(idx),
    anatomyX: Float32Array.from(ax),
    anatomyY: Float32Array.from(ay),
    depth: Float32Array.from(dp),
    edge: Float32Array.from(ed),
  };
}

/** Maps an anatomy-space point at identity pose back to screen pixels. */
export function anatomyToScreen(fan: FanGeometry, ax: number, ay: number): [number, number] {
  const depthPx = fan.radiusOuter - fan.radiusInner;
  return [fan.apexX + (ax - 0.5) * depthPx, fan.apexY + fan.radiusInner + ay * depthPx];
}
