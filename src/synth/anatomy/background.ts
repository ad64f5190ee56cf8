import type { Rng } from '../../util/rng.js';
import type { Canvas } from './canvas.js';
import { Frame } from './frame.js';
import { sampleScene, drawScene, type Scene } from './scene.js';
import { bezier, capsule, dot, ellipse, ring, tube } from './shapes.js';
import { targets, type GazeTarget } from './targets.js';

/** No standard plane: tissue with partial, unrecognisable fragments (the probe searching). */
export interface BackgroundInstance {
  readonly cls: 'background';
  readonly scene: Scene;
  /** Fragments: flat records of FRAGMENT_FIELDS numbers [kind, x, y, size, aspect, rot, value, extra]. */
  readonly fragments: readonly number[];
}

const FRAGMENT_FIELDS = 8;
const BLOB = 0;
const ARC = 1;
const BONE_BIT = 2;
const DOTS = 3;
const VESSEL = 4;
const MOTTLE = 5;

export function sampleBackground(rng: Rng): BackgroundInstance {
  const r = rng.fork('fragments');
  const count = r.int(4, 9);
  const fragments: number[] = [];
  for (let k = 0; k < count; k++) {
    const kind = r.int(0, 5);
    const value =
      kind === BLOB
        ? r.chance(0.6)
          ? r.uniform(0.03, 0.08)
          : r.uniform(0.45, 0.6)
        : kind === ARC || kind === MOTTLE
          ? r.uniform(0.5, 0.8)
          : kind === VESSEL
            ? r.uniform(0.03, 0.07)
            : r.uniform(0.8, 1.3);
    fragments.push(
      kind,
      r.uniform(0.15, 0.85),
      r.uniform(0.2, 0.9),
      kind === BONE_BIT || kind === DOTS ? r.uniform(0.02, 0.06) : r.uniform(0.04, 0.14),
      r.uniform(0.4, 1),
      r.uniform(0, 2 * Math.PI),
      value,
      r.next(),
    );
  }
  const cx = r.uniform(0.3, 0.7);
  const cy = r.uniform(0.4, 0.7);
  return { cls: 'background', scene: sampleScene(rng.fork('scene'), { x: cx, y: cy, reach: r.uniform(0.15, 0.3), pockets: r.int(0, 3) }), fragments };
}

export function renderBackground(inst: BackgroundInstance, c: Canvas): void {
  drawScene(c, inst.scene);
  const w = Frame.world;
  for (let k = 0; k + FRAGMENT_FIELDS <= inst.fragments.length; k += FRAGMENT_FIELDS) {
    const [kind, x, y, size, aspect, rot, value, extra] = inst.fragments.slice(k, k + FRAGMENT_FIELDS) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const f = Frame.at(x, y, rot, 1);
    c.tissue();
    switch (kind) {
      case BLOB:
        ellipse(c, w, x, y, size, size * aspect, rot, value);
        break;
      case ARC: {
        const span = 0.5 + 1.3 * extra;
        if (extra > 0.5) c.bone(25);
        ring(c, f, 0, 0, size, size * aspect, 0, 0.006 + 0.006 * extra, value, { from: -span / 2, to: span / 2, incidence: 0.4 });
        break;
      }
      case BONE_BIT:
        c.bone(50);
        capsule(c, f, -size, 0, size, (extra - 0.5) * size * 0.4, 0.005 + 0.004 * aspect, value);
        break;
      case DOTS: {
        c.bone(40);
        const n = 2 + Math.floor(extra * 3);
        for (let j = 0; j < n; j++) dot(c, f, (j - (n - 1) / 2) * size * 0.7, (j % 2) * 0.008 * aspect, 0.005 + 0.005 * aspect, value);
        break;
      }
      case VESSEL:
        tube(c, f, bezier(-size, 0, 0, size * (extra - 0.5), size, size * 0.2, 8), 0.008 + 0.012 * aspect, 0.006 + 0.01 * aspect, value);
        break;
      case MOTTLE:
        // Irregular bright clutter (bowel-like): a few overlapping blobs on a spiral.
        for (let j = 0; j < 4; j++) {
          const a = j * 2.4 + extra * 6;
          const d = size * (0.2 + 0.25 * j);
          ellipse(c, f, Math.cos(a) * d, Math.sin(a) * d * aspect, size * (0.45 - 0.07 * j), size * 0.3, a * 1.7, value * (0.75 + 0.08 * j));
        }
        break;
    }
  }
  c.tissue();
}

export function backgroundTargets(inst: BackgroundInstance): GazeTarget[] {
  const items: [{ x: number; y: number }, number][] = [];
  for (let k = 0; k + FRAGMENT_FIELDS <= inst.fragments.length; k += FRAGMENT_FIELDS) {
    items.push([{ x: inst.fragments[k + 1]!, y: inst.fragments[k + 2]! }, inst.fragments[k + 3]!]);
  }
  items.push([{ x: 0.5, y: 0.5 }, 0.05]);
  return targets(...items);
}
