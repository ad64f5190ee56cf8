import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { bezier, ellipse, ring, tube } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';
import { drawTrunkBody, drawTrunkBones, sampleTrunk, spinePoint, trunkFrame, type Trunk } from './trunk.js';

/** Abdominal circumference plane: stomach on the left, umbilical vein towards the front. */
export interface AbdomenInstance {
  readonly cls: 'abdomen';
  readonly scene: Scene;
  readonly trunk: Trunk;
  /** [u, v, ru, rv, rot] in the trunk frame. */
  readonly stomach: readonly number[];
  /** Quadratic Bezier control points [u0, v0, u1, v1, u2, v2] in the trunk frame. */
  readonly vein: readonly number[];
  readonly veinRadius: number;
}

/** Kidney plane: the same outline and spine, a kidney either side of the spine. */
export interface KidneysInstance {
  readonly cls: 'kidneys';
  readonly scene: Scene;
  readonly trunk: Trunk;
  /** Per kidney (left, right): [u, v, ru, rv, rot] in the trunk frame. */
  readonly kidneys: readonly number[];
  readonly cortex: number;
  readonly sinus: number;
  /** Bowel loops: flat [u, v, r] in the trunk frame. */
  readonly bowel: readonly number[];
}

function sampleTorso(rng: Rng): { scene: Scene; trunk: Trunk } {
  const trunk = sampleTrunk(rng.fork('trunk'), [0.34, 0.42], [0, 2]);
  const scene = sampleScene(rng.fork('scene'), { x: trunk.x, y: trunk.y, reach: trunk.radius * 1.15, pockets: rng.int(1, 3) });
  return { scene, trunk };
}

export function sampleAbdomen(rng: Rng): AbdomenInstance {
  const { scene, trunk } = sampleTorso(rng);
  const R = trunk.radius;
  const r = rng.fork('organs');
  const side = r.normal(0, 0.06);
  return {
    cls: 'abdomen',
    scene,
    trunk,
    stomach: [
      R * r.uniform(-0.2, 0.15),
      R * r.uniform(0.38, 0.5),
      R * r.uniform(0.25, 0.34),
      R * r.uniform(0.15, 0.22),
      r.uniform(-0.5, 0.5),
    ],
    vein: [
      -0.9 * R,
      R * side,
      -0.5 * R,
      R * (side + r.uniform(-0.05, 0.08)),
      R * r.uniform(-0.3, -0.15),
      -R * r.uniform(0.15, 0.3),
    ],
    veinRadius: R * r.uniform(0.05, 0.07),
  };
}

export function sampleKidneys(rng: Rng): KidneysInstance {
  const { scene, trunk } = sampleTorso(rng);
  const R = trunk.radius;
  const r = rng.fork('organs');
  const kidneys: number[] = [];
  for (const side of [1, -1]) {
    kidneys.push(
      R * r.uniform(0.45, 0.55),
      side * R * r.uniform(0.36, 0.42),
      R * r.uniform(0.27, 0.32),
      R * r.uniform(0.18, 0.22),
      side * r.uniform(0.15, 0.6),
    );
  }
  const bowel: number[] = [];
  const loops = r.int(1, 4);
  for (let k = 0; k < loops; k++) bowel.push(R * r.uniform(-0.7, -0.1), R * r.uniform(-0.5, 0.5), R * r.uniform(0.08, 0.16));
  return { cls: 'kidneys', scene, trunk, kidneys, cortex: r.uniform(0.17, 0.24), sinus: r.uniform(0.65, 0.9), bowel };
}

export function renderAbdomen(inst: AbdomenInstance, c: Canvas): void {
  const f = trunkFrame(inst.trunk);
  drawScene(c, inst.scene);
  drawTrunkBody(c, inst.trunk, f);
  const [u, v, ru, rv, rot] = inst.stomach as [number, number, number, number, number];
  ellipse(c, f, u, v, ru + 0.004, rv + 0.004, rot, inst.trunk.interior * 1.25);
  ellipse(c, f, u, v, ru, rv, rot, inst.scene.fluid);
  const [u0, v0, u1, v1, u2, v2] = inst.vein as [number, number, number, number, number, number];
  tube(c, f, bezier(u0, v0, u1, v1, u2, v2, 8), inst.veinRadius, inst.veinRadius * 1.1, inst.scene.fluid * 1.3);
  drawTrunkBones(c, inst.trunk, f);
}

export function renderKidneys(inst: KidneysInstance, c: Canvas): void {
  const f = trunkFrame(inst.trunk);
  drawScene(c, inst.scene);
  drawTrunkBody(c, inst.trunk, f);
  for (let k = 0; k + 2 < inst.bowel.length; k += 3) {
    const r = inst.bowel[k + 2]!;
    ellipse(c, f, inst.bowel[k]!, inst.bowel[k + 1]!, r, r * 0.8, k, inst.trunk.interior * 1.1);
  }
  for (let k = 0; k + 4 < inst.kidneys.length; k += 5) {
    const [u, v, ru, rv, rot] = inst.kidneys.slice(k, k + 5) as [number, number, number, number, number];
    const kf = f.child(u, v, rot, v >= 0 ? 1 : -1);
    // kf: u along the kidney's long axis, v away from the midline (medial side at v < 0).
    ellipse(c, kf, 0, 0, ru, rv, 0, inst.cortex);
    ring(c, kf, 0, 0, ru, rv, 0, 0.007, 0.5);
    ellipse(c, kf, 0, -rv * 1.1, ru * 0.35, rv * 0.42, 0, inst.trunk.interior);
    ellipse(c, kf, 0, -rv * 0.25, ru * 0.5, rv * 0.28, 0, inst.sinus);
  }
  drawTrunkBones(c, inst.trunk, f);
}

export function abdomenTargets(inst: AbdomenInstance): GazeTarget[] {
  const f = trunkFrame(inst.trunk);
  const [u0, v0, u1, v1, u2, v2] = inst.vein as [number, number, number, number, number, number];
  return targets(
    [f.point(inst.stomach[0]!, inst.stomach[1]!), 0.3],
    [f.point(0.25 * u0 + 0.5 * u1 + 0.25 * u2, 0.25 * v0 + 0.5 * v1 + 0.25 * v2), 0.3],
    [spinePoint(inst.trunk, f), 0.2],
    [f.point(0, 0), 0.2],
  );
}

export function kidneysTargets(inst: KidneysInstance): GazeTarget[] {
  const f = trunkFrame(inst.trunk);
  const k = inst.kidneys;
  return targets(
    [f.point(k[0]!, k[1]!), 0.3],
    [f.point(k[5]!, k[6]!), 0.3],
    [spinePoint(inst.trunk, f), 0.25],
    [f.point(0, 0), 0.15],
  );
}
