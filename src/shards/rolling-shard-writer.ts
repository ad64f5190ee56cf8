/**
 * Batching and rolling shared by the Arrow and Parquet shard writers: rows are staged in
 * a fixed-size batch, each full batch is handed to the format (one record batch / row
 * group), and a shard is closed and published every `shardRows` rows. Memory stays at one
 * staged batch plus what the format keeps for the batch being written.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { columnsFor, resolveLayout, type ColumnSpec, type ShardKind, type ShardLayout } from '../../schemas/columns.js';
import type { ShardFormat } from '../../schemas/manifest.js';
import type { ShardColumns, ShardRow } from '../../schemas/rows.js';
import { AtomicFileWriter } from './atomic-file.js';
import { RowStager } from './row-stager.js';
import { shardFileName, type WrittenShard } from './written-shard.js';

export const DEFAULT_BATCH_ROWS = 100;
export const DEFAULT_SHARD_ROWS = 1000;

export interface ShardWriterOptions<K extends ShardKind> {
  /** Directory the shards go to (created if missing). */
  dir: string;
  kind: K;
  layout?: Partial<ShardLayout>;
  /** File names are `<baseName>-00000.<ext>`, `-00001`, ... (default: the kind); unique per writer and dir. */
  baseName?: string;
  /** Rows per record batch / row group (default 100). */
  batchRows?: number;
  /** Rows per shard file (default 1000). */
  shardRows?: number;
  /** fsync each shard before publishing it (default true). */
  durable?: boolean;
}

export abstract class RollingShardWriter<K extends ShardKind> {
  readonly kind: K;
  readonly layout: ShardLayout;
  readonly columns: readonly ColumnSpec[];
  readonly dir: string;
  readonly batchRows: number;
  readonly shardRows: number;
  protected readonly stager: RowStager;
  private readonly baseName: string;
  private readonly durable: boolean;
  private readonly written: WrittenShard[] = [];
  private file: AtomicFileWriter | undefined;
  private staged = 0;
  private rowsInShard = 0;
  private state: 'open' | 'busy' | 'closed' | 'failed' | 'aborted' = 'open';

  protected constructor(options: ShardWriterOptions<K>, readonly format: ShardFormat, private readonly extension: string) {
    this.kind = options.kind;
    this.layout = resolveLayout(options.layout);
    this.columns = columnsFor(options.kind, this.layout);
    this.dir = options.dir;
    this.baseName = options.baseName ?? options.kind;
    this.batchRows = positiveInteger(options.batchRows ?? DEFAULT_BATCH_ROWS, 'batchRows');
    this.shardRows = positiveInteger(options.shardRows ?? DEFAULT_SHARD_ROWS, 'shardRows');
    this.durable = options.durable ?? true;
    this.stager = new RowStager(this.columns, Math.min(this.batchRows, this.shardRows));
  }

  /** Shards completed so far. */
  get shards(): readonly WrittenShard[] {
    return this.written;
  }

  /** Rows accepted so far (written or staged). */
  get rows(): number {
    return this.written.reduce((sum, s) => sum + s.rows, 0) + this.rowsInShard + this.staged;
  }

  /** Stages one row; resolves once any batch it completed is on disk. Await before the next call. */
  async append(row: ShardRow<K>): Promise<void> {
    this.enter();
    try {
      this.stager.setRow(this.staged, row);
    } catch (error) {
      // A rejected row is not accepted; the writer stays usable.
      this.state = 'open';
      throw error;
    }
    try {
      this.staged += 1;
      if (this.staged === this.batchCapacity()) await this.flushBatch();
      this.state = 'open';
    } catch (error) {
      await this.fail();
      throw error;
    }
  }

  /**
   * Appends a columnar batch of any length (binary values concatenated). A row that fails
   * validation part-way fails the writer, since the rows before it are already accepted.
   */
  async appendBatch(columns: ShardColumns<K>): Promise<void> {
    this.enter();
    let length: number;
    try {
      length = this.stager.checkColumns(columns);
    } catch (error) {
      // Wrong shapes: nothing was accepted; the writer stays usable.
      this.state = 'open';
      throw error;
    }
    try {
      let from = 0;
      while (from < length) {
        const count = Math.min(length - from, this.batchCapacity() - this.staged);
        this.stager.copyColumns(this.staged, columns, from, count);
        this.staged += count;
        from += count;
        if (this.staged === this.batchCapacity()) await this.flushBatch();
      }
      this.state = 'open';
    } catch (error) {
      await this.fail();
      throw error;
    }
  }

  /** Writes what is staged, publishes the last shard and returns every shard written. */
  async close(): Promise<WrittenShard[]> {
    this.enter();
    try {
      await this.flushBatch();
      if (this.file) await this.publishShard();
      this.state = 'closed';
      return [...this.written];
    } catch (error) {
      await this.fail();
      throw error;
    }
  }

  /**
   * Discards everything this writer produced: the open temp file and every published shard
   * (also after close(), for a run that fails before its manifest is written).
   */
  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    const file = this.file;
    this.file = undefined;
    this.staged = 0;
    this.rowsInShard = 0;
    if (file) {
      this.discardShard();
      await file.abort();
    }
    await Promise.all(this.written.map((shard) => fsp.rm(shard.path, { force: true })));
    this.written.length = 0;
  }

  /** Starts a shard (write any file header into the format's own buffers). */
  protected abstract beginShard(): void;
  /** Writes rows [0, count) of the stager as one batch to `file`. */
  protected abstract writeBatch(file: AtomicFileWriter, count: number): Promise<void>;
  /** Writes the footer of the current shard to `file`. */
  protected abstract endShard(file: AtomicFileWriter): Promise<void>;
  /** Drops the format state of an unfinished shard. */
  protected abstract discardShard(): void;

  private enter(): void {
    if (this.state !== 'open') {
      throw new Error(this.state === 'busy'
        ? `${this.format} shard writer: await the previous call before the next`
        : `${this.format} shard writer is ${this.state}`);
    }
    this.state = 'busy';
  }

  /** The unfinished shard can never complete: drop its temp file now. Published shards stay until abort(). */
  private async fail(): Promise<void> {
    this.state = 'failed';
    const file = this.file;
    this.file = undefined;
    if (file) {
      this.discardShard();
      await file.abort().catch(() => undefined);
    }
  }

  /** Rows the current batch may hold before it must be flushed. */
  private batchCapacity(): number {
    return Math.min(this.batchRows, this.shardRows - this.rowsInShard);
  }

  private async flushBatch(): Promise<void> {
    if (this.staged === 0) return;
    if (!this.file) {
      const target = path.join(this.dir, shardFileName(this.baseName, this.written.length, this.extension));
      this.file = await AtomicFileWriter.open(target, { durable: this.durable });
      this.beginShard();
    }
    await this.writeBatch(this.file, this.staged);
    this.rowsInShard += this.staged;
    this.staged = 0;
    if (this.rowsInShard === this.shardRows) await this.publishShard();
  }

  private async publishShard(): Promise<void> {
    const file = this.file!;
    await this.endShard(file);
    const committed = await file.commit();
    this.file = undefined;
    this.written.push({ ...committed, format: this.format, kind: this.kind, rows: this.rowsInShard });
    this.rowsInShard = 0;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`shard writer: ${name} must be a positive integer, got ${value}`);
  return value;
}
