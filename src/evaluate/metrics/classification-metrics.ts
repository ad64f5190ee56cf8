/**
 * Multi-class classification metrics (standard plane detection), defined as scikit-learn's
 * confusion_matrix / precision_recall_fscore_support with `labels` = all classes:
 *   precision_c = tp / (tp + fp), recall_c = tp / (tp + fn), F1_c = 2 tp / (2 tp + fp + fn)
 * (the F form of current sklearn/metrics/_classification.py: F1 is 0, not the zero-division value, when
 * precision is 0 and recall is undefined or vice versa). A 0/0 takes the `zeroDivision` value, default 0 =
 * sklearn's default zero_division="warn" (which returns 0.0); 1 matches zero_division=1.0, and 'nan' matches
 * zero_division=np.nan, whose NaNs the macro average then skips (sklearn's _nanaverage).
 * So by default a class with no true and no predicted samples scores P = R = F1 = 0 and pulls the macro
 * averages down, exactly as sklearn does when `labels` lists it.
 */

const { sqrt } = Math; // bound once: global lookups are slow inside Jest's VM sandbox

export type ZeroDivision = 0 | 1 | 'nan';

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true samples of the class (row sum). */
  support: number;
}

export interface MacroScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  /** confusion[true][predicted]. */
  confusion: number[][];
  perClass: ClassScores[];
  macro: MacroScores;
  accuracy: number;
}

/** Counts, rows = true class, columns = predicted class. Labels are class indices in [0, numClasses). */
export function confusionMatrix(trueLabels: readonly number[], predLabels: readonly number[], numClasses: number): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`confusionMatrix: numClasses ${numClasses} must be a positive integer`);
  if (trueLabels.length !== predLabels.length) {
    throw new Error(`confusionMatrix: ${trueLabels.length} true labels but ${predLabels.length} predictions`);
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = checkLabel(trueLabels[i], numClasses, 'true', i);
    const p = checkLabel(predLabels[i], numClasses, 'predicted', i);
    const row = matrix[t] as number[];
    row[p] = (row[p] as number) + 1;
  }
  return matrix;
}

function checkLabel(label: number | undefined, numClasses: number, kind: string, index: number): number {
  if (label === undefined || !Number.isInteger(label) || label < 0 || label >= numClasses) {
    throw new Error(`confusionMatrix: ${kind} label ${label} at index ${index} is not a class index in [0, ${numClasses})`);
  }
  return label;
}

export function perClassScores(confusion: readonly (readonly number[])[], zeroDivision: ZeroDivision = 0): ClassScores[] {
  const n = checkSquare(confusion);
  const fallback = zeroDivision === 'nan' ? NaN : zeroDivision;
  const divide = (num: number, den: number): number => (den === 0 ? fallback : num / den);
  const scores: ClassScores[] = [];
  for (let c = 0; c < n; c++) {
    const tp = cell(confusion, c, c);
    let trueSum = 0;
    let predSum = 0;
    for (let k = 0; k < n; k++) {
      trueSum += cell(confusion, c, k);
      predSum += cell(confusion, k, c);
    }
    scores.push({ precision: divide(tp, predSum), recall: divide(tp, trueSum), f1: divide(2 * tp, trueSum + predSum), support: trueSum });
  }
  return scores;
}

/** Unweighted mean over classes; NaN entries (zeroDivision 'nan') are skipped; NaN if all are NaN. */
export function macroAverage(scores: readonly ClassScores[]): MacroScores {
  return {
    precision: nanMean(scores.map((s) => s.precision)),
    recall: nanMean(scores.map((s) => s.recall)),
    f1: nanMean(scores.map((s) => s.f1)),
  };
}

export function accuracy(confusion: readonly (readonly number[])[]): number {
  const n = checkSquare(confusion);
  let correct = 0;
  let total = 0;
  for (let t = 0; t < n; t++) {
    for (let p = 0; p < n; p++) total += cell(confusion, t, p);
    correct += cell(confusion, t, t);
  }
  if (total === 0) throw new Error('accuracy: the confusion matrix is empty');
  return correct / total;
}

export function classificationReport(
  trueLabels: readonly number[],
  predLabels: readonly number[],
  numClasses: number,
  options: { zeroDivision?: ZeroDivision } = {},
): ClassificationReport {
  if (trueLabels.length === 0) throw new Error('classificationReport: no samples');
  const confusion = confusionMatrix(trueLabels, predLabels, numClasses);
  const perClass = perClassScores(confusion, options.zeroDivision ?? 0);
  return { confusion, perClass, macro: macroAverage(perClass), accuracy: accuracy(confusion) };
}

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n - 1 denominator, numpy ddof=1); NaN when fewer than 2 values remain. */
  std: number;
  /** Values used (NaN values excluded). */
  n: number;
  /** NaN values skipped. */
  nanCount: number;
}

/**
 * Mean and sample std (n - 1) over folds. NaN values (e.g. CC of a constant ground truth) are skipped, like
 * numpy's nanmean / nanstd(ddof=1), and counted in `nanCount` so a table can show it; with no values left
 * mean is NaN, with one value std is NaN. Infinite values are an error.
 */
export function meanStd(values: readonly number[]): MeanStd {
  const kept: number[] = [];
  let nanCount = 0;
  for (const v of values) {
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) throw new Error(`meanStd: value ${v} is not finite`);
    else kept.push(v);
  }
  const n = kept.length;
  if (n === 0) return { mean: NaN, std: NaN, n, nanCount };
  let total = 0;
  for (const v of kept) total += v;
  const mean = total / n;
  let ss = 0;
  for (const v of kept) ss += (v - mean) * (v - mean);
  return { mean, std: n > 1 ? sqrt(ss / (n - 1)) : NaN, n, nanCount };
}

function nanMean(values: readonly number[]): number {
  let total = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    total += v;
    n++;
  }
  return n === 0 ? NaN : total / n;
}

function checkSquare(confusion: readonly (readonly number[])[]): number {
  const n = confusion.length;
  if (n === 0 || confusion.some((row) => row.length !== n)) throw new Error('confusion matrix must be square and non-empty');
  return n;
}

function cell(confusion: readonly (readonly number[])[], row: number, col: number): number {
  return (confusion[row] as readonly number[])[col] as number;
}
