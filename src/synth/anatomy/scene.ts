import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame } from './frame.js';
import { box, ellipse } from './shapes.js';

// Math functions bound once: hot pixel loops then avoid a global lookup per call (slow in
// sandboxed runtimes such as Jest's module VM, ~100x).
const { ceil, cos, exp, max, min, sin } = Math;

/** What surrounds the fetal part in every view: maternal tissue, amniotic fluid, placenta. */
export interface Scene {
  /** Mean echogenicity of the background soft tissue. */
  readonly tissue: number;
  /** Gentle large-scale variation: flat [kx, ky, phase, relative amplitude] per wave. */
  readonly waves: readonly number[];
  /** Depth of the maternal abdominal wall below the probe face. */
  readonly wall: number;
  /** Depths of bright fascia lines inside the wall. */
  readonly fascia: readonly number[];
  /** Echogenicity of amniotic fluid. */
  readonly fluid: number;
  /** Amniotic fluid pockets: flat [x, y, rx, ry, rot] per pocket. */
  readonly pockets: readonly number[];
  /** Placenta band: [] or [centre depth, half thickness, tilt]. */
  readonly placenta: readonly number[];
  /** Overall brightness of the instance. */
  readonly gain: number;
}

const WAVES = 3;

export interface Surroundings {
  /** Centre of the fetal part. */
  x: number;
  y: number;
  /** Its rough radius: pockets sit around this. */
  reach: number;
  /** How many fluid pockets (0 = none). */
  pockets: number;
  /** Only on the probe's side of the part (e.g. over the back, not inside the trunk below the spine). */
  probeSideOnly?: boolean;
}

export function sampleScene(rng: Rng, around: Surroundings): Scene {
  const waves: number[] = [];
  for (let k = 0; k < WAVES; k++) {
    const wavelength = rng.uniform(0.25, 0.8);
    const dir = rng.uniform(0, 2 * Math.PI);
    const kk = (2 * Math.PI) / wavelength;
    waves.push(kk * cos(dir), kk * sin(dir), rng.uniform(0, 2 * Math.PI), rng.uniform(0.04, 0.11));
  }
  const wall = rng.uniform(0.05, 0.13);
  const fascia: number[] = [];
  const lines = rng.int(1, 3);
  for (let k = 0; k < lines; k++) fascia.push(rng.uniform(0.015, wall));
  const pockets: number[] = [];
  for (let k = 0; k < around.pockets; k++) {
    const angle = around.probeSideOnly ? rng.uniform(1.1 * Math.PI, 1.9 * Math.PI) : rng.uniform(0, 2 * Math.PI);
    const dist = around.reach * rng.uniform(0.8, 1.25);
    pockets.push(
      around.x + dist * cos(angle),
      around.y + dist * sin(angle),
      around.reach * rng.uniform(0.35, 0.75),
      around.reach * rng.uniform(0.25, 0.55),
      rng.uniform(0, Math.PI),
    );
  }
  const placenta = rng.chance(0.35)
    ? [rng.chance(0.5) ? wall + rng.uniform(0.03, 0.08) : rng.uniform(0.88, 0.97), rng.uniform(0.04, 0.08), rng.normal(0, 0.12)]
    : [];
  return {
    tissue: rng.uniform(0.3, 0.4),
    waves,
    wall,
    fascia,
    fluid: rng.uniform(0.03, 0.055),
    pockets,
    placenta,
    gain: rng.uniform(0.9, 1.1),
  };
}

/** Fills the whole raster with the scene (tissue, maternal wall, then pockets and placenta below the wall). */
export function drawScene(c: Canvas, s: Scene): void {
  fillTissue(c, s);
  const wallRows = min(c.size, ceil((s.wall + 0.02) / c.pixel) + 1);
  const wall = c.spare;
  wall.set(c.out.subarray(0, wallRows * c.size));
  c.tissue();
  for (let k = 0; k + 4 < s.pockets.length; k += 5) {
    const [x, y, rx, ry, rot] = s.pockets.slice(k, k + 5) as [number, number, number, number, number];
    ellipse(c, Frame.world, x, y, rx, ry, rot, s.fluid);
  }
  const [depth, half, tilt] = s.placenta;
  if (depth !== undefined && half !== undefined && tilt !== undefined) {
    box(c, Frame.world, 0.5, depth, 0.9, half, tilt, half * 0.8, s.tissue * 1.3);
  }
  // Nothing lies inside the maternal wall: restore it over whatever reached up into it.
  for (let y = 0; y < wallRows; y++) {
    const blend = min(1, max(0, (s.wall + 0.012 - y * c.pixel) / 0.02));
    if (blend <= 0) continue;
    const row = y * c.size;
    for (let x = 0; x < c.size; x++) {
      const o = c.out[row + x]!;
      c.out[row + x] = o + (wall[row + x]! - o) * blend;
    }
  }
}

/**
 * Tissue with gentle variation (WAVES separable plane waves: cos(A + B) = cosA cosB -
 * sinA sinB) times a depth profile for the maternal wall: fat, muscle, bright fascia lines.
 */
function fillTissue(c: Canvas, s: Scene): void {
  const { size, out, pixel } = c;
  const cols = new Float32Array(2 * WAVES * size);
  const rows = new Float32Array(2 * WAVES * size);
  for (let w = 0; w < WAVES; w++) {
    const kx = s.waves[4 * w] ?? 0;
    const ky = s.waves[4 * w + 1] ?? 0;
    const phase = s.waves[4 * w + 2] ?? 0;
    const amp = s.waves[4 * w + 3] ?? 0;
    for (let i = 0; i < size; i++) {
      const a = kx * i * pixel + phase;
      const b = ky * i * pixel;
      cols[(2 * w) * size + i] = amp * cos(a);
      cols[(2 * w + 1) * size + i] = -amp * sin(a);
      rows[(2 * w) * size + i] = cos(b);
      rows[(2 * w + 1) * size + i] = sin(b);
    }
  }
  const base = s.tissue;
  for (let y = 0; y < size; y++) {
    const depth = y * pixel;
    let g = depth < s.wall * 0.4 ? 0.7 : 1;
    for (const line of s.fascia) {
      const t = (depth - line) / 0.003;
      g += 0.7 * exp(-t * t);
    }
    const t = (depth - s.wall) / 0.005;
    g = base * (g + 0.6 * exp(-t * t));
    const r0 = g * rows[y]!;
    const r1 = g * rows[size + y]!;
    const r2 = g * rows[2 * size + y]!;
    const r3 = g * rows[3 * size + y]!;
    const r4 = g * rows[4 * size + y]!;
    const r5 = g * rows[5 * size + y]!;
    const row = y * size;
    for (let x = 0; x < size; x++) {
      out[row + x] =
        g +
        cols[x]! * r0 +
        cols[size + x]! * r1 +
        cols[2 * size + x]! * r2 +
        cols[3 * size + x]! * r3 +
        cols[4 * size + x]! * r4 +
        cols[5 * size + x]! * r5;
    }
  }
}
