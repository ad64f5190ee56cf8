/**
 * What each VAD engine says on speech and on the room noises of METHOD.md (hum, clicks,
 * broadband noise), and how fast it runs. Each condition is its own session (one "scan"),
 * fed in 2 s chunks like the pipeline does.
 */
import { synthesizeSpeech } from '../audio/speech-fixture.js';
import { brownNoise, clicks, concat, hum, mix, pinkNoise, whiteNoise } from '../audio/test-signals.js';
import { Rng } from '../util/rng.js';
import { createVad, type VadConfigs } from './create-vad.js';
import { detectSpeech, speechFractionInInterval, type VadEngine, type VadEngineName } from './vad-engine.js';

export interface SurveyCondition {
  name: string;
  /** Whether a good detector should call most of it speech. */
  isSpeech: boolean;
  /** Audio fed to the session before `audio`, excluded from the measured fraction. */
  primer?: Float32Array;
  audio: Float32Array;
}

export const SURVEY_SENTENCES: readonly string[] = [
  'Here is the four chamber view of the fetal heart.',
  'Now I am moving down to measure the abdominal circumference.',
];

type NoiseMaker = (samples: number, rng: Rng) => Float32Array;

/**
 * The survey's conditions at `sampleRate`: speech (espeak-ng sentences, 0.3 s pauses) clean
 * and under pink noise at 10 dB SNR, and `seconds` of each noise (a) alone, as a scan that
 * starts with it, and (b) "after speech": the same noise continuing after the speech was
 * spoken over it, i.e. a quiet stretch of a narrated scan. Only the noise part is measured.
 */
export async function surveyConditions(rng: Rng, sampleRate = 24_000, seconds = 8): Promise<SurveyCondition[]> {
  const n = Math.round(seconds * sampleRate);
  const gap = new Float32Array(Math.round(0.3 * sampleRate));
  const sentences: Float32Array[] = [];
  for (const s of SURVEY_SENTENCES) sentences.push(await synthesizeSpeech(s, { sampleRate, peak: 0.5 }), gap);
  const speech = concat(...sentences);
  const speechRms = rmsOf(speech);
  const noises: [string, NoiseMaker][] = [
    ['silence -60dB', (len, r) => whiteNoise(len, r, 0.001)],
    ['hum', (len, r) => hum(len, sampleRate, r, { freq: 100, amplitude: 0.05 })],
    ['clicks', (len, r) => clicks(len, sampleRate, r, { perSecond: 2, amplitude: 0.5 })],
    ['pink', (len, r) => pinkNoise(len, r, 0.05)],
    ['brown', (len, r) => brownNoise(len, r, 0.05)],
  ];
  const conditions: SurveyCondition[] = [
    { name: 'speech', isSpeech: true, audio: mix(speech, whiteNoise(speech.length, rng.fork('speech-floor'), 0.001)) },
    { name: 'speech+pink 10dB', isSpeech: true, audio: mix(speech, pinkNoise(speech.length, rng.fork('speech-pink'), 0.316 * speechRms)) },
    { name: 'digital zeros', isSpeech: false, audio: new Float32Array(n) },
  ];
  for (const [name, make] of noises) {
    conditions.push({ name, isSpeech: false, audio: make(n, rng.fork(name)) });
    const continuous = make(speech.length + n, rng.fork(`${name} after speech`));
    conditions.push({
      name: `${name} after speech`,
      isSpeech: false,
      primer: mix(speech, continuous.subarray(0, speech.length)),
      audio: continuous.slice(speech.length),
    });
  }
  return conditions;
}

export interface SurveyRow {
  engine: VadEngineName;
  condition: string;
  isSpeech: boolean;
  speechFraction: number;
}

export interface SurveyResult {
  rows: SurveyRow[];
  /** Audio seconds processed per wall-clock second, per engine (all conditions together). */
  realTimeFactor: Record<VadEngineName, number>;
}

export async function surveyVadEngines(
  conditions: readonly SurveyCondition[],
  engines: readonly VadEngineName[] = ['energy', 'webrtc', 'silero'],
  configs: Partial<{ [N in VadEngineName]: Partial<VadConfigs[N]> }> = {},
): Promise<SurveyResult> {
  const rows: SurveyRow[] = [];
  const realTimeFactor = {} as Record<VadEngineName, number>;
  for (const name of engines) {
    const engine: VadEngine = await createVad(name, configs[name] ?? {});
    await detectSpeech(engine, new Float32Array(engine.inputSampleRate)); // warm-up
    let audioSeconds = 0;
    let wallMs = 0;
    for (const c of conditions) {
      const t0 = performance.now();
      const primer = c.primer ?? new Float32Array(0);
      const decisions = await detectSpeech(engine, primer.length ? concat(primer, c.audio) : c.audio);
      wallMs += performance.now() - t0;
      const rate = engine.inputSampleRate;
      audioSeconds += (primer.length + c.audio.length) / rate;
      const fraction = speechFractionInInterval(decisions, engine.frameSeconds, primer.length / rate, (primer.length + c.audio.length) / rate);
      rows.push({ engine: name, condition: c.name, isSpeech: c.isSpeech, speechFraction: fraction });
    }
    realTimeFactor[name] = audioSeconds / (wallMs / 1000);
  }
  return { rows, realTimeFactor };
}

const COL = 28;

/** The survey as a text table (conditions x engines). */
export function formatSurvey(result: SurveyResult): string {
  const engines = Object.keys(result.realTimeFactor) as VadEngineName[];
  const conditions = [...new Set(result.rows.map((r) => r.condition))];
  const lines = [['condition', ...engines].map((s) => s.padEnd(COL)).join('')];
  for (const c of conditions) {
    const cells = engines.map((e) => {
      const row = result.rows.find((r) => r.engine === e && r.condition === c);
      return (row ? row.speechFraction.toFixed(2) : '-').padEnd(COL);
    });
    lines.push([c.padEnd(COL), ...cells].join(''));
  }
  lines.push(['x real time'.padEnd(COL), ...engines.map((e) => result.realTimeFactor[e].toFixed(0).padEnd(COL))].join(''));
  return lines.join('\n');
}

function rmsOf(signal: Float32Array): number {
  let sum = 0;
  for (const v of signal) sum += v * v;
  return Math.sqrt(sum / Math.max(1, signal.length));
}
