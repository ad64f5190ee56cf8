import { describe, expect, it } from '@jest/globals';
import { affineValue, createAffineArena } from './affine-arena.js';

describe('affine arena', () => {
  it('has WebAssembly SIMD on this machine', () => {
    expect(createAffineArena(64).simd).toBe(true);
  });

  for (const simd of [true, false]) {
    it(`${simd ? 'SIMD' : 'JavaScript'} kernel: every byte value, odd lengths and offsets, exact float32 bits`, () => {
      const arena = createAffineArena(1 << 16, { simd });
      const count = 16 * 40 + 7; // a vector body and a scalar tail
      const src = 13; // unaligned source
      for (let i = 0; i < count; i++) arena.bytes[src + i] = (i * 37 + 11) & 255;
      for (const [scale, offset] of [[1 / 255, 0], [0.5, -100], [0.37, 3.25]] as const) {
        arena.convert(src, 4096, count, scale, offset);
        const out = arena.floats(4096, count);
        for (let i = 0; i < count; i++) {
          const expected = affineValue(arena.bytes[src + i]!, scale, offset);
          if (out[i] !== expected) throw new Error(`index ${i}: ${out[i]} !== ${expected}`);
        }
      }
      expect(arena.floats(4096, 2)[0]).toBeCloseTo(11 * 0.37 + 3.25, 5);
    });
  }

  it('SIMD and JavaScript kernels agree on all 256 byte values', () => {
    const a = createAffineArena(4096, { simd: true });
    const b = createAffineArena(4096, { simd: false });
    for (let q = 0; q < 256; q++) {
      a.bytes[q] = q;
      b.bytes[q] = q;
    }
    a.convert(0, 1024, 256, 0.5, -100);
    b.convert(0, 1024, 256, 0.5, -100);
    expect(Array.from(a.floats(1024, 256))).toEqual(Array.from(b.floats(1024, 256)));
    expect(a.floats(1024, 256)[255]).toBe(27.5);
    expect(a.floats(1024, 256)[0]).toBe(-100);
  });

  it('rejects ranges outside the arena', () => {
    const arena = createAffineArena(1024);
    expect(() => arena.convert(1000, 0, 100, 1, 0)).toThrow(RangeError);
    expect(() => arena.convert(0, 2, 4, 1, 0)).toThrow(RangeError);
  });
});
