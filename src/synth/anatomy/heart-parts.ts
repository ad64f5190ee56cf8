import type { Canvas } from './canvas.js';
import type { Frame } from './frame.js';
import type { Beat } from './heart-beat.js';
import { capsule, ellipse, ring } from './shapes.js';

/**
 * Chambers, valves and walls in the heart frame: p from the base (atria) to the apex,
 * q from the right ventricle (-) to the left (+).
 */

/** Chamber geometry at one instant, heart frame. */
export interface Chambers {
  a: number;
  b: number;
  /** p of the atrioventricular valve plane. */
  pAV: number;
  ventricle: number;
  atrium: number;
}

/** Chambers of a heart with semi-axes (a, b) at diastole, at the given moment of the beat. */
export function chambersAt(heartA: number, heartB: number, beat: Beat): Chambers {
  const a = heartA * (1 - 0.025 * beat.contraction);
  const b = heartB * (1 - 0.03 * beat.contraction);
  return {
    a,
    b,
    pAV: -0.22 * a + 0.07 * a * beat.contraction,
    ventricle: 1 - 0.16 * beat.contraction + 0.05 * beat.atrialKick,
    atrium: 1 + 0.1 * beat.contraction - 0.18 * beat.atrialKick,
  };
}

/** side +1: left ventricle, -1: right. `reach` is how far towards the apex its cavity goes (fraction of a). */
export function ventricle(c: Canvas, hf: Frame, ch: Chambers, side: number, reach: number, value: number): void {
  const top = reach * ch.a;
  const rp = ((top - ch.pAV) / 2 - 0.004) * ch.ventricle;
  const rq = 0.41 * ch.b * ch.ventricle;
  ellipse(c, hf, (ch.pAV + top) / 2 + 0.002, side * 0.47 * ch.b, rp, rq, side * 0.08, value);
}

export function atrium(c: Canvas, hf: Frame, ch: Chambers, side: number, scale: number, value: number): void {
  const bottom = -0.9 * ch.a;
  const rp = Math.min(((ch.pAV - bottom) / 2 - 0.005) * ch.atrium * scale, 0.45 * ch.a);
  const rq = 0.4 * ch.b * ch.atrium * scale;
  ellipse(c, hf, (ch.pAV + bottom) / 2 - 0.004, side * 0.45 * ch.b, rp, rq, 0, value);
}

/** Two leaflets per atrioventricular valve, hinged at the lateral wall and at the crux. */
export function avValve(c: Canvas, hf: Frame, ch: Chambers, side: number, open: number, value: number): void {
  const length = 0.4 * ch.b;
  const theta = open * 1.15;
  const dp = Math.sin(theta) * length;
  const dq = Math.cos(theta) * length;
  const lateral = side * 0.86 * ch.b;
  const septal = side * 0.03 * ch.b;
  capsule(c, hf, ch.pAV, lateral, ch.pAV + dp, lateral - side * dq, 0.0025, value);
  capsule(c, hf, ch.pAV, septal, ch.pAV + dp * 0.8, septal + side * dq * 0.8, 0.0025, value);
}

/** The grey myocardium with a brighter pericardial outline. */
export function heartBlob(c: Canvas, hf: Frame, ch: Chambers, myocardium: number, walls: number): void {
  ellipse(c, hf, 0, 0, ch.a, ch.b, 0, myocardium);
  ring(c, hf, 0, 0, ch.a, ch.b, 0, 0.006, walls * 0.75, { incidence: 0.4 });
}

/** Closed cusps: a thin line across the vessel near its root; open: two stubs along the walls. */
export function semilunarValve(c: Canvas, hf: Frame, path: readonly number[], radius: number, open: number, value: number): void {
  const u0 = path[2]!;
  const v0 = path[3]!;
  const du = path[4]! - path[0]!;
  const dv = path[5]! - path[1]!;
  const len = Math.hypot(du, dv) || 1;
  const tu = du / len;
  const tv = dv / len;
  const nu = -tv;
  const nv = tu;
  const reach = radius * (1 - 0.75 * open);
  for (const s of [1, -1]) {
    const hu = u0 + s * nu * radius;
    const hv = v0 + s * nv * radius;
    const eu = hu - s * nu * reach + tu * radius * open;
    const ev = hv - s * nv * reach + tv * radius * open;
    capsule(c, hf, hu, hv, eu, ev, 0.002, value);
  }
}

