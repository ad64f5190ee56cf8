/**
 * Staging of one batch of rows for any column list: fixed-size columns go through the
 * shared RowStager (src/shards/row-stager.ts: typed arrays, contiguous binary buffers,
 * range checks); variable-size binary columns (binary without bytesPerRow) are kept as one
 * copied Uint8Array per row.
 */
import type { ColumnSpec } from '../../../schemas/columns.js';
import { isVariableBinary } from '../../../schemas/downstream.js';
import { RowStager, type StagedColumn } from '../../shards/row-stager.js';

export type TableColumn =
  | { kind: 'fixed'; spec: ColumnSpec; staged: StagedColumn }
  | { kind: 'variable'; spec: ColumnSpec; values: Uint8Array[] };

export class TableStager {
  /** Every column, in file order. */
  readonly columns: TableColumn[];
  private readonly fixed: RowStager;
  private readonly variable: Extract<TableColumn, { kind: 'variable' }>[];

  constructor(specs: readonly ColumnSpec[], readonly capacity: number) {
    const fixedSpecs = specs.filter((s) => !isVariableBinary(s));
    this.fixed = new RowStager(fixedSpecs, capacity);
    const byName = new Map(this.fixed.staged.map((c) => [c.spec.name, c]));
    this.columns = specs.map((spec) =>
      isVariableBinary(spec)
        ? { kind: 'variable', spec, values: new Array<Uint8Array>(capacity).fill(new Uint8Array(0)) }
        : { kind: 'fixed', spec, staged: byName.get(spec.name)! },
    );
    this.variable = this.columns.filter((c): c is Extract<TableColumn, { kind: 'variable' }> => c.kind === 'variable');
  }

  /** Copies one row object into slot `at`; throws (leaving the slot unusable) on a bad value. */
  setRow(at: number, row: object): void {
    const source = row as Record<string, unknown>;
    for (const column of this.variable) {
      const value = source[column.spec.key];
      if (!(value instanceof Uint8Array)) throw new Error(`shard row: ${column.spec.key} must be a Uint8Array`);
    }
    this.fixed.setRow(at, row);
    for (const column of this.variable) column.values[at] = (source[column.spec.key] as Uint8Array).slice();
  }
}
