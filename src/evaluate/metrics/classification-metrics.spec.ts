import { describe, expect, it } from '@jest/globals';
import { accuracy, classificationReport, confusionMatrix, macroAverage, meanStd, perClassScores } from './classification-metrics.js';

describe('confusionMatrix', () => {
  it('reproduces the scikit-learn confusion_matrix docstring example (rows = true)', () => {
    // y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2] -> [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    expect(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3)).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it('rejects mismatched lengths and labels that are not class indices', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/true label 2 at index 1/);
    expect(() => confusionMatrix([0, 1], [0, 0.5], 2)).toThrow(/predicted label 0.5/);
    expect(() => confusionMatrix([], [], 0)).toThrow(/numClasses/);
  });
});

describe('per-class and macro scores, worked by hand', () => {
  // Confusion [[2,0,0],[0,0,1],[1,0,2]]:
  //   class 0: tp 2, predicted 3, true 2 -> P 2/3, R 1,   F1 = 4 / (2 + 3) = .8
  //   class 1: tp 0, predicted 0, true 1 -> P 0/0 -> zeroDivision, R 0, F1 = 0 / (1 + 0) = 0
  //   class 2: tp 2, predicted 3, true 3 -> P 2/3, R 2/3, F1 = 4 / 6
  const confusion = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3);

  it('per class, zeroDivision 0 (sklearn default "warn")', () => {
    const s = perClassScores(confusion);
    expect(s.map((c) => c.precision)).toEqual([2 / 3, 0, 2 / 3]);
    expect(s.map((c) => c.recall)).toEqual([1, 0, 2 / 3]);
    expect(s.map((c) => c.f1)).toEqual([0.8, 0, 4 / 6]);
    expect(s.map((c) => c.support)).toEqual([2, 1, 3]);
  });

  it('macro averages and accuracy', () => {
    const macro = macroAverage(perClassScores(confusion));
    expect(macro.precision).toBeCloseTo(4 / 9, 12); // (2/3 + 0 + 2/3) / 3
    expect(macro.recall).toBeCloseTo(5 / 9, 12); // (1 + 0 + 2/3) / 3
    expect(macro.f1).toBeCloseTo((0.8 + 4 / 6) / 3, 12); // 0.48889
    expect(accuracy(confusion)).toBeCloseTo(4 / 6, 12);
  });

  it('zeroDivision 1 only changes the 0/0 precision of class 1', () => {
    const s = perClassScores(confusion, 1);
    expect(s[1]).toEqual({ precision: 1, recall: 0, f1: 0, support: 1 });
    expect(macroAverage(s).precision).toBeCloseTo(7 / 9, 12);
  });
});

describe('cross-check: scikit-learn precision_recall_fscore_support docstring example', () => {
  // >>> y_true = np.array(['cat', 'dog', 'pig', 'cat', 'dog', 'pig'])
  // >>> y_pred = np.array(['cat', 'pig', 'dog', 'cat', 'cat', 'dog'])
  // >>> precision_recall_fscore_support(y_true, y_pred, average='macro')
  // (0.22..., 0.33..., 0.26..., None)
  // cat = 0, dog = 1, pig = 2. By hand: cat tp 2 of 3 predicted, 2 true -> P 2/3, R 1, F1 .8; dog and pig tp 0 -> 0.
  const yTrue = [0, 1, 2, 0, 1, 2];
  const yPred = [0, 2, 1, 0, 0, 1];

  it('gives the documented macro averages', () => {
    const report = classificationReport(yTrue, yPred, 3);
    expect(report.macro.precision).toBeCloseTo(2 / 9, 12); // 0.2222
    expect(report.macro.recall).toBeCloseTo(1 / 3, 12); // 0.3333
    expect(report.macro.f1).toBeCloseTo(0.8 / 3, 12); // 0.2667
    expect(report.accuracy).toBeCloseTo(2 / 6, 12);
    expect(report.confusion).toEqual([
      [2, 0, 0],
      [1, 0, 1],
      [0, 2, 0],
    ]);
  });

  it('a class with no true and no predicted samples: 0 by default, 1 or skipped on request', () => {
    // Same data with a 4th class (never true, never predicted), i.e. sklearn with labels=[0, 1, 2, 3].
    const zero = classificationReport(yTrue, yPred, 4);
    expect(zero.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(zero.macro.precision).toBeCloseTo(2 / 3 / 4, 12); // 1/6
    expect(zero.macro.recall).toBeCloseTo(1 / 4, 12);
    expect(zero.macro.f1).toBeCloseTo(0.8 / 4, 12);
    const one = classificationReport(yTrue, yPred, 4, { zeroDivision: 1 });
    expect(one.macro.f1).toBeCloseTo(1.8 / 4, 12); // 0.45
    expect(one.macro.precision).toBeCloseTo((2 / 3 + 1) / 4, 12);
    const skipped = classificationReport(yTrue, yPred, 4, { zeroDivision: 'nan' });
    expect(skipped.perClass[3]?.f1).toBeNaN();
    expect(skipped.macro.f1).toBeCloseTo(0.8 / 3, 12); // as without the class
  });

  it('a class predicted but never true has precision 0 and F1 0 even with zeroDivision 1', () => {
    // true [0, 0], pred [0, 1]: class 1 tp 0, fp 1, fn 0 -> P 0/1 = 0, R 0/0 -> 1, F1 = 0 / (0 + 1) = 0
    const s = classificationReport([0, 0], [0, 1], 2, { zeroDivision: 1 }).perClass[1];
    expect(s).toEqual({ precision: 0, recall: 1, f1: 0, support: 0 });
  });

  it('rejects an empty sample list', () => {
    expect(() => classificationReport([], [], 3)).toThrow(/no samples/);
    expect(() => accuracy([[0, 0], [0, 0]])).toThrow(/empty/);
  });
});

describe('meanStd', () => {
  it('uses the sample standard deviation (n - 1)', () => {
    // mean 2.5; squared deviations 2.25 + .25 + .25 + 2.25 = 5; 5 / 3
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3), n: 4, nanCount: 0 });
    // paper-like folds: F1 .71, .73, .74 -> mean .7266..., std sqrt(((-.0166)^2 + .0033^2 + .0133^2) / 2) = .01528
    const folds = meanStd([0.71, 0.73, 0.74]);
    expect(folds.mean).toBeCloseTo(0.726667, 6);
    expect(folds.std).toBeCloseTo(0.015275, 6);
  });

  it('skips NaN values and counts them; std needs two values', () => {
    expect(meanStd([NaN, 2, 4])).toEqual({ mean: 3, std: Math.SQRT2, n: 2, nanCount: 1 });
    const single = meanStd([5]);
    expect(single.mean).toBe(5);
    expect(single.std).toBeNaN();
    const none = meanStd([NaN]);
    expect(none.mean).toBeNaN();
    expect(none.nanCount).toBe(1);
    expect(() => meanStd([1, Infinity])).toThrow(/not finite/);
  });
});
