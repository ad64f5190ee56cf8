/**
 * Random access to the record batches of one Arrow IPC shard file. Opening reads only the
 * footer and each record batch's metadata (its row count); a batch is read when asked for,
 * and its binary columns are views into the bytes read (no copies).
 */
import { promises as fsp } from 'node:fs';
import { Message, RecordBatchReader, type AsyncRecordBatchFileReader, type RecordBatch } from 'apache-arrow';
import type { ShardKind } from '../../schemas/columns.js';
import { describeShard, type ShardDescription } from '../../schemas/shards.js';
import type { LakeShard } from './lake.js';
import { ShardError, shardError } from './shard-integrity.js';

export class ShardFile {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly shard: LakeShard,
    readonly description: ShardDescription,
    /** Row index of the first row of each batch, then the row count. */
    readonly batchStarts: Int32Array,
    private readonly handle: fsp.FileHandle,
    private readonly reader: AsyncRecordBatchFileReader,
  ) {}

  /** Opens `file` (already verified against `shard`) and checks its schema version, kind and row count. */
  static async open(file: string, shard: LakeShard, kind: ShardKind): Promise<ShardFile> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      throw new ShardError(shard.path, `cannot open (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    try {
      const reader = await RecordBatchReader.from(handle);
      await reader.open();
      if (!reader.isFile() || !reader.isAsync() || !reader.footer) throw new Error('not an Arrow IPC file');
      const description = describeShard(reader.schema.metadata);
      if (description.kind !== kind) throw new Error(`holds ${description.kind} rows, the manifest says ${kind}`);
      const starts = [0];
      for (const block of reader.footer.recordBatches()) starts.push(starts[starts.length - 1]! + (await batchRows(handle, block.offset, block.metaDataLength)));
      const rows = starts[starts.length - 1]!;
      if (rows !== shard.rows) throw new Error(`${rows} rows, the manifest says ${shard.rows}`);
      return new ShardFile(shard, description, Int32Array.from(starts), handle, reader as AsyncRecordBatchFileReader);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw shardError(shard, error);
    }
  }

  get numBatches(): number {
    return this.batchStarts.length - 1;
  }

  /** Index of the record batch holding `row`. */
  batchOfRow(row: number): number {
    if (!(row >= 0 && row < this.shard.rows)) throw new ShardError(this.shard.path, `row ${row} outside 0..${this.shard.rows - 1}`);
    let lo = 0;
    let hi = this.numBatches - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.batchStarts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Record batch `index`; calls are served one at a time (the reader seeks a shared handle). */
  readBatch(index: number): Promise<RecordBatch> {
    const result = this.tail.then(async () => {
      if (this.closed) throw new ShardError(this.shard.path, 'read after close');
      let batch: RecordBatch | null;
      try {
        batch = await this.reader.readRecordBatch(index);
      } catch (error) {
        throw shardError(this.shard, error);
      }
      const expected = this.batchStarts[index + 1]! - this.batchStarts[index]!;
      if (!batch || batch.numRows !== expected) throw new ShardError(this.shard.path, `record batch ${index} unreadable`);
      return batch;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.handle.close().catch(() => undefined);
  }
}

/** Row count of a record batch, from its IPC message metadata alone. */
async function batchRows(handle: fsp.FileHandle, offset: number, metaDataLength: number): Promise<number> {
  const bytes = Buffer.alloc(metaDataLength);
  const { bytesRead } = await handle.read(bytes, 0, metaDataLength, offset);
  if (bytesRead !== metaDataLength) throw new Error('record batch metadata cut short');
  // IPC framing: an optional 0xFFFFFFFF continuation marker, then the int32 metadata length.
  const continued = bytes.readInt32LE(0) === -1;
  const length = bytes.readInt32LE(continued ? 4 : 0);
  const start = continued ? 8 : 4;
  const message = Message.decode(bytes.subarray(start, start + length));
  if (!message.isRecordBatch()) throw new Error('footer block is not a record batch');
  return Number(message.header().length);
}
