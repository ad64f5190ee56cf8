import type { Rng } from '../util/rng.js';
import type { PlaneClass } from './planes.js';
import type { PlaneSegment } from './timeline-types.js';

/** Exam sections in a typical order, each a run of planes a sonographer takes in turn. */
const SECTIONS: readonly (readonly PlaneClass[])[] = [
  ['brain_tv', 'brain_tc'],
  ['profile', 'lips'],
  ['spine_sag', 'spine_cor'],
  ['4CH', 'LVOT', 'RVOT', '3VT'],
  ['abdomen', 'kidneys'],
  ['femur'],
];

export interface TimelineOptions {
  /** Dwell on a plane, seconds (log-uniform between). */
  dwellMin: number;
  dwellMax: number;
  /** Searching between planes, seconds. */
  searchMin: number;
  searchMax: number;
}

export const DEFAULT_TIMELINE: TimelineOptions = { dwellMin: 3, dwellMax: 25, searchMin: 1, searchMax: 7 };

/**
 * The walk of a scan through the standard planes: sections in exam order starting at a
 * random one (sometimes with two neighbours swapped, sometimes revisiting a plane),
 * background searches between planes. Segments tile [0, duration) exactly.
 */
export function planTimeline(duration: number, rng: Rng, options: TimelineOptions = DEFAULT_TIMELINE): PlaneSegment[] {
  const segments: PlaneSegment[] = [];
  let t = 0;
  const push = (cls: PlaneClass, length: number): void => {
    const start = t;
    const end = Math.min(duration, t + length);
    if (end - start < 1 / 30) {
      t = end;
      return;
    }
    let stableStart = end;
    let stableEnd = end;
    if (cls !== 'background') {
      const approach = rng.uniform(0.6, 1.5);
      const leave = rng.uniform(0.3, 0.8);
      stableStart = Math.min(end, start + approach);
      stableEnd = Math.max(stableStart, end - leave);
    }
    segments.push({ cls, start, end, stableStart, stableEnd });
    t = end;
  };
  push('background', rng.uniform(1, 3));
  let section = rng.int(0, SECTIONS.length - 1);
  while (t < duration) {
    const planes = [...(SECTIONS[section % SECTIONS.length] as readonly PlaneClass[])];
    if (planes.length > 1 && rng.chance(0.25)) {
      const i = rng.int(0, planes.length - 2);
      [planes[i], planes[i + 1]] = [planes[i + 1] as PlaneClass, planes[i] as PlaneClass];
    }
    for (const cls of planes) {
      if (t >= duration) break;
      if (rng.chance(0.1)) continue;
      push(cls, logUniform(rng, options.dwellMin, options.dwellMax));
      if (rng.chance(0.15) && t < duration) {
        // The sonographer loses the plane for a moment and finds it again.
        push('background', rng.uniform(0.5, 2));
        push(cls, logUniform(rng, options.dwellMin, options.dwellMax / 2));
      }
      push('background', rng.uniform(options.searchMin, options.searchMax));
    }
    section++;
  }
  return segments;
}

function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

/** The segment at time t (segments tile the scan). */
export function segmentAt(segments: readonly PlaneSegment[], t: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segments[mid] as PlaneSegment).start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per-frame labels: the plane's class while it is held in view, else 'background'. */
export function frameLabels(segments: readonly PlaneSegment[], frames: number, fps: number, classes: readonly string[]): number[] {
  const background = classes.indexOf('background');
  const labels = new Array<number>(frames).fill(background);
  for (const s of segments) {
    if (s.cls === 'background') continue;
    const cls = classes.indexOf(s.cls);
    const first = Math.ceil(s.stableStart * fps);
    const last = Math.min(frames, Math.ceil(s.stableEnd * fps));
    for (let i = first; i < last; i++) labels[i] = cls;
  }
  return labels;
}
