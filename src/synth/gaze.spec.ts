import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { simulateGaze } from './gaze.js';

describe('simulateGaze', () => {
  const targets = [
    { x: 100, y: 100, weight: 0.7 },
    { x: 200, y: 150, weight: 0.3 },
  ];
  const roam = (rng: Rng): [number, number] => [rng.uniform(0, 320), rng.uniform(0, 240)];

  it('fixates on the targets, mostly the heavier one, with saccades between them', () => {
    const gaze = simulateGaze(3000, 30, new Rng(1), () => targets, roam, 4);
    let near0 = 0;
    let near1 = 0;
    let jumps = 0;
    for (let i = 0; i < 3000; i++) {
      const x = gaze.x[i] as number;
      const y = gaze.y[i] as number;
      if (Math.hypot(x - 100, y - 100) < 20) near0++;
      else if (Math.hypot(x - 200, y - 150) < 20) near1++;
      if (i > 0 && Math.hypot(x - (gaze.x[i - 1] as number), y - (gaze.y[i - 1] as number)) > 40) jumps++;
    }
    expect(near0 + near1).toBeGreaterThan(2900);
    expect(near0).toBeGreaterThan(near1);
    expect(near1).toBeGreaterThan(300);
    expect(jumps).toBeGreaterThan(20);
  });

  it('roams when there is nothing to look at, and repeats for a seed', () => {
    const a = simulateGaze(600, 30, new Rng(2), () => [], roam, 4);
    const b = simulateGaze(600, 30, new Rng(2), () => [], roam, 4);
    expect(a).toEqual(b);
    const xs = Array.from(a.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(100);
  });
});
