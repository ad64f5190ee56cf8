import { describe, expect, it } from '@jest/globals';
import {
  ABLATION_ROW_LABELS,
  ablationTable,
  csvField,
  formatTable,
  planeDetectionTable,
  saliencyTable,
  type SaliencyFold,
} from './result-tables.js';

describe('formatTable', () => {
  // A: F1 70, 72, 74 %  -> 72.0 ± 2.0 (std sqrt((4 + 0 + 4) / 2));  KL 3.0 3.2 3.1 -> 3.10 ± 0.10
  // B: F1 75, 75, 78 %  -> 76.0 ± 1.7 (std sqrt((1 + 1 + 4) / 2) = sqrt 3);  KL 3.5 3.4 3.6 -> 3.50 ± 0.10
  const table = formatTable({
    title: 'T',
    rowLabels: ['A', 'B'],
    columns: [
      { name: 'F1 (%)', higherIsBetter: true, scale: 100, digits: 1 },
      { name: 'KL', higherIsBetter: false, digits: 2 },
    ],
    cells: [
      [
        [0.7, 0.72, 0.74],
        [3.0, 3.2, 3.1],
      ],
      [
        [0.75, 0.75, 0.78],
        [3.5, 3.4, 3.6],
      ],
    ],
  });

  it('writes mean ± std and bolds the best row per column (higher F1, lower KL)', () => {
    expect(table.markdown).toBe(
      [
        '**T**',
        '',
        '| Method | F1 (%) ↑ | KL ↓ |',
        '| --- | ---: | ---: |',
        '| A | 72.0 ± 2.0 | **3.10 ± 0.10** |',
        '| B | **76.0 ± 1.7** | 3.50 ± 0.10 |',
        '',
      ].join('\n'),
    );
  });

  it('writes CSV with separate scaled mean and std columns and CRLF line ends', () => {
    expect(table.csv).toBe(
      'Method,F1 (%) mean,F1 (%) std,KL mean,KL std\r\n' + 'A,72,2,3.1,0.1\r\n' + 'B,76,1.73205080757,3.5,0.1\r\n',
    );
  });

  it('returns the scaled summary with the best flags', () => {
    expect(table.summary[1]?.[0]?.mean).toBeCloseTo(76, 12);
    expect(table.summary[1]?.[0]?.std).toBeCloseTo(Math.sqrt(3), 12);
    expect(table.summary.map((row) => row.map((cell) => cell.best))).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('bolds every row that shows the best value, marks skipped NaN folds, handles one or no usable fold', () => {
    // A: .20, NaN, .22 -> 0.21 ± 0.01 over 2 of 3 folds; B: one fold .21 -> no std; C: no usable fold.
    const t = formatTable({
      title: 'ties',
      rowLabels: ['A', 'B', 'C'],
      columns: [{ name: 'CC', higherIsBetter: true, digits: 2 }],
      cells: [[[0.2, NaN, 0.22]], [[0.21]], [[NaN]]],
    });
    expect(t.markdown.split('\n').slice(4, 7)).toEqual(['| A | **0.21 ± 0.01 (n=2/3)** |', '| B | **0.21** |', '| C | n/a |']);
    expect(t.csv.split('\r\n').slice(1, 4)).toEqual(['A,0.21,0.0141421356237', 'B,0.21,', 'C,,']);
  });

  it('escapes Markdown pipes, quotes CSV fields (RFC 4180) and prints no "-0.0"', () => {
    const t = formatTable({
      title: 'a|b',
      rowLabels: ['Full, "v2" | x'],
      columns: [{ name: 'Δ', higherIsBetter: true, digits: 1 }],
      cells: [[[-0.01, 0.01]]],
    });
    expect(t.markdown).toContain('**a\\|b**');
    expect(t.markdown).toContain('| Full, "v2" \\| x | **0.0 ± 0.0** |');
    expect(t.csv.split('\r\n')[1]).toBe('"Full, ""v2"" | x",0,0.0141421356237');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('rejects cells that do not match the labels and columns', () => {
    const columns = [{ name: 'F1', higherIsBetter: true, digits: 1 }];
    expect(() => formatTable({ title: 't', rowLabels: ['A', 'B'], columns, cells: [[[1]]] })).toThrow(/2 row labels but 1 rows/);
    expect(() => formatTable({ title: 't', rowLabels: ['A'], columns, cells: [[[1], [2]]] })).toThrow(/has 2 cells for 1 columns/);
  });
});

describe("the paper's tables", () => {
  it('Table 1 routes precision, recall and F1 to their columns in %', () => {
    const t = planeDetectionTable([
      { label: 'Random', folds: [{ precision: 0.7, recall: 0.6, f1: 0.65 }, { precision: 0.72, recall: 0.62, f1: 0.67 }] },
      { label: 'Video-only (order)', folds: [{ precision: 0.71, recall: 0.7, f1: 0.7 }, { precision: 0.73, recall: 0.72, f1: 0.72 }] },
      { label: 'Full method', folds: [{ precision: 0.72, recall: 0.73, f1: 0.72 }, { precision: 0.74, recall: 0.75, f1: 0.74 }] },
    ]);
    const lines = t.markdown.split('\n');
    expect(lines[2]).toBe('| Initialisation | Precision (%) ↑ | Recall (%) ↑ | F1 (%) ↑ |');
    // Random: P (70, 72) -> 71.0 ± 1.4; R (60, 62) -> 61.0 ± 1.4; F1 (65, 67) -> 66.0 ± 1.4
    expect(lines[4]).toBe('| Random | 71.0 ± 1.4 | 61.0 ± 1.4 | 66.0 ± 1.4 |');
    expect(lines[6]).toBe('| Full method | **73.0 ± 1.4** | **74.0 ± 1.4** | **73.0 ± 1.4** |');
  });

  it('Table 2 has the six saliency columns, KL lower-is-better', () => {
    const fold = (kl: number, nss: number): SaliencyFold => ({ kl, nss, aucJudd: 0.9, aucBorji: 0.85, cc: 0.2, sim: 0.1 });
    const t = saliencyTable([
      { label: 'Video-only (order)', folds: [fold(3.6, 1.8), fold(3.5, 1.9)] },
      { label: 'Full method', folds: [fold(3.0, 2.7), fold(3.1, 2.6)] },
    ]);
    const lines = t.markdown.split('\n');
    expect(lines[2]).toBe('| Initialisation | KL ↓ | NSS ↑ | AUC-Judd ↑ | AUC-Borji ↑ | CC ↑ | SIM ↑ |');
    expect(lines[5]).toBe(
      '| Full method | **3.05 ± 0.07** | **2.65 ± 0.07** | **0.900 ± 0.000** | **0.850 ± 0.000** | **0.200 ± 0.000** | **0.100 ± 0.000** |',
    );
    expect(lines[4]).toMatch(/^\| Video-only \(order\) \| 3\.55 ± 0\.07 \| 1\.85 ± 0\.07 \| \*\*0\.900/);
  });

  it('Table 3 has F1 plus the saliency metrics and the ablation rows', () => {
    const t = ablationTable(
      ABLATION_ROW_LABELS.map((label, i) => ({
        label,
        folds: [{ f1: 0.69 + 0.015 * i, kl: 3.6 - 0.25 * i, nss: 2 + 0.3 * i, aucJudd: 0.9, aucBorji: 0.88, cc: 0.2, sim: 0.1 }],
      })),
    );
    const lines = t.markdown.split('\n');
    expect(lines[2]).toBe('| Pre-training | F1 (%) ↑ | KL ↓ | NSS ↑ | AUC-Judd ↑ | AUC-Borji ↑ | CC ↑ | SIM ↑ |');
    expect(lines[4]).toMatch(/^\| Classification only \| 69\.0 \| 3\.60 \| 2\.00 \|/);
    expect(lines[6]).toMatch(/^\| Full \(\+ affinity curriculum\) \| \*\*72\.0\*\* \| \*\*3\.10\*\* \| \*\*2\.60\*\* \|/);
    expect(t.csv.split('\r\n')[0]).toBe(
      'Pre-training,F1 (%) mean,F1 (%) std,KL mean,KL std,NSS mean,NSS std,AUC-Judd mean,AUC-Judd std,AUC-Borji mean,AUC-Borji std,CC mean,CC std,SIM mean,SIM std',
    );
  });
});
