/**
 * Room ambience under the whole scan: air conditioning (low-passed noise rumble plus a
 * little broadband air hiss, with a slowly drifting level) and mains hum (50 or 60 Hz
 * with harmonics). Levels are set per scan relative to its speech level.
 */
import type { Rng } from '../../util/rng.js';
import type { AmbienceParams } from './plan-types.js';

/**
 * Speech-to-ambience ratio, dB (speech RMS while talking vs ambience RMS): clearly
 * audible speech, yet low enough that quiet consonants and word gaps sink into the noise.
 */
const SNR_DB: readonly [number, number] = [12, 22];
/** Peak-to-RMS ratio of peak-normalised espeak utterances (measured ~5.5-7). */
const SPEECH_CREST = 6;

export function planAmbience(speechPeak: number, rng: Rng): AmbienceParams {
  const snrDb = rng.uniform(SNR_DB[0], SNR_DB[1]);
  const totalRms = speechPeak / SPEECH_CREST / 10 ** (snrDb / 20);
  const humShare = rng.uniform(0.1, 0.5);
  return {
    acRms: totalRms * Math.sqrt(1 - humShare),
    acCutoffHz: rng.uniform(180, 600),
    acHissShare: rng.uniform(0.1, 0.35),
    acHissCutoffHz: rng.uniform(2000, 5000),
    acDriftDepth: rng.uniform(0.08, 0.3),
    acDriftPeriods: [rng.uniform(6, 15), rng.uniform(15, 40), rng.uniform(40, 120)],
    humHz: rng.chance(0.5) ? 50 : 60,
    humRms: totalRms * Math.sqrt(humShare),
    humHarmonics: [1, rng.uniform(0.2, 0.7), rng.uniform(0.2, 0.6), rng.uniform(0.05, 0.35), rng.uniform(0.05, 0.25), rng.uniform(0.02, 0.15)],
  };
}

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** RBJ cookbook low-pass, normalised by a0. */
function lowPass(cutoffHz: number, rate: number, q = Math.SQRT1_2): Biquad {
  const w0 = (2 * Math.PI * cutoffHz) / rate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Sum of the squared impulse response: output power per unit input power. */
function powerGain(step: (x: number) => number, length = 1 << 15): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += step(i === 0 ? 1 : 0) ** 2;
  return sum;
}

function biquadStep(f: Biquad): (x: number) => number {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  return (x) => {
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  };
}

function onePoleStep(cutoffHz: number, rate: number): (x: number) => number {
  const k = 1 - Math.exp((-2 * Math.PI * cutoffHz) / rate);
  let y = 0;
  return (x) => (y += k * (x - y));
}

/** Samples between updates of the slow level drift (2^DRIFT_SHIFT). */
const DRIFT_SHIFT = 6;
const DRIFT_BLOCK = 1 << DRIFT_SHIFT;
/** Variance of uniform noise on [-0.5, 0.5). */
const UNIFORM_VARIANCE = 1 / 12;

/** Adds air-conditioning noise to `out`; returns its peak amplitude. */
export function addAirConditioning(out: Float32Array, rate: number, params: AmbienceParams, rng: Rng): number {
  const f = lowPass(params.acCutoffHz, rate);
  const hissK = 1 - Math.exp((-2 * Math.PI * params.acHissCutoffHz) / rate);
  const rumbleScale = (params.acRms * Math.sqrt(1 - params.acHissShare)) / Math.sqrt(UNIFORM_VARIANCE * powerGain(biquadStep(f)));
  const hissScale = (params.acRms * Math.sqrt(params.acHissShare)) / Math.sqrt(UNIFORM_VARIANCE * powerGain(onePoleStep(params.acHissCutoffHz, rate)));
  const phases = params.acDriftPeriods.map(() => rng.uniform(0, 2 * Math.PI));
  const weight = 1 / Math.max(1, params.acDriftPeriods.length);
  // Uniform noise on [-0.5, 0.5) from an inline xorshift32 stream seeded by `rng`: millions
  // of draws per minute, kept cheap (a signed 32-bit state times 2^-32).
  let state = rng.nextUint32() | 0 || 0x2545f491;
  const toUnit = 1 / 4294967296;
  const { b0, b1, b2, a1, a2 } = f;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  let hiss = 0;
  // Slow level drift, one value per block of samples.
  const levels = new Float64Array(Math.ceil(out.length / DRIFT_BLOCK));
  for (let block = 0; block < levels.length; block++) {
    const t = (block * DRIFT_BLOCK) / rate;
    let drift = 0;
    for (let k = 0; k < phases.length; k++) drift += Math.sin((2 * Math.PI * t) / (params.acDriftPeriods[k] as number) + (phases[k] as number));
    levels[block] = 1 + params.acDriftDepth * weight * drift;
  }
  // The first samples only let the filters settle, so the track does not fade in.
  const settle = Math.ceil((4 * rate) / params.acCutoffHz);
  let peak = 0;
  for (let i = -settle; i < out.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const x = state * toUnit;
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    hiss += hissK * (state * toUnit - hiss);
    if (i < 0) continue;
    const v = (levels[i >> DRIFT_SHIFT] as number) * (rumbleScale * y + hissScale * hiss);
    out[i] = (out[i] as number) + v;
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  return peak;
}

/** Adds mains hum to `out`; returns its peak amplitude. */
export function addHum(out: Float32Array, rate: number, params: AmbienceParams, rng: Rng): number {
  // One period as a table (rate / 50 and rate / 60 are whole numbers at 24 kHz); at other
  // rates the rounded period shifts the pitch by under 0.1%.
  const period = Math.round(rate / params.humHz);
  const table = new Float64Array(period);
  const phases = params.humHarmonics.map(() => rng.uniform(0, 2 * Math.PI));
  let power = 0;
  params.humHarmonics.forEach((amplitude, h) => {
    power += (amplitude * amplitude) / 2;
    for (let n = 0; n < period; n++) table[n] = (table[n] as number) + amplitude * Math.sin((2 * Math.PI * (h + 1) * n) / period + (phases[h] as number));
  });
  const scale = params.humRms / Math.sqrt(power);
  let peak = 0;
  for (let n = 0; n < period; n++) {
    table[n] = (table[n] as number) * scale;
    peak = Math.max(peak, Math.abs(table[n] as number));
  }
  for (let i = 0, n = 0; i < out.length; i++, n = n + 1 === period ? 0 : n + 1) out[i] = (out[i] as number) + (table[n] as number);
  return peak;
}
