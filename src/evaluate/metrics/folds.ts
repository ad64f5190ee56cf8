/**
 * k-fold cross-validation split by scan (METHOD.md: 135 scans, 3 folds of 90 train / 45 test), so frames of
 * one scan never sit on both sides of a split.
 *
 * Deterministic and independent of input order: the ids are sorted (UTF-16 code-unit order, locale-free),
 * shuffled by `new Rng(seed).fork('folds')`, and cut into k contiguous chunks of floor or ceil(n / k) scans.
 */

import { Rng } from '../../util/rng.js';

const { floor } = Math;

export interface Fold {
  /** 0-based fold number. */
  fold: number;
  /** Scan ids to train on (all other folds), sorted. */
  train: string[];
  /** Scan ids held out in this fold, sorted. */
  test: string[];
}

export function splitFolds(scanIds: readonly string[], folds: number, seed: number): Fold[] {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`splitFolds: folds ${folds} must be an integer >= 2`);
  const unique = new Set(scanIds);
  if (unique.size !== scanIds.length) {
    const seen = new Set<string>();
    const duplicate = scanIds.find((id) => (seen.has(id) ? true : (seen.add(id), false)));
    throw new Error(`splitFolds: scan id "${duplicate}" appears more than once`);
  }
  if (folds > scanIds.length) throw new Error(`splitFolds: ${folds} folds need at least ${folds} scans, got ${scanIds.length}`);

  const order = new Rng(seed).fork('folds').shuffle([...scanIds].sort());
  const n = order.length;
  const chunks = Array.from({ length: folds }, (_, f) => order.slice(floor((f * n) / folds), floor(((f + 1) * n) / folds)));
  return chunks.map((test, f) => ({
    fold: f,
    train: chunks.filter((_, g) => g !== f).flat().sort(),
    test: [...test].sort(),
  }));
}
