import { describe, expect, it } from '@jest/globals';
import { DecisionWindow } from './decision-window.js';

describe('DecisionWindow', () => {
  it('holds contiguous decisions, trims from the front and slices what it holds', () => {
    const w = new DecisionWindow();
    w.append(0, Uint8Array.of(1, 0, 1));
    w.append(3, Uint8Array.of(1, 1));
    expect(w.end).toBe(5);
    expect(Array.from(w.slice(1, 4))).toEqual([0, 1, 1]);
    w.trimBelow(2);
    expect(w.size).toBe(3);
    expect(Array.from(w.slice(2, 10))).toEqual([1, 1, 1]); // only what is held
    expect(() => w.append(6, Uint8Array.of(0))).toThrow('VAD decisions are not contiguous: expected frame 5, got 6');
  });

  it('skips decisions of frames trimmed before they arrived, and grows past its initial capacity', () => {
    const w = new DecisionWindow();
    w.trimBelow(3);
    w.append(0, Uint8Array.of(1, 1, 1, 0, 1));
    expect([w.end, w.size]).toEqual([5, 2]);
    expect(Array.from(w.slice(3, 5))).toEqual([0, 1]);
    w.append(5, new Uint8Array(5000).fill(1));
    expect(w.end).toBe(5005);
    expect(w.slice(3, 5005).reduce((a, b) => a + b, 0)).toBe(5001);
  });
});
