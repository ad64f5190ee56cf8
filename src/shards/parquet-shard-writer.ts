/**
 * Rolling Parquet writer: hyparquet-writer's incremental ParquetWriter, one row group per
 * staged batch, zstd through zstd-napi's synchronous Compressor. The encoder's byte
 * buffer is drained into the temp file after every row group, so memory stays at one
 * encoded row group.
 */
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import type { DecodedArray } from 'hyparquet';
import { Compressor } from 'zstd-napi';
import type { ShardKind } from '../../schemas/columns.js';
import { parquetColumnOptions, parquetKeyValueMetadata, parquetSchema } from '../../schemas/parquet.js';
import type { AtomicFileWriter } from './atomic-file.js';
import { RollingShardWriter, type ShardWriterOptions } from './rolling-shard-writer.js';
import type { StagedColumn } from './row-stager.js';

export interface ParquetShardWriterOptions<K extends ShardKind> extends ShardWriterOptions<K> {
  /** zstd level (default 3, zstd's own default). */
  zstdLevel?: number;
  /** Parquet `created_by` (default 'sonospeech'). */
  createdBy?: string;
}

/** A hyparquet ByteWriter whose flush() hands the encoded bytes to an AtomicFileWriter. */
class DrainingByteWriter extends ByteWriter {
  constructor(private readonly file: AtomicFileWriter) {
    super(1 << 20);
  }

  /**
   * No copy: ParquetWriter awaits the returned promise before it encodes the next row
   * group (and finish() returns it), so the buffer is not touched until the bytes are written.
   */
  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    this.index = 0;
    return this.file.write(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

export class ParquetShardWriter<K extends ShardKind> extends RollingShardWriter<K> {
  private readonly compressor: Compressor;
  private readonly createdBy: string;
  private parquet: ParquetWriter | undefined;
  private bytes: DrainingByteWriter | undefined;

  constructor(options: ParquetShardWriterOptions<K>) {
    super(options, 'parquet', 'parquet');
    this.compressor = new Compressor();
    this.compressor.setParameters({ compressionLevel: options.zstdLevel ?? 3 });
    this.createdBy = options.createdBy ?? 'sonospeech';
  }

  protected beginShard(): void {
    // The ParquetWriter needs its sink at construction; it is made at the first batch.
    this.parquet = undefined;
    this.bytes = undefined;
  }

  protected async writeBatch(file: AtomicFileWriter, count: number): Promise<void> {
    const parquet = this.parquetFor(file);
    const columnData: ColumnSource[] = this.stager.staged.map((column) => ({
      name: column.spec.name,
      data: columnValues(column, count),
      ...parquetColumnOptions(column.spec),
    }));
    await parquet.write({ columnData, rowGroupSize: count });
  }

  protected async endShard(): Promise<void> {
    await this.parquet!.finish();
    this.parquet = undefined;
    this.bytes = undefined;
  }

  protected discardShard(): void {
    this.parquet = undefined;
    this.bytes = undefined;
  }

  private parquetFor(file: AtomicFileWriter): ParquetWriter {
    if (!this.parquet) {
      this.bytes = new DrainingByteWriter(file);
      this.parquet = new ParquetWriter({
        writer: this.bytes,
        schema: parquetSchema(this.kind, this.layout),
        codec: 'ZSTD',
        compressors: { ZSTD: (input: Uint8Array) => this.compressor.compress(input) },
        kvMetadata: parquetKeyValueMetadata(this.kind, this.layout),
        createdBy: this.createdBy,
      });
    }
    return this.parquet;
  }
}

/** Values of rows [0, count) in the form hyparquet-writer expects for the column's Parquet type. */
export function columnValues(column: StagedColumn, count: number): DecodedArray {
  switch (column.type) {
    case 'binary':
    case 'fixed_binary': {
      const views: Uint8Array[] = new Array(count);
      for (let i = 0; i < count; i++) views[i] = column.values.subarray(i * column.stride, (i + 1) * column.stride);
      return views;
    }
    case 'utf8':
      return column.values.slice(0, count);
    case 'int8':
      // INT_8 is stored as INT32; hyparquet-writer takes any array of integers.
      return Int32Array.from(column.values.subarray(0, count));
    default:
      return column.values.subarray(0, count);
  }
}
