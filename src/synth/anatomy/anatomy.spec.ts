import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import { HEART_CLASSES, PLANE_CLASSES, type PlaneClass } from '../planes.js';
import { gazeTargets, renderAnatomy, sampleAnatomy, type AnatomyInstance } from './index.js';

const SIZE = 96;

function render(inst: AnatomyInstance, phase = 0, size = SIZE): Float32Array {
  const out = new Float32Array(size * size);
  renderAnatomy(inst, phase, size, out);
  return out;
}

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d < 0 ? -d : d;
  }
  return sum / a.length;
}

function fraction(map: Float32Array, test: (v: number) => boolean): number {
  let n = 0;
  for (const v of map) if (test(v)) n++;
  return n / map.length;
}

/** The same instance in plain, shared surroundings: no fluid pockets, placenta or tissue waves. */
function inPlainSurroundings(inst: AnatomyInstance): AnatomyInstance {
  return {
    ...inst,
    scene: { ...inst.scene, tissue: 0.35, waves: [], wall: 0.08, fascia: [], fluid: 0.04, pockets: [], placenta: [], gain: 1 },
  };
}

const isHeart = (cls: PlaneClass): boolean => HEART_CLASSES.includes(cls);

describe('anatomy', () => {
  it('is deterministic for the same seed and differs between seeds', () => {
    for (const cls of PLANE_CLASSES) {
      const a = sampleAnatomy(cls, new Rng(42));
      const b = sampleAnatomy(cls, new Rng(42));
      const c = sampleAnatomy(cls, new Rng(43));
      expect(b).toEqual(a);
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      expect(c).not.toEqual(a);
      const ra = render(a, 0.25);
      expect(render(b, 0.25)).toEqual(ra);
      expect(render(a, 0.25)).toEqual(ra);
    }
  });

  it('renders finite non-negative echogenicity with fluid, tissue and bright echoes', () => {
    const rng = new Rng(7);
    for (const cls of PLANE_CLASSES) {
      for (let k = 0; k < 3; k++) {
        const map = render(sampleAnatomy(cls, rng.fork(`${cls}:${k}`)), 0.1, 256);
        let lowest = Infinity;
        let highest = -Infinity;
        for (const v of map) {
          if (!(v >= lowest)) lowest = v;
          if (!(v <= highest)) highest = v;
        }
        expect(Number.isFinite(lowest) && Number.isFinite(highest)).toBe(true);
        expect(lowest).toBeGreaterThanOrEqual(0);
        expect(highest).toBeLessThan(2);
        expect(fraction(map, (v) => v > 0.22 && v < 0.6)).toBeGreaterThan(0.3);
        if (cls === 'background') continue;
        // Fluid (pockets, chambers, stomach, ventricles...) and bone or bright walls.
        expect({ cls, fluid: fraction(map, (v) => v < 0.09) > 0.003 }).toEqual({ cls, fluid: true });
        expect({ cls, bright: fraction(map, (v) => v > (cls === 'lips' ? 0.65 : 0.85)) > 0.0002 }).toEqual({ cls, bright: true });
      }
    }
  });

  it('casts acoustic shadows straight down behind bone', () => {
    const inst = sampleAnatomy('femur', new Rng(3));
    if (inst.cls !== 'femur') throw new Error('expected a femur');
    const size = 128;
    const map = render(inPlainSurroundings(inst), 0, size);
    const column = Math.round(inst.x * (size - 1));
    const boneRow = Math.round(inst.y * (size - 1));
    let peak = 0;
    for (let y = boneRow - 4; y <= boneRow + 4; y++) peak = Math.max(peak, map[y * size + column]!);
    expect(peak).toBeGreaterThan(0.85);
    const above = map[(boneRow - 20) * size + column]!;
    const below = map[(boneRow + 20) * size + column]!;
    expect(above).toBeGreaterThan(0.22);
    expect(below).toBeLessThan(0.15);
  });

  it('copes with structures lying outside the raster', () => {
    const inst = sampleAnatomy('background', new Rng(1));
    if (inst.cls !== 'background') throw new Error('expected background');
    // Every fragment (bone bits included) moved far off the image: the map is plain scene.
    const moved = { ...inst, fragments: inst.fragments.map((v, i) => (i % 8 === 1 || i % 8 === 2 ? v + 3 : v)) };
    const map = render(moved, 0, 64);
    expect(map.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(map).toEqual(render({ ...inst, fragments: [] }, 0, 64));
  });

  it('keeps classes apart more than instances of one class, heart views the closest', () => {
    const perClass = 5;
    const rng = new Rng(11);
    const maps = new Map<PlaneClass, Float32Array[]>();
    for (const cls of PLANE_CLASSES) {
      maps.set(
        cls,
        Array.from({ length: perClass }, (_, k) => render(inPlainSurroundings(sampleAnatomy(cls, rng.fork(`${cls}:${k}`))))),
      );
    }
    const within = new Map<PlaneClass, number>();
    for (const cls of PLANE_CLASSES) {
      const m = maps.get(cls)!;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++, n++) sum += meanAbsDiff(m[i]!, m[j]!);
      within.set(cls, sum / n);
    }
    const heartRatios: number[] = [];
    const otherRatios: number[] = [];
    for (let a = 0; a < PLANE_CLASSES.length; a++) {
      for (let b = a + 1; b < PLANE_CLASSES.length; b++) {
        const ca = PLANE_CLASSES[a]!;
        const cb = PLANE_CLASSES[b]!;
        let sum = 0;
        for (const x of maps.get(ca)!) for (const y of maps.get(cb)!) sum += meanAbsDiff(x, y);
        const ratio = sum / perClass ** 2 / Math.max(within.get(ca)!, within.get(cb)!);
        (isHeart(ca) && isHeart(cb) ? heartRatios : otherRatios).push(ratio);
      }
    }
    const all = [...heartRatios, ...otherRatios];
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(all.filter((r) => r > 1).length / all.length).toBeGreaterThan(0.7);
    expect(mean(otherRatios)).toBeGreaterThan(1.2);
    expect(mean(heartRatios)).toBeLessThan(mean(otherRatios) - 0.15);
  });

  it('makes the heart views beat and keeps every other view still', () => {
    const rng = new Rng(5);
    for (const cls of PLANE_CLASSES) {
      const inst = sampleAnatomy(cls, rng.fork(cls));
      const diastole = render(inst, 0.7);
      const systole = render(inst, 0.3);
      if (isHeart(cls)) {
        expect({ cls, beats: meanAbsDiff(diastole, systole) > 0.0006 }).toEqual({ cls, beats: true });
      } else {
        expect(systole).toEqual(diastole);
      }
    }
  });

  it('gives gaze targets inside the image with weights summing to 1', () => {
    const rng = new Rng(9);
    for (const cls of PLANE_CLASSES) {
      for (let k = 0; k < 5; k++) {
        const targets = gazeTargets(sampleAnatomy(cls, rng.fork(`${cls}:${k}`)));
        expect(targets.length).toBeGreaterThanOrEqual(2);
        let total = 0;
        for (const t of targets) {
          expect(t.x).toBeGreaterThanOrEqual(0);
          expect(t.x).toBeLessThanOrEqual(1);
          expect(t.y).toBeGreaterThanOrEqual(0);
          expect(t.y).toBeLessThanOrEqual(1);
          expect(t.weight).toBeGreaterThan(0);
          total += t.weight;
        }
        expect(total).toBeCloseTo(1, 9);
      }
    }
  });

  it('puts gaze targets on the structures: the femur targets are on bright bone', () => {
    const inst = sampleAnatomy('femur', new Rng(21));
    const size = 128;
    const map = render(inst, 0, size);
    const ends = gazeTargets(inst).filter((t) => t.weight >= 0.3);
    expect(ends).toHaveLength(2);
    for (const t of ends) expect(map[Math.round(t.y * (size - 1)) * size + Math.round(t.x * (size - 1))]!).toBeGreaterThan(0.6);
  });
});
