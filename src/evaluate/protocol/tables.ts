/**
 * Per-fold results -> the paper's tables (../metrics/result-tables.ts) as Markdown and CSV:
 *   Table 1  plane detection, fine-tuned (Random / Video only / Ours)
 *   Table 1b plane detection, linear probe on frozen features (same rows)
 *   Table 2  saliency prediction, fine-tuned (same rows), and the centre-prior reference row
 *   Table 3  ablation: F1 (fine-tuned) and saliency (classification only / + contrastive / full)
 * A row whose initialisation was not evaluated is left out.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ABLATION_ROW_LABELS,
  ablationTable,
  planeDetectionTable,
  saliencyTable,
  type AblationFold,
  type FormattedTable,
  type PlaneDetectionFold,
  type SaliencyFold,
  type TableRow,
} from '../metrics/result-tables.js';
import { CENTRE_PRIOR_LABEL, type CentrePriorFold } from './centre-prior.js';
import type { FoldResult } from './fold-job.js';
import { INIT_VARIANTS, type InitId } from './init-variants.js';
import { SALIENCY_METRICS } from './saliency-scores.js';

export type ResultsByInit = ReadonlyMap<InitId, readonly FoldResult[]>;

export interface EvaluationTables {
  planeFinetune: FormattedTable;
  planeProbe: FormattedTable;
  saliency: FormattedTable;
  ablation: FormattedTable;
}

export const TABLE_FILES: Readonly<Record<keyof EvaluationTables, string>> = {
  planeFinetune: 'table1-plane-detection',
  planeProbe: 'table1b-plane-detection-linear-probe',
  saliency: 'table2-saliency',
  ablation: 'table3-ablation',
};

function plane(outcome: FoldResult['finetune']): PlaneDetectionFold {
  return { precision: outcome.precision, recall: outcome.recall, f1: outcome.f1 };
}

/** Just the six metrics of a fold's saliency scores (which carry more fields). */
function saliencyMetrics(scores: SaliencyFold): SaliencyFold {
  const out = {} as SaliencyFold;
  for (const key of SALIENCY_METRICS) out[key] = scores[key];
  return out;
}

function saliencyOf(result: FoldResult): SaliencyFold {
  return saliencyMetrics(result.saliency);
}

type Variant = (typeof INIT_VARIANTS)[number];

/** Rows in the order of `labels` (the paper's), one per initialisation that has a label there and results. */
function rows<Fold>(results: ResultsByInit, labels: readonly string[], label: (v: Variant) => string | null, pick: (r: FoldResult) => Fold): TableRow<Fold>[] {
  const out: TableRow<Fold>[] = [];
  for (const name of labels) {
    const variant = INIT_VARIANTS.find((v) => label(v) === name);
    const folds = variant === undefined ? undefined : results.get(variant.id);
    if (folds === undefined || folds.length === 0) continue;
    out.push({ label: name, folds: folds.map(pick) });
  }
  return out;
}

const MAIN_ROWS = INIT_VARIANTS.map((v) => v.mainLabel).filter((l): l is string => l !== null);

/** `centrePrior`: the no-backbone reference (centre-prior.ts) per fold, appended to Table 2 when given. */
export function buildTables(results: ResultsByInit, centrePrior: readonly CentrePriorFold[] = []): EvaluationTables {
  const main = (v: Variant) => v.mainLabel;
  const saliencyRows = rows(results, MAIN_ROWS, main, saliencyOf);
  if (centrePrior.length > 0) saliencyRows.push({ label: CENTRE_PRIOR_LABEL, folds: centrePrior.map(saliencyMetrics) });
  return {
    planeFinetune: planeDetectionTable(
      rows(results, MAIN_ROWS, main, (r) => plane(r.finetune)),
      'Table 1. Standard plane detection, backbone fine-tuned (macro average over the 14 classes), mean ± std over folds',
    ),
    planeProbe: planeDetectionTable(
      rows(results, MAIN_ROWS, main, (r) => plane(r.probe)),
      'Table 1b. Standard plane detection, linear probe on the frozen backbone (macro average over the 14 classes), mean ± std over folds',
    ),
    saliency: saliencyTable(saliencyRows, 'Table 2. Eye-gaze saliency prediction, backbone fine-tuned, mean ± std over folds'),
    ablation: ablationTable(
      rows(results, ABLATION_ROW_LABELS, (v) => v.ablationLabel, (r): AblationFold => ({ f1: r.finetune.f1, ...saliencyOf(r) })),
      'Table 3. Ablation of the pre-training objective: plane-detection F1 and saliency, backbone fine-tuned, mean ± std over folds',
    ),
  };
}

/** Writes <dir>/<name>.md and .csv per table and tables.md with all of them; returns the paths. */
export async function writeTables(dir: string, tables: EvaluationTables, preface = ''): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [key, name] of Object.entries(TABLE_FILES) as [keyof EvaluationTables, string][]) {
    const table = tables[key];
    await writeFile(join(dir, `${name}.md`), table.markdown);
    await writeFile(join(dir, `${name}.csv`), table.csv);
    paths.push(join(dir, `${name}.md`), join(dir, `${name}.csv`));
  }
  const all = join(dir, 'tables.md');
  await writeFile(all, (preface ? preface.trimEnd() + '\n\n' : '') + Object.keys(TABLE_FILES).map((k) => tables[k as keyof EvaluationTables].markdown).join('\n'));
  paths.push(all);
  return paths;
}

/** A Markdown table of formatTable as header + rows (bold kept as `**...**`, which the report renders bold). */
export function markdownRows(markdown: string): { header: string[]; rows: string[][] } {
  const lines = markdown.split('\n').filter((l) => l.startsWith('| '));
  const cells = (line: string) => line.slice(2, -2).split(' | ').map((c) => c.replace(/\\\|/g, '|'));
  const [header, , ...body] = lines;
  if (header === undefined) throw new Error('markdownRows: no table');
  return { header: cells(header), rows: body.map(cells) };
}
