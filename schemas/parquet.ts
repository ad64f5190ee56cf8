/**
 * Parquet mapping of the shard columns for hyparquet-writer 0.17 (explicit schema, all
 * columns REQUIRED). Derived from columns.ts, so it cannot drift from the Arrow schema.
 *
 * | column type  | Parquet physical              | annotation          | JS value written        |
 * |--------------|-------------------------------|---------------------|-------------------------|
 * | utf8         | BYTE_ARRAY                    | UTF8 / STRING       | string                  |
 * | int8         | INT32                         | converted INT_8     | number                  |
 * | int32        | INT32                         | -                   | number                  |
 * | int64        | INT64                         | -                   | bigint                  |
 * | float32      | FLOAT                         | -                   | number                  |
 * | float64      | DOUBLE                        | -                   | number                  |
 * | binary       | BYTE_ARRAY                    | none (raw bytes)    | Uint8Array              |
 * | fixed_binary | FIXED_LEN_BYTE_ARRAY(n)       | none                | Uint8Array of n bytes   |
 *
 * int8 carries only the legacy converted type: hyparquet-writer 0.17 serialises the
 * logical INTEGER annotation with a thrift field type DuckDB rejects ("TProtocolException:
 * Invalid data"), while INT_8 alone reads as TINYINT. Binary columns have no annotation,
 * so hyparquet must read them with `utf8: false` or it decodes the bytes as text.
 */
import type { Encoding, KeyValue, SchemaElement } from 'hyparquet';
import { type ColumnSpec, columnsFor, resolveLayout, type ShardKind, type ShardLayout } from './columns.js';
import { shardMetadata } from './shards.js';

export function parquetElement(column: ColumnSpec): SchemaElement {
  const base = { name: column.name, repetition_type: 'REQUIRED' as const };
  switch (column.type) {
    case 'utf8': return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'int8': return { ...base, type: 'INT32', converted_type: 'INT_8' };
    case 'int32': return { ...base, type: 'INT32' };
    case 'int64': return { ...base, type: 'INT64' };
    case 'float32': return { ...base, type: 'FLOAT' };
    case 'float64': return { ...base, type: 'DOUBLE' };
    case 'binary': return { ...base, type: 'BYTE_ARRAY' };
    case 'fixed_binary': {
      if (!column.bytesPerRow) throw new Error(`column ${column.name}: bytesPerRow missing`);
      return { ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: column.bytesPerRow };
    }
  }
}

/** Full Parquet schema: the root group followed by one leaf per column. */
export function parquetSchema(kind: ShardKind, layout: Partial<ShardLayout> = {}): SchemaElement[] {
  const columns = columnsFor(kind, layout);
  return [{ name: 'root', num_children: columns.length }, ...columns.map(parquetElement)];
}

export interface ParquetColumnOptions {
  encoding?: Encoding;
  statistics?: boolean;
}

/**
 * Per-column writer options. Binary columns skip dictionary sampling (images never
 * repeat) and statistics (FIXED_LEN_BYTE_ARRAY min/max are never truncated, so they
 * would put 2 x 64 KiB per column chunk into the footer).
 */
export function parquetColumnOptions(column: ColumnSpec): ParquetColumnOptions {
  return column.type === 'binary' || column.type === 'fixed_binary' ? { encoding: 'PLAIN', statistics: false } : {};
}

/** File key-value metadata: the same keys and values as the Arrow schema metadata. */
export function parquetKeyValueMetadata(kind: ShardKind, layout: Partial<ShardLayout> = {}): KeyValue[] {
  return [...shardMetadata(kind, resolveLayout(layout))].map(([key, value]) => ({ key, value }));
}
