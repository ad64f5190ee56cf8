/**
 * A rolling shard writer for any column list (the src/shards writers are bound to the
 * pretext row kinds): rows are staged in batches of `batchRows` (one Arrow record batch /
 * Parquet row group each) and a shard is published every `shardRows` rows, through an
 * AtomicFileWriter (temp name, then rename). Arrow: IPC file format, uncompressed, columns
 * built with makeData over the staging buffers. Parquet: hyparquet-writer with zstd
 * (zstd-napi), the encodings of schemas/parquet.ts — the idioms of arrow-shard-writer.ts
 * and parquet-shard-writer.ts.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  type Data,
  type DataType,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  type Schema,
  Struct,
} from 'apache-arrow';
import type { DecodedArray, KeyValue, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { Compressor } from 'zstd-napi';
import type { ColumnSpec } from '../../../schemas/columns.js';
import type { ShardFormat } from '../../../schemas/manifest.js';
import { parquetColumnOptions } from '../../../schemas/parquet.js';
import { AtomicFileWriter } from '../../shards/atomic-file.js';
import { ChunkCollector } from '../../shards/chunk-collector.js';
import { columnValues } from '../../shards/parquet-shard-writer.js';
import { shardFileName } from '../../shards/written-shard.js';
import { TableStager, type TableColumn } from './table-stager.js';

export interface TableShard {
  path: string;
  format: ShardFormat;
  rows: number;
  bytes: number;
  sha256: string;
}

interface CommonOptions {
  dir: string;
  /** Shard files are `<baseName>-00000.<ext>`, `-00001`, ... */
  baseName: string;
  columns: readonly ColumnSpec[];
  batchRows: number;
  shardRows: number;
  /** fsync before publishing (default true). */
  durable?: boolean;
}

export type TableShardWriterOptions =
  | (CommonOptions & { format: 'arrow'; schema: Schema })
  | (CommonOptions & { format: 'parquet'; schema: SchemaElement[]; metadata: KeyValue[]; zstdLevel: number });

/** What one file format does with a shard: start, write staged rows [0, count), finish, drop. */
interface ShardEncoder {
  begin(file: AtomicFileWriter): void;
  write(columns: readonly TableColumn[], count: number): Promise<void>;
  end(): Promise<void>;
  discard(): void;
}

export class TableShardWriter {
  readonly format: ShardFormat;
  private readonly stager: TableStager;
  private readonly encoder: ShardEncoder;
  private readonly written: TableShard[] = [];
  private file: AtomicFileWriter | undefined;
  private staged = 0;
  private rowsInShard = 0;
  private state: 'open' | 'closed' | 'failed' | 'aborted' = 'open';

  constructor(private readonly options: TableShardWriterOptions) {
    for (const [name, v] of [['batchRows', options.batchRows], ['shardRows', options.shardRows]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`shard writer: ${name} must be a positive integer, got ${v}`);
    }
    this.format = options.format;
    this.stager = new TableStager(options.columns, Math.min(options.batchRows, options.shardRows));
    this.encoder = options.format === 'arrow' ? new ArrowEncoder(options.schema) : new ParquetEncoder(options.schema, options.metadata, options.zstdLevel);
  }

  get shards(): readonly TableShard[] {
    return this.written;
  }

  /** Stages one row; resolves once any batch it completed is on disk. Await before the next call. */
  async append(row: object): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.format} shard writer is ${this.state}`);
    try {
      this.stager.setRow(this.staged, row);
      this.staged += 1;
      if (this.staged === this.batchCapacity()) await this.flushBatch();
    } catch (error) {
      await this.fail();
      throw error;
    }
  }

  /** Writes what is staged, publishes the last shard, returns every shard. */
  async close(): Promise<TableShard[]> {
    if (this.state !== 'open') throw new Error(`${this.format} shard writer is ${this.state}`);
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

  /** Removes the open temp file and every shard this writer published. */
  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    await this.dropOpenShard();
    await Promise.all(this.written.map((s) => fsp.rm(s.path, { force: true })));
    this.written.length = 0;
  }

  private async fail(): Promise<void> {
    this.state = 'failed';
    await this.dropOpenShard();
  }

  private async dropOpenShard(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.staged = 0;
    this.rowsInShard = 0;
    if (file) {
      this.encoder.discard();
      await file.abort().catch(() => undefined);
    }
  }

  private batchCapacity(): number {
    return Math.min(this.options.batchRows, this.options.shardRows - this.rowsInShard);
  }

  private async flushBatch(): Promise<void> {
    if (this.staged === 0) return;
    if (!this.file) {
      const ext = this.format === 'arrow' ? 'arrow' : 'parquet';
      const target = path.join(this.options.dir, shardFileName(this.options.baseName, this.written.length, ext));
      this.file = await AtomicFileWriter.open(target, { durable: this.options.durable ?? true });
      this.encoder.begin(this.file);
    }
    await this.encoder.write(this.stager.columns, this.staged);
    this.rowsInShard += this.staged;
    this.staged = 0;
    if (this.rowsInShard === this.options.shardRows) await this.publishShard();
  }

  private async publishShard(): Promise<void> {
    const file = this.file!;
    await this.encoder.end();
    const committed = await file.commit();
    this.file = undefined;
    this.written.push({ ...committed, format: this.format, rows: this.rowsInShard });
    this.rowsInShard = 0;
  }
}

// ---- Arrow IPC file ----

const textEncoder = new TextEncoder();

class ArrowEncoder implements ShardEncoder {
  private readonly types: DataType[];
  private ipc: RecordBatchFileWriter | undefined;
  private sink: ChunkCollector | undefined;
  private file: AtomicFileWriter | undefined;

  constructor(private readonly schema: Schema) {
    this.types = schema.fields.map((f) => f.type as DataType);
  }

  begin(file: AtomicFileWriter): void {
    this.file = file;
    this.sink = new ChunkCollector();
    this.ipc = new RecordBatchFileWriter();
    this.ipc.reset(this.sink, this.schema);
  }

  async write(columns: readonly TableColumn[], count: number): Promise<void> {
    const children = columns.map((c, i) => arrowColumn(c, this.types[i]!, count));
    const struct = makeData({ type: new Struct(this.schema.fields), length: count, nullCount: 0, children });
    this.ipc!.write(new RecordBatch(this.schema, struct));
    await this.file!.write(this.sink!.take());
  }

  async end(): Promise<void> {
    this.ipc!.finish();
    this.ipc!.close();
    await this.file!.write(this.sink!.take());
    this.discard();
  }

  discard(): void {
    this.ipc = undefined;
    this.sink = undefined;
    this.file = undefined;
  }
}

// `type` is the schema field's own type object; makeData's overloads are keyed by the static type.
function arrowColumn(column: TableColumn, type: DataType, count: number): Data {
  if (column.kind === 'variable') {
    const valueOffsets = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) valueOffsets[i + 1] = valueOffsets[i]! + column.values[i]!.byteLength;
    const data = new Uint8Array(valueOffsets[count]!);
    for (let i = 0; i < count; i++) data.set(column.values[i]!, valueOffsets[i]);
    return makeData({ type, length: count, nullCount: 0, valueOffsets, data } as never);
  }
  const staged = column.staged;
  switch (staged.type) {
    case 'utf8': {
      const encoded = staged.values.slice(0, count).map((s) => textEncoder.encode(s));
      const valueOffsets = new Int32Array(count + 1);
      for (let i = 0; i < count; i++) valueOffsets[i + 1] = valueOffsets[i]! + encoded[i]!.byteLength;
      const data = new Uint8Array(valueOffsets[count]!);
      for (let i = 0; i < count; i++) data.set(encoded[i]!, valueOffsets[i]);
      return makeData({ type, length: count, nullCount: 0, valueOffsets, data } as never);
    }
    case 'binary': {
      const valueOffsets = new Int32Array(count + 1);
      for (let i = 0; i <= count; i++) valueOffsets[i] = i * staged.stride;
      return makeData({ type, length: count, nullCount: 0, valueOffsets, data: staged.values.subarray(0, count * staged.stride) } as never);
    }
    case 'fixed_binary':
      return makeData({ type, length: count, nullCount: 0, data: staged.values.subarray(0, count * staged.stride) } as never);
    default:
      return makeData({ type, length: count, nullCount: 0, data: staged.values.subarray(0, count) } as never);
  }
}

// ---- Parquet (zstd) ----

/** A hyparquet ByteWriter whose flush() hands the encoded bytes to the AtomicFileWriter (no copy: the writer awaits it). */
class DrainingByteWriter extends ByteWriter {
  constructor(private readonly file: AtomicFileWriter) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    this.index = 0;
    return this.file.write(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

class ParquetEncoder implements ShardEncoder {
  private readonly compressor = new Compressor();
  private parquet: ParquetWriter | undefined;

  constructor(
    private readonly schema: SchemaElement[],
    private readonly metadata: KeyValue[],
    zstdLevel: number,
  ) {
    this.compressor.setParameters({ compressionLevel: zstdLevel });
  }

  begin(file: AtomicFileWriter): void {
    this.parquet = new ParquetWriter({
      writer: new DrainingByteWriter(file),
      schema: this.schema,
      codec: 'ZSTD',
      compressors: { ZSTD: (input: Uint8Array) => this.compressor.compress(input) },
      kvMetadata: this.metadata,
      createdBy: 'sonospeech',
    });
  }

  async write(columns: readonly TableColumn[], count: number): Promise<void> {
    const columnData: ColumnSource[] = columns.map((c) => ({ name: c.spec.name, data: parquetValues(c, count), ...parquetColumnOptions(c.spec) }));
    await this.parquet!.write({ columnData, rowGroupSize: count });
  }

  async end(): Promise<void> {
    await this.parquet!.finish();
    this.parquet = undefined;
  }

  discard(): void {
    this.parquet = undefined;
  }
}

function parquetValues(column: TableColumn, count: number): DecodedArray {
  return column.kind === 'variable' ? column.values.slice(0, count) : columnValues(column.staged, count);
}
