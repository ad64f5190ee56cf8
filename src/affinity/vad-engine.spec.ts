import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { FrameSplitter } from './frame-splitter.js';
import { clipSpeechFractions, concatDecisions, speechFraction, speechFractionInInterval } from './vad-engine.js';

describe('speech fractions', () => {
  const d = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 0, 1]); // 10 frames of 0.1 s

  it('counts speech frames', () => {
    expect(speechFraction(d)).toBeCloseTo(0.4, 12);
    expect(speechFraction(new Uint8Array(0))).toBe(0);
  });

  it('weights frames by their overlap with an interval', () => {
    expect(speechFractionInInterval(d, 0.1, 0, 0.2)).toBeCloseTo(1, 12);
    expect(speechFractionInInterval(d, 0.1, 0.15, 0.25)).toBeCloseTo(0.5, 12);
    expect(speechFractionInInterval(d, 0.1, 0.45, 1.0)).toBeCloseTo(0.05 / 0.55 + 0.1 / 0.55, 12);
    expect(speechFractionInInterval(d, 0.1, 2, 3)).toBe(0);
  });

  it('splits a scan into consecutive clips', () => {
    expect(clipSpeechFractions(d, 0.1, 0.5, 1.0).map((v) => Number(v.toFixed(9)))).toEqual([0.6, 0.2]);
    expect(clipSpeechFractions(d, 0.1, 0.3, 1.0)).toHaveLength(4);
  });

  it('concatenates decisions', () => {
    expect(Array.from(concatDecisions([Uint8Array.from([1]), new Uint8Array(0), Uint8Array.from([0, 1])]))).toEqual([1, 0, 1]);
  });
});

describe('FrameSplitter', () => {
  it('cuts any chunking into the same frames and zero-pads the tail on flush', () => {
    const rng = new Rng(1);
    const signal = Float32Array.from({ length: 1000 }, (_, i) => i + 1);
    const s = new FrameSplitter(64);
    const frames: number[][] = [];
    for (let at = 0; at < signal.length; ) {
      const n = rng.int(0, 150);
      s.push(signal.subarray(at, at + n), (f) => frames.push(Array.from(f)));
      at += n;
    }
    s.flush((f) => frames.push(Array.from(f)));
    expect(frames).toHaveLength(16);
    expect(frames.slice(0, 15).flat()).toEqual(Array.from(signal.subarray(0, 960)));
    expect(frames[15]).toEqual([...Array.from(signal.subarray(960)), ...new Array(24).fill(0)]);
    let more = 0;
    s.flush(() => more++);
    expect(more).toBe(0);
  });
});
