/**
 * The demand-driven bridge between the async edges (decoder, VAD, shard writer) and the pure
 * operator chain: pull ONE item from `source`, push it through `operator`, await `sink` for
 * every output that produced, and only then pull the next item. Nothing is pulled while the
 * sink is busy, so no operator buffers more than one input's worth of output.
 *
 * - Source exhausted: the operator's input completes and its tail (e.g. the last clips'
 *   lookahead) is sunk; resolves once the operator completes and every output is sunk.
 * - The operator completes early (e.g. take(n)): stop pulling, call the source's return().
 * - Any error (source, operator or sink): reject with it, after calling the source's
 *   return() (its own failure is ignored so the first error wins) and unsubscribing.
 * - Outputs an asynchronous operator emits later are queued and sunk in order.
 */
import { Subject, type OperatorFunction } from 'rxjs';

export async function drive<T, R>(source: AsyncIterable<T>, operator: OperatorFunction<T, R>, sink: (r: R) => Promise<void>): Promise<void> {
  const input = new Subject<T>();
  const queue: R[] = [];
  let failure: { error: unknown } | undefined;
  let completed = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const subscription = input.pipe(operator).subscribe({
    next: (r) => {
      queue.push(r);
      notify();
    },
    error: (error: unknown) => {
      failure = { error };
      notify();
    },
    complete: () => {
      completed = true;
      notify();
    },
  });
  const drain = async (): Promise<void> => {
    while (queue.length > 0 && !failure) await sink(queue.shift() as R);
    if (failure) throw failure.error;
  };
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    while (!completed) {
      await drain();
      if (completed) break;
      const step = await iterator.next();
      if (step.done) {
        exhausted = true;
        input.complete();
        break;
      }
      input.next(step.value);
    }
    // Tail: what the operator emits after its input completed, possibly asynchronously.
    for (;;) {
      await drain();
      if (completed) break;
      await new Promise<void>((resolve) => {
        if (queue.length > 0 || failure || completed) resolve();
        else wake = resolve;
      });
    }
    await drain();
    if (!exhausted) await iterator.return?.();
  } catch (error) {
    if (!exhausted) {
      try {
        await iterator.return?.();
      } catch {
        // The first error is the one reported.
      }
    }
    throw error;
  } finally {
    subscription.unsubscribe();
  }
}
