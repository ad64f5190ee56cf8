/**
 * A stand-in plane timeline for the demo and the tests of this folder: random dwells on
 * random standard planes (3-20 s, settling in 0.5-1.5 s) separated by 1-6 s searches.
 */
import type { Rng } from '../../util/rng.js';
import { PLANE_CLASSES, type PlaneClass } from '../planes.js';
import type { PlaneSegment } from '../timeline-types.js';

const PLANES = PLANE_CLASSES.filter((c): c is Exclude<PlaneClass, 'background'> => c !== 'background');

export function madeUpTimeline(duration: number, rng: Rng): PlaneSegment[] {
  const segments: PlaneSegment[] = [];
  let t = 0;
  let dwell = false;
  while (t < duration) {
    const end = Math.min(duration, t + (dwell ? rng.uniform(3, 20) : rng.uniform(1, 6)));
    if (dwell) {
      const stableStart = Math.min(end, t + rng.uniform(0.5, 1.5));
      const stableEnd = Math.max(stableStart, end - rng.uniform(0.3, 0.8));
      segments.push({ cls: rng.pick(PLANES), start: t, end, stableStart, stableEnd });
    } else {
      segments.push({ cls: 'background', start: t, end, stableStart: end, stableEnd: end });
    }
    t = end;
    dwell = !dwell;
  }
  return segments;
}
