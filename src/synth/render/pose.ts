/**
 * Where the probe looks: the anatomy ("world") seen at screen anatomy coordinate a is
 * world = C + R(angle) (a - C) / zoom + (tx, ty), with C = (0.5, 0.5).
 */
export interface ProbePose {
  tx: number;
  ty: number;
  /** Radians. */
  angle: number;
  zoom: number;
}

export const IDENTITY_POSE: ProbePose = { tx: 0, ty: 0, angle: 0, zoom: 1 };

/** Affine coefficients [a, b, c, d, e, f]: u = a x + b y + c, v = d x + e y + f. */
export function screenToWorld(pose: ProbePose): [number, number, number, number, number, number] {
  const cos = Math.cos(pose.angle) / pose.zoom;
  const sin = Math.sin(pose.angle) / pose.zoom;
  const a = cos;
  const b = -sin;
  const d = sin;
  const e = cos;
  const c = 0.5 - a * 0.5 - b * 0.5 + pose.tx;
  const f = 0.5 - d * 0.5 - e * 0.5 + pose.ty;
  return [a, b, c, d, e, f];
}

/** The inverse map: where a world point appears in screen anatomy coordinates. */
export function worldToScreen(pose: ProbePose, u: number, v: number): [number, number] {
  const du = u - pose.tx - 0.5;
  const dv = v - pose.ty - 0.5;
  const cos = Math.cos(pose.angle) * pose.zoom;
  const sin = Math.sin(pose.angle) * pose.zoom;
  return [0.5 + cos * du + sin * dv, 0.5 - sin * du + cos * dv];
}

export function lerpPose(p: ProbePose, q: ProbePose, w: number): ProbePose {
  return {
    tx: p.tx + (q.tx - p.tx) * w,
    ty: p.ty + (q.ty - p.ty) * w,
    angle: p.angle + (q.angle - p.angle) * w,
    zoom: p.zoom + (q.zoom - p.zoom) * w,
  };
}
