import type { Rng } from '../util/rng.js';

export interface GazeTarget {
  x: number;
  y: number;
  weight: number;
}

/**
 * Eye-gaze of the sonographer, one point per frame: fixations of 150 ms to ~1 s on key
 * structures (picked by weight), jittered, with slow drift inside a fixation and a
 * saccade (a jump) between fixations. `targetsAt(frame)` gives the current targets in
 * screen pixels (they move with the probe), or an empty list while searching, when the
 * gaze roams over `roam` (a point-sampler for the fan).
 */
export function simulateGaze(
  frames: number,
  fps: number,
  rng: Rng,
  targetsAt: (frame: number) => readonly GazeTarget[],
  roam: (rng: Rng) => [number, number],
  jitterPx: number,
): { x: Float32Array; y: Float32Array } {
  const gx = new Float32Array(frames);
  const gy = new Float32Array(frames);
  let frame = 0;
  while (frame < frames) {
    const length = Math.max(2, Math.round((0.15 + rng.exponential(0.3)) * fps));
    const targets = targetsAt(frame);
    const targetIndex = targets.length > 0 ? pickWeighted(targets, rng) : -1;
    const [roamX, roamY] = roam(rng);
    const offX = rng.normal(0, jitterPx);
    const offY = rng.normal(0, jitterPx);
    let driftX = 0;
    let driftY = 0;
    for (let i = 0; i < length && frame < frames; i++, frame++) {
      const current = targetIndex >= 0 ? targetsAt(frame)[targetIndex] : undefined;
      const cx = current ? current.x : roamX;
      const cy = current ? current.y : roamY;
      driftX = 0.9 * driftX + rng.normal(0, jitterPx * 0.15);
      driftY = 0.9 * driftY + rng.normal(0, jitterPx * 0.15);
      gx[frame] = cx + offX + driftX;
      gy[frame] = cy + offY + driftY;
    }
  }
  return { x: gx, y: gy };
}

function pickWeighted(targets: readonly GazeTarget[], rng: Rng): number {
  let total = 0;
  for (const t of targets) total += t.weight;
  let u = rng.next() * total;
  for (let i = 0; i < targets.length; i++) {
    u -= (targets[i] as GazeTarget).weight;
    if (u <= 0) return i;
  }
  return targets.length - 1;
}
