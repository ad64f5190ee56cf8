import type { Canvas } from './canvas.js';
import type { Frame } from './frame.js';

// Math functions bound once: hot pixel loops then avoid a global lookup per call (slow in
// sandboxed runtimes such as Jest's module VM, ~100x).
const { abs, atan2, cos, hypot, max, min, sin, sqrt } = Math;

/**
 * Implicit shapes drawn in a local frame: each evaluates an (approximate) signed distance
 * over its bounding box only and hands the anti-aliased coverage to the canvas.
 */

/**
 * Signed distance to an axis-aligned ellipse, first-order (exact on the axes, good near the
 * outline, which is all the anti-aliasing needs).
 */
function ellipseDistance(x: number, y: number, ru: number, rv: number): number {
  const nx = x / ru;
  const ny = y / rv;
  const q = sqrt(nx * nx + ny * ny);
  const gx = nx / ru;
  const gy = ny / rv;
  const g = sqrt(gx * gx + gy * gy);
  if (g < 1e-9) return -min(ru, rv);
  return ((q - 1) * q) / g;
}

/** Filled ellipse centred at local (u, v), semi-axes ru (along local angle rot) and rv. */
export function ellipse(c: Canvas, f: Frame, u: number, v: number, ru: number, rv: number, rot: number, value: number): void {
  const o = f.point(u, v);
  const e1 = f.dir(rot);
  const e2 = f.dir(rot + Math.PI / 2);
  const pad = c.edge;
  const hx = sqrt(ru * ru * e1.x * e1.x + rv * rv * e2.x * e2.x) + pad;
  const hy = sqrt(ru * ru * e1.y * e1.y + rv * rv * e2.y * e2.y) + pad;
  const x0 = c.lo(o.x - hx);
  const x1 = c.hi(o.x + hx);
  const y0 = c.lo(o.y - hy);
  const y1 = c.hi(o.y + hy);
  const px = c.pixel;
  // The distance to the outline is at least |q - 1| * min radius (q: normalised radius), so
  // only pixels with q in a thin shell need the distance; the rest are fully in or out.
  const shell = c.edge / min(ru, rv);
  const fullyIn = shell < 1 ? (1 - shell) * (1 - shell) : -1;
  const fullyOut = (1 + shell) * (1 + shell);
  const iu2 = 1 / (ru * ru);
  const iv2 = 1 / (rv * rv);
  for (let iy = y0; iy <= y1; iy++) {
    const dy = iy * px - o.y;
    const row = iy * c.size;
    for (let ix = x0; ix <= x1; ix++) {
      const dx = ix * px - o.x;
      const lx = dx * e1.x + dy * e1.y;
      const ly = dx * e2.x + dy * e2.y;
      const q2 = lx * lx * iu2 + ly * ly * iv2;
      if (q2 >= fullyOut) continue;
      if (q2 <= fullyIn) {
        c.put(row + ix, 1, value);
        continue;
      }
      const cover = c.coverage(ellipseDistance(lx, ly, ru, rv));
      if (cover > 0) c.put(row + ix, cover, value);
    }
  }
}

export interface RingOptions {
  /** 0..1: how much dimmer the ring gets where it runs parallel to the beam (specular echo). */
  incidence?: number;
  /** Draw only the arc between these ellipse parameter angles (radians, from the ru axis towards rv). */
  from?: number;
  to?: number;
}

/** Elliptic ring (outline band of the given thickness), optionally only an arc of it. */
export function ring(
  c: Canvas,
  f: Frame,
  u: number,
  v: number,
  ru: number,
  rv: number,
  rot: number,
  thickness: number,
  value: number,
  options: RingOptions = {},
): void {
  const o = f.point(u, v);
  const e1 = f.dir(rot);
  const e2 = f.dir(rot + Math.PI / 2);
  const half = thickness / 2;
  const pad = half + c.edge;
  const isArc = options.from !== undefined && options.to !== undefined;
  const from = options.from ?? 0;
  const to = options.to ?? 0;
  const mid = (from + to) / 2;
  const halfSpan = (to - from) / 2;
  const meanRadius = (ru + rv) / 2;
  const incidence = options.incidence ?? 0;
  let minX = o.x;
  let maxX = o.x;
  let minY = o.y;
  let maxY = o.y;
  if (isArc) {
    minX = minY = Infinity;
    maxX = maxY = -Infinity;
    for (let k = 0; k <= 24; k++) {
      const t = from + ((to - from) * k) / 24;
      const lx = ru * cos(t);
      const ly = rv * sin(t);
      const x = o.x + lx * e1.x + ly * e2.x;
      const y = o.y + lx * e1.y + ly * e2.y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  } else {
    const hx = sqrt(ru * ru * e1.x * e1.x + rv * rv * e2.x * e2.x);
    const hy = sqrt(ru * ru * e1.y * e1.y + rv * rv * e2.y * e2.y);
    minX -= hx;
    maxX += hx;
    minY -= hy;
    maxY += hy;
  }
  const x0 = c.lo(minX - pad);
  const x1 = c.hi(maxX + pad);
  const y0 = c.lo(minY - pad);
  const y1 = c.hi(maxY + pad);
  const px = c.pixel;
  const reach = half + c.edge;
  const shell = reach / min(ru, rv);
  const innerQ2 = shell < 1 ? (1 - shell) * (1 - shell) : -1;
  const outerQ2 = (1 + shell) * (1 + shell);
  const iu2 = 1 / (ru * ru);
  const iv2 = 1 / (rv * rv);
  for (let iy = y0; iy <= y1; iy++) {
    const dy = iy * px - o.y;
    const row = iy * c.size;
    for (let ix = x0; ix <= x1; ix++) {
      const dx = ix * px - o.x;
      const lx = dx * e1.x + dy * e1.y;
      const ly = dx * e2.x + dy * e2.y;
      const q2 = lx * lx * iu2 + ly * ly * iv2;
      if (q2 <= innerQ2 || q2 >= outerQ2) continue;
      const de = ellipseDistance(lx, ly, ru, rv);
      if (de > reach || de < -reach) continue;
      let d = abs(de) - half;
      if (isArc) {
        let delta = atan2(ly / rv, lx / ru) - mid;
        if (delta > Math.PI) delta -= 2 * Math.PI;
        else if (delta < -Math.PI) delta += 2 * Math.PI;
        const beyond = (abs(delta) - halfSpan) * meanRadius;
        if (beyond > d) d = beyond;
      }
      const cover = c.coverage(d);
      if (cover <= 0) continue;
      let val = value;
      if (incidence > 0) {
        const gx = lx / (ru * ru);
        const gy = ly / (rv * rv);
        const wy = gx * e1.y + gy * e2.y;
        const g = sqrt(gx * gx + gy * gy);
        const ny = g > 0 ? abs(wy) / g : 1;
        val = value * (1 - incidence + incidence * ny);
      }
      c.put(row + ix, cover, val);
    }
  }
}

/**
 * A tube along the polyline `points` (flat local u0, v0, u1, v1, ...), its radius going
 * linearly from r0 at the first point to r1 at the last (by arc length). Round ends.
 */
export function tube(c: Canvas, f: Frame, points: readonly number[], r0: number, r1: number, value: number): void {
  const n = points.length >> 1;
  if (n < 2) return;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const rs = new Float64Array(n);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const p = f.point(points[2 * k]!, points[2 * k + 1]!);
    xs[k] = p.x;
    ys[k] = p.y;
    if (k > 0) total += hypot(p.x - xs[k - 1]!, p.y - ys[k - 1]!);
    rs[k] = total;
    minX = min(minX, p.x);
    maxX = max(maxX, p.x);
    minY = min(minY, p.y);
    maxY = max(maxY, p.y);
  }
  for (let k = 0; k < n; k++) rs[k] = total > 0 ? r0 + ((r1 - r0) * rs[k]!) / total : r0;
  const pad = max(r0, r1) + c.edge;
  // Per-segment bounding boxes, so each pixel only measures the segments near it.
  const segX0 = new Float64Array(n - 1);
  const segX1 = new Float64Array(n - 1);
  const segY0 = new Float64Array(n - 1);
  const segY1 = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    const reach = max(rs[k]!, rs[k + 1]!) + c.edge;
    segX0[k] = min(xs[k]!, xs[k + 1]!) - reach;
    segX1[k] = max(xs[k]!, xs[k + 1]!) + reach;
    segY0[k] = min(ys[k]!, ys[k + 1]!) - reach;
    segY1[k] = max(ys[k]!, ys[k + 1]!) + reach;
  }
  const active = new Int32Array(n - 1);
  // Deep enough inside one segment's capsule: fully covered, no need to measure the others.
  const solid = -c.edge / 2;
  const x0 = c.lo(minX - pad);
  const x1 = c.hi(maxX + pad);
  const y0 = c.lo(minY - pad);
  const y1 = c.hi(maxY + pad);
  const px = c.pixel;
  for (let iy = y0; iy <= y1; iy++) {
    const y = iy * px;
    const row = iy * c.size;
    let count = 0;
    let rowX0 = Infinity;
    let rowX1 = -Infinity;
    for (let k = 0; k < n - 1; k++) {
      if (y >= segY0[k]! && y <= segY1[k]!) {
        active[count++] = k;
        if (segX0[k]! < rowX0) rowX0 = segX0[k]!;
        if (segX1[k]! > rowX1) rowX1 = segX1[k]!;
      }
    }
    if (count === 0) continue;
    const ixEnd = min(x1, c.hi(rowX1));
    for (let ix = max(x0, c.lo(rowX0)); ix <= ixEnd; ix++) {
      const x = ix * px;
      let best = Infinity;
      for (let j = 0; j < count && best > solid; j++) {
        const k = active[j]!;
        if (x < segX0[k]! || x > segX1[k]!) continue;
        const ax = xs[k]!;
        const ay = ys[k]!;
        const sx = xs[k + 1]! - ax;
        const sy = ys[k + 1]! - ay;
        const len2 = sx * sx + sy * sy;
        let h = len2 > 0 ? ((x - ax) * sx + (y - ay) * sy) / len2 : 0;
        h = h < 0 ? 0 : h > 1 ? 1 : h;
        const ex = x - ax - h * sx;
        const ey = y - ay - h * sy;
        const d = sqrt(ex * ex + ey * ey) - (rs[k]! + h * (rs[k + 1]! - rs[k]!));
        if (d < best) best = d;
      }
      if (best === Infinity) continue;
      const cover = c.coverage(best);
      if (cover > 0) c.put(row + ix, cover, value);
    }
  }
}

/** Straight bar with round ends between two local points. */
export function capsule(c: Canvas, f: Frame, u0: number, v0: number, u1: number, v1: number, radius: number, value: number): void {
  tube(c, f, [u0, v0, u1, v1], radius, radius, value);
}

/** Disc of radius r at local (u, v). */
export function dot(c: Canvas, f: Frame, u: number, v: number, r: number, value: number): void {
  ellipse(c, f, u, v, r, r, 0, value);
}

/** Rectangle with half-sizes (hu, hv) along local angle rot, corners rounded by `round`. */
export function box(
  c: Canvas,
  f: Frame,
  u: number,
  v: number,
  hu: number,
  hv: number,
  rot: number,
  round: number,
  value: number,
): void {
  const o = f.point(u, v);
  const e1 = f.dir(rot);
  const e2 = f.dir(rot + Math.PI / 2);
  const r = min(round, hu, hv);
  const hx = hu * abs(e1.x) + hv * abs(e2.x) + c.edge;
  const hy = hu * abs(e1.y) + hv * abs(e2.y) + c.edge;
  const x0 = c.lo(o.x - hx);
  const x1 = c.hi(o.x + hx);
  const y0 = c.lo(o.y - hy);
  const y1 = c.hi(o.y + hy);
  const px = c.pixel;
  const bu = hu - r;
  const bv = hv - r;
  for (let iy = y0; iy <= y1; iy++) {
    const dy = iy * px - o.y;
    const row = iy * c.size;
    for (let ix = x0; ix <= x1; ix++) {
      const dx = ix * px - o.x;
      const qx = abs(dx * e1.x + dy * e1.y) - bu;
      const qy = abs(dx * e2.x + dy * e2.y) - bv;
      const ox = qx > 0 ? qx : 0;
      const oy = qy > 0 ? qy : 0;
      const d = sqrt(ox * ox + oy * oy) + min(max(qx, qy), 0) - r;
      const cover = c.coverage(d);
      if (cover > 0) c.put(row + ix, cover, value);
    }
  }
}

/** Points of a quadratic Bezier curve (flat u, v pairs), n segments. */
export function bezier(u0: number, v0: number, u1: number, v1: number, u2: number, v2: number, n = 10): number[] {
  const pts: number[] = [];
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const a = (1 - t) * (1 - t);
    const b = 2 * t * (1 - t);
    const d = t * t;
    pts.push(a * u0 + b * u1 + d * u2, a * v0 + b * v1 + d * v2);
  }
  return pts;
}

/** Points of the curve v = fn(u) for u in [u0, u1] (flat u, v pairs), n segments. */
export function graph(fn: (u: number) => number, u0: number, u1: number, n = 16): number[] {
  const pts: number[] = [];
  for (let k = 0; k <= n; k++) {
    const u = u0 + ((u1 - u0) * k) / n;
    pts.push(u, fn(u));
  }
  return pts;
}
