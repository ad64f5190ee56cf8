import type { Rng } from '../util/rng.js';
import { renderAnatomy, sampleAnatomy, type AnatomyInstance } from './anatomy/index.js';
import { HEART_CLASSES } from './planes.js';
import { planMotion, poseAt, poseDistance, smoothstep, type SegmentMotion } from './probe-motion.js';
import type { AnatomyLayer } from './render/frame-renderer.js';
import type { ProbePose } from './render/pose.js';
import { segmentAt } from './timeline.js';
import type { PlaneSegment } from './timeline-types.js';

export const ANATOMY_SIZE = 256;
const HEART_PHASES = 12;
/** Cross-fade between consecutive segments' anatomy (the probe leaves one plane for another). */
const CROSSFADE_SECONDS = 0.3;

/**
 * Everything that varies over a scan's frames except pixels: per segment its anatomy and
 * probe motion; per time the layers to render, the speckle phase and the gain. Anatomy
 * rasters are drawn lazily and only the segments around the current time are kept.
 */
export class ScanScene {
  readonly anatomy: AnatomyInstance[];
  readonly motion: SegmentMotion[];
  private readonly rasters = new Map<number, Float32Array[]>();
  private readonly heartRate: number;
  private readonly heartPhase0: number;

  constructor(readonly segments: readonly PlaneSegment[], rng: Rng) {
    this.anatomy = segments.map((s, k) => sampleAnatomy(s.cls, rng.fork(`anatomy:${k}`)));
    this.motion = segments.map((s, k) => planMotion(s, rng.fork(`motion:${k}`)));
    const heart = rng.fork('heart');
    this.heartRate = heart.uniform(125, 160) / 60;
    this.heartPhase0 = heart.next();
  }

  segmentIndexAt(t: number): number {
    return segmentAt(this.segments, t);
  }

  poseAt(k: number, t: number): ProbePose {
    return poseAt(this.segments[k] as PlaneSegment, this.motion[k] as SegmentMotion, t);
  }

  layersAt(t: number): AnatomyLayer[] {
    const k = this.segmentIndexAt(t);
    const segment = this.segments[k] as PlaneSegment;
    const current = this.layer(k, t, 1);
    const fade = smoothstep((t - segment.start) / CROSSFADE_SECONDS);
    if (k === 0 || fade >= 1) return [current];
    const previous = this.segments[k - 1] as PlaneSegment;
    current.weight = fade;
    return [current, this.layer(k - 1, Math.min(t, previous.end), 1 - fade)];
  }

  /** How much the view changed from t0 to t1 (drives speckle decorrelation). */
  motionBetween(t0: number, t1: number): number {
    const k0 = this.segmentIndexAt(t0);
    const k1 = this.segmentIndexAt(t1);
    if (k0 !== k1) return 0.05;
    return poseDistance(this.poseAt(k0, t0), this.poseAt(k1, t1));
  }

  private layer(k: number, t: number, weight: number): AnatomyLayer {
    const phases = this.rastersOf(k);
    const beat = (((t * this.heartRate + this.heartPhase0) % 1) + 1) % 1;
    const raster = phases[Math.floor(beat * phases.length) % phases.length] as Float32Array;
    return { raster, size: ANATOMY_SIZE, pose: this.poseAt(k, t), weight };
  }

  private rastersOf(k: number): Float32Array[] {
    let phases = this.rasters.get(k);
    if (!phases) {
      const instance = this.anatomy[k] as AnatomyInstance;
      const count = HEART_CLASSES.includes(instance.cls) ? HEART_PHASES : 1;
      phases = Array.from({ length: count }, (_, p) => {
        const out = new Float32Array(ANATOMY_SIZE * ANATOMY_SIZE);
        renderAnatomy(instance, p / count, ANATOMY_SIZE, out);
        return out;
      });
      this.rasters.set(k, phases);
      for (const key of this.rasters.keys()) if (key < k - 1) this.rasters.delete(key);
    }
    return phases;
  }
}
