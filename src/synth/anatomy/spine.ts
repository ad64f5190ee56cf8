import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { smoothstep } from './ease.js';
import { Frame } from './frame.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { bezier, ellipse, graph, tube } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';

/**
 * Long-axis spine views. Local frame: u along the spine towards the sacrum, v across it
 * pointing away from the probe (deeper). The spine bends gently (v = curvature * u^2).
 */
export interface SpineInstance {
  readonly cls: 'spine_sag' | 'spine_cor';
  readonly scene: Scene;
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  /** +1: sacrum towards +x on screen, -1: towards -x. */
  readonly direction: number;
  readonly length: number;
  /** Half distance between the outer rows of ossification centres. */
  readonly gap: number;
  readonly curvature: number;
  readonly spacing: number;
  /** Offset of the first centre along u, fraction of the spacing. */
  readonly offset: number;
  readonly bone: number;
  readonly tissue: number;
  /** Sagittal: distance from the posterior row to the skin line. Coronal: unused (0). */
  readonly skinGap: number;
  /** Coronal: rows (2 or 3), widening in the middle (fraction), iliac wings shown. */
  readonly rows: number;
  readonly widening: number;
  readonly iliac: boolean;
}

export function sampleSpine(cls: 'spine_sag' | 'spine_cor', rng: Rng): SpineInstance {
  const x = 0.5 + rng.normal(0, 0.025);
  const y = 0.55 + rng.normal(0, 0.03);
  const coronal = cls === 'spine_cor';
  return {
    cls,
    scene: sampleScene(rng.fork('scene'), { x, y, reach: 0.3, pockets: rng.int(1, 3), probeSideOnly: true }),
    x,
    y,
    angle: rng.normal(0, 0.15),
    direction: rng.chance(0.5) ? 1 : -1,
    length: rng.uniform(0.68, 0.8),
    gap: coronal ? rng.uniform(0.03, 0.038) : rng.uniform(0.024, 0.032),
    curvature: rng.uniform(-0.35, 0.35),
    spacing: rng.uniform(0.032, 0.04),
    offset: rng.next(),
    bone: rng.uniform(1.1, 1.45),
    tissue: rng.uniform(0.3, 0.4),
    skinGap: coronal ? 0 : rng.uniform(0.035, 0.055),
    rows: coronal ? (rng.chance(0.5) ? 3 : 2) : 2,
    widening: coronal ? rng.uniform(0.2, 0.4) : 0,
    iliac: coronal && rng.chance(0.5),
  };
}

function spineFrame(inst: SpineInstance): Frame {
  const c = Math.cos(inst.angle);
  const s = Math.sin(inst.angle);
  return new Frame(inst.x, inst.y, inst.direction * c, inst.direction * s, -s, c);
}

/** Centre line and half-width of the rows at u. */
function centre(inst: SpineInstance, u: number): number {
  return inst.curvature * (u * u - (inst.length * inst.length) / 12);
}

function halfWidth(inst: SpineInstance, u: number): number {
  const L = inst.length;
  const sacral = smoothstep((u - 0.15 * L) / (0.35 * L));
  if (inst.cls === 'spine_sag') return inst.gap * (1 - 0.65 * sacral);
  const m = (u + 0.05 * L) / (0.22 * L);
  return inst.gap * (1 + inst.widening * Math.exp(-m * m)) * (1 - 0.45 * sacral);
}

export function renderSpine(inst: SpineInstance, c: Canvas): void {
  const f = spineFrame(inst);
  const L = inst.length;
  const u0 = -L / 2;
  const u1 = L / 2;
  const fluid = inst.scene.fluid;
  drawScene(c, inst.scene);
  c.tissue();
  const line = (shift: number) => graph((u) => centre(inst, u) + shift, u0 - 0.08, u1 + 0.08, 8);
  if (inst.cls === 'spine_sag') {
    const skin = -inst.gap - inst.skinGap;
    tube(c, f, line(skin - 0.07), 0.065, 0.065, fluid);
    tube(c, f, line(0.06), 0.09 + inst.gap, 0.09 + inst.gap, inst.tissue);
    tube(c, f, graph((u) => centre(inst, u) + skin - 0.002 * Math.sin(u * 30), u0 - 0.08, u1 + 0.08, 24), 0.005, 0.005, inst.tissue * 2.2);
    tube(c, f, graph((u) => centre(inst, u), u0, u1, 12), inst.gap * 0.45, inst.gap * 0.2, inst.tissue * 0.55);
  } else {
    tube(c, f, line(0), inst.gap * 2.6, inst.gap * 2, inst.tissue * 0.8);
    tube(c, f, line(0), inst.gap * 0.55, inst.gap * 0.3, inst.tissue * 0.6);
  }
  const count = Math.floor(L / inst.spacing);
  c.bone(30);
  for (let k = 0; k <= count; k++) {
    const u = u0 + (k + inst.offset) * inst.spacing;
    if (u > u1) break;
    const t = (u - u0) / L;
    const shrink = 1 - 0.35 * smoothstep((t - 0.6) / 0.4);
    const v = centre(inst, u);
    const hw = halfWidth(inst, u);
    const tilt = 2 * inst.curvature * u;
    if (inst.cls === 'spine_sag') {
      ellipse(c, f, u, v - hw, 0.01 * shrink, 0.007 * shrink, tilt, inst.bone * 0.9);
      ellipse(c, f, u, v + hw, 0.013 * shrink, 0.011 * shrink, tilt, inst.bone);
    } else {
      ellipse(c, f, u, v - hw, 0.0095 * shrink, 0.009 * shrink, tilt, inst.bone * 0.95);
      ellipse(c, f, u, v + hw, 0.0095 * shrink, 0.009 * shrink, tilt, inst.bone * 0.95);
      if (inst.rows === 3) ellipse(c, f, u, v, 0.011 * shrink, 0.013 * shrink, tilt, inst.bone);
    }
  }
  if (inst.iliac) {
    // Iliac wings: bright curves lateral to the sacrum, diverging towards the head.
    c.bone(30);
    for (const s of [1, -1]) {
      const su = u1 - 0.03;
      const v0 = centre(inst, su) + s * (halfWidth(inst, su) + 0.012);
      tube(c, f, bezier(su, v0, su - 0.08, v0 + s * 0.02, su - 0.15, v0 + s * 0.09, 8), 0.006, 0.004, inst.bone * 0.85);
    }
  }
  c.tissue();
}

export function spineTargets(inst: SpineInstance): GazeTarget[] {
  const f = spineFrame(inst);
  const L = inst.length;
  const at = (u: number): { x: number; y: number } => f.point(u, centre(inst, u));
  return targets([at(-0.3 * L), 0.25], [at(0), 0.35], [at(0.4 * L), 0.4]);
}
