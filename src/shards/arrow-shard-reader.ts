/**
 * Pull-based reading of Arrow shard files: one record batch at a time through random
 * access on a file handle; binary cells are views into the batch buffer (no copies).
 */
import { promises as fsp } from 'node:fs';
import {
  type Binary,
  type Data,
  DataType,
  type FixedSizeBinary,
  type RecordBatch,
  RecordBatchReader,
  type Schema,
} from 'apache-arrow';
import { ORDER_FRAMES, type ShardKind } from '../../schemas/columns.js';
import { describeShard, type ShardDescription } from '../../schemas/shards.js';

export interface ReadBatchesOptions {
  /** Throw unless the shard holds this kind of row. */
  kind?: ShardKind;
}

/** Yields the record batches of an Arrow IPC file one at a time; the file stays open only while iterating. */
export async function* readBatches(path: string, options: ReadBatchesOptions = {}): AsyncGenerator<RecordBatch> {
  const handle = await fsp.open(path, 'r');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    checkShard(reader.schema, path, options.kind);
    for await (const batch of reader) yield batch;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Kind, schema version and layout of an Arrow shard, from its schema metadata. */
export async function readShardDescription(path: string): Promise<ShardDescription> {
  const handle = await fsp.open(path, 'r');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    return describeShard(reader.schema.metadata);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function checkShard(schema: Schema, path: string, kind: ShardKind | undefined): ShardDescription {
  const description = describeShard(schema.metadata);
  if (kind && description.kind !== kind) throw new Error(`${path}: holds ${description.kind}, expected ${kind}`);
  return description;
}

/** The bytes of a Binary or FixedSizeBinary cell, as a view into the batch buffer. */
export function binaryCell(batch: RecordBatch, column: string, row: number): Uint8Array {
  const vector = batch.getChild(column);
  if (!vector) throw new Error(`no column ${column}`);
  if (row < 0 || row >= batch.numRows) throw new RangeError(`row ${row} outside 0..${batch.numRows - 1}`);
  // A record batch read from IPC holds one Data chunk per column.
  const data = vector.data[0] as Data;
  const at = data.offset + row;
  if (DataType.isBinary(data.type)) {
    const binary = data as Data<Binary>;
    return binary.values.subarray(binary.valueOffsets[at]!, binary.valueOffsets[at + 1]!);
  }
  if (DataType.isFixedSizeBinary(data.type)) {
    const fixed = data as Data<FixedSizeBinary>;
    const width = fixed.type.byteWidth;
    return fixed.values.subarray(at * width, (at + 1) * width);
  }
  throw new Error(`column ${column} is not binary`);
}

/** The video frame of a pair row (frame_height * frame_width bytes, row-major). */
export function frameView(batch: RecordBatch, row: number): Uint8Array {
  return binaryCell(batch, 'frame', row);
}

/** The positive or negative spectrogram of a pair row (spec_bins * spec_frames bytes). */
export function speechView(batch: RecordBatch, row: number, which: 'pos' | 'neg'): Uint8Array {
  return binaryCell(batch, which === 'pos' ? 'speech_pos' : 'speech_neg', row);
}

/** Frame `index` (0..3, shuffled order) of an order row. */
export function orderFrameView(batch: RecordBatch, row: number, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= ORDER_FRAMES) throw new RangeError(`frame ${index} outside 0..3`);
  const frames = binaryCell(batch, 'frames', row);
  const size = frames.byteLength / ORDER_FRAMES;
  return frames.subarray(index * size, (index + 1) * size);
}

/** The int64 sample seed of a row. */
export function sampleSeed(batch: RecordBatch, row: number): bigint {
  const value: unknown = batch.getChild('sample_seed')?.get(row);
  if (typeof value !== 'bigint') throw new Error(`row ${row}: no sample_seed`);
  return value;
}
