/** How the evaluation reports what it is doing (the command draws bars; tests collect lines). */
export interface TaskProgress {
  /** A line of news (stage start, a fold's scores). */
  log?(line: string): void;
  /** A long task with a known amount of work; `update` reports the amount done so far. */
  start?(task: string, total: number, unit: string): void;
  update?(task: string, done: number): void;
  finish?(task: string): void;
}

/** Sums per-item progress (e.g. frames per scan) into one task's total. */
export function summedUpdates(progress: TaskProgress, task: string): (item: string, done: number) => void {
  const items = new Map<string, number>();
  let total = 0;
  return (item, done) => {
    total += done - (items.get(item) ?? 0);
    items.set(item, done);
    progress.update?.(task, total);
  };
}
