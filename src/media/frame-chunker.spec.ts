import { describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { Float32Chunker, FrameChunker } from './frame-chunker.js';

/** Splits `bytes` into chunks of random sizes (0..max). */
function randomChunks(bytes: Uint8Array, rng: Rng, max: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(bytes.length - at, rng.int(0, max));
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

describe('FrameChunker', () => {
  it('re-chunks arbitrary reads into whole records that own their memory', () => {
    const rng = new Rng(5).fork('chunks');
    const bytes = Uint8Array.from({ length: 7 * 12 + 5 }, (_, i) => i % 251);
    const chunker = new FrameChunker(12);
    const records: Uint8Array[] = [];
    for (const chunk of randomChunks(bytes, rng, 30)) chunker.push(chunk, (r) => records.push(r));
    expect(records).toHaveLength(7);
    records.forEach((r, k) => expect([...r]).toEqual([...bytes.subarray(12 * k, 12 * k + 12)]));
    expect(chunker.pendingBytes).toBe(5);
    expect(new Set(records.map((r) => r.buffer)).size).toBe(7);
  });
});

describe('Float32Chunker', () => {
  it('reassembles floats split across reads', () => {
    const rng = new Rng(6).fork('floats');
    const values = Float32Array.from({ length: 101 }, () => rng.normal());
    const bytes = new Uint8Array(values.buffer);
    const chunker = new Float32Chunker();
    const out: number[] = [];
    for (const chunk of randomChunks(bytes, rng, 11)) out.push(...chunker.push(chunk));
    expect(out).toEqual([...values]);
    expect(chunker.pendingBytes).toBe(0);
  });
});
