/// <reference path="./espeak-ng-emscripten.d.ts" />
/**
 * Offline speech synthesis with espeak-ng (Emscripten build): text in, trimmed 24 kHz
 * float samples and per-word timings out. The module is loaded once per process.
 */
import createEspeak, { type ESpeakNGWorker, type EspeakEvent, type EspeakModule } from '@echogarden/espeak-ng-emscripten';
import { SYNTH_AUDIO_RATE } from './audio-rate.js';
import { peakOf } from './peak.js';
import { ANATOMY_PHRASES, PATIENT_CHATTER, SONOGRAPHER_CHATTER } from './phrases.js';
import { resample } from '../../audio/resample.js';
import { VOICES, voiceSpec, type VoiceSpec } from './voices.js';

export interface SpokenWord {
  text: string;
  /** Seconds from the start of the utterance's samples. */
  start: number;
  end: number;
}

export interface Utterance {
  /** Mono, SYNTH_AUDIO_RATE, full scale = 1, trimmed to the voiced extent. */
  samples: Float32Array;
  words: SpokenWord[];
}

export interface Speaker {
  readonly voices: readonly string[];
  say(text: string, voice: string): Utterance;
}

/** Longest text (UTF-8 bytes) the binding's preallocated string buffer takes; see createSpeaker. */
const MAX_TEXT_BYTES = 1000;
/** |sample| (16-bit) below which espeak output counts as silence when trimming. */
const SILENCE_LEVEL = 64;
/** Frame for tightening word ends onto voiced audio, in espeak samples (~5 ms). */
const WORD_FRAME = 110;

class EspeakSpeaker implements Speaker {
  readonly voices = VOICES.map((v) => v.name);
  private readonly rate: number;
  private current: string | undefined;
  private readonly cache = new Map<string, Utterance>();
  private snapshot: Uint8Array | undefined;

  constructor(
    private readonly module: EspeakModule,
    private readonly worker: ESpeakNGWorker,
  ) {
    this.rate = worker.get_samplerate();
  }

  /**
   * Records espeak's memory; every later synthesis starts from this state. espeak keeps
   * state between calls (its rand() seed, pitch flutter), so otherwise the same text
   * would sound slightly different depending on what was said before, and a scan's audio
   * would depend on the scans synthesized earlier in the process.
   */
  freeze(): void {
    this.snapshot = this.module.HEAPU8.slice();
  }

  say(text: string, voice: string): Utterance {
    const key = `${voice}\u0000${text}`;
    let utterance = this.cache.get(key);
    if (!utterance) {
      utterance = this.synthesize(text, voiceSpec(voice));
      this.cache.set(key, utterance);
    }
    // Callers may scale or edit what they get; the cached copy stays pristine.
    return { samples: utterance.samples.slice(), words: utterance.words.map((w) => ({ ...w })) };
  }

  /** Synthesizes without caching the result. */
  warmUp(text: string, voice: string): void {
    this.synthesize(text, voiceSpec(voice));
  }

  private useVoice(spec: VoiceSpec): void {
    if (this.current === spec.name) return;
    this.worker.set_voice(spec.espeak, '');
    this.worker.set_rate(spec.rate);
    this.worker.set_pitch(spec.pitch);
    this.worker.set_range(spec.range);
    this.current = spec.name;
  }

  private synthesize(text: string, spec: VoiceSpec): Utterance {
    if (Buffer.byteLength(text) > MAX_TEXT_BYTES) throw new Error(`text too long for the speaker (${MAX_TEXT_BYTES} bytes max)`);
    if (this.snapshot) {
      this.module.HEAPU8.set(this.snapshot);
      this.current = undefined;
    }
    this.useVoice(spec);
    const chunks: Int16Array[] = [];
    const events: EspeakEvent[] = [];
    this.worker.synthesize(text, (audio, chunkEvents) => {
      chunks.push(audio);
      events.push(...chunkEvents);
      return 0;
    });
    const pcm = concat(chunks);
    let first = 0;
    const quiet = (v: number): boolean => v < SILENCE_LEVEL && v > -SILENCE_LEVEL;
    while (first < pcm.length && quiet(pcm[first] as number)) first++;
    let last = pcm.length;
    while (last > first && quiet(pcm[last - 1] as number)) last--;
    if (last <= first) throw new Error(`espeak produced no audio for voice '${spec.name}' (${spec.espeak}): "${text}"`);
    const voiced = pcm.subarray(first, last);
    const scaled = new Float32Array(voiced.length);
    for (let i = 0; i < voiced.length; i++) scaled[i] = (voiced[i] as number) / 32768;
    const samples = resample(scaled, this.rate, SYNTH_AUDIO_RATE);
    const words = wordTimings(text, events, voiced, this.rate, first / this.rate, samples.length / SYNTH_AUDIO_RATE);
    return { samples, words };
  }
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

interface Token {
  text: string;
  /** 1-based character range [from, to) in the text, as espeak counts positions. */
  from: number;
  to: number;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(/\S+/g)]
    .map((m) => ({ text: m[0].replace(/^[^\w']+|[^\w']+$/g, ''), from: (m.index ?? 0) + 1, to: (m.index ?? 0) + 1 + m[0].length }))
    .filter((t) => t.text.length > 0);
}

/**
 * Word spans from espeak's word events. espeak sometimes speaks two words as one ("on
 * the", "there are": one event) and its text positions can drift after an apostrophe, so
 * events are matched to the text's words in order, and words without an event share
 * the preceding event's span by length. An event's span runs to the next word, clause
 * end or pause, tightened onto frames that actually carry sound.
 */
function wordTimings(text: string, events: EspeakEvent[], voiced: Int16Array, rate: number, offsetSeconds: number, duration: number): SpokenWord[] {
  const clamp = (t: number): number => Math.min(duration, Math.max(0, t));
  const tokens = tokenize(text);
  const stops = events
    .filter((e) => e.type === 'word' || e.type === 'end' || (e.type === 'phoneme' && e.id === ''))
    .map((e) => e.audio_position / 1000 - offsetSeconds)
    .sort((a, b) => a - b);
  const groups: { first: number; start: number }[] = [];
  for (const e of events) {
    if (e.type !== 'word') continue;
    const next = groups.length === 0 ? 0 : (groups[groups.length - 1] as { first: number }).first + 1;
    const k = tokens.findIndex((t, i) => i >= next && e.text_position < t.to);
    if (k >= 0) groups.push({ first: groups.length === 0 ? 0 : k, start: clamp(e.audio_position / 1000 - offsetSeconds) });
  }
  const threshold = Math.max(SILENCE_LEVEL, peakOf(voiced) * 0.004);
  const loud = (t: number): boolean => {
    const lo = Math.max(0, Math.round(t * rate) - WORD_FRAME / 2);
    const hi = Math.min(voiced.length, lo + WORD_FRAME);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += (voiced[i] as number) ** 2;
    return hi > lo && Math.sqrt(sum / (hi - lo)) >= threshold;
  };
  const step = WORD_FRAME / 2 / rate;
  const words: SpokenWord[] = [];
  groups.forEach((g, gi) => {
    const last = gi + 1 < groups.length ? (groups[gi + 1] as { first: number }).first : tokens.length;
    let start = g.start;
    let end = clamp(stops.find((t) => t > start + 1e-6) ?? duration);
    while (end - step > start && !loud(end - step / 2)) end -= step;
    while (start + step < end && !loud(start + step / 2)) start += step;
    const members = tokens.slice(g.first, last);
    const chars = members.reduce((n, t) => n + t.text.length, 0);
    let t0 = start;
    for (const t of members) {
      const t1 = t0 + ((end - start) * t.text.length) / chars;
      words.push({ text: t.text, start: t0, end: t1 });
      t0 = t1;
    }
  });
  return words;
}

let speakerPromise: Promise<Speaker> | undefined;

/**
 * Text for warming up one voice: a few of the soundtrack's own phrases. The espeak build
 * is asm.js-style JavaScript, so its first few seconds of speech run while V8 is still
 * optimising it (calls take up to ~1 s instead of ~20 ms); paying that at load keeps
 * rendering fast.
 */
function warmUpText(voiceIndex: number): string {
  const pool = [...Object.values(ANATOMY_PHRASES).flat(), ...SONOGRAPHER_CHATTER, ...PATIENT_CHATTER];
  return [0, 1, 2].map((k) => pool[(voiceIndex * 3 + k) * 7 % pool.length] as string).join('. ');
}

async function createSpeaker(): Promise<Speaker> {
  const module = await createEspeak();
  // espeak seeds its rand() from the clock when it initialises: fix the clock for that
  // one synchronous call so that every process starts from the same state.
  const clock = Date.now;
  Date.now = () => 0;
  let worker: ESpeakNGWorker;
  try {
    worker = new module.eSpeakNGWorker();
  } finally {
    Date.now = clock;
  }
  // The binding copies each text into a buffer it grows lazily (malloc'ing more on the
  // next call). Grow it now, before the memory snapshot (an aborted synthesis of a long
  // text), so that restoring the snapshot never leaves the binding holding freed memory.
  worker.synthesize('a '.repeat(MAX_TEXT_BYTES), () => 1);
  const speaker = new EspeakSpeaker(module, worker);
  // espeak accepts unknown voice names silently and then speaks nothing, so this also
  // checks every voice (synthesize throws on silence).
  speaker.voices.forEach((voice, i) => speaker.warmUp(warmUpText(i), voice));
  speaker.freeze();
  return speaker;
}

/** The process-wide espeak-ng speaker (loaded on first call). */
export function loadSpeaker(): Promise<Speaker> {
  speakerPromise ??= createSpeaker().catch((error: unknown) => {
    speakerPromise = undefined;
    throw error;
  });
  return speakerPromise;
}
