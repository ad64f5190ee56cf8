/**
 * Sequential readers over the shards of one kind's fill plan. Each open shard reads its
 * record batches front to back, at most `readAhead` batches ahead of the one in use; the
 * next `readers` shards the plan has not started yet are opened (verified, first batches
 * read) ahead of need. None of this changes which rows are read, only when.
 */
import type { RecordBatch } from 'apache-arrow';
import type { LakeShard } from './lake.js';
import type { ShardFile } from './shard-file.js';

export type OpenShard = (shard: LakeShard) => Promise<ShardFile>;

export interface RowLocation {
  file: ShardFile;
  batch: RecordBatch;
  /** Row within `batch`. */
  index: number;
}

const ignore = (): void => undefined;

class SequentialShard {
  private readonly file: Promise<ShardFile>;
  private readonly queue: Promise<RecordBatch>[] = [];
  private nextBatch = -1;
  private current: RecordBatch | undefined;
  private currentStart = 0;
  private currentEnd = 0;
  private closed = false;

  constructor(open: Promise<ShardFile>, startRow: number, private readonly readAhead: number) {
    this.file = open.then((file) => {
      this.nextBatch = file.batchOfRow(startRow);
      this.topUp(file);
      return file;
    });
    this.file.catch(ignore);
  }

  async row(row: number): Promise<RowLocation> {
    const file = await this.file;
    while (!this.current || row >= this.currentEnd) {
      if (this.queue.length === 0) this.topUp(file, 1);
      if (this.queue.length === 0) throw new Error(`${file.shard.path}: row ${row} past the last record batch`);
      const index = this.nextBatch - this.queue.length;
      const next = this.queue.shift()!;
      this.topUp(file);
      this.current = await next;
      this.currentStart = file.batchStarts[index]!;
      this.currentEnd = file.batchStarts[index + 1]!;
    }
    if (row < this.currentStart) throw new Error(`${file.shard.path}: row ${row} requested after row ${this.currentStart}`);
    return { file, batch: this.current, index: row - this.currentStart };
  }

  close(): void {
    this.closed = true;
    this.current = undefined;
    this.queue.length = 0;
    void this.file.then((file) => file.close(), ignore);
  }

  private topUp(file: ShardFile, depth = this.readAhead): void {
    while (!this.closed && this.queue.length < depth && this.nextBatch < file.numBatches) {
      const read = file.readBatch(this.nextBatch++);
      read.catch(ignore);
      this.queue.push(read);
    }
  }
}

export class KindShardReaders {
  private readonly open = new Map<number, SequentialShard>();

  constructor(
    private readonly plan: readonly LakeShard[],
    private readonly openShard: OpenShard,
    private readonly readers: number,
    private readonly readAhead: number,
  ) {}

  /** Where row `row` of plan shard `planPos` is; rows of one shard must be asked for in order. */
  row(planPos: number, row: number): Promise<RowLocation> {
    return this.reader(planPos, row).row(row);
  }

  /** Opens the `readers` shards from plan position `nextShard` on (shards the fill has not started). */
  lookAhead(nextShard: number): void {
    const end = Math.min(this.plan.length, nextShard + this.readers);
    for (let pos = nextShard; pos < end; pos++) if (this.plan[pos]!.rows > 0) this.reader(pos, 0);
  }

  /** The fill has taken the last row of this shard. */
  release(planPos: number): void {
    this.open.get(planPos)?.close();
    this.open.delete(planPos);
  }

  /** Shards currently open (for tests of the memory bound). */
  get openCount(): number {
    return this.open.size;
  }

  close(): void {
    for (const reader of this.open.values()) reader.close();
    this.open.clear();
  }

  private reader(planPos: number, startRow: number): SequentialShard {
    let reader = this.open.get(planPos);
    if (!reader) {
      reader = new SequentialShard(this.openShard(this.plan[planPos]!), startRow, this.readAhead);
      this.open.set(planPos, reader);
    }
    return reader;
  }
}
