/**
 * An in-memory downstream set with a learnable structure, for the specs of this folder and of
 * the protocol (test support): class c shows a bright square at a position of its own, and the
 * gaze density is a blob on that square.
 */
import type { DownstreamData, DownstreamScanData } from '../downstream/load-downstream.js';
import type { DownstreamManifest } from '../../../schemas/downstream.js';
import { Rng } from '../../util/rng.js';

export interface SyntheticDownstreamOptions {
  scans: number;
  rowsPerScan: number;
  classes: number;
  size: number;
  mapSize: number;
  seed: number;
  /** Share of rows without gaze (default 0.1). */
  noGazeShare?: number;
}

const { exp, floor, max, min, round } = Math;

/** Where class c's square sits, as fractions of the frame (a ring of positions). */
function spot(c: number, classes: number): [number, number] {
  const angle = (2 * Math.PI * c) / classes;
  return [0.5 + 0.3 * Math.cos(angle), 0.5 + 0.3 * Math.sin(angle)];
}

export function syntheticDownstream(options: SyntheticDownstreamOptions): DownstreamData {
  const { size, mapSize, classes } = options;
  const rng = new Rng(options.seed).fork('synthetic-downstream');
  const scans: DownstreamScanData[] = [];
  for (let s = 0; s < options.scans; s++) {
    const n = options.rowsPerScan;
    const scan: DownstreamScanData = {
      id: `scan-${String(s).padStart(3, '0')}`,
      count: n,
      frameIndex: Int32Array.from({ length: n }, (_, i) => 8 * i),
      time: Float64Array.from({ length: n }, (_, i) => (8 * i) / 30),
      frames: new Float32Array(n * size * size),
      labels: new Int32Array(n),
      saliency: new Float32Array(n * mapSize * mapSize),
      hasGaze: new Uint8Array(n),
      fixations: [],
    };
    for (let r = 0; r < n; r++) {
      const c = rng.int(0, classes - 1);
      scan.labels[r] = c;
      const [fx, fy] = spot(c, classes);
      const half = max(1, floor(size / 8));
      const cx = round(fx * (size - 1));
      const cy = round(fy * (size - 1));
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const inside = Math.abs(x - cx) <= half && Math.abs(y - cy) <= half;
          scan.frames[(r * size + y) * size + x] = min(1, max(0, (inside ? 0.85 : 0.15) + 0.05 * rng.normal()));
        }
      }
      const gaze = !rng.chance(options.noGazeShare ?? 0.1);
      scan.hasGaze[r] = gaze ? 1 : 0;
      const fix: number[] = [];
      if (gaze) {
        const mx = round(fx * (mapSize - 1));
        const my = round(fy * (mapSize - 1));
        let total = 0;
        const base = r * mapSize * mapSize;
        for (let y = 0; y < mapSize; y++) {
          for (let x = 0; x < mapSize; x++) {
            const v = exp(-((x - mx) ** 2 + (y - my) ** 2) / (2 * (mapSize / 12) ** 2));
            scan.saliency[base + y * mapSize + x] = v;
            total += v;
          }
        }
        for (let i = 0; i < mapSize * mapSize; i++) scan.saliency[base + i] = (scan.saliency[base + i] as number) / total;
        fix.push(mx, my, min(mapSize - 1, mx + 1), my);
      }
      scan.fixations.push(Int32Array.from(fix));
    }
    scans.push(scan);
  }
  const classNames = Array.from({ length: classes }, (_, c) => `class${c}`);
  return {
    dir: '(memory)',
    manifest: { classes: classNames } as unknown as DownstreamManifest,
    size,
    classes: classNames,
    saliencyWidth: mapSize,
    saliencyHeight: mapSize,
    scans,
  };
}
