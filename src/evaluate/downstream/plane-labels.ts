import { isPlaneClass, PLANE_CLASSES, planeIndex } from '../../synth/planes.js';

/** A plane segment as the sidecar's timeline gives it (the fields the labels need). */
export interface TimelineSegment {
  cls: string;
  start: number;
  end: number;
  stableStart: number;
  stableEnd: number;
}

export const BACKGROUND_LABEL = planeIndex('background');

/**
 * Plane class of a moment of a scan, from the sidecar's timeline: the segment's class while
 * its plane is held in view ([stableStart, stableEnd)), background otherwise (searching, or
 * the probe moving in or out). Labels are indices into PLANE_CLASSES.
 */
export class PlaneLabeler {
  /** Stable intervals of non-background segments, sorted by start. */
  private readonly intervals: { start: number; end: number; label: number }[];

  constructor(segments: readonly TimelineSegment[]) {
    this.intervals = [];
    for (const [k, s] of segments.entries()) {
      if (!isPlaneClass(s.cls)) throw new Error(`planes[${k}]: unknown class '${s.cls}' (expected one of ${PLANE_CLASSES.join(', ')})`);
      if (!(Number.isFinite(s.stableStart) && Number.isFinite(s.stableEnd))) throw new Error(`planes[${k}]: stableStart/stableEnd must be numbers`);
      if (s.cls === 'background' || !(s.stableEnd > s.stableStart)) continue;
      this.intervals.push({ start: s.stableStart, end: s.stableEnd, label: planeIndex(s.cls) });
    }
    this.intervals.sort((a, b) => a.start - b.start);
  }

  /** Label at time t (seconds); where stable intervals overlap, the one that started last wins. */
  labelAt(t: number): number {
    let lo = 0;
    let hi = this.intervals.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.intervals[mid]!.start <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let k = found; k >= 0; k--) {
      const interval = this.intervals[k]!;
      if (t < interval.end) return interval.label;
    }
    return BACKGROUND_LABEL;
  }
}
