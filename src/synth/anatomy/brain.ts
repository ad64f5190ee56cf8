import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame } from './frame.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { box, capsule, ellipse, ring } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';

/**
 * Axial head section shared by both brain views. Local frame: u along the midline towards
 * the forehead, v across. The far hemisphere (deeper on screen) is the one drawn in detail,
 * as the near one is lost in reverberation in real scans.
 */
export interface Head {
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  readonly flip: number;
  /** Half occipito-frontal length; the skull is ~0.5 of the depth wide. */
  readonly ru: number;
  readonly rv: number;
  readonly skullThickness: number;
  readonly skull: number;
  readonly parenchyma: number;
  readonly midline: number;
  /** Cavum septi pellucidi: [u, half length, half width]. */
  readonly csp: readonly number[];
  /** Sylvian fissure arc on the far side: [u, v fraction of rv, radius]. */
  readonly insula: readonly number[];
}

export interface BrainTvInstance {
  readonly cls: 'brain_tv';
  readonly scene: Scene;
  readonly head: Head;
  /** Atrium of the far lateral ventricle: [u, |v|, ru, rv, rot]. */
  readonly ventricle: readonly number[];
  readonly choroid: number;
}

export interface BrainTcInstance {
  readonly cls: 'brain_tc';
  readonly scene: Scene;
  readonly head: Head;
  /** Cerebellum: [u of centre, lobe half-spacing, lobe radius along u, lobe radius along v]. */
  readonly cerebellum: readonly number[];
  readonly cerebellumValue: number;
  /** Cisterna magna: [u, half length along u, half width]. */
  readonly cisterna: readonly number[];
  /** Thalami: [u, |v|, radius]. */
  readonly thalami: readonly number[];
}

export type BrainInstance = BrainTvInstance | BrainTcInstance;

function sampleHead(rng: Rng): Head {
  const ru = 0.25 * rng.uniform(0.9, 1.08);
  const rv = ru * rng.uniform(0.74, 0.86);
  return {
    x: 0.5 + rng.normal(0, 0.025),
    y: 0.55 + rng.normal(0, 0.025),
    angle: (rng.chance(0.5) ? 0 : Math.PI) + rng.normal(0, 0.25),
    flip: rng.chance(0.5) ? 1 : -1,
    ru,
    rv,
    skullThickness: rng.uniform(0.011, 0.017),
    skull: rng.uniform(1.0, 1.3),
    parenchyma: rng.uniform(0.2, 0.28),
    midline: rng.uniform(0.55, 0.8),
    csp: [ru * rng.uniform(0.38, 0.5), ru * rng.uniform(0.1, 0.14), rv * rng.uniform(0.06, 0.08)],
    insula: [ru * rng.uniform(-0.05, 0.15), rng.uniform(0.5, 0.62), rv * rng.uniform(0.2, 0.3)],
  };
}

function sampleBrainScene(rng: Rng, head: Head): Scene {
  return sampleScene(rng, { x: head.x, y: head.y, reach: head.ru * 1.1, pockets: rng.int(1, 3) });
}

export function sampleBrainTv(rng: Rng): BrainTvInstance {
  const head = sampleHead(rng.fork('head'));
  const r = rng.fork('ventricle');
  return {
    cls: 'brain_tv',
    scene: sampleBrainScene(rng.fork('scene'), head),
    head,
    ventricle: [
      -head.ru * r.uniform(0.45, 0.6),
      head.rv * r.uniform(0.35, 0.45),
      head.ru * r.uniform(0.2, 0.28),
      head.rv * r.uniform(0.12, 0.16),
      r.uniform(0.1, 0.35),
    ],
    choroid: r.uniform(0.7, 0.95),
  };
}

export function sampleBrainTc(rng: Rng): BrainTcInstance {
  const head = sampleHead(rng.fork('head'));
  const r = rng.fork('cerebellum');
  const lobe = head.rv * r.uniform(0.19, 0.23);
  const cu = -head.ru * r.uniform(0.48, 0.58);
  return {
    cls: 'brain_tc',
    scene: sampleBrainScene(rng.fork('scene'), head),
    head,
    cerebellum: [cu, lobe * r.uniform(0.85, 1.0), lobe * r.uniform(0.75, 0.9), lobe],
    cerebellumValue: r.uniform(0.38, 0.48),
    cisterna: [cu - lobe * 0.8 - head.ru * r.uniform(0.1, 0.14), head.ru * r.uniform(0.07, 0.1), lobe * r.uniform(0.9, 1.3)],
    thalami: [head.ru * r.uniform(0.0, 0.1), head.rv * r.uniform(0.15, 0.2), head.rv * r.uniform(0.13, 0.17)],
  };
}

function headFrame(h: Head): Frame {
  return Frame.at(h.x, h.y, h.angle, h.flip);
}

/** +1 or -1: the sign of v on the hemisphere further from the probe. */
function farSide(f: Frame): number {
  return f.by >= 0 ? 1 : -1;
}

function drawHead(c: Canvas, h: Head, f: Frame, scene: Scene): void {
  drawScene(c, scene);
  c.tissue();
  ellipse(c, f, 0, 0, h.ru + h.skullThickness * 1.5, h.rv + h.skullThickness * 1.5, 0, scene.tissue * 1.1);
  ellipse(c, f, 0, 0, h.ru, h.rv, 0, h.parenchyma);
  const far = farSide(f);
  const [iu, iv, ir] = h.insula as [number, number, number];
  ring(c, f, iu, far * h.rv * iv, ir * 0.6, ir, 0, 0.005, h.parenchyma * 2, { from: -1.2, to: 1.2 });
  capsule(c, f, -h.ru * 0.93, 0, h.ru * 0.93, 0, 0.0035, h.midline);
  const [cu, chu, chv] = h.csp as [number, number, number];
  box(c, f, cu, 0, chu + 0.004, chv + 0.004, 0, chv, h.midline * 0.8);
  box(c, f, cu, 0, chu, chv, 0, chv * 0.8, scene.fluid);
  c.bone(10);
  ring(c, f, 0, 0, h.ru, h.rv, 0, h.skullThickness, h.skull, { incidence: 0.55 });
  c.tissue();
}

export function renderBrainTv(inst: BrainTvInstance, c: Canvas): void {
  const h = inst.head;
  const f = headFrame(h);
  drawHead(c, h, f, inst.scene);
  const far = farSide(f);
  const [u, v, ru, rv, rot] = inst.ventricle as [number, number, number, number, number];
  // Rotated so the ventricle's posterior end flares away from the midline.
  const vf = f.child(u, far * v, -far * rot, 1);
  ellipse(c, vf, 0, 0, ru + 0.004, rv + 0.004, 0, h.parenchyma * 2.2);
  ellipse(c, vf, 0, 0, ru, rv, 0, inst.scene.fluid);
  ellipse(c, vf, -ru * 0.15, 0, ru * 0.62, rv * 0.72, 0, inst.choroid);
}

export function renderBrainTc(inst: BrainTcInstance, c: Canvas): void {
  const h = inst.head;
  const f = headFrame(h);
  drawHead(c, h, f, inst.scene);
  const [tu, tv, tr] = inst.thalami as [number, number, number];
  for (const s of [1, -1]) ellipse(c, f, tu, s * tv, tr * 1.2, tr, s * 0.3, h.parenchyma * 0.7);
  capsule(c, f, tu - tr, 0, tu + tr, 0, 0.003, h.midline * 0.8);
  const [qu, qw, qr] = inst.cisterna as [number, number, number];
  ellipse(c, f, qu, 0, qw, qr, 0, inst.scene.fluid);
  const [cu, sep, lu, lv] = inst.cerebellum as [number, number, number, number];
  const value = inst.cerebellumValue;
  for (const s of [1, -1]) {
    ellipse(c, f, cu, s * sep, lu, lv, 0, value);
    ring(c, f, cu, s * sep, lu, lv, 0, 0.005, value * 1.5, { from: (s * Math.PI) / 2 - 2, to: (s * Math.PI) / 2 + 2 });
  }
  ellipse(c, f, cu, 0, lu * 0.75, sep * 0.45, 0, value * 1.5);
}

export function brainTargets(inst: BrainInstance): GazeTarget[] {
  const h = inst.head;
  const f = headFrame(h);
  const csp = f.point(h.csp[0]!, 0);
  if (inst.cls === 'brain_tv') {
    const far = farSide(f);
    return targets(
      [f.point(inst.ventricle[0]!, far * inst.ventricle[1]!), 0.4],
      [csp, 0.25],
      [f.point(0, 0), 0.15],
      [f.point(0, far * h.rv), 0.1],
      [f.point(0, -far * h.rv), 0.1],
    );
  }
  return targets(
    [f.point(inst.cerebellum[0]!, 0), 0.45],
    [f.point(inst.cisterna[0]!, 0), 0.2],
    [csp, 0.2],
    [f.point(0, 0), 0.15],
  );
}
