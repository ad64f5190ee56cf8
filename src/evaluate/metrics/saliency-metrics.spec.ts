import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import {
  aucBorji,
  aucJudd,
  cc,
  kl,
  matlabColon,
  nss,
  pointsToFixationMap,
  saliencyMap,
  sim,
  trapz,
  type FixationMap,
  type SaliencyMap,
} from './saliency-metrics.js';

const { exp, log, sqrt } = Math;

/** An Rng stand-in that returns scripted pixel indices, so AUC-Borji splits can be worked by hand. */
function scriptedRng(indices: number[], expectedHi: number): { int(lo: number, hi: number): number } {
  const queue = [...indices];
  return {
    int(lo: number, hi: number): number {
      expect([lo, hi]).toEqual([0, expectedHi]);
      const next = queue.shift();
      if (next === undefined) throw new Error('scriptedRng: script exhausted');
      return next;
    },
  };
}

function fixMap(width: number, height: number, bits: number[]): FixationMap {
  return { width, height, data: Uint8Array.from(bits) };
}

// Example A, 2x2, row-major:   pred  1 2    fixations  0 1    ground-truth density  0   .5
//                                    3 4               0 1                          0   .5
const predA = saliencyMap(2, 2, [1, 2, 3, 4]);
const fixA = fixMap(2, 2, [0, 1, 0, 1]);
const gtA = saliencyMap(2, 2, [0, 0.5, 0, 0.5]);

describe('worked 2x2 example', () => {
  it('KL: P = pred/10 = [.1 .2 .3 .4]; KL = .5 ln(.5/.2) + .5 ln(.5/.4) = .5 ln 3.125', () => {
    expect(kl(predA, gtA)).toBeCloseTo(0.5 * log(3.125), 12); // 0.569717...
  });

  it('SIM: min-max pred [0 1/3 2/3 1] / 2 = [0 1/6 1/3 1/2]; gt [0 1/2 0 1/2]; sum of minima = 1/6 + 1/2', () => {
    expect(sim(predA, gtA)).toBeCloseTo(2 / 3, 12);
  });

  it('CC: centred pred [-1.5 -.5 .5 1.5], gt [-.25 .25 -.25 .25]; 0.5 / (sqrt 5 * 0.5) = 1/sqrt 5', () => {
    expect(cc(predA, gtA)).toBeCloseTo(1 / sqrt(5), 12); // 0.447214
  });

  it('NSS: mean 2.5, std (n-1) sqrt(5/3); fixated deviations -.5 and 1.5 average 0.5', () => {
    expect(nss(predA, fixA)).toBeCloseTo(0.5 / sqrt(5 / 3), 12); // 0.387298
  });

  it('AUC-Judd: thresholds 4 -> (fp 0, tp .5), 2 -> (fp .5, tp 1); trapz = .5 * 1.5/2 + .5 * 1 = .875', () => {
    expect(aucJudd(predA, fixA)).toBeCloseTo(0.875, 12);
  });

  it('AUC-Borji: two scripted splits worked by hand', () => {
    // Normalised map [0 1/3 2/3 1]; values at fixations {1/3, 1}. Thresholds 1.0, 0.9, ..., 0.
    // Split 1 draws pixels 0 and 2 -> negatives {0, 2/3}:
    //   t in 1.0..0.7: tp .5 fp 0; t in .6..0.4: tp .5 fp .5; t in .3..0.1: tp 1 fp .5; t = 0: tp 1 fp 1.
    //   trapz: (0,0)->(0,.5): 0; ->(.5,.5): .25; ->(.5,1): 0; ->(1,1): .5. AUC = .75.
    // Split 2 draws pixel 3 twice -> negatives {1, 1}: fp = 1 from the first threshold on, tp = .5 there.
    //   trapz: (0,0)->(1,.5): .25, then vertical. AUC = .25.
    const rng = scriptedRng([0, 2, 3, 3], 3);
    expect(aucBorji(predA, fixA, rng, { splits: 2, stepSize: 0.1 })).toBeCloseTo(0.5, 12);
  });
});

describe('worked 3x3 example with ties', () => {
  // pred 0 0 0     fixations 1 0 0
  //      0 1 0               0 1 0
  //      0 0 0               0 0 0
  const pred = saliencyMap(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
  const fix = fixMap(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 0]);

  it('NSS: mean 1/9, std (n-1) = sqrt((64/81 + 8/81) / 8) = 1/3; z = 8/3 and -1/3, mean 7/6', () => {
    expect(nss(pred, fix)).toBeCloseTo(7 / 6, 12);
  });

  it('AUC-Judd is the expectation of the jittered reference: 0.875', () => {
    // The corner fixation ties with 7 non-fixated zeros; jitter ranks it uniformly among the 8 zeros, so
    // fp2 = (number of the 7 zeros above it) / 7 has mean 1/2. Points (0,0), (0,.5), (fp2,1), (1,1):
    // area = fp2 * .75 + (1 - fp2) = 1 - fp2 / 4, mean 0.875. (Unjittered ROC with ties as diagonals: 0.75.)
    expect(aucJudd(pred, fix)).toBeCloseTo(0.875, 12);
  });
});

describe('AUC-Judd against a literal transcription of AUC_Judd.m', () => {
  /** AUC_Judd.m with jitter = 1: add rand/1e7, min-max normalise, sweep thresholds at fixation values, trapz. */
  function referenceAucJudd(pred: SaliencyMap, fix: FixationMap, rng: Rng): number {
    const s = Array.from(pred.data, (v) => v + rng.next() / 10000000);
    const lo = Math.min(...s);
    const hi = Math.max(...s);
    const norm = s.map((v) => (v - lo) / (hi - lo));
    const sth = norm.filter((_, i) => (fix.data[i] as number) > 0).sort((a, b) => b - a);
    const nFix = sth.length;
    const tp = [0];
    const fp = [0];
    sth.forEach((thresh, i) => {
      const above = norm.filter((v) => v >= thresh).length;
      tp.push((i + 1) / nFix);
      fp.push((above - (i + 1)) / (norm.length - nFix));
    });
    tp.push(1);
    fp.push(1);
    return trapz(fp, tp);
  }

  it('matches the reference exactly on a map without ties', () => {
    const rng = new Rng(11);
    const values = rng.shuffle(Array.from({ length: 30 }, (_, i) => i / 30));
    const pred = saliencyMap(6, 5, values);
    const fix = fixMap(6, 5, Array.from({ length: 30 }, () => (rng.chance(0.3) ? 1 : 0)));
    // The jitter (< 1e-7) cannot reorder values 1/30 apart, so one reference run is exact.
    expect(aucJudd(pred, fix)).toBeCloseTo(referenceAucJudd(pred, fix, new Rng(1)), 12);
  });

  it('equals the mean of the jittered reference on a map full of ties', () => {
    const rng = new Rng(5);
    const pred = saliencyMap(6, 6, Array.from({ length: 36 }, () => rng.int(0, 3))); // 4 levels: many ties
    const fix = fixMap(6, 6, Array.from({ length: 36 }, () => (rng.chance(0.25) ? 1 : 0)));
    const jitter = new Rng(99);
    let total = 0;
    const runs = 3000;
    for (let r = 0; r < runs; r++) total += referenceAucJudd(pred, fix, jitter);
    // Per-run spread is ~0.02, so the Monte-Carlo mean is good to ~0.001.
    expect(Math.abs(aucJudd(pred, fix) - total / runs)).toBeLessThan(0.003);
  });
});

describe('reference cases', () => {
  const uniform = saliencyMap(2, 2, [5, 5, 5, 5]);

  it('a uniform prediction: NSS 0, CC 0, SIM and KL of the uniform distribution, AUC-Borji 0.5', () => {
    expect(nss(uniform, fixA)).toBe(0);
    expect(cc(uniform, gtA)).toBe(0);
    // uniform 1/4 vs gt [0 .5 0 .5]: minima [0 .25 0 .25]
    expect(sim(uniform, gtA)).toBeCloseTo(0.5, 12);
    // KL = 2 * .5 ln(.5 / .25) = ln 2
    expect(kl(uniform, gtA)).toBeCloseTo(log(2), 12);
    expect(aucBorji(uniform, fixA, new Rng(3), { splits: 10 })).toBeCloseTo(0.5, 12);
  });

  it('a uniform prediction: AUC-Judd 0.5 + 0.5/(N+1) (the trapezoid artefact of the reference)', () => {
    // N = 1: the fixation ranks uniformly among 4 tied pixels, fp in {0, 1/3, 2/3, 1}, area 1 - fp/2, mean .75.
    expect(aucJudd(uniform, fixMap(2, 2, [1, 0, 0, 0]))).toBeCloseTo(0.75, 12);
    expect(aucJudd(uniform, fixA)).toBeCloseTo(0.5 + 0.5 / 3, 12);
    const big = saliencyMap(20, 20, new Array<number>(400).fill(0.3));
    const manyFixations = fixMap(20, 20, Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0)));
    expect(aucJudd(big, manyFixations)).toBeCloseTo(0.5 + 0.5 / 101, 12);
  });

  it('a prediction equal to the ground truth: CC 1, SIM 1, KL 0', () => {
    const gt = saliencyMap(3, 2, [0.05, 0.1, 0.2, 0.3, 0.15, 0.2]);
    const pred = saliencyMap(3, 2, gt.data);
    expect(cc(pred, gt)).toBeCloseTo(1, 12);
    expect(sim(pred, gt)).toBeCloseTo(1, 12);
    expect(kl(pred, gt)).toBeCloseTo(0, 12);
  });

  it('a single fixation on the unique maximum: AUC-Judd 1, NSS = (max - mean) / std', () => {
    const fix = fixMap(2, 2, [0, 0, 0, 1]);
    expect(aucJudd(predA, fix)).toBe(1);
    expect(nss(predA, fix)).toBeCloseTo(1.5 / sqrt(5 / 3), 12); // 1.161895
    // One negative drawn at pixel 0 (value 0): fp stays 0 until t = 0, tp = 1 from t = 1: area 1.
    expect(aucBorji(predA, fix, scriptedRng([0], 3), { splits: 1 })).toBeCloseTo(1, 12);
  });

  it('a single fixation on the minimum: AUC-Judd 0.5/N bonus only, NSS negative', () => {
    // fixation value 1 is the lowest; points (0,0), (1,1): area .5 (MW = 0, all 3 others >= it: + .5 * 1).
    const fix = fixMap(2, 2, [1, 0, 0, 0]);
    expect(aucJudd(predA, fix)).toBeCloseTo(0.5, 12);
    expect(nss(predA, fix)).toBeCloseTo(-1.5 / sqrt(5 / 3), 12);
  });

  it('a constant ground truth makes CC NaN, as in both references', () => {
    expect(cc(predA, saliencyMap(2, 2, [1, 1, 1, 1]))).toBeNaN();
  });
});

describe('edge cases', () => {
  const zero = saliencyMap(2, 2, [0, 0, 0, 0]);

  it('an all-zero prediction keeps the reference guards: KL sum q ln(eps + q/eps), SIM 0, CC 0, NSS 0', () => {
    // KL = 2 * .5 * ln(eps + .5/eps) = ln(2^51 + 2^-52) ~ 35.3505
    expect(kl(zero, gtA)).toBeCloseTo(log(0.5 / Number.EPSILON + Number.EPSILON), 9);
    expect(sim(zero, gtA)).toBe(0);
    expect(cc(zero, gtA)).toBe(0);
    expect(nss(zero, fixA)).toBe(0);
    expect(aucJudd(zero, fixA)).toBeCloseTo(0.5 + 0.5 / 3, 12);
    expect(aucBorji(zero, fixA, new Rng(1))).toBeCloseTo(0.5, 12);
  });

  it('no fixations is an error', () => {
    const none = fixMap(2, 2, [0, 0, 0, 0]);
    expect(() => nss(predA, none)).toThrow(/no fixations/);
    expect(() => aucJudd(predA, none)).toThrow(/no fixations/);
    expect(() => aucBorji(predA, none, new Rng(1))).toThrow(/no fixations/);
  });

  it('a ground truth without mass, a size mismatch, NaN or a negative KL prediction are errors', () => {
    expect(() => kl(predA, zero)).toThrow(/no mass/);
    expect(() => cc(predA, zero)).toThrow(/no mass/);
    expect(() => sim(predA, zero)).toThrow(/no mass/);
    expect(() => cc(saliencyMap(4, 1, [1, 2, 3, 4]), gtA)).toThrow(/4x1 but the ground truth is 2x2/);
    expect(() => nss(predA, fixMap(4, 1, [1, 0, 0, 0]))).toThrow(/2x2 but the ground truth is 4x1/);
    expect(() => kl(saliencyMap(2, 2, [1, -1, 1, 1]), gtA)).toThrow(/negative value -1/);
    expect(() => cc({ width: 2, height: 2, data: Float32Array.from([1, NaN, 0, 0]) }, gtA)).toThrow(/not finite/);
    expect(() => saliencyMap(2, 2, [1, 2, 3])).toThrow(/has 3 values/);
  });

  it('AUC-Judd needs non-fixated pixels', () => {
    expect(() => aucJudd(predA, fixMap(2, 2, [1, 1, 1, 1]))).toThrow(/every pixel is fixated/);
  });

  it('AUC-Borji rejects bad options', () => {
    expect(() => aucBorji(predA, fixA, new Rng(1), { splits: 0 })).toThrow(/splits/);
    expect(() => aucBorji(predA, fixA, new Rng(1), { stepSize: 0 })).toThrow(/stepSize/);
  });
});

describe('invariances', () => {
  const rng = new Rng(2024);
  // Distinct values k/100 in random order, so monotone transforms cannot create ties in float32.
  const base = rng.shuffle(Array.from({ length: 100 }, (_, k) => (k + 1) / 100));
  const pred = saliencyMap(10, 10, base);
  const points = Array.from({ length: 12 }, () => ({ x: rng.int(0, 9), y: rng.int(0, 9) }));
  const fix = pointsToFixationMap(points, 10, 10);
  const gt = saliencyMap(10, 10, Array.from({ length: 100 }, () => rng.uniform(0, 1)));
  const affine = saliencyMap(10, 10, base.map((v) => 3 * v + 7));
  const negated = saliencyMap(10, 10, base.map((v) => -2 * v + 1));

  it('CC and NSS are invariant to a positive affine rescaling and flip sign under a negative one', () => {
    expect(cc(affine, gt)).toBeCloseTo(cc(pred, gt), 5);
    expect(nss(affine, fix)).toBeCloseTo(nss(pred, fix), 5);
    expect(cc(negated, gt)).toBeCloseTo(-cc(pred, gt), 5);
    expect(nss(negated, fix)).toBeCloseTo(-nss(pred, fix), 5);
    expect(Math.abs(cc(pred, gt))).toBeGreaterThan(1e-3); // the invariance is not the trivial 0 = 0
  });

  it('AUC-Judd is invariant to monotone transforms; AUC-Borji to positive affine ones', () => {
    const monotone = saliencyMap(10, 10, base.map((v) => exp(4 * v) + v ** 3));
    expect(aucJudd(monotone, fix)).toBeCloseTo(aucJudd(pred, fix), 12);
    expect(aucJudd(affine, fix)).toBeCloseTo(aucJudd(pred, fix), 12);
    const reversed = saliencyMap(10, 10, base.map((v) => 1 - v));
    // Reversing the order mirrors the ROC: not invariant, which the test must be able to see.
    expect(aucJudd(reversed, fix)).not.toBeCloseTo(aucJudd(pred, fix), 3);
    expect(aucBorji(affine, fix, new Rng(8), { splits: 20 })).toBeCloseTo(aucBorji(pred, fix, new Rng(8), { splits: 20 }), 5);
  });

  it('AUC-Borji is deterministic for a seed and close to AUC-Judd for a dense step', () => {
    const a = aucBorji(pred, fix, new Rng(8));
    expect(aucBorji(pred, fix, new Rng(8))).toBe(a);
    expect(aucBorji(pred, fix, new Rng(9))).not.toBe(a);
    // With stepSize 0.01 every distinct level is a threshold; random negatives approximate all pixels.
    expect(Math.abs(aucBorji(pred, fix, new Rng(8), { stepSize: 0.01, splits: 200 }) - aucJudd(pred, fix))).toBeLessThan(0.05);
  });
});

describe('helpers', () => {
  it('matlabColon reproduces 0:0.1:1 and 0:0.1:0.3 (4 elements, last exactly 0.3)', () => {
    const tenths = matlabColon(0, 0.1, 1);
    expect(tenths).toHaveLength(11);
    expect(tenths[0]).toBe(0);
    expect(tenths[10]).toBe(1);
    expect(tenths[5]).toBe(0.5);
    const short = matlabColon(0, 0.1, 0.3); // n = floor(2.9999999999999996 + tol) = 3
    expect(short).toHaveLength(4);
    expect(short[3]).toBe(0.3);
    expect(short[2]).toBeCloseTo(0.2, 15);
    expect(matlabColon(0, 0.1, 0.05)).toEqual([0]);
    expect(matlabColon(0, 0.1, -1)).toEqual([]);
  });

  it('trapz integrates a piecewise-linear curve', () => {
    expect(trapz([0, 0.5, 1], [0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('pointsToFixationMap collapses repeated points and rejects pixels outside the map', () => {
    const map = pointsToFixationMap([{ x: 1, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }], 2, 2);
    expect(Array.from(map.data)).toEqual([0, 1, 1, 0]);
    expect(() => pointsToFixationMap([{ x: 2, y: 0 }], 2, 2)).toThrow(/not an integer pixel/);
    expect(() => pointsToFixationMap([{ x: 0.5, y: 0 }], 2, 2)).toThrow(/not an integer pixel/);
  });
});
