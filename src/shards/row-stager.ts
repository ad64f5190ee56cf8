/**
 * Preallocated, format-neutral staging buffers for one record batch / row group: one
 * typed array per numeric column and one contiguous byte buffer per binary column.
 * Rows are validated against the column specs as they are copied in; the buffers are
 * reused for the next batch once the current one has been written out.
 */
import { type ColumnSpec, orderLabel } from '../../schemas/columns.js';

export type StagedColumn =
  | { spec: ColumnSpec; type: 'int8'; values: Int8Array }
  | { spec: ColumnSpec; type: 'int32'; values: Int32Array }
  | { spec: ColumnSpec; type: 'int64'; values: BigInt64Array }
  | { spec: ColumnSpec; type: 'float32'; values: Float32Array }
  | { spec: ColumnSpec; type: 'float64'; values: Float64Array }
  | { spec: ColumnSpec; type: 'utf8'; values: string[] }
  | { spec: ColumnSpec; type: 'binary' | 'fixed_binary'; values: Uint8Array; stride: number };

const INT_RANGE = { int8: [-128, 127], int32: [-(2 ** 31), 2 ** 31 - 1] } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Source = Record<string, unknown>;

export class RowStager {
  readonly staged: StagedColumn[];
  private readonly labelRules: { label: IntColumn; elements: (Int8Array | Int32Array)[] }[];

  constructor(readonly columns: readonly ColumnSpec[], readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error(`RowStager: bad capacity ${capacity}`);
    this.staged = columns.map((spec) => allocate(spec, capacity));
    this.labelRules = labelRulesOf(this.staged);
  }

  /** Copies one row object into slot `at`. */
  setRow(at: number, row: object): void {
    const source = row as Source;
    for (const column of this.staged) {
      const { spec } = column;
      const raw = source[spec.key];
      if (column.type === 'binary' || column.type === 'fixed_binary') {
        const bytes = expectBytes(raw, column.stride, spec, 0);
        column.values.set(bytes, at * column.stride);
        continue;
      }
      const value = spec.element ? elementOf(raw, spec, 0) : raw;
      storeScalar(column, at, value, spec, 0);
    }
    this.checkOrderLabels(at, 1);
  }

  /** Throws unless every column of a columnar batch holds `length` rows. */
  checkColumns(columns: object): number {
    const source = columns as Source;
    const length = source['length'];
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      throw new Error('shard batch: length must be a non-negative integer');
    }
    for (const column of this.staged) {
      const { spec } = column;
      const raw = source[spec.key];
      if (column.type === 'utf8' && typeof raw === 'string') continue;
      const isBytes = column.type === 'binary' || column.type === 'fixed_binary';
      if (isBytes && !(raw instanceof Uint8Array)) throw new Error(`shard batch: ${spec.key} must be a Uint8Array`);
      if (!isArrayLike(raw)) throw new Error(`shard batch: ${spec.key} missing`);
      const perRow = isBytes ? column.stride : spec.element?.arity ?? 1;
      if (raw.length !== length * perRow) {
        throw new Error(`shard batch: ${spec.key} holds ${raw.length} values, expected ${length * perRow}`);
      }
    }
    return length;
  }

  /** Copies rows [from, from + count) of a checked columnar batch into slots [at, at + count). */
  copyColumns(at: number, columns: object, from: number, count: number): void {
    const source = columns as Source;
    for (const column of this.staged) {
      const { spec } = column;
      const raw = source[spec.key];
      if (column.type === 'binary' || column.type === 'fixed_binary') {
        const bytes = raw as Uint8Array;
        column.values.set(bytes.subarray(from * column.stride, (from + count) * column.stride), at * column.stride);
        continue;
      }
      if (column.type === 'utf8' && typeof raw === 'string') {
        for (let i = 0; i < count; i++) storeScalar(column, at + i, raw, spec, from + i);
        continue;
      }
      const list = raw as ArrayLike<unknown>;
      const arity = spec.element?.arity ?? 1;
      const index = spec.element?.index ?? 0;
      for (let i = 0; i < count; i++) storeScalar(column, at + i, list[(from + i) * arity + index], spec, from + i);
    }
    this.checkOrderLabels(at, count, from);
  }

  /** Cross-column rule: a label column must be the class of its row's permutation. */
  private checkOrderLabels(at: number, count: number, sourceRow = 0): void {
    for (const { label, elements } of this.labelRules) {
      const permutation = new Array<number>(elements.length);
      for (let r = at; r < at + count; r++) {
        for (let j = 0; j < elements.length; j++) permutation[j] = elements[j]![r]!;
        const expected = orderLabel(permutation);
        if (expected < 0) throw new Error(`shard row ${sourceRow + r - at}: [${permutation.join(', ')}] is not a permutation`);
        if (label.values[r] !== expected) {
          throw new Error(`shard row ${sourceRow + r - at}: ${label.spec.name} ${label.values[r]} is not the class ${expected} of [${permutation.join(', ')}]`);
        }
      }
    }
  }
}

type IntColumn = Extract<StagedColumn, { type: 'int8' | 'int32' }>;

function labelRulesOf(staged: readonly StagedColumn[]): { label: IntColumn; elements: (Int8Array | Int32Array)[] }[] {
  const isInt = (c: StagedColumn): c is IntColumn => c.type === 'int8' || c.type === 'int32';
  return staged.filter((c) => c.spec.orderLabelOf).map((label) => {
    if (!isInt(label)) throw new Error(`${label.spec.name}: orderLabelOf needs an int column`);
    const elements = staged
      .filter((c) => c.spec.key === label.spec.orderLabelOf)
      .sort((x, y) => (x.spec.element?.index ?? 0) - (y.spec.element?.index ?? 0))
      .map((c) => {
        if (!isInt(c)) throw new Error(`${c.spec.name}: permutation needs an int column`);
        return c.values;
      });
    return { label, elements };
  });
}

function allocate(spec: ColumnSpec, capacity: number): StagedColumn {
  switch (spec.type) {
    case 'int8': return { spec, type: 'int8', values: new Int8Array(capacity) };
    case 'int32': return { spec, type: 'int32', values: new Int32Array(capacity) };
    case 'int64': return { spec, type: 'int64', values: new BigInt64Array(capacity) };
    case 'float32': return { spec, type: 'float32', values: new Float32Array(capacity) };
    case 'float64': return { spec, type: 'float64', values: new Float64Array(capacity) };
    case 'utf8': return { spec, type: 'utf8', values: new Array<string>(capacity).fill('') };
    case 'binary':
    case 'fixed_binary': {
      const stride = spec.bytesPerRow;
      if (!stride) throw new Error(`column ${spec.name}: bytesPerRow missing`);
      return { spec, type: spec.type, values: new Uint8Array(capacity * stride), stride };
    }
  }
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number';
}

function expectBytes(raw: unknown, length: number, spec: ColumnSpec, row: number): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw new Error(`shard row ${row}: ${spec.key} must be a Uint8Array`);
  if (raw.byteLength !== length) {
    throw new Error(`shard row ${row}: ${spec.key} has ${raw.byteLength} bytes, expected ${length}`);
  }
  return raw;
}

function elementOf(raw: unknown, spec: ColumnSpec, row: number): unknown {
  const element = spec.element!;
  if (!isArrayLike(raw) || raw.length !== element.arity) {
    throw new Error(`shard row ${row}: ${spec.key} must hold ${element.arity} values`);
  }
  return raw[element.index];
}

function storeScalar(column: StagedColumn, at: number, value: unknown, spec: ColumnSpec, row: number): void {
  const fail = (why: string): never => {
    throw new Error(`shard row ${row}: ${spec.name} ${why}, got ${String(value)}`);
  };
  switch (column.type) {
    case 'utf8':
      if (typeof value !== 'string') fail('must be a string');
      column.values[at] = value as string;
      return;
    case 'int8':
    case 'int32': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('must be an integer');
      const [lo, hi] = INT_RANGE[column.type];
      if (value < Math.max(lo, spec.min ?? lo) || value > Math.min(hi, spec.max ?? hi)) fail('out of range');
      column.values[at] = value;
      return;
    }
    case 'float32':
    case 'float64': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) fail('out of range');
      column.values[at] = value;
      return;
    }
    case 'int64': {
      let big: bigint;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else return fail('must be a bigint or a safe integer');
      if (big < INT64_MIN || big > INT64_MAX) fail('out of int64 range');
      column.values[at] = big;
      return;
    }
    case 'binary':
    case 'fixed_binary':
      throw new Error(`storeScalar: ${spec.name} is binary`);
  }
}
