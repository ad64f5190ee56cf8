import { describe, expect, it } from '@jest/globals';
import { PLANE_CLASSES, planeIndex } from '../../synth/planes.js';
import { frameLabels, planTimeline } from '../../synth/timeline.js';
import { Rng } from '../../util/rng.js';
import { BACKGROUND_LABEL, PlaneLabeler } from './plane-labels.js';

describe('PlaneLabeler', () => {
  const labeler = new PlaneLabeler([
    { cls: 'background', start: 0, end: 2, stableStart: 2, stableEnd: 2 },
    { cls: '4CH', start: 2, end: 10, stableStart: 3, stableEnd: 9.5 },
    { cls: 'background', start: 10, end: 12, stableStart: 12, stableEnd: 12 },
    { cls: 'femur', start: 12, end: 20, stableStart: 12.8, stableEnd: 19 },
  ]);

  it('labels the stable part of a segment with its class', () => {
    expect(labeler.labelAt(3)).toBe(planeIndex('4CH'));
    expect(labeler.labelAt(9.49)).toBe(planeIndex('4CH'));
    expect(labeler.labelAt(15)).toBe(planeIndex('femur'));
  });

  it('labels searching and the probe moving in or out as background', () => {
    expect(BACKGROUND_LABEL).toBe(PLANE_CLASSES.indexOf('background'));
    for (const t of [0, 1.99, 2.5, 9.5, 9.9, 11, 12.5, 19, 19.9, 25]) expect(labeler.labelAt(t)).toBe(BACKGROUND_LABEL);
  });

  it('rejects a class it does not know', () => {
    expect(() => new PlaneLabeler([{ cls: 'elbow', start: 0, end: 1, stableStart: 0, stableEnd: 1 }])).toThrow(/planes\[0\]: unknown class 'elbow'/);
  });

  it("agrees with the generator's per-frame labels on random timelines (times rounded to ms as in sidecars)", () => {
    let frames = 0;
    for (let seed = 0; seed < 20; seed++) {
      const segments = planTimeline(300, new Rng(seed).fork('timeline'));
      const expected = frameLabels(segments, 300 * 30, 30, PLANE_CLASSES);
      const round3 = (v: number): number => Math.round(v * 1000) / 1000;
      const fromSidecar = new PlaneLabeler(segments.map((s) => ({ ...s, start: round3(s.start), end: round3(s.end), stableStart: round3(s.stableStart), stableEnd: round3(s.stableEnd) })));
      let mismatches = 0;
      for (let i = 0; i < expected.length; i += 8, frames++) if (fromSidecar.labelAt(i / 30) !== expected[i]) mismatches++;
      // Rounding to 1 ms may move a boundary across a frame only when it lies within 0.5 ms of one.
      expect(mismatches).toBeLessThanOrEqual(2);
    }
    expect(frames).toBe(20 * 1125);
  });
});
