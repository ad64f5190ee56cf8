import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { pullOnDemand } from './pull.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** An iterable that records each pull and whether it was closed early. */
function counted<T>(items: T[]): Iterable<T> & { pulls: number; closed: boolean } {
  const state = { pulls: 0, closed: false };
  return Object.assign(state, {
    *[Symbol.iterator](): Generator<T> {
      try {
        for (const item of items) {
          state.pulls++;
          yield item;
        }
        state.pulls++; // the pull that finds the end
      } finally {
        if (state.pulls <= items.length) state.closed = true;
      }
    },
  });
}

describe('pullOnDemand', () => {
  it('emits nothing and pulls nothing without demand', () => {
    const source = counted(['a', 'b', 'c']);
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(pullOnDemand(source, hot<number>('------'))).toBe('------');
    });
    expect(source.pulls).toBe(0);
  });

  it('emits one item per unit of demand: 3 demands -> 3 items', () => {
    const source = counted(['a', 'b', 'c', 'd', 'e']);
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const demand = hot('--x--x--x---', { x: 1 });
      expectObservable(pullOnDemand(source, demand)).toBe('--a--b--c---');
      expectSubscriptions(demand.subscriptions).toBe('^');
    });
    expect(source.pulls).toBe(3);
  });

  it('serves a demand of n with up to n items at once, and completes when a demanded pull finds the end', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const demand = hot('-x---y---z--', { x: 2, y: 1, z: 5 });
      expectObservable(pullOnDemand(['a', 'b', 'c', 'd'], demand)).toBe('-(ab)y---(d|)', { a: 'a', b: 'b', y: 'c', d: 'd' });
      expectSubscriptions(demand.subscriptions).toBe('^--------!');
    });
  });

  it('shows completion only on the demand after the last item', () => {
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(pullOnDemand(['a', 'b'], hot('-x-x-x-x', { x: 1 }))).toBe('-a-b-|');
    });
  });

  it('completes when demand completes and its outstanding demand is served, closing the iterator', () => {
    const source = counted(['a', 'b', 'c']);
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(pullOnDemand(source, cold('-x-|', { x: 1 }))).toBe('-a-|');
    });
    expect(source.closed).toBe(true);
  });

  it('forwards demand errors and rejects negative demand', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(pullOnDemand(['a'], cold('-#', undefined, new Error('no more')))).toBe('-#', undefined, new Error('no more'));
      expectObservable(pullOnDemand(['a'], cold('-x', { x: -1 }))).toBe('-#', undefined, new Error('pullOnDemand: demand must be >= 0, got -1'));
    });
  });

  it('closes the iterator when unsubscribed early', () => {
    const source = counted(['a', 'b', 'c']);
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(pullOnDemand(source, hot('-x-x-x', { x: 1 })), '^---!').toBe('-a-b');
    });
    expect(source.pulls).toBe(2);
    expect(source.closed).toBe(true);
  });

  it('adds demand sent from inside next() to the running pull', () => {
    const demand = new Subject<number>();
    const seen: string[] = [];
    pullOnDemand(['a', 'b', 'c', 'd'], demand).subscribe((v) => {
      seen.push(v);
      if (v === 'a') demand.next(2);
    });
    demand.next(1);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('pulls an async iterable one item at a time, only on demand', async () => {
    const log: string[] = [];
    let inFlight = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 3; i++) {
        inFlight++;
        expect(inFlight).toBe(1);
        log.push(`pull ${i}`);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        yield i;
      }
    }
    const demand = new Subject<number>();
    const all = firstValueFrom(pullOnDemand(source(), demand).pipe(toArray()));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual([]);
    demand.next(2);
    demand.next(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['pull 0', 'pull 1']);
    demand.next(Infinity);
    expect(await all).toEqual([0, 1, 2]);
  });
});
