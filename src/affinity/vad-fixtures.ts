/**
 * A narrated stretch with known speech intervals, for testing VAD engines: eSpeak sentences
 * separated by pauses, over a faint noise floor. Truth comes from the clean speech itself.
 */
import { synthesizeSpeech } from '../audio/speech-fixture.js';
import { mix, whiteNoise } from '../audio/test-signals.js';
import type { Rng } from '../util/rng.js';
import { speechFractionInInterval } from './vad-engine.js';

export interface Interval {
  start: number;
  end: number;
}

export interface Narration {
  sampleRate: number;
  /** Speech plus noise floor. */
  audio: Float32Array;
  /** The speech alone. */
  clean: Float32Array;
  /** Sentence spans in seconds (first to last audible sample). */
  speech: Interval[];
  /** Pauses between/around sentences in seconds, shortened by `pauseMargin` after each sentence. */
  pauses: Interval[];
}

export interface NarrationOptions {
  sampleRate?: number;
  /** Seconds of pause before, between and after the sentences. Default 1.2. */
  pauseSeconds?: number;
  /** RMS of the white noise floor. Default 0.001 (-60 dBFS). */
  floorRms?: number;
  /** Peak amplitude of the speech. Default 0.5. */
  peak?: number;
  /** Seconds after a sentence not counted as pause (detectors hold on for a while). Default 0.4. */
  pauseMargin?: number;
}

export async function makeNarration(sentences: readonly string[], rng: Rng, options: NarrationOptions = {}): Promise<Narration> {
  const rate = options.sampleRate ?? 24_000;
  const pause = Math.round((options.pauseSeconds ?? 1.2) * rate);
  const margin = options.pauseMargin ?? 0.4;
  const spoken: Float32Array[] = [];
  for (const s of sentences) spoken.push(await synthesizeSpeech(s, { sampleRate: rate, peak: options.peak ?? 0.5 }));
  const total = pause * (sentences.length + 1) + spoken.reduce((n, s) => n + s.length, 0);
  const clean = new Float32Array(total);
  const speech: Interval[] = [];
  let at = pause;
  for (const s of spoken) {
    clean.set(s, at);
    const [first, last] = audibleSpan(s, 0.01);
    speech.push({ start: (at + first) / rate, end: (at + last + 1) / rate });
    at += s.length + pause;
  }
  const pauses: Interval[] = [];
  let prevEnd = 0;
  for (const s of speech) {
    if (s.start > prevEnd) pauses.push({ start: prevEnd === 0 ? 0 : prevEnd + margin, end: s.start });
    prevEnd = s.end;
  }
  pauses.push({ start: prevEnd + margin, end: total / rate });
  const audio = mix(clean, whiteNoise(total, rng, options.floorRms ?? 0.001));
  return { sampleRate: rate, audio, clean, speech, pauses: pauses.filter((p) => p.end > p.start) };
}

/** Time-weighted speech fraction of `decisions` over a set of intervals. */
export function fractionOver(decisions: Uint8Array, frameSeconds: number, intervals: readonly Interval[]): number {
  let speech = 0;
  let duration = 0;
  for (const { start, end } of intervals) {
    speech += speechFractionInInterval(decisions, frameSeconds, start, end) * (end - start);
    duration += end - start;
  }
  return duration > 0 ? speech / duration : 0;
}

function audibleSpan(signal: Float32Array, threshold: number): [number, number] {
  let first = 0;
  while (first < signal.length && Math.abs(signal[first] as number) < threshold) first++;
  let last = signal.length - 1;
  while (last > first && Math.abs(signal[last] as number) < threshold) last--;
  return [first, last];
}
