/**
 * Renders a planned soundtrack: synthesizes each utterance, places it without overlap
 * inside its allowed window, adds ambience and clicks, and returns the mono track with
 * exact ground truth (speech extents and words, every noise event and its level).
 */
import type { Rng } from '../../util/rng.js';
import type { NoiseEvent, SpeechSegment } from '../timeline-types.js';
import { addAirConditioning, addHum } from './ambience.js';
import { SYNTH_AUDIO_RATE } from './audio-rate.js';
import { addClick } from './clicks.js';
import { peakOf } from './peak.js';
import type { SoundtrackPlan } from './plan-types.js';
import type { Speaker } from './tts.js';

/** Least silence between two rendered utterances, seconds. */
const MIN_GAP = 0.25;
/** The mix is scaled down (with its recorded levels) if it would peak above this. */
const HEADROOM_PEAK = 0.98;

export interface Soundtrack {
  /** Mono, SYNTH_AUDIO_RATE, length round(duration * rate), within [-1, 1]. */
  samples: Float32Array;
  speech: SpeechSegment[];
  noise: NoiseEvent[];
  /** Voices heard, in order of first appearance. */
  voices: string[];
}

export function renderSoundtrack(plan: SoundtrackPlan, duration: number, speaker: Speaker, rng: Rng): Soundtrack {
  const rate = SYNTH_AUDIO_RATE;
  const samples = new Float32Array(Math.round(duration * rate));
  const speech = placeSpeech(samples, rate, plan, speaker);

  const noise: NoiseEvent[] = [];
  const acPeak = addAirConditioning(samples, rate, plan.ambience, rng.fork('air_conditioning'));
  noise.push({ start: 0, end: duration, kind: 'air_conditioning', level: acPeak });
  const humPeak = addHum(samples, rate, plan.ambience, rng.fork('hum'));
  noise.push({ start: 0, end: duration, kind: 'hum', level: humPeak });

  const clickRng = rng.fork('clicks');
  for (const burst of plan.clicks) {
    const loudest = clickRng.int(0, burst.times.length - 1);
    let level = 0;
    let end = 0;
    burst.times.forEach((t, i) => {
      const peak = i === loudest ? burst.peak : burst.peak * clickRng.uniform(0.6, 1);
      level = Math.max(level, peak);
      end = Math.max(end, addClick(samples, rate, t, peak, clickRng));
    });
    noise.push({ start: burst.times[0] as number, end: Math.min(duration, end), kind: 'click', level });
  }

  const peak = peakOf(samples);
  if (peak > HEADROOM_PEAK) {
    const scale = HEADROOM_PEAK / peak;
    for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] as number) * scale;
    for (const e of noise) e.level *= scale;
  }

  const voices = [...new Set(speech.map((s) => s.voice))];
  return { samples, speech, noise, voices };
}

/**
 * Adds the utterances in plan order. Each starts at its planned time, pushed later to
 * keep MIN_GAP after the previous one and earlier if it would run past its latest end;
 * an utterance that cannot fit its window (or would start after its latest start) is
 * left out, and so absent from the truth.
 */
function placeSpeech(samples: Float32Array, rate: number, plan: SoundtrackPlan, speaker: Speaker): SpeechSegment[] {
  const duration = samples.length / rate;
  const segments: SpeechSegment[] = [];
  let previousEnd = -Infinity;
  for (const u of plan.utterances) {
    const spoken = speaker.say(u.text, u.voice);
    const length = spoken.samples.length;
    const seconds = length / rate;
    const earliest = Math.max(0, u.earliest, previousEnd + MIN_GAP);
    const latestEnd = Math.min(duration, u.latestEnd);
    let start = Math.max(u.start, earliest);
    if (start + seconds > latestEnd) start = latestEnd - seconds;
    if (start < earliest || (u.latestStart !== undefined && start >= u.latestStart)) continue;
    let first = Math.round(start * rate);
    if (first + length > samples.length) first = samples.length - length;
    const gain = u.peak / peakOf(spoken.samples);
    for (let i = 0; i < length; i++) samples[first + i] = (samples[first + i] as number) + (spoken.samples[i] as number) * gain;
    const t0 = first / rate;
    segments.push({
      start: t0,
      end: (first + length) / rate,
      text: u.text,
      kind: u.kind,
      voice: u.voice,
      ...(u.cls ? { cls: u.cls } : {}),
      words: spoken.words.map((w) => ({ text: w.text, start: t0 + w.start, end: t0 + w.end })),
    });
    previousEnd = (first + length) / rate;
  }
  return segments;
}
