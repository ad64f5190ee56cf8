import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import type { Frame, Point } from './frame.js';
import { beatAt, type Beat } from './heart-beat.js';
import { atrium, avValve, chambersAt, heartBlob, semilunarValve, ventricle, type Chambers } from './heart-parts.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { bezier, capsule, dot, ellipse, ring, tube } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';
import { drawTrunkBody, drawTrunkBones, sampleTrunk, trunkFrame, type Trunk } from './trunk.js';

export type HeartClass = '4CH' | 'LVOT' | 'RVOT' | '3VT';

/**
 * The four heart views share everything but what defines each view: the thorax (lungs,
 * ribs, spine, descending aorta), the heart's size, place, axis and beat.
 * Heart frame: p from the base (atria) to the apex, q from the right ventricle (-) to the
 * left ventricle (+); it sits anterior-left in the trunk frame with the apex pointing
 * diagonally forward and to the fetus's left.
 */
export interface HeartInstance {
  readonly cls: HeartClass;
  readonly scene: Scene;
  readonly trunk: Trunk;
  /** Heart centre (trunk frame) and axis angle (trunk frame, radians). */
  readonly heartU: number;
  readonly heartV: number;
  readonly heartAxis: number;
  /** Semi-axes along p and q. */
  readonly a: number;
  readonly b: number;
  readonly myocardium: number;
  /** Brightness of the septum, valves and vessel walls. */
  readonly walls: number;
  /** Descending aorta in the trunk frame: [u, v, r]. */
  readonly descAorta: readonly number[];
  /** Standard-normal draws that perturb the view-specific vessels. */
  readonly jitter: readonly number[];
}

export function sampleHeart(cls: HeartClass, rng: Rng): HeartInstance {
  const trunk = sampleTrunk(rng.fork('trunk'), [0.46, 0.56], [2, 4]);
  const R = trunk.radius;
  const r = rng.fork('heart');
  const size = r.uniform(0.92, 1.08);
  const jitter: number[] = [];
  const j = rng.fork('view');
  for (let k = 0; k < 8; k++) jitter.push(Math.max(-2, Math.min(2, j.normal())));
  return {
    cls,
    scene: sampleScene(rng.fork('scene'), { x: trunk.x, y: trunk.y, reach: R * 1.15, pockets: rng.int(1, 3) }),
    trunk,
    heartU: R * (-0.13 + r.normal(0, 0.03)),
    heartV: R * (0.1 + r.normal(0, 0.03)),
    heartAxis: (3 * Math.PI) / 4 + r.normal(0, 0.15),
    a: 0.125 * size,
    b: 0.1 * size * r.uniform(0.95, 1.05),
    myocardium: r.uniform(0.25, 0.32),
    walls: r.uniform(0.65, 0.85),
    descAorta: [R * r.uniform(0.52, 0.6), R * r.uniform(0.08, 0.16), R * r.uniform(0.065, 0.08)],
    jitter,
  };
}

function heartFrame(h: HeartInstance, f: Frame): Frame {
  return f.child(h.heartU, h.heartV, h.heartAxis, -1);
}

function descendingAorta(c: Canvas, h: HeartInstance, f: Frame, beat: Beat): void {
  const [u, v, r] = h.descAorta as [number, number, number];
  const rr = r * (1 + 0.08 * beat.contraction);
  dot(c, f, u, v, rr + 0.004, h.walls * 0.7);
  dot(c, f, u, v, rr, h.scene.fluid);
}

function drawFourChamber(c: Canvas, h: HeartInstance, hf: Frame, ch: Chambers, beat: Beat): void {
  const fluid = h.scene.fluid;
  heartBlob(c, hf, ch, h.myocardium, h.walls);
  ventricle(c, hf, ch, 1, 0.74, fluid);
  ventricle(c, hf, ch, -1, 0.6, fluid);
  atrium(c, hf, ch, 1, 1, fluid);
  atrium(c, hf, ch, -1, 1, fluid);
  const wall = 0.006 * (1 + 0.35 * beat.contraction);
  capsule(c, hf, ch.pAV, 0, 0.72 * ch.a, 0, wall, h.walls);
  capsule(c, hf, ch.pAV, 0, ch.pAV - 0.2 * ch.a, 0, 0.0035, h.walls);
  capsule(c, hf, ch.pAV - 0.5 * ch.a, 0, -0.92 * ch.a, 0, 0.0035, h.walls);
  capsule(c, hf, ch.pAV - 0.5 * ch.a, 0, ch.pAV - 0.38 * ch.a, 0.22 * ch.b, 0.002, h.walls * 0.7);
  capsule(c, hf, 0.42 * ch.a, -0.05 * ch.b, 0.36 * ch.a, -0.8 * ch.b, 0.0025, h.walls * 0.7);
  dot(c, hf, ch.pAV, 0, 0.008, h.walls * 1.1);
  avValve(c, hf, ch, 1, beat.avOpen, h.walls);
  avValve(c, hf, ch, -1, beat.avOpen, h.walls);
}

function lvotPath(h: HeartInstance, ch: Chambers): number[] {
  const j = h.jitter;
  return bezier(
    ch.pAV + 0.12 * ch.a,
    0.28 * ch.b,
    ch.pAV - 0.4 * ch.a + 0.06 * ch.a * j[0]!,
    0.12 * ch.b + 0.08 * ch.b * j[1]!,
    ch.pAV - 0.85 * ch.a + 0.05 * ch.a * j[2]!,
    -0.85 * ch.b + 0.1 * ch.b * j[3]!,
    10,
  );
}

function drawLvot(c: Canvas, h: HeartInstance, hf: Frame, ch: Chambers, beat: Beat): void {
  const fluid = h.scene.fluid;
  const radius = 0.17 * ch.b * (1 + 0.1 * beat.contraction);
  const path = lvotPath(h, ch);
  heartBlob(c, hf, ch, h.myocardium, h.walls);
  if (h.jitter[4]! > -0.5) atrium(c, hf, ch, 1, 0.6, fluid);
  tube(c, hf, path, radius + 0.005, radius * 0.9 + 0.005, h.walls * 0.85);
  ventricle(c, hf, ch, 1, 0.74, fluid);
  ventricle(c, hf, ch, -1, 0.6, fluid);
  tube(c, hf, path, radius, radius * 0.9, fluid);
  const wall = 0.006 * (1 + 0.35 * beat.contraction);
  capsule(c, hf, ch.pAV + 0.1 * ch.a, 0, 0.72 * ch.a, 0, wall, h.walls);
  avValve(c, hf, ch, 1, beat.avOpen, h.walls);
  semilunarValve(c, hf, path, radius, beat.semilunarOpen, h.walls);
}

function drawRvot(c: Canvas, h: HeartInstance, hf: Frame, f: Frame, ch: Chambers, beat: Beat): void {
  const fluid = h.scene.fluid;
  const j = h.jitter;
  const radius = 0.16 * ch.b * (1 + 0.1 * beat.contraction);
  const main = bezier(
    ch.pAV + 0.1 * ch.a,
    -0.38 * ch.b,
    ch.pAV - 0.45 * ch.a + 0.05 * ch.a * j[0]!,
    -0.8 * ch.b + 0.08 * ch.b * j[1]!,
    ch.pAV - 0.8 * ch.a + 0.05 * ch.a * j[2]!,
    -0.1 * ch.b + 0.08 * ch.b * j[3]!,
    10,
  );
  const bu = main[main.length - 2]!;
  const bv = main[main.length - 1]!;
  const [au, av] = h.descAorta as [number, number, number];
  const da = hf.local(f.point(au, av).x, f.point(au, av).y);
  const ductus = bezier(bu, bv, (bu + da.u) / 2 - 0.2 * ch.a, (bv + da.v) / 2 - 0.1 * ch.b, da.u, da.v, 8);
  const rpa = bezier(bu, bv, bu - 0.2 * ch.a, bv - 0.25 * ch.b, bu - 0.3 * ch.a + 0.05 * ch.a * j[5]!, bv - 0.75 * ch.b, 8);
  heartBlob(c, hf, ch, h.myocardium, h.walls);
  tube(c, hf, main, radius + 0.005, radius * 0.85 + 0.005, h.walls * 0.85);
  tube(c, hf, ductus, radius * 0.75 + 0.004, radius * 0.65 + 0.004, h.walls * 0.8);
  tube(c, hf, rpa, radius * 0.65 + 0.004, radius * 0.55 + 0.004, h.walls * 0.8);
  ventricle(c, hf, ch, -1, 0.62, fluid);
  if (j[4]! > -0.8) ventricle(c, hf, ch, 1, 0.6, fluid);
  tube(c, hf, main, radius, radius * 0.85, fluid);
  tube(c, hf, ductus, radius * 0.75, radius * 0.65, fluid);
  tube(c, hf, rpa, radius * 0.65, radius * 0.55, fluid);
  const aortaU = ch.pAV - 0.42 * ch.a;
  const aortaV = 0.02 * ch.b + 0.06 * ch.b * j[6]!;
  dot(c, hf, aortaU, aortaV, radius * 0.9 + 0.005, h.walls * 0.85);
  dot(c, hf, aortaU, aortaV, radius * 0.9, fluid);
  capsule(c, hf, ch.pAV + 0.1 * ch.a, 0, 0.72 * ch.a, 0, 0.006 * (1 + 0.35 * beat.contraction), h.walls);
  semilunarValve(c, hf, main, radius, beat.semilunarOpen, h.walls);
}

/**
 * 3VT vessel centres in the trunk frame, radius R: [u, v, r] for PA, aorta, SVC, trachea.
 * The great vessels swing forward a little as the ventricles contract below them.
 */
function threeVessels(h: HeartInstance, contraction: number): number[][] {
  const R = h.trunk.radius;
  const j = h.jitter;
  const swing = -0.04 * contraction;
  return [
    [R * (-0.32 + swing + 0.04 * j[0]!), R * (0.3 + 0.04 * j[1]!), R * 0.115],
    [R * (-0.2 + swing + 0.03 * j[2]!), R * (0.04 + 0.03 * j[3]!), R * 0.092],
    [R * (-0.08 + swing / 2 + 0.03 * j[4]!), R * (-0.2 + 0.03 * j[5]!), R * 0.062],
    [R * (0.26 + 0.03 * j[6]!), R * (-0.12 + 0.03 * j[7]!), R * 0.065],
  ];
}

function drawThreeVessels(c: Canvas, h: HeartInstance, hf: Frame, f: Frame, beat: Beat): void {
  const fluid = h.scene.fluid;
  const [pa, ao, svc, trachea] = threeVessels(h, beat.contraction) as [number[], number[], number[], number[]];
  const [du, dv, dr] = h.descAorta as [number, number, number];
  const pulse = 1 + 0.16 * beat.contraction;
  ellipse(c, hf, 0, 0, h.a * 0.8, h.b * 0.78, 0, h.myocardium * 0.85);
  const paArch = bezier(pa[0]!, pa[1]!, (pa[0]! + du) / 2, pa[1]! * 1.05, du, dv, 10);
  const aoArch = bezier(ao[0]!, ao[1]!, (ao[0]! + du) / 2, ao[1]! - 0.05 * h.trunk.radius, du, dv, 10);
  // Arches narrower than the round sections they leave, so the three sections stay round.
  for (const [vessel, arch] of [
    [pa, paArch],
    [ao, aoArch],
  ] as const) {
    tube(c, f, arch, vessel[2]! * 0.6 * pulse + 0.004, dr * pulse + 0.004, h.walls * 0.8);
    dot(c, f, vessel[0]!, vessel[1]!, vessel[2]! * pulse + 0.004, h.walls * 0.8);
  }
  dot(c, f, svc[0]!, svc[1]!, svc[2]! * (1 + 0.06 * beat.atrialKick) + 0.004, h.walls * 0.8);
  for (const [vessel, arch] of [
    [pa, paArch],
    [ao, aoArch],
  ] as const) {
    tube(c, f, arch, vessel[2]! * 0.6 * pulse, dr * pulse, fluid);
    dot(c, f, vessel[0]!, vessel[1]!, vessel[2]! * pulse, fluid);
  }
  dot(c, f, svc[0]!, svc[1]!, svc[2]! * (1 + 0.06 * beat.atrialKick), fluid);
  dot(c, f, trachea[0]!, trachea[1]!, trachea[2]!, fluid * 1.5);
  ring(c, f, trachea[0]!, trachea[1]!, trachea[2]!, trachea[2]!, 0, 0.006, h.walls * 1.1);
}

export function renderHeart(h: HeartInstance, phase: number, c: Canvas): void {
  const f = trunkFrame(h.trunk);
  const hf = heartFrame(h, f);
  const beat = beatAt(phase);
  const ch = chambersAt(h.a, h.b, beat);
  drawScene(c, h.scene);
  drawTrunkBody(c, h.trunk, f);
  descendingAorta(c, h, f, beat);
  switch (h.cls) {
    case '4CH':
      drawFourChamber(c, h, hf, ch, beat);
      break;
    case 'LVOT':
      drawLvot(c, h, hf, ch, beat);
      break;
    case 'RVOT':
      drawRvot(c, h, hf, f, ch, beat);
      break;
    case '3VT':
      drawThreeVessels(c, h, hf, f, beat);
      break;
  }
  drawTrunkBones(c, h.trunk, f);
}

export function heartTargets(h: HeartInstance): GazeTarget[] {
  const f = trunkFrame(h.trunk);
  const hf = heartFrame(h, f);
  const ch = chambersAt(h.a, h.b, beatAt(0));
  const at = (p: number, q: number): Point => hf.point(p, q);
  switch (h.cls) {
    case '4CH':
      return targets(
        [at(ch.pAV, 0), 0.3],
        [at(0.3 * ch.a, 0.47 * ch.b), 0.2],
        [at(0.25 * ch.a, -0.47 * ch.b), 0.2],
        [at(-0.55 * ch.a, 0.45 * ch.b), 0.15],
        [at(-0.55 * ch.a, -0.45 * ch.b), 0.15],
      );
    case 'LVOT': {
      const path = lvotPath(h, ch);
      return targets(
        [at(path[4]!, path[5]!), 0.4],
        [at(0.3 * ch.a, 0.47 * ch.b), 0.3],
        [at(path[path.length - 2]!, path[path.length - 1]!), 0.3],
      );
    }
    case 'RVOT':
      return targets([at(ch.pAV - 0.1 * ch.a, -0.5 * ch.b), 0.3], [at(ch.pAV - 0.8 * ch.a, -0.1 * ch.b), 0.4], [at(0.25 * ch.a, -0.47 * ch.b), 0.3]);
    case '3VT': {
      const [pa, ao, svc, trachea] = threeVessels(h, 0) as [number[], number[], number[], number[]];
      return targets(
        [f.point(pa[0]!, pa[1]!), 0.25],
        [f.point(ao[0]!, ao[1]!), 0.25],
        [f.point(svc[0]!, svc[1]!), 0.2],
        [f.point(trachea[0]!, trachea[1]!), 0.15],
        [f.point(h.descAorta[0]!, h.descAorta[1]!), 0.15],
      );
    }
  }
}
