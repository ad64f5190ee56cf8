/**
 * Rolling Arrow IPC *file* writer (uncompressed, so readers get zero-copy views).
 * Columns are built with makeData straight over the staging buffers (no builders), and
 * the IPC bytes of each record batch go to the temp file before the buffers are reused.
 */
import {
  type Data,
  type DataType,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  type Schema,
  Struct,
} from 'apache-arrow';
import type { ShardKind } from '../../schemas/columns.js';
import { shardSchema } from '../../schemas/shards.js';
import type { AtomicFileWriter } from './atomic-file.js';
import { RollingShardWriter, type ShardWriterOptions } from './rolling-shard-writer.js';
import { ChunkCollector } from './chunk-collector.js';
import type { StagedColumn } from './row-stager.js';

const textEncoder = new TextEncoder();

export class ArrowShardWriter<K extends ShardKind> extends RollingShardWriter<K> {
  readonly schema: Schema;
  private readonly types: DataType[];
  private ipc: RecordBatchFileWriter | undefined;
  private sink: ChunkCollector | undefined;

  constructor(options: ShardWriterOptions<K>) {
    super(options, 'arrow', 'arrow');
    this.schema = shardSchema(this.kind, this.layout);
    this.types = this.schema.fields.map((field) => field.type as DataType);
  }

  protected beginShard(): void {
    this.sink = new ChunkCollector();
    this.ipc = new RecordBatchFileWriter();
    this.ipc.reset(this.sink, this.schema);
  }

  protected async writeBatch(file: AtomicFileWriter, count: number): Promise<void> {
    this.ipc!.write(this.buildBatch(count));
    // The chunks are views of the staging buffers: write them before the next batch is staged.
    await file.write(this.sink!.take());
  }

  protected async endShard(file: AtomicFileWriter): Promise<void> {
    this.ipc!.finish();
    this.ipc!.close();
    await file.write(this.sink!.take());
    this.ipc = undefined;
    this.sink = undefined;
  }

  protected discardShard(): void {
    this.ipc = undefined;
    this.sink = undefined;
  }

  /** One record batch over rows [0, count) of the staging buffers. */
  buildBatch(count: number): RecordBatch {
    const children = this.stager.staged.map((column, i) => columnData(column, this.types[i]!, count));
    const struct = makeData({ type: new Struct(this.schema.fields), length: count, nullCount: 0, children });
    return new RecordBatch(this.schema, struct);
  }
}

// `type` is the schema field's own type object; makeData's overloads are keyed by the
// static type, hence the `as never` on the props.
function columnData(column: StagedColumn, type: DataType, count: number): Data {
  switch (column.type) {
    case 'utf8': {
      const encoded = column.values.slice(0, count).map((s) => textEncoder.encode(s));
      const valueOffsets = new Int32Array(count + 1);
      for (let i = 0; i < count; i++) valueOffsets[i + 1] = valueOffsets[i]! + encoded[i]!.byteLength;
      const data = new Uint8Array(valueOffsets[count]!);
      for (let i = 0; i < count; i++) data.set(encoded[i]!, valueOffsets[i]);
      return makeData({ type, length: count, nullCount: 0, valueOffsets, data } as never);
    }
    case 'binary': {
      const valueOffsets = new Int32Array(count + 1);
      for (let i = 0; i <= count; i++) valueOffsets[i] = i * column.stride;
      const data = column.values.subarray(0, count * column.stride);
      return makeData({ type, length: count, nullCount: 0, valueOffsets, data } as never);
    }
    case 'fixed_binary':
      return makeData({ type, length: count, nullCount: 0, data: column.values.subarray(0, count * column.stride) } as never);
    default:
      return makeData({ type, length: count, nullCount: 0, data: column.values.subarray(0, count) } as never);
  }
}
