/**
 * Bounded prefetch: an iterable that keeps at most `depth` items of `source` pulled ahead of
 * its consumer. Pulling starts when the iterator is created (a consumer that subscribes
 * is about to ask) and resumes each time the consumer takes an item, so the buffer never
 * holds more than `depth` items, however slow the consumer. Items are handed out in source
 * order; a source error is raised after the items pulled before it. One code path serves
 * synchronous sources (pulled inline, which makes marble tests possible) and asynchronous
 * ones (one next() in flight at a time).
 */

export interface ReadAheadStats {
  /** Items pulled from the source. */
  pulled: number;
  /** Items handed to the consumer. */
  taken: number;
  /** Most items ever held: pulled (or being pulled) but not yet taken. */
  maxHeld: number;
}

export interface ReadAheadOptions<T> {
  /** Called for items pulled but never taken (the consumer stopped early). */
  discard?: (item: T) => void;
  /** Observes every change of the number of held items. */
  onHeld?: (held: number) => void;
}

type Step<T> = IteratorResult<T> | Promise<IteratorResult<T>>;

function isThenable<V>(value: V | PromiseLike<V> | undefined): value is PromiseLike<V> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

class ReadAheadCore<T> {
  readonly stats: ReadAheadStats = { pulled: 0, taken: 0, maxHeld: 0 };
  private readonly buffer: T[] = [];
  private pending: Promise<void> | undefined;
  private done = false;
  private failure: { error: unknown } | undefined;
  private closed = false;

  constructor(private readonly source: Iterator<T> | AsyncIterator<T>, private readonly depth: number, private readonly options: ReadAheadOptions<T>) {
    this.fill();
  }

  /** Synchronous take (synchronous sources only). */
  takeSync(): IteratorResult<T> {
    if (this.buffer.length > 0) return this.hand(this.buffer.shift() as T);
    if (this.failure) throw this.failure.error;
    if (this.done || this.closed) return { done: true, value: undefined };
    // depth 0: pull for this take only.
    this.stats.pulled++;
    this.held(1);
    const step = (this.source as Iterator<T>).next();
    this.held(0);
    if (step.done) {
      this.done = true;
      return step;
    }
    this.stats.taken++;
    return step;
  }

  async take(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.buffer.length > 0) return this.hand(this.buffer.shift() as T);
      if (this.failure) throw this.failure.error;
      if (this.done || this.closed) return { done: true, value: undefined };
      if (this.pending) {
        await this.pending;
        continue;
      }
      this.stats.pulled++;
      this.held(1);
      const step = await this.source.next();
      this.held(0);
      if (step.done) this.done = true;
      else this.stats.taken++;
      return step;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const item of this.buffer.splice(0)) this.options.discard?.(item);
    this.held(0);
    try {
      const result = this.source.return?.();
      if (isThenable(result)) result.then(undefined, () => undefined);
    } catch {
      // The consumer has gone; nobody to tell.
    }
  }

  private hand(item: T): IteratorResult<T> {
    this.stats.taken++;
    this.held(this.buffer.length + (this.pending ? 1 : 0));
    this.fill();
    return { done: false, value: item };
  }

  private fill(): void {
    while (!this.closed && !this.done && !this.failure && !this.pending && this.buffer.length < this.depth) {
      let step: Step<T>;
      this.stats.pulled++;
      this.held(this.buffer.length + 1);
      try {
        step = this.source.next();
      } catch (error) {
        this.failure = { error };
        this.held(this.buffer.length);
        return;
      }
      if (isThenable(step)) {
        this.pending = Promise.resolve(step).then(
          (result) => {
            this.pending = undefined;
            this.accept(result);
            this.fill();
          },
          (error: unknown) => {
            this.pending = undefined;
            this.failure = { error };
            this.held(this.buffer.length);
          },
        );
        return;
      }
      this.accept(step);
    }
  }

  private accept(step: IteratorResult<T>): void {
    if (step.done) this.done = true;
    else if (this.closed) this.options.discard?.(step.value);
    else this.buffer.push(step.value);
    this.held(this.buffer.length);
  }

  private held(n: number): void {
    if (n > this.stats.maxHeld) this.stats.maxHeld = n;
    this.options.onHeld?.(n);
  }
}

export interface ReadAheadIterable<T> {
  /** Statistics of the most recently created iterator. */
  readonly stats: ReadAheadStats;
}

export function readAhead<T>(source: Iterable<T>, depth: number, options?: ReadAheadOptions<T>): Iterable<T> & ReadAheadIterable<T>;
export function readAhead<T>(source: AsyncIterable<T>, depth: number, options?: ReadAheadOptions<T>): AsyncIterable<T> & ReadAheadIterable<T>;
export function readAhead<T>(source: Iterable<T> | AsyncIterable<T>, depth: number, options: ReadAheadOptions<T> = {}): (Iterable<T> | AsyncIterable<T>) & ReadAheadIterable<T> {
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`readAhead: depth must be an integer >= 0, got ${depth}`);
  let stats: ReadAheadStats = { pulled: 0, taken: 0, maxHeld: 0 };
  if (Symbol.asyncIterator in source) {
    return {
      get stats() {
        return stats;
      },
      [Symbol.asyncIterator](): AsyncIterableIterator<T> {
        const core = new ReadAheadCore<T>(source[Symbol.asyncIterator](), depth, options);
        stats = core.stats;
        const iterator: AsyncIterableIterator<T> = {
          next: () => core.take(),
          return: async (value?: unknown) => {
            core.close();
            return { done: true, value: value as T };
          },
          [Symbol.asyncIterator]: () => iterator,
        };
        return iterator;
      },
    };
  }
  return {
    get stats() {
      return stats;
    },
    [Symbol.iterator](): IterableIterator<T> {
      const core = new ReadAheadCore<T>(source[Symbol.iterator](), depth, options);
      stats = core.stats;
      const iterator: IterableIterator<T> = {
        next: () => core.takeSync(),
        return: (value?: unknown) => {
          core.close();
          return { done: true, value: value as T };
        },
        [Symbol.iterator]: () => iterator,
      };
      return iterator;
    },
  };
}
