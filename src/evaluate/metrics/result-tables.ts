/**
 * Per-fold results -> the paper's tables, as GitHub Markdown and as CSV.
 *
 * Markdown cells read "mean ± std" (sample std, n - 1) after scaling (e.g. x100 for %), rounded to the
 * column's digits; the best row per column is bold, judged on the displayed (rounded) mean so rows that read
 * the same are all bold. A cell whose folds include NaN (skipped, see meanStd) says "(n=2/3)"; a single
 * usable fold shows no "± std"; no usable fold shows "n/a".
 * CSV (RFC 4180: CRLF line ends, fields with comma, quote, CR or LF quoted, quotes doubled) has one mean and
 * one std column per metric: scaled numbers to 12 significant digits, empty for NaN.
 */

import { meanStd, type MeanStd } from './classification-metrics.js';

export interface ColumnSpec {
  name: string;
  higherIsBetter: boolean;
  /** Multiplier applied before display and CSV (100 for %); default 1. */
  scale?: number;
  /** Decimals shown in Markdown. */
  digits: number;
}

export interface TableSpec {
  title: string;
  /** Header of the label column; default "Method". */
  rowHeader?: string;
  rowLabels: readonly string[];
  columns: readonly ColumnSpec[];
  /** cells[row][column] = the per-fold values of that metric (unscaled). */
  cells: readonly (readonly (readonly number[])[])[];
}

export interface CellSummary extends MeanStd {
  /** Best row of its column (displayed mean). */
  best: boolean;
}

export interface FormattedTable {
  markdown: string;
  csv: string;
  /** Scaled mean/std per [row][column]. */
  summary: CellSummary[][];
}

export function formatTable(spec: TableSpec): FormattedTable {
  const { rowLabels, columns, cells } = spec;
  if (cells.length !== rowLabels.length) throw new Error(`formatTable: ${rowLabels.length} row labels but ${cells.length} rows of cells`);
  cells.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new Error(`formatTable: row "${rowLabels[r]}" has ${row.length} cells for ${columns.length} columns`);
    }
  });
  for (const column of columns) {
    if (!Number.isInteger(column.digits) || column.digits < 0) throw new Error(`formatTable: column "${column.name}" digits must be an integer >= 0`);
  }

  const summary: CellSummary[][] = cells.map((row) =>
    row.map((values, c) => {
      const scale = (columns[c] as ColumnSpec).scale ?? 1;
      return { ...meanStd(values.map((v) => v * scale)), best: false };
    }),
  );
  columns.forEach((column, c) => markBest(summary.map((row) => row[c] as CellSummary), column));
  return { markdown: toMarkdown(spec, summary), csv: toCsv(spec, summary), summary };
}

function markBest(column: CellSummary[], spec: ColumnSpec): void {
  const shown = column.map((cell) => (Number.isNaN(cell.mean) ? NaN : Number(cell.mean.toFixed(spec.digits))));
  const candidates = shown.filter((v) => !Number.isNaN(v));
  if (candidates.length === 0) return;
  const best = spec.higherIsBetter ? Math.max(...candidates) : Math.min(...candidates);
  column.forEach((cell, r) => {
    cell.best = shown[r] === best;
  });
}

function toMarkdown(spec: TableSpec, summary: CellSummary[][]): string {
  const header = [spec.rowHeader ?? 'Method', ...spec.columns.map((c) => `${c.name} ${c.higherIsBetter ? '↑' : '↓'}`)];
  const lines = [`**${escapeMarkdown(spec.title)}**`, '', markdownRow(header), markdownRow(['---', ...spec.columns.map(() => '---:')])];
  summary.forEach((row, r) => {
    const texts = row.map((cell, c) => {
      const text = cellText(cell, (spec.columns[c] as ColumnSpec).digits);
      return cell.best ? `**${text}**` : text;
    });
    lines.push(markdownRow([spec.rowLabels[r] as string, ...texts]));
  });
  return lines.join('\n') + '\n';
}

function cellText(cell: CellSummary, digits: number): string {
  if (cell.n === 0) return 'n/a';
  let text = fixed(cell.mean, digits);
  if (!Number.isNaN(cell.std)) text += ` ± ${fixed(cell.std, digits)}`;
  if (cell.nanCount > 0) text += ` (n=${cell.n}/${cell.n + cell.nanCount})`;
  return text;
}

/** toFixed without "-0.0". */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function toCsv(spec: TableSpec, summary: CellSummary[][]): string {
  const header = [spec.rowHeader ?? 'Method', ...spec.columns.flatMap((c) => [`${c.name} mean`, `${c.name} std`])];
  const rows = summary.map((row, r) => [spec.rowLabels[r] as string, ...row.flatMap((cell) => [csvNumber(cell.mean), csvNumber(cell.std)])]);
  return [header, ...rows].map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

function csvNumber(value: number): string {
  return Number.isNaN(value) ? '' : String(Number(value.toPrecision(12)));
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// --- The paper's three tables -------------------------------------------------------------------------

export interface TableRow<Fold> {
  label: string;
  folds: readonly Fold[];
}

/** Macro-averaged plane-detection scores of one fold, as fractions in [0, 1]. */
export interface PlaneDetectionFold {
  precision: number;
  recall: number;
  f1: number;
}

/** Mean saliency metrics of one fold's test frames. */
export interface SaliencyFold {
  kl: number;
  nss: number;
  aucJudd: number;
  aucBorji: number;
  cc: number;
  sim: number;
}

export type AblationFold = Pick<PlaneDetectionFold, 'f1'> & SaliencyFold;

export const PLANE_DETECTION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'Precision (%)', higherIsBetter: true, scale: 100, digits: 1 },
  { name: 'Recall (%)', higherIsBetter: true, scale: 100, digits: 1 },
  { name: 'F1 (%)', higherIsBetter: true, scale: 100, digits: 1 },
];

export const SALIENCY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'KL', higherIsBetter: false, digits: 2 },
  { name: 'NSS', higherIsBetter: true, digits: 2 },
  { name: 'AUC-Judd', higherIsBetter: true, digits: 3 },
  { name: 'AUC-Borji', higherIsBetter: true, digits: 3 },
  { name: 'CC', higherIsBetter: true, digits: 3 },
  { name: 'SIM', higherIsBetter: true, digits: 3 },
];

export const ABLATION_COLUMNS: readonly ColumnSpec[] = [PLANE_DETECTION_COLUMNS[2] as ColumnSpec, ...SALIENCY_COLUMNS];

export const ABLATION_ROW_LABELS = ['Classification only', '+ contrastive', 'Full (+ affinity curriculum)'] as const;

const SALIENCY_KEYS: readonly (keyof SaliencyFold)[] = ['kl', 'nss', 'aucJudd', 'aucBorji', 'cc', 'sim'];

export function planeDetectionTable(
  rows: readonly TableRow<PlaneDetectionFold>[],
  title = 'Table 1. Standard plane detection (macro average over classes), mean ± std over folds',
): FormattedTable {
  return tableFrom(rows, title, 'Initialisation', PLANE_DETECTION_COLUMNS, ['precision', 'recall', 'f1']);
}

export function saliencyTable(rows: readonly TableRow<SaliencyFold>[], title = 'Table 2. Eye-gaze saliency prediction, mean ± std over folds'): FormattedTable {
  return tableFrom(rows, title, 'Initialisation', SALIENCY_COLUMNS, SALIENCY_KEYS);
}

export function ablationTable(rows: readonly TableRow<AblationFold>[], title = 'Table 3. Ablation, mean ± std over folds'): FormattedTable {
  return tableFrom(rows, title, 'Pre-training', ABLATION_COLUMNS, ['f1', ...SALIENCY_KEYS]);
}

function tableFrom<Fold>(
  rows: readonly TableRow<Fold>[],
  title: string,
  rowHeader: string,
  columns: readonly ColumnSpec[],
  keys: readonly (keyof Fold)[],
): FormattedTable {
  return formatTable({
    title,
    rowHeader,
    rowLabels: rows.map((r) => r.label),
    columns,
    cells: rows.map((r) => keys.map((key) => r.folds.map((fold) => fold[key] as number))),
  });
}
