import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame, type Point } from './frame.js';
import { dot, ellipse, ring } from './shapes.js';

/**
 * An axial section of the fetal trunk, shared by the abdomen, kidney and heart views:
 * a round outline, an interior, the spine's three ossification centres at the back, ribs.
 * Local frame: u points from the centre to the spine (posterior), v to the fetus's left.
 */
export interface Trunk {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  /** v semi-axis / u semi-axis. */
  readonly aspect: number;
  /** World direction (radians, y down) from the centre to the spine. */
  readonly spineAngle: number;
  /** -1 mirrors the section (the fetus's left on the other side of the screen). */
  readonly flip: number;
  readonly skin: number;
  readonly interior: number;
  readonly bone: number;
  /** Rib arcs: flat [angle from the spine direction (signed), half span] per rib. */
  readonly ribs: readonly number[];
}

export function sampleTrunk(rng: Rng, interior: [number, number], ribCount: [number, number]): Trunk {
  const radius = 0.225 * rng.uniform(0.92, 1.08);
  const ribs: number[] = [];
  const count = rng.int(ribCount[0], ribCount[1]);
  for (let k = 0; k < count; k++) {
    const side = k % 2 === 0 ? 1 : -1;
    ribs.push(side * rng.uniform(0.75, 1.9), rng.uniform(0.25, 0.5));
  }
  return {
    x: 0.5 + rng.normal(0, 0.025),
    y: 0.55 + rng.normal(0, 0.025),
    radius,
    aspect: rng.uniform(0.9, 1.06),
    spineAngle: Math.PI / 2 + rng.uniform(-1.9, 1.9),
    flip: rng.chance(0.5) ? 1 : -1,
    skin: rng.uniform(0.55, 0.75),
    interior: rng.uniform(interior[0], interior[1]),
    bone: rng.uniform(1.1, 1.45),
    ribs,
  };
}

export function trunkFrame(t: Trunk): Frame {
  return Frame.at(t.x, t.y, t.spineAngle, t.flip);
}

/** Interior and skin outline (tissue layer). */
export function drawTrunkBody(c: Canvas, t: Trunk, f: Frame): void {
  const ru = t.radius;
  const rv = t.radius * t.aspect;
  c.tissue();
  ellipse(c, f, 0, 0, ru, rv, 0, t.interior);
  ring(c, f, 0, 0, ru, rv, 0, 0.012, t.skin, { incidence: 0.5 });
}

/** Spinal canal, then the vertebral body and two laminae as bone; ribs as bone arcs. */
export function drawTrunkBones(c: Canvas, t: Trunk, f: Frame): void {
  const R = t.radius;
  c.tissue();
  dot(c, f, 0.77 * R, 0, 0.025 * R, 0.15);
  c.bone(55);
  ellipse(c, f, 0.66 * R, 0, 0.06 * R, 0.065 * R, 0, t.bone);
  ellipse(c, f, 0.85 * R, 0.075 * R, 0.06 * R, 0.03 * R, 0.7, t.bone * 0.95);
  ellipse(c, f, 0.85 * R, -0.075 * R, 0.06 * R, 0.03 * R, -0.7, t.bone * 0.95);
  c.bone(35);
  for (let k = 0; k + 1 < t.ribs.length; k += 2) {
    const at = t.ribs[k]!;
    const half = t.ribs[k + 1]!;
    ring(c, f, 0, 0, 0.9 * R, 0.9 * R * t.aspect, 0, 0.011, t.bone * 0.85, { from: at - half, to: at + half });
  }
  c.tissue();
}

export function spinePoint(t: Trunk, f: Frame): Point {
  return f.point(0.72 * t.radius, 0);
}
