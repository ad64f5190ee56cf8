/**
 * Arrow (apache-arrow 21) schemas of the pair and order shards, with field and schema
 * metadata. Built from the column lists in columns.ts.
 */
import {
  Binary,
  type DataType,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  Schema,
  Utf8,
} from 'apache-arrow';
import {
  type ColumnSpec,
  type ColumnType,
  columnsFor,
  resolveLayout,
  SCHEMA_VERSION,
  SHARD_KINDS,
  type ShardKind,
  type ShardLayout,
} from './columns.js';

export { SCHEMA_VERSION } from './columns.js';

export const SHARD_SCHEMA_ID = 'sonospeech.shard';

/** Schema-level metadata keys (Arrow schema metadata; Parquet key-value metadata). */
export const SHARD_META = {
  schema: 'sonospeech.schema',
  version: 'sonospeech.schema_version',
  kind: 'sonospeech.kind',
  frameHeight: 'sonospeech.frame_height',
  frameWidth: 'sonospeech.frame_width',
  specBins: 'sonospeech.spec_bins',
  specFrames: 'sonospeech.spec_frames',
  specDbScale: 'sonospeech.spec_db_scale',
  specDbOffset: 'sonospeech.spec_db_offset',
} as const;

/** Field-level metadata keys. */
export const FIELD_META = {
  description: 'sonospeech.description',
  unit: 'sonospeech.unit',
  shape: 'sonospeech.shape',
  dtype: 'sonospeech.dtype',
} as const;

export function arrowType(column: ColumnSpec): DataType {
  const type: ColumnType = column.type;
  switch (type) {
    case 'utf8': return new Utf8();
    case 'int8': return new Int8();
    case 'int32': return new Int32();
    case 'int64': return new Int64();
    case 'float32': return new Float32();
    case 'float64': return new Float64();
    case 'binary': return new Binary();
    case 'fixed_binary': return new FixedSizeBinary(requireBytes(column));
  }
}

function requireBytes(column: ColumnSpec): number {
  if (!column.bytesPerRow) throw new Error(`column ${column.name}: bytesPerRow missing`);
  return column.bytesPerRow;
}

function fieldMetadata(column: ColumnSpec): Map<string, string> {
  const meta = new Map<string, string>([[FIELD_META.description, column.description]]);
  if (column.unit) meta.set(FIELD_META.unit, column.unit);
  if (column.shape) {
    meta.set(FIELD_META.shape, column.shape.join(','));
    meta.set(FIELD_META.dtype, 'uint8');
  }
  return meta;
}

/** Key-value metadata shared by the Arrow and Parquet files of a shard. */
export function shardMetadata(kind: ShardKind, layout: ShardLayout): Map<string, string> {
  return new Map<string, string>([
    [SHARD_META.schema, SHARD_SCHEMA_ID],
    [SHARD_META.version, String(SCHEMA_VERSION)],
    [SHARD_META.kind, kind],
    [SHARD_META.frameHeight, String(layout.frameHeight)],
    [SHARD_META.frameWidth, String(layout.frameWidth)],
    [SHARD_META.specBins, String(layout.specBins)],
    [SHARD_META.specFrames, String(layout.specFrames)],
    [SHARD_META.specDbScale, String(layout.specDbScale)],
    [SHARD_META.specDbOffset, String(layout.specDbOffset)],
  ]);
}

export function shardSchema(kind: ShardKind, layoutInput: Partial<ShardLayout> = {}): Schema {
  const layout = resolveLayout(layoutInput);
  const fields = columnsFor(kind, layout).map(
    (column) => new Field(column.name, arrowType(column), false, fieldMetadata(column)),
  );
  return new Schema(fields, shardMetadata(kind, layout));
}

export function pairSchema(layout: Partial<ShardLayout> = {}): Schema {
  return shardSchema('pairs', layout);
}

export function orderSchema(layout: Partial<ShardLayout> = {}): Schema {
  return shardSchema('orders', layout);
}

export interface ShardDescription {
  kind: ShardKind;
  version: number;
  layout: ShardLayout;
}

/**
 * Reads kind, version and layout back from shard metadata (Arrow schema metadata or
 * Parquet key-value metadata). Throws on a foreign file or another schema version.
 */
export function describeShard(metadata: ReadonlyMap<string, string>): ShardDescription {
  const get = (key: string): string => {
    const value = metadata.get(key);
    if (value === undefined) throw new Error(`shard metadata: missing ${key}`);
    return value;
  };
  if (get(SHARD_META.schema) !== SHARD_SCHEMA_ID) throw new Error('shard metadata: not a sonospeech shard');
  const version = Number(get(SHARD_META.version));
  if (version !== SCHEMA_VERSION) {
    throw new Error(`shard metadata: schema version ${version}, this build reads ${SCHEMA_VERSION}`);
  }
  const kind = get(SHARD_META.kind) as ShardKind;
  if (!SHARD_KINDS.includes(kind)) throw new Error(`shard metadata: unknown kind ${kind}`);
  const layout = resolveLayout({
    frameHeight: Number(get(SHARD_META.frameHeight)),
    frameWidth: Number(get(SHARD_META.frameWidth)),
    specBins: Number(get(SHARD_META.specBins)),
    specFrames: Number(get(SHARD_META.specFrames)),
    specDbScale: Number(get(SHARD_META.specDbScale)),
    specDbOffset: Number(get(SHARD_META.specDbOffset)),
  });
  return { kind, version, layout };
}

/** dB value of a quantised spectrogram byte. */
export function dequantiseDb(q: number, layout: Pick<ShardLayout, 'specDbScale' | 'specDbOffset'>): number {
  return q * layout.specDbScale + layout.specDbOffset;
}
