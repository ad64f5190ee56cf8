/**
 * Real (formant-synthesised) speech for tests and measurements: eSpeak NG compiled to
 * WebAssembly (@echogarden/espeak-ng-emscripten, 22,050 Hz), resampled to the pipeline rate.
 * Not the project's TTS for synthetic scans (that lives in src/synth/audio/): just a fixture.
 */
import { resample } from './resample.js';

interface EspeakWorker {
  set_voice(name: string): unknown;
  set_rate(wordsPerMinute: number): unknown;
  get_samplerate(): number;
  synthesize(text: string, callback: (audio: Int16Array, events: unknown[]) => number | boolean): unknown;
}

let worker: Promise<EspeakWorker> | undefined;

async function loadEspeak(): Promise<EspeakWorker> {
  // ESM-only package without types: a string specifier keeps tsc from resolving it.
  const specifier: string = '@echogarden/espeak-ng-emscripten';
  let init: () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }>;
  try {
    init = ((await import(specifier)) as { default: typeof init }).default;
  } catch (err) {
    throw new Error(`speech fixture: cannot load ${specifier} (${(err as Error).message}); it is a dependency in package.json: run npm ci`);
  }
  const module = await init();
  return new module.eSpeakNGWorker();
}

export interface SpeechOptions {
  /** Output sample rate. Default 24000. */
  sampleRate?: number;
  /** eSpeak voice. Default 'en-us'. */
  voice?: string;
  /** Words per minute. Default 160. */
  rate?: number;
  /** Peak amplitude of the result. Default 0.5. */
  peak?: number;
}

/** Speaks `text` and returns mono float samples. */
export async function synthesizeSpeech(text: string, options: SpeechOptions = {}): Promise<Float32Array> {
  worker ??= loadEspeak();
  const w = await worker;
  w.set_voice(options.voice ?? 'en-us');
  w.set_rate(options.rate ?? 160);
  const parts: Int16Array[] = [];
  w.synthesize(text, (audio) => {
    parts.push(audio.slice());
    return 0;
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total === 0) throw new Error(`speech fixture: eSpeak produced no audio for '${text}'`);
  const pcm = new Float32Array(total);
  let at = 0;
  let maxAbs = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const v = (p[i] as number) / 32768;
      pcm[at++] = v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  const peak = options.peak ?? 0.5;
  if (maxAbs > 0) for (let i = 0; i < pcm.length; i++) pcm[i] = (pcm[i] as number) * (peak / maxAbs);
  return resample(pcm, w.get_samplerate(), options.sampleRate ?? 24_000);
}
