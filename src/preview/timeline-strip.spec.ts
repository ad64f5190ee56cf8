import { describe, expect, it } from '@jest/globals';
import { textWidth } from '../draw/font.js';
import type { ScanSidecar } from '../synth/sidecar.js';
import { formatSeconds, tickStep, tickTimes } from './time-axis.js';
import { abbreviate, labelRuns } from './timeline-strip.js';

function sidecarWithLabels(label: number[]): ScanSidecar {
  return { classes: ['a', 'b', 'background'], frames: { label, gazeX: [], gazeY: [] } } as unknown as ScanSidecar;
}

describe('labelRuns', () => {
  it('merges columns with the same label into runs covering every column', () => {
    const runs = labelRuns(sidecarWithLabels([0, 0, 0, 0, 1, 1, 2, 2]), 4);
    expect(runs).toEqual([
      { from: 0, to: 2, label: 'a' },
      { from: 2, to: 3, label: 'b' },
      { from: 3, to: 4, label: 'background' },
    ]);
  });

  it('takes the majority label when a column spans many frames', () => {
    const runs = labelRuns(sidecarWithLabels([1, 0, 0, 2, 2, 2, 1, 2, 2]), 3);
    expect(runs.map((r) => r.label)).toEqual(['a', 'background']);
  });

  it('stretches frames over more columns than frames', () => {
    const runs = labelRuns(sidecarWithLabels([0, 1]), 10);
    expect(runs).toEqual([
      { from: 0, to: 5, label: 'a' },
      { from: 5, to: 10, label: 'b' },
    ]);
  });
});

describe('abbreviate', () => {
  it('keeps text that fits, cuts text that does not, drops text with no room', () => {
    expect(abbreviate('nice profile', textWidth('nice profile'))).toBe('nice profile');
    const cut = abbreviate('that is the four chamber view', 60);
    expect(cut.endsWith('..')).toBe(true);
    expect(textWidth(cut)).toBeLessThanOrEqual(60);
    expect(abbreviate('hello', 12)).toBe('');
  });
});

describe('time axis', () => {
  it('picks round steps at least minPixels apart', () => {
    expect(tickStep(4, 1400, 70)).toBe(0.2);
    expect(tickStep(120, 1400, 70)).toBe(10);
    expect(tickStep(600, 1400, 70)).toBe(30);
    expect(tickStep(1800, 1400, 70)).toBe(120);
  });

  it('lists ticks from 0 to the duration and formats them', () => {
    expect(tickTimes(1, 0.2)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(tickTimes(25, 10)).toEqual([0, 10, 20]);
    expect(formatSeconds(30)).toBe('30');
    expect(formatSeconds(0.6000000001)).toBe('0.6');
  });
});
