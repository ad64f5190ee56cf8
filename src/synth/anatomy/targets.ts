import type { Point } from './frame.js';

export interface GazeTarget {
  x: number;
  y: number;
  weight: number;
}

/** Targets from (point, relative weight) pairs: points clamped into [0,1]^2, weights summing to 1. */
export function targets(...items: [Point, number][]): GazeTarget[] {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  return items.map(([p, w]) => ({ x: clamp01(p.x), y: clamp01(p.y), weight: w / total }));
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
