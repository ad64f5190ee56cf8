import type { Rng } from '../util/rng.js';

/**
 * The sonographer's receive-gain knob over a scan, in dB: a per-scan level with a few
 * adjustments of a few dB (every ~40 s on average), each eased in over half a second.
 */
export function gainSchedule(duration: number, rng: Rng): (t: number) => number {
  const base = rng.uniform(46, 58);
  const changes: { at: number; delta: number }[] = [];
  for (let t = rng.exponential(40); t < duration; t += rng.exponential(40)) {
    changes.push({ at: t, delta: rng.pick([-1, 1]) * rng.uniform(2, 5) });
  }
  return (t) => {
    let g = base;
    for (const c of changes) {
      if (t <= c.at) break;
      g += c.delta * Math.min(1, (t - c.at) / 0.5);
    }
    return g;
  };
}

/** dB on the readout to a linear amplitude factor (52 dB is the nominal setting). */
export function gainFactor(db: number): number {
  return Math.pow(10, (db - 52) / 20);
}
