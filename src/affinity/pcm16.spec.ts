import { describe, expect, it } from '@jest/globals';
import { Pcm16Frame } from './pcm16.js';

describe('Pcm16Frame', () => {
  it('rounds, clips and exposes the samples as bytes', () => {
    const f = new Pcm16Frame(5);
    const bytes = f.fill(Float32Array.from([0, 0.5, -1, 2, -2]));
    expect(Array.from(f.samples)).toEqual([0, 16384, -32767, 32767, -32768]);
    expect(bytes.length).toBe(10);
    expect(bytes.readInt16LE(2)).toBe(16384);
    expect(() => f.fill(new Float32Array(4))).toThrow(/frame of 5/);
  });
});
