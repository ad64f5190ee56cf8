import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { PLANE_CLASSES } from './planes.js';
import { frameLabels, planTimeline, segmentAt } from './timeline.js';

describe('planTimeline', () => {
  const duration = 600;
  const segments = planTimeline(duration, new Rng(3));

  it('tiles the scan exactly, starting with a search', () => {
    expect(segments[0]?.cls).toBe('background');
    expect(segments[0]?.start).toBe(0);
    expect(segments.at(-1)?.end).toBeCloseTo(duration, 9);
    for (let i = 1; i < segments.length; i++) expect(segments[i]?.start).toBe(segments[i - 1]?.end);
  });

  it('holds each plane stably inside its segment, after an approach', () => {
    for (const s of segments) {
      expect(s.stableStart).toBeGreaterThanOrEqual(s.start);
      expect(s.stableEnd).toBeGreaterThanOrEqual(s.stableStart);
      expect(s.stableEnd).toBeLessThanOrEqual(s.end);
      if (s.cls !== 'background' && s.end < duration) expect(s.stableStart - s.start).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('visits most standard planes in ten minutes, dwelling seconds to tens of seconds', () => {
    const visited = new Set(segments.map((s) => s.cls));
    expect(visited.size).toBeGreaterThanOrEqual(10);
    const dwells = segments.filter((s) => s.cls !== 'background' && s.end < duration).map((s) => s.end - s.start);
    expect(Math.min(...dwells)).toBeGreaterThanOrEqual(1.5);
    expect(Math.max(...dwells)).toBeGreaterThan(10);
    expect(Math.max(...dwells)).toBeLessThanOrEqual(25);
  });

  it('walks a section in exam order (heart views together)', () => {
    const order = segments.filter((s) => s.cls !== 'background').map((s) => s.cls);
    const heart = order.map((c, i) => (['4CH', 'LVOT', 'RVOT', '3VT'].includes(c) ? i : -1)).filter((i) => i >= 0);
    // Heart views come in runs rather than scattered singly through the scan.
    const runs = heart.filter((i, k) => k === 0 || heart[k - 1] !== i - 1).length;
    expect(runs).toBeLessThan(heart.length);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(planTimeline(duration, new Rng(3))).toEqual(segments);
    expect(planTimeline(duration, new Rng(4))).not.toEqual(segments);
  });

  it('labels frames with the plane only while it is stable', () => {
    const labels = frameLabels(segments, duration * 30, 30, PLANE_CLASSES);
    const background = PLANE_CLASSES.indexOf('background');
    for (const s of segments.slice(0, 20)) {
      const k = PLANE_CLASSES.indexOf(s.cls);
      const mid = Math.floor(((s.stableStart + s.stableEnd) / 2) * 30);
      if (s.stableEnd - s.stableStart > 0.2) expect(labels[mid]).toBe(k);
      if (s.cls !== 'background') expect(labels[Math.floor(s.start * 30) + 1]).toBe(background);
    }
    expect(segmentAt(segments, 0)).toBe(0);
    expect(segmentAt(segments, duration - 0.01)).toBe(segments.length - 1);
  });
});
