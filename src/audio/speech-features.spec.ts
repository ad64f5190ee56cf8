import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, toArray } from 'rxjs';
import { orderLabel } from '../../schemas/columns.js';
import type { OrderSample, PairSample } from '../types/ingest.js';
import { Rng } from '../util/rng.js';
import { quantizeU8 } from './quantize.js';
import { orderRow, pairRows, snippetSpectrogram, toPairRow } from './speech-features.js';
import { SpectrogramComputer, type SpectrogramConfig } from './spectrogram.js';

const SMALL: Partial<SpectrogramConfig> = { sampleRate: 256, snippetSamples: 64, windowSamples: 16, hopSamples: 8, nFft: 16, bins: 8, columns: 8 };

const noise = (rng: Rng, n: number, sd: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal(0, sd));

function pairSample(rng: Rng, clip: number): PairSample {
  return {
    kind: 'pair',
    scan: 'scan',
    clip,
    group: 1,
    frameIndex: 60 * clip + 7,
    frame: new Uint8Array(16).fill(clip),
    positiveTime: 2 * clip + 0.5,
    negativeTime: 2 * clip + 4.25,
    positiveAudio: noise(rng, 64, 0.3),
    negativeAudio: noise(rng, 64, 0.01),
    delta: 2,
    speechFraction: 0.75,
    sampleSeed: 123n,
  };
}

describe('toPairRow / pairRows', () => {
  it('turns both snippets into quantised spectrograms and maps every field', () => {
    const sample = pairSample(new Rng(1), 3);
    const row = toPairRow(sample, new SpectrogramComputer(SMALL));
    const reference = new SpectrogramComputer(SMALL);
    expect(row.speechPos).toEqual(quantizeU8(reference.compute(sample.positiveAudio)));
    expect(row.speechNeg).toEqual(quantizeU8(reference.compute(sample.negativeAudio)));
    expect(row.speechPos).not.toEqual(row.speechNeg); // loud vs quiet noise
    expect(row).toMatchObject({ scanId: 'scan', clip: 3, groupK: 1, frameIndex: 187, speechPosTime: 6.5, speechNegTime: 10.25, delta: 2, affinity: 0.75, sampleSeed: 123n });
    expect(row.frame).toBe(sample.frame);
  });

  it('gives every row its own bytes while reusing the dB scratch buffer', async () => {
    const rng = new Rng(2);
    const samples = [0, 1, 2].map((c) => pairSample(rng, c));
    const rows = await lastValueFrom(from(samples).pipe(pairRows({ spectrogram: SMALL }), toArray()));
    const computer = new SpectrogramComputer(SMALL);
    rows.forEach((row, i) => expect(row.speechPos).toEqual(snippetSpectrogram((samples[i] as PairSample).positiveAudio, computer)));
    const buffers = new Set(rows.flatMap((r) => [r.speechPos.buffer, r.speechNeg.buffer]));
    expect(buffers.size).toBe(6);
  });

  it('rejects a snippet of the wrong length', () => {
    const sample = { ...pairSample(new Rng(3), 0), positiveAudio: new Float32Array(10) };
    expect(() => toPairRow(sample, new SpectrogramComputer(SMALL))).toThrow(/snippet has 10 samples/);
  });
});

describe('orderRow', () => {
  const sample: OrderSample = {
    kind: 'order',
    scan: 'scan',
    clip: 4,
    frameIndices: [256, 248, 264, 240],
    frames: [new Uint8Array(4).fill(2), new Uint8Array(4).fill(1), new Uint8Array(4).fill(3), new Uint8Array(4).fill(0)],
    perm: [2, 1, 3, 0],
    label: orderLabel([2, 1, 3, 0]),
    speechFraction: 0,
    sampleSeed: 9n,
  };

  it('concatenates the 4 frames in stored order and keeps indices, permutation and label', () => {
    const row = orderRow(sample);
    expect(Array.from(row.frames)).toEqual([2, 2, 2, 2, 1, 1, 1, 1, 3, 3, 3, 3, 0, 0, 0, 0]);
    expect(row).toMatchObject({ scanId: 'scan', clip: 4, frameIndices: [256, 248, 264, 240], permutation: [2, 1, 3, 0], label: orderLabel([2, 1, 3, 0]), sampleSeed: 9n });
  });

  it('refuses a label that is not orderLabel(perm)', () => {
    expect(() => orderRow({ ...sample, label: (sample.label + 1) % 12 })).toThrow(/!= orderLabel/);
  });
});
