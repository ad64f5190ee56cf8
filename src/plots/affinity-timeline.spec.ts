import { describe, expect, it } from '@jest/globals';
import { AFFINITY_COLORS, drawAffinityTimeline, layoutAffinityTimeline, type AffinityTimelineInput } from './affinity-timeline.js';
import { countColor, countInk } from './image-probe.js';
import { PLOT_THEME } from './theme.js';

const INPUT: AffinityTimelineInput = {
  scanId: 'scan-0001',
  duration: 120,
  speech: [{ start: 10, end: 30 }],
  vad: [{ start: 12, end: 32 }, { start: 80, end: 85 }],
  clips: [
    { start: 0, end: 10, speechFraction: 0, affinity: 'low' },
    { start: 10, end: 20, speechFraction: 1, affinity: 'high' },
    { start: 20, end: 30, speechFraction: 0.5, affinity: 'high' },
    { start: 60, end: 70, speechFraction: 0.1, affinity: 'low' },
  ],
};

describe('drawAffinityTimeline', () => {
  it('has the requested width and a height set by the lanes', () => {
    const img = drawAffinityTimeline(INPUT, {});
    expect(img.width).toBe(960);
    expect(drawAffinityTimeline(INPUT, { width: 500 }).width).toBe(500);
    const overlapping = { ...INPUT, clips: [...INPUT.clips, { start: 5, end: 15, speechFraction: 0.5, affinity: 'high' as const }] };
    const layout = layoutAffinityTimeline(overlapping);
    expect(layout.clipRows).toEqual([0, 0, 0, 0, 1]);
    expect(drawAffinityTimeline(overlapping, {}).height).toBeGreaterThan(img.height);
  });

  it('draws truth speech and VAD speech in their lanes at the right times', () => {
    const img = drawAffinityTimeline(INPUT, {});
    const layout = layoutAffinityTimeline(INPUT);
    const mid = (lane: { y: number; height: number }) => lane.y + Math.floor(lane.height / 2);
    expect(img.getPixel(layout.timeToX(20), mid(layout.speechLane))).toEqual([...AFFINITY_COLORS.speech]);
    expect(img.getPixel(layout.timeToX(50), mid(layout.speechLane))).not.toEqual([...AFFINITY_COLORS.speech]);
    expect(img.getPixel(layout.timeToX(31), mid(layout.vadLane))).toEqual([...AFFINITY_COLORS.vad]);
    expect(img.getPixel(layout.timeToX(82), mid(layout.vadLane))).toEqual([...AFFINITY_COLORS.vad]);
    expect(img.getPixel(layout.timeToX(50), mid(layout.vadLane))).not.toEqual([...AFFINITY_COLORS.vad]);
  });

  it('colours clips by affinity and fills them to their speech fraction', () => {
    const img = drawAffinityTimeline(INPUT, {});
    const layout = layoutAffinityTimeline(INPUT);
    const column = (t: number) => ({ x: Math.round(layout.timeToX(t)), y: layout.clipLane.y, width: 1, height: layout.clipLane.height });
    const full = countColor(img, column(15), AFFINITY_COLORS.high);
    const half = countColor(img, column(25), AFFINITY_COLORS.high);
    expect(full).toBeGreaterThan(12);
    expect(half / full).toBeGreaterThan(0.35);
    expect(half / full).toBeLessThan(0.65);
    expect(countColor(img, column(65), AFFINITY_COLORS.low)).toBeGreaterThan(0);
    expect(countColor(img, column(65), AFFINITY_COLORS.high)).toBe(0);
    expect(countColor(img, column(45), AFFINITY_COLORS.high) + countColor(img, column(45), AFFINITY_COLORS.low)).toBe(0);
  });

  it('writes the title, lane names and m:ss time labels', () => {
    const img = drawAffinityTimeline(INPUT, {});
    const layout = layoutAffinityTimeline(INPUT);
    const bg = PLOT_THEME.background;
    expect(countInk(img, { x: 0, y: 0, width: img.width, height: layout.legendY - 2 }, bg)).toBeGreaterThan(100);
    for (const lane of [layout.speechLane, layout.vadLane, layout.clipLane]) {
      expect(countInk(img, { x: 0, y: lane.y, width: layout.plotX - 2, height: lane.height }, bg)).toBeGreaterThan(20);
    }
    const axisText = { x: layout.plotX - 20, y: layout.axisY + 5, width: layout.plotWidth + 40, height: 10 };
    expect(countInk(img, axisText, bg)).toBeGreaterThan(100);
  });

  it('copes with unknown ground truth and a missing duration', () => {
    const bare: AffinityTimelineInput = { scanId: 'x', duration: 0, speech: [], vad: [{ start: 1, end: 4 }], clips: [] };
    const layout = layoutAffinityTimeline(bare);
    expect(layout.duration).toBe(4);
    const img = drawAffinityTimeline(bare, {});
    expect(countColor(img, { x: layout.plotX, y: layout.speechLane.y, width: 300, height: layout.speechLane.height }, PLOT_THEME.dimText)).toBeGreaterThan(40);
    const none = drawAffinityTimeline({ ...bare, vad: [] }, {});
    expect(none.width).toBe(960);
  });
});
