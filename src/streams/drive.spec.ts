import { describe, expect, it } from '@jest/globals';
import { bufferCount, concatMap, identity, map, mergeMap, take, timer } from 'rxjs';
import { drive } from './drive.js';

const tick = (ms = 1): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An async source of 0..n-1 that logs each pull and whether it was closed before its end. */
function source(n: number, log: string[], failAt = -1): AsyncIterable<number> & { closed: boolean } {
  const state = { closed: false };
  return Object.assign(state, {
    async *[Symbol.asyncIterator](): AsyncGenerator<number> {
      let i = 0;
      try {
        for (; i < n; i++) {
          log.push(`pull ${i}`);
          await tick();
          if (i === failAt) throw new Error(`source failed at ${i}`);
          yield i;
        }
      } finally {
        if (i < n) state.closed = true;
      }
    },
  });
}

describe('drive', () => {
  it('pulls the next item only after the sink has taken every output of the previous one', async () => {
    const log: string[] = [];
    await drive(source(3, log), mergeMap((x: number) => [x, 10 + x]), async (r) => {
      log.push(`sink ${r}`);
      await tick(3);
      log.push(`sunk ${r}`);
    });
    expect(log).toEqual([
      'pull 0', 'sink 0', 'sunk 0', 'sink 10', 'sunk 10',
      'pull 1', 'sink 1', 'sunk 1', 'sink 11', 'sunk 11',
      'pull 2', 'sink 2', 'sunk 2', 'sink 12', 'sunk 12',
    ]);
  });

  it('flushes the operator tail when the source ends', async () => {
    const got: number[][] = [];
    await drive(source(5, []), bufferCount(2), async (r) => void got.push(r));
    expect(got).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('sinks outputs an asynchronous operator emits later, in order', async () => {
    const got: number[] = [];
    await drive(source(4, []), concatMap((x: number) => timer(2).pipe(map(() => x))), async (r) => void got.push(r));
    expect(got).toEqual([0, 1, 2, 3]);
  });

  it('stops pulling and closes the source when the operator completes early', async () => {
    const log: string[] = [];
    const src = source(10, log);
    const got: number[] = [];
    await drive(src, take(2), async (r) => void got.push(r));
    expect(got).toEqual([0, 1]);
    expect(log).toEqual(['pull 0', 'pull 1']);
    expect(src.closed).toBe(true);
  });

  it('rejects with a sink error and closes the source', async () => {
    const log: string[] = [];
    const src = source(10, log);
    await expect(drive(src, identity, async (r) => {
      if (r === 2) throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(log).toEqual(['pull 0', 'pull 1', 'pull 2']);
    expect(src.closed).toBe(true);
  });

  it('rejects with an operator error and closes the source', async () => {
    const src = source(10, []);
    const op = map((x: number) => {
      if (x === 1) throw new Error('bad item');
      return x;
    });
    await expect(drive(src, op, async () => undefined)).rejects.toThrow('bad item');
    expect(src.closed).toBe(true);
  });

  it('rejects with a source error', async () => {
    const got: number[] = [];
    await expect(drive(source(10, [], 2), identity, async (r) => void got.push(r))).rejects.toThrow('source failed at 2');
    expect(got).toEqual([0, 1]);
  });
});
