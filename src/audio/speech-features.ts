/**
 * Samples -> shard rows. A PairSample's positive and negative snippets become quantised
 * uint8 log-spectrograms (eta() of METHOD.md, spectrogram.ts + quantize.ts); an OrderSample's
 * four frames are concatenated.
 *
 * Buffers: the dB spectrogram is a scratch buffer reused for every snippet (consumed by the
 * quantiser at once); each row gets freshly allocated spectrogram and frame-set bytes that
 * it owns, so rows may be batched and written later. `frame` of a pair row is the sample's
 * frame buffer itself (the decoder's, never reused by it): not copied.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { OrderRow, PairRow } from '../../schemas/rows.js';
import { orderLabel } from '../../schemas/columns.js';
import type { OrderSample, PairSample } from '../types/ingest.js';
import { DEFAULT_U8_RANGE, quantizeU8, type U8Range } from './quantize.js';
import { SpectrogramComputer, type SpectrogramConfig } from './spectrogram.js';

/** dB spectrogram -> bytes, written into `out`. */
export type SpectrogramQuantiser = (db: Float32Array, out: Uint8Array<ArrayBuffer>) => Uint8Array;

/** uint8 codes over `range` (default: SPECTROGRAM_U8_SCALE / SPECTROGRAM_U8_OFFSET of quantize.ts). */
export function u8Quantiser(range: U8Range = DEFAULT_U8_RANGE): SpectrogramQuantiser {
  return (db, out) => quantizeU8(db, range, out);
}

/** Reuses one dB scratch buffer per SpectrogramComputer (which is itself not re-entrant). */
const scratchOf = new WeakMap<SpectrogramComputer, Float32Array>();

/** Quantised spectrogram of one snippet, in a new array the caller owns. */
export function snippetSpectrogram(snippet: Float32Array, spectrogram: SpectrogramComputer, quantiser: SpectrogramQuantiser = u8Quantiser()): Uint8Array {
  let db = scratchOf.get(spectrogram);
  if (!db) {
    db = new Float32Array(spectrogram.size);
    scratchOf.set(spectrogram, db);
  }
  return quantiser(spectrogram.compute(snippet, db), new Uint8Array(spectrogram.size));
}

export function toPairRow(sample: PairSample, spectrogram: SpectrogramComputer, quantiser: SpectrogramQuantiser = u8Quantiser()): PairRow {
  return {
    scanId: sample.scan,
    clip: sample.clip,
    groupK: sample.group,
    frameIndex: sample.frameIndex,
    frame: sample.frame,
    speechPos: snippetSpectrogram(sample.positiveAudio, spectrogram, quantiser),
    speechNeg: snippetSpectrogram(sample.negativeAudio, spectrogram, quantiser),
    speechPosTime: sample.positiveTime,
    speechNegTime: sample.negativeTime,
    delta: sample.delta,
    affinity: sample.speechFraction,
    sampleSeed: sample.sampleSeed,
  };
}

export interface PairRowsOptions {
  /** The computer to use, or its config (one computer per subscription; default: the paper's eta()). */
  spectrogram?: SpectrogramComputer | Partial<SpectrogramConfig>;
  quantiser?: SpectrogramQuantiser;
}

export function pairRows(options: PairRowsOptions = {}): OperatorFunction<PairSample, PairRow> {
  const quantiser = options.quantiser ?? u8Quantiser();
  return (source) => {
    // Per subscription: a SpectrogramComputer is not re-entrant.
    const spectrogram = options.spectrogram instanceof SpectrogramComputer ? options.spectrogram : new SpectrogramComputer(options.spectrogram);
    return source.pipe(map((sample) => toPairRow(sample, spectrogram, quantiser)));
  };
}

export function orderRow(sample: OrderSample): OrderRow {
  const label = orderLabel(sample.perm);
  if (label !== sample.label) throw new Error(`orderRow(${sample.scan}/${sample.clip}): label ${sample.label} != orderLabel(${sample.perm.join(',')}) = ${label}`);
  const frameBytes = sample.frames[0].length;
  const frames = new Uint8Array(4 * frameBytes);
  sample.frames.forEach((f, j) => {
    if (f.length !== frameBytes) throw new Error(`orderRow(${sample.scan}/${sample.clip}): frames differ in size`);
    frames.set(f, j * frameBytes);
  });
  return {
    scanId: sample.scan,
    clip: sample.clip,
    frames,
    frameIndices: [...sample.frameIndices],
    permutation: [...sample.perm],
    label,
    sampleSeed: sample.sampleSeed,
  };
}

export function orderRows(): OperatorFunction<OrderSample, OrderRow> {
  return map(orderRow);
}
