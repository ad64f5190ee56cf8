import type { Rng } from '../util/rng.js';
import type { ProbePose } from './render/pose.js';
import { lerpPose } from './render/pose.js';
import type { PlaneSegment } from './timeline-types.js';

/**
 * How the probe moves during one segment: it sweeps in from `enter` (structure partly out
 * of view), holds `base` with hand tremor while the plane is stable, and sweeps out to
 * `exit`. Background segments wander. Sums of slow sines keep it smooth and cheap.
 */
export interface SegmentMotion {
  base: ProbePose;
  enter: ProbePose;
  exit: ProbePose;
  wobble: { amp: number; freq: number; phase: number }[];
  wander: number;
}

const DEG = Math.PI / 180;

export function planMotion(segment: PlaneSegment, rng: Rng): SegmentMotion {
  const base: ProbePose = {
    tx: rng.uniform(-0.05, 0.05),
    ty: rng.uniform(-0.06, 0.05),
    angle: rng.uniform(-12, 12) * DEG,
    zoom: rng.uniform(0.88, 1.18),
  };
  const away = (): ProbePose => {
    const dir = rng.uniform(0, 2 * Math.PI);
    const dist = rng.uniform(0.2, 0.42);
    return {
      tx: base.tx + dist * Math.cos(dir),
      ty: base.ty + 0.6 * dist * Math.sin(dir),
      angle: base.angle + rng.uniform(-10, 10) * DEG,
      zoom: base.zoom * rng.uniform(0.9, 1.1),
    };
  };
  const wobble = Array.from({ length: 3 }, () => ({
    amp: rng.uniform(0.5, 1),
    freq: rng.uniform(0.05, 0.6),
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  return { base, enter: away(), exit: away(), wobble, wander: segment.cls === 'background' ? 1 : 0 };
}

export function poseAt(segment: PlaneSegment, motion: SegmentMotion, t: number): ProbePose {
  const { base } = motion;
  let pose: ProbePose;
  if (t < segment.stableStart) {
    const span = Math.max(1e-6, segment.stableStart - segment.start);
    pose = lerpPose(motion.enter, base, smoothstep((t - segment.start) / span));
  } else if (t >= segment.stableEnd) {
    const span = Math.max(1e-6, segment.end - segment.stableEnd);
    pose = lerpPose(base, motion.exit, smoothstep((t - segment.stableEnd) / span));
  } else {
    pose = { ...base };
  }
  // Tremor while holding a plane; a slow search sweep in background segments.
  const scale = motion.wander ? 0.18 : 0.006;
  let wx = 0;
  let wy = 0;
  let wa = 0;
  for (const [i, w] of motion.wobble.entries()) {
    const s = w.amp * Math.sin(2 * Math.PI * w.freq * (motion.wander ? 0.4 : 1) * t + w.phase);
    if (i === 0) wx += s;
    else if (i === 1) wy += s;
    else wa += s;
  }
  return {
    tx: pose.tx + scale * wx,
    ty: pose.ty + 0.6 * scale * wy,
    angle: pose.angle + (motion.wander ? 15 : 0.6) * DEG * wa,
    zoom: pose.zoom,
  };
}

export function smoothstep(x: number): number {
  const c = Math.min(1, Math.max(0, x));
  return c * c * (3 - 2 * c);
}

/** How far the view moved between two poses, in anatomy units (for speckle decorrelation). */
export function poseDistance(p: ProbePose, q: ProbePose): number {
  return Math.hypot(p.tx - q.tx, p.ty - q.ty) + 0.5 * Math.abs(p.angle - q.angle) + Math.abs(Math.log(p.zoom / q.zoom));
}
