/**
 * The RxJS face of a pull source: each demand signal n lets at most n more items be pulled
 * from `iterable` and emitted; with no outstanding demand nothing is pulled.
 *
 * - Unserved demand accumulates (n may be Infinity: drain). n must be >= 0.
 * - Completes when a demanded pull finds the iterable exhausted (so completion shows up on
 *   the first demand after the last item: nothing is pulled ahead), or when `demand$`
 *   completes and its outstanding demand is served (no item could ever be asked for again).
 * - A synchronous Iterable is pulled synchronously inside the demand signal (a demand sent
 *   from inside the subscriber's next() is added to the running pull); an AsyncIterable one
 *   item at a time (never two next() calls in flight).
 * - Errors of the iterable or of demand$ are forwarded. Unsubscribing, a demand$ error or
 *   completion before exhaustion call the iterator's return().
 */
import { Observable } from 'rxjs';

function isAsyncIterable<T>(x: AsyncIterable<T> | Iterable<T>): x is AsyncIterable<T> {
  return typeof (x as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';
}

export function pullOnDemand<T>(iterable: AsyncIterable<T> | Iterable<T>, demand$: Observable<number>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const asyncIterator = isAsyncIterable(iterable) ? iterable[Symbol.asyncIterator]() : undefined;
    const syncIterator = isAsyncIterable(iterable) ? undefined : iterable[Symbol.iterator]();
    let credit = 0;
    let pumping = false;
    let finished = false;
    let exhausted = false;
    let demandEnded = false;

    const closeIterator = (): void => {
      if (exhausted) return;
      exhausted = true;
      try {
        const r = asyncIterator ? asyncIterator.return?.() : syncIterator?.return?.();
        if (r instanceof Promise) r.catch(() => undefined);
      } catch {
        // Nothing is listening any more.
      }
    };
    const finish = (error?: { error: unknown }): void => {
      if (finished) return;
      finished = true;
      closeIterator();
      if (error) subscriber.error(error.error);
      else subscriber.complete();
    };
    /** One pulled step; false when pulling must stop. */
    const take = (step: IteratorResult<T>): boolean => {
      if (finished) return false;
      if (step.done) {
        exhausted = true;
        finish();
        return false;
      }
      credit--;
      subscriber.next(step.value);
      return true;
    };
    const afterPump = (): void => {
      pumping = false;
      if (demandEnded && credit === 0) finish();
    };
    const pumpSync = (it: Iterator<T>): void => {
      try {
        while (credit > 0 && !finished) if (!take(it.next())) return;
      } catch (error) {
        exhausted = true; // a throwing generator is closed
        finish({ error });
        return;
      }
      afterPump();
    };
    const pumpAsync = async (it: AsyncIterator<T>): Promise<void> => {
      try {
        while (credit > 0 && !finished) if (!take(await it.next())) return;
      } catch (error) {
        exhausted = true;
        finish({ error });
        return;
      }
      afterPump();
    };
    const pump = (): void => {
      if (pumping || finished) return;
      pumping = true;
      if (asyncIterator) void pumpAsync(asyncIterator);
      else pumpSync(syncIterator as Iterator<T>);
    };

    const demandSubscription = demand$.subscribe({
      next: (n) => {
        if (!(n >= 0)) {
          finish({ error: new Error(`pullOnDemand: demand must be >= 0, got ${n}`) });
          return;
        }
        credit += n;
        pump();
      },
      error: (error: unknown) => finish({ error }),
      complete: () => {
        demandEnded = true;
        if (!pumping && credit === 0) finish();
      },
    });

    return () => {
      demandSubscription.unsubscribe();
      finished = true;
      closeIterator();
    };
  });
}
