import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame } from './frame.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { capsule, ellipse, ring } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';

/** Femur length view: one straight bright bone in the thigh, the knee at its `distal` end. */
export interface FemurInstance {
  readonly cls: 'femur';
  readonly scene: Scene;
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  readonly length: number;
  readonly radius: number;
  readonly bone: number;
  readonly thighWidth: number;
  readonly muscle: number;
  /** +1: knee at +u end, -1: at -u end. */
  readonly distal: number;
  /** The lower leg leaving the knee: [] or [angle from the femur, length, brightness]. */
  readonly lowerLeg: readonly number[];
}

export function sampleFemur(rng: Rng): FemurInstance {
  const x = 0.5 + rng.normal(0, 0.03);
  const y = 0.55 + rng.normal(0, 0.03);
  const length = 0.3 * rng.uniform(0.85, 1.15);
  const distal = rng.chance(0.5) ? 1 : -1;
  return {
    cls: 'femur',
    scene: sampleScene(rng.fork('scene'), { x, y, reach: 0.17, pockets: rng.int(2, 4) }),
    x,
    y,
    angle: rng.normal(0, 0.22),
    length,
    radius: rng.uniform(0.008, 0.011),
    bone: rng.uniform(1.15, 1.45),
    thighWidth: rng.uniform(0.065, 0.095),
    muscle: rng.uniform(0.3, 0.4),
    distal,
    lowerLeg: rng.chance(0.5) ? [distal * rng.uniform(1.9, 2.6), length * rng.uniform(0.6, 0.85), rng.uniform(0.55, 0.8)] : [],
  };
}

function femurFrame(inst: FemurInstance): Frame {
  return Frame.at(inst.x, inst.y, inst.angle, 1);
}

export function renderFemur(inst: FemurInstance, c: Canvas): void {
  const f = femurFrame(inst);
  const half = inst.length / 2;
  const r = inst.radius;
  drawScene(c, inst.scene);
  c.tissue();
  const [legAngle, legLength, legBone] = inst.lowerLeg;
  const knee = inst.distal * (half + 0.012);
  if (legAngle !== undefined && legLength !== undefined && legBone !== undefined) {
    const lf = f.child(knee, 0, legAngle, 1);
    ellipse(c, lf, legLength * 0.5, 0, legLength * 0.6, inst.thighWidth * 0.75, 0, inst.muscle * 0.95);
    c.bone(30);
    capsule(c, lf, legLength * 0.08, 0.006, legLength * 0.95, 0.004, r * 0.8, legBone);
    c.tissue();
  }
  ellipse(c, f, 0, 0, half * 1.25, inst.thighWidth, 0, inst.muscle);
  ring(c, f, 0, 0, half * 1.25, inst.thighWidth, 0, 0.005, inst.muscle * 1.6);
  // Cartilaginous distal epiphysis: dark, not part of the measured bone.
  ellipse(c, f, inst.distal * (half + 0.014), 0, 0.014, 0.017, 0, 0.1);
  c.bone(75);
  capsule(c, f, -half, 0, half, 0, r, inst.bone);
  ellipse(c, f, -half + r, 0, 2 * r, 1.35 * r, 0, inst.bone);
  ellipse(c, f, half - r, 0, 2 * r, 1.35 * r, 0, inst.bone);
  c.tissue();
}

export function femurTargets(inst: FemurInstance): GazeTarget[] {
  const f = femurFrame(inst);
  const half = inst.length / 2;
  return targets([f.point(-half, 0), 0.4], [f.point(half, 0), 0.4], [f.point(0, 0), 0.2]);
}
