import { describe, expect, it } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { pullOnDemand } from '../streams/pull.js';
import { readAhead } from './read-ahead.js';

function marbles(run: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0], scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((helpers) => run(helpers, scheduler));
}

/** A synchronous source that records the virtual time of every item pulled. */
function* recorded(items: string[], scheduler: TestScheduler, pulls: number[]): Generator<string> {
  for (const item of items) {
    pulls.push(scheduler.now());
    yield item;
  }
}

describe('demand-driven flow with bounded prefetch (marbles)', () => {
  const numbers = { 1: 1, 2: 2 };

  it('emits only on demand, one item per unit, and keeps at most `prefetch` items pulled ahead', () => {
    marbles(({ hot, expectObservable, flush }, scheduler) => {
      const pulls: number[] = [];
      const held: number[] = [];
      const source = readAhead(recorded(['a', 'b', 'c', 'd', 'e'], scheduler, pulls), 2, { onHeld: (n) => held.push(n) });
      const demand$ = hot<number>('--1---1-1-----2-----1', numbers);
      expectObservable(pullOnDemand(source, demand$)).toBe('--a---b-c-----(de)--|');
      flush();
      // Two pulled when the stream opens, then one more each time one is handed out.
      expect(pulls).toEqual([0, 0, 2, 6, 8]);
      expect(Math.max(...held)).toBe(2);
    });
  });

  it('pulls nothing ahead with prefetch 0', () => {
    marbles(({ hot, expectObservable, flush }, scheduler) => {
      const pulls: number[] = [];
      const source = readAhead(recorded(['a', 'b', 'c'], scheduler, pulls), 0);
      const demand$ = hot<number>('---1--2---1', numbers);
      expectObservable(pullOnDemand(source, demand$)).toBe('---a--(bc)|');
      flush();
      expect(pulls).toEqual([3, 6, 6]);
      expect(source.stats.maxHeld).toBe(1);
    });
  });

  it('never emits without demand, and the buffer stays at its bound however long it waits', () => {
    marbles(({ hot, expectObservable, flush }, scheduler) => {
      const pulls: number[] = [];
      const items = Array.from({ length: 50 }, (_, i) => `x${i}`);
      const source = readAhead(recorded(items, scheduler, pulls), 3);
      expectObservable(pullOnDemand(source, hot<number>('-------------------'))).toBe('');
      flush();
      expect(pulls).toEqual([0, 0, 0]);
      expect(source.stats.maxHeld).toBe(3);
    });
  });

  it('a burst of demand drains in order, refilling as it goes, never above the bound', () => {
    marbles(({ hot, expectObservable, flush }, scheduler) => {
      const pulls: number[] = [];
      const source = readAhead(recorded(['a', 'b', 'c', 'd', 'e', 'f'], scheduler, pulls), 2);
      const demand$ = hot<number>('-----x', { x: 10 });
      expectObservable(pullOnDemand(source, demand$)).toBe('-----(abcdef|)');
      flush();
      expect(pulls).toEqual([0, 0, 5, 5, 5, 5]);
      expect(source.stats.maxHeld).toBe(2);
    });
  });
});

describe('readAhead over an async source', () => {
  async function* slowSource(n: number, log: string[]): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, 1));
        log.push(`pull ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }

  it('hands items out in order with at most `depth` held, however slow the consumer', async () => {
    const log: string[] = [];
    const source = readAhead(slowSource(20, log), 3);
    const got: number[] = [];
    for await (const item of source) {
      got.push(item);
      await new Promise((r) => setTimeout(r, 5));
      expect(source.stats.pulled - source.stats.taken).toBeLessThanOrEqual(3);
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(source.stats.maxHeld).toBe(3);
  });

  it('raises a source error after the items pulled before it', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      throw new Error('shard x: broken');
    }
    const got: number[] = [];
    const source = readAhead(failing(), 4);
    await expect((async () => {
      for await (const item of source) got.push(item);
    })()).rejects.toThrow('shard x: broken');
    expect(got).toEqual([1, 2]);
  });

  it('stopping early discards what was pulled ahead and closes the source', async () => {
    const log: string[] = [];
    const discarded: number[] = [];
    const source = readAhead(slowSource(10, log), 2, { discard: (n) => discarded.push(n) });
    for await (const item of source) {
      if (item === 1) {
        await new Promise((r) => setTimeout(r, 20));
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(discarded).toEqual([2, 3]);
    expect(log).toContain('closed');
  });
});
