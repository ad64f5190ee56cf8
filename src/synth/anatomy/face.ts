import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame } from './frame.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { dot, ellipse, graph, ring, tube } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';

// Math functions bound once: hot pixel loops then avoid a global lookup per call (slow in
// sandboxed runtimes such as Jest's module VM, ~100x).
const { abs, exp, floor, max, min, sqrt } = Math;

/**
 * Coronal view of nose and lips: u across the face, v down towards the chin (scaled by
 * `scale`). Profile: the mid-sagittal outline, u from forehead to chin, v out of the face.
 */
export interface LipsInstance {
  readonly cls: 'lips';
  readonly scene: Scene;
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  readonly scale: number;
  readonly tissue: number;
  readonly lip: number;
  /** Nostril half-spacing and radius, relative to scale. */
  readonly nostrils: readonly number[];
  /** Upper and lower lip curvature (relative sag of the band ends). */
  readonly curve: readonly number[];
  /** Fluid around the face: [du, dv, ru, rv] relative to scale. */
  readonly window: readonly number[];
}

export interface ProfileInstance {
  readonly cls: 'profile';
  readonly scene: Scene;
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  readonly flip: number;
  readonly scale: number;
  readonly tissue: number;
  readonly skin: number;
  readonly bone: number;
  /** Amplitudes (relative) of forehead dome, nose, upper lip, lower lip, chin. */
  readonly bumps: readonly number[];
}

export type FaceInstance = LipsInstance | ProfileInstance;

export function sampleLips(rng: Rng): LipsInstance {
  const x = 0.5 + rng.normal(0, 0.025);
  const y = 0.52 + rng.normal(0, 0.025);
  const scale = rng.uniform(0.9, 1.12);
  return {
    cls: 'lips',
    scene: sampleScene(rng.fork('scene'), { x, y, reach: 0.24 * scale, pockets: rng.int(1, 3) }),
    x,
    y,
    angle: rng.normal(0, 0.2),
    scale,
    tissue: rng.uniform(0.3, 0.4),
    lip: rng.uniform(0.85, 1.1),
    nostrils: [rng.uniform(0.024, 0.032), rng.uniform(0.009, 0.013)],
    curve: [rng.uniform(0.015, 0.03), rng.uniform(0.012, 0.025)],
    window: [rng.normal(0, 0.04), rng.normal(0, 0.04), rng.uniform(0.22, 0.28), rng.uniform(0.24, 0.3)],
  };
}

export function sampleProfile(rng: Rng): ProfileInstance {
  const x = 0.5 + rng.normal(0, 0.025);
  const y = 0.5 + rng.normal(0, 0.025);
  const scale = rng.uniform(0.9, 1.12);
  const mirrored = rng.chance(0.5);
  return {
    cls: 'profile',
    scene: sampleScene(rng.fork('scene'), { x, y: y + 0.05, reach: 0.25 * scale, pockets: rng.int(1, 3) }),
    x,
    y,
    angle: (mirrored ? Math.PI : 0) + rng.normal(0, 0.3),
    flip: mirrored ? 1 : -1,
    scale,
    tissue: rng.uniform(0.3, 0.4),
    skin: rng.uniform(0.65, 0.9),
    bone: rng.uniform(1.1, 1.4),
    bumps: [rng.uniform(0.9, 1.2), rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.25)],
  };
}

function lipsFrame(inst: LipsInstance): Frame {
  return Frame.at(inst.x, inst.y, inst.angle, 1);
}

export function renderLips(inst: LipsInstance, c: Canvas): void {
  const f = lipsFrame(inst);
  const s = inst.scale;
  const fluid = inst.scene.fluid;
  drawScene(c, inst.scene);
  c.tissue();
  const [wu, wv, wru, wrv] = inst.window as [number, number, number, number];
  ellipse(c, f, wu * s, (0.02 + wv) * s, wru * s, wrv * s, 0, fluid);
  ellipse(c, f, 0, 0.03 * s, 0.19 * s, 0.23 * s, 0, inst.tissue);
  ring(c, f, 0, 0.03 * s, 0.19 * s, 0.23 * s, 0, 0.005, inst.tissue * 1.5, { incidence: 0.5 });
  ellipse(c, f, 0, -0.12 * s, 0.075 * s, 0.055 * s, 0, inst.tissue * 1.25);
  const [ns, nr] = inst.nostrils as [number, number];
  dot(c, f, ns * s, -0.115 * s, nr * s, fluid);
  dot(c, f, -ns * s, -0.115 * s, nr * s, fluid);
  const [upper, lower] = inst.curve as [number, number];
  const w = 0.11 * s;
  const upperLip = (u: number): number => -0.035 * s + upper * s * (u / w) ** 2 - 0.009 * s * exp(-((u / (0.022 * s)) ** 2));
  const lowerLip = (u: number): number => 0.014 * s + lower * s * (1 - (u / (0.95 * w)) ** 2);
  tube(c, f, graph((u) => (upperLip(u) + lowerLip(u)) / 2 - 0.004 * s, -0.85 * w, 0.85 * w, 12), 0.004, 0.004, fluid * 2);
  tube(c, f, graph(upperLip, -w, w, 16), 0.011 * s, 0.011 * s, inst.lip);
  tube(c, f, graph(lowerLip, -0.9 * w, 0.9 * w, 16), 0.012 * s, 0.012 * s, inst.lip * 0.9);
  ellipse(c, f, 0, 0.15 * s, 0.08 * s, 0.05 * s, 0, inst.tissue * 1.15);
}

export function lipsTargets(inst: LipsInstance): GazeTarget[] {
  const f = lipsFrame(inst);
  const s = inst.scale;
  return targets([f.point(0, -0.035 * s), 0.45], [f.point(0, -0.115 * s), 0.25], [f.point(0, 0.03 * s), 0.3]);
}

/** Origin at the nasion, placed so that the middle of the face sits at (x, y). */
function profileFrame(inst: ProfileInstance): Frame {
  return Frame.at(inst.x, inst.y, inst.angle, inst.flip).child(-0.45 * faceLength(inst), 0, 0);
}

/** Nasion-to-chin length in anatomy units; the profile is drawn in these face units. */
function faceLength(inst: ProfileInstance): number {
  return 0.32 * inst.scale;
}

function bump(t: number, centre: number, width: number): number {
  const z = (t - centre) / width;
  return exp(-z * z);
}

/** Height of the facial surface (outwards) at t, both in face units (nasion t = 0, chin t ~ 1). */
function surface(inst: ProfileInstance, t: number): number {
  const [, nose, upperLip, lowerLip, chin] = inst.bumps as [number, number, number, number, number];
  let v = baseline(inst, t);
  v -= 0.04 * bump(t, 0, 0.08);
  v += 0.25 * nose * (t < 0.22 ? bump(t, 0.22, 0.2) : bump(t, 0.22, 0.1));
  v += 0.11 * upperLip * bump(t, 0.5, 0.095);
  v += 0.09 * lowerLip * bump(t, 0.7, 0.085);
  v += 0.15 * chin * bump(t, 0.94, 0.12);
  return v;
}

/** The facial line without nose, lips and chin: nearly straight, the forehead curving back into the cranium, the neck below the chin. */
function baseline(inst: ProfileInstance, t: number): number {
  let v = -0.08 * t;
  if (t < -0.2) v -= 0.55 * inst.bumps[0]! * (t + 0.2) ** 2;
  if (t > 1.05) v -= 2.5 * (t - 1.05) ** 2;
  return v;
}

const PROFILE_T0 = -1.3;
const PROFILE_T1 = 1.45;
const PROFILE_SAMPLES = 256;

export function renderProfile(inst: ProfileInstance, c: Canvas): void {
  const f = profileFrame(inst);
  const F = faceLength(inst);
  const fluid = inst.scene.fluid;
  drawScene(c, inst.scene);
  c.tissue();
  ellipse(c, f, 0.1 * F, 0.45 * F, 1.6 * F, 0.55 * F, 0, fluid);
  ellipse(c, f, -0.5 * F, -0.95 * F, 1.5 * F, 1.05 * F, 0, inst.tissue);
  drawFaceSurface(c, f, inst);
  /** Polyline `depth` (face units) under a line (the surface or the baseline) for t in [t0, t1], anatomy units. */
  const under = (line: (t: number) => number, depth: number, t0: number, t1: number, n: number): number[] =>
    graph((u) => (line(u / F) - depth) * F, t0 * F, t1 * F, n);
  const skin = (t: number): number => surface(inst, t);
  const base = (t: number): number => baseline(inst, t);
  c.bone(12);
  tube(c, f, under(skin, 0.1, -1.15, -0.15, 16), 0.0055, 0.004, inst.bone);
  c.bone(22);
  tube(c, f, under(skin, 0.055, -0.02, 0.2, 4), 0.0045, 0.004, inst.bone * 1.05);
  c.bone(20);
  tube(c, f, under(base, 0.03, 0.36, 0.56, 4), 0.004, 0.004, inst.bone * 0.8);
  tube(c, f, under(base, 0.0, 0.76, 1.1, 8), 0.005, 0.004, inst.bone * 0.9);
  c.tissue();
}

/**
 * Tissue behind the facial outline, fluid in front, a bright skin line on it. Uses a
 * table of the outline and its slope; the edit fades out at the ends of the table.
 */
function drawFaceSurface(c: Canvas, f: Frame, inst: ProfileInstance): void {
  const F = faceLength(inst);
  const fluid = inst.scene.fluid;
  const heights = new Float64Array(PROFILE_SAMPLES);
  const norms = new Float64Array(PROFILE_SAMPLES);
  const dt = (PROFILE_T1 - PROFILE_T0) / (PROFILE_SAMPLES - 1);
  let lowest = Infinity;
  let highest = -Infinity;
  for (let k = 0; k < PROFILE_SAMPLES; k++) {
    const t = PROFILE_T0 + k * dt;
    const h = surface(inst, t);
    const slope = (surface(inst, t + dt / 2) - surface(inst, t - dt / 2)) / dt;
    heights[k] = h * F;
    norms[k] = 1 / sqrt(1 + slope * slope);
    lowest = min(lowest, h);
    highest = max(highest, h);
  }
  const inner = 0.4 * F;
  const outer = 0.3 * F;
  const vMin = lowest * F - inner;
  const vMax = highest * F + outer;
  const uMin = PROFILE_T0 * F;
  const uMax = PROFILE_T1 * F;
  const corners = [f.point(uMin, vMin), f.point(uMin, vMax), f.point(uMax, vMin), f.point(uMax, vMax)];
  const x0 = c.lo(min(...corners.map((p) => p.x)));
  const x1 = c.hi(max(...corners.map((p) => p.x)));
  const y0 = c.lo(min(...corners.map((p) => p.y)));
  const y1 = c.hi(max(...corners.map((p) => p.y)));
  const px = c.pixel;
  const halfSkin = 0.0045;
  const fade = 0.25 * F;
  for (let iy = y0; iy <= y1; iy++) {
    const row = iy * c.size;
    const dy = iy * px - f.oy;
    for (let ix = x0; ix <= x1; ix++) {
      const dx = ix * px - f.ox;
      const u = dx * f.ax + dy * f.ay;
      const v = dx * f.bx + dy * f.by;
      if (u < uMin || u > uMax) continue;
      const t = (u / F - PROFILE_T0) / dt;
      const k = min(PROFILE_SAMPLES - 2, max(0, floor(t)));
      const w = t - k;
      const h = heights[k]! * (1 - w) + heights[k + 1]! * w;
      const d = (v - h) * (norms[k]! * (1 - w) + norms[k + 1]! * w);
      const band = min(d + inner, outer - d);
      const alpha = min(1, max(0, min(u - uMin, uMax - u, band) / fade));
      if (alpha <= 0) continue;
      const inside = c.coverage(d);
      const skin = c.coverage(abs(d) - halfSkin);
      let value = fluid + (inst.tissue - fluid) * inside;
      value += (inst.skin - value) * skin;
      c.put(row + ix, alpha, value);
    }
  }
}

export function profileTargets(inst: ProfileInstance): GazeTarget[] {
  const f = profileFrame(inst);
  const F = faceLength(inst);
  const at = (t: number): { x: number; y: number } => f.point(t * F, surface(inst, t) * F);
  return targets([at(0.1), 0.3], [at(0.6), 0.25], [at(0.93), 0.15], [at(-0.7), 0.3]);
}
