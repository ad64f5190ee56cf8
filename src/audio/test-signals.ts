/**
 * Synthetic audio for tests and measurements: tones, a formant vowel, a chirp and the room
 * noises METHOD.md names (air-conditioning hum, button clicks, broadband noise). All noise
 * flows from the seeded Rng.
 */
import type { Rng } from '../util/rng.js';

// Local bindings: under Jest's VM context a global `Math.x` lookup in a hot loop is ~20x slower.
const { sin, PI } = Math;

export function sine(samples: number, rate: number, freq: number, amplitude = 1, phase = 0): Float32Array {
  const out = new Float32Array(samples);
  const w = (2 * PI * freq) / rate;
  for (let i = 0; i < samples; i++) out[i] = amplitude * sin(w * i + phase);
  return out;
}

/** Linear chirp from f0 to f1 Hz over the signal. */
export function chirp(samples: number, rate: number, f0: number, f1: number, amplitude = 1): Float32Array {
  const out = new Float32Array(samples);
  const duration = samples / rate;
  const k = (f1 - f0) / duration;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    out[i] = amplitude * sin(2 * PI * (f0 * t + 0.5 * k * t * t));
  }
  return out;
}

/**
 * A vowel-like harmonic tone: fundamental with slow vibrato, harmonics shaped by three
 * formant resonances (default /a/: 730, 1090, 2440 Hz). Peak amplitude `amplitude`.
 */
export function vowel(
  samples: number,
  rate: number,
  opts: { f0?: number; formants?: readonly number[]; amplitude?: number } = {},
): Float32Array {
  const f0 = opts.f0 ?? 120;
  const formants = opts.formants ?? [730, 1090, 2440];
  const bandwidth = 90;
  const out = new Float32Array(samples);
  const harmonics = Math.floor((rate / 2 - 200) / (f0 * 1.05));
  const gains: number[] = [];
  for (let h = 1; h <= harmonics; h++) {
    const f = h * f0;
    let g = 0;
    for (const fm of formants) g += 1 / (1 + ((f - fm) / bandwidth) ** 2);
    gains.push(g / h ** 0.5);
  }
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    phase += (2 * PI * f0 * (1 + 0.02 * sin(2 * PI * 5 * t))) / rate;
    let s = 0;
    for (let h = 1; h <= harmonics; h++) s += (gains[h - 1] as number) * sin(h * phase);
    out[i] = s;
  }
  return normalizePeak(out, opts.amplitude ?? 0.5);
}

export function whiteNoise(samples: number, rng: Rng, rms = 1): Float32Array {
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = rng.normal(0, rms);
  return out;
}

/** Pink (1/f) noise, Paul Kellet's refined filter on white noise, scaled to `rms`. */
export function pinkNoise(samples: number, rng: Rng, rms = 0.1): Float32Array {
  const out = new Float32Array(samples);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < samples; i++) {
    const w = rng.normal();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return normalizeRms(out, rms);
}

/** Brown (1/f^2) noise: leaky integral of white noise (leak keeps it bounded), scaled to `rms`. */
export function brownNoise(samples: number, rng: Rng, rms = 0.1): Float32Array {
  const out = new Float32Array(samples);
  let y = 0;
  for (let i = 0; i < samples; i++) {
    y = 0.998 * y + rng.normal();
    out[i] = y;
  }
  removeMean(out);
  return normalizeRms(out, rms);
}

/** Air-conditioning / mains hum: fundamental plus decaying harmonics and a little broadband hiss. */
export function hum(samples: number, rate: number, rng: Rng, opts: { freq?: number; amplitude?: number } = {}): Float32Array {
  const freq = opts.freq ?? 100;
  const amplitude = opts.amplitude ?? 0.05;
  const out = new Float32Array(samples);
  const phases = [0, 1, 2, 3, 4].map(() => rng.uniform(0, 2 * PI));
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let h = 1; h <= 5; h++) s += sin((2 * PI * freq * h * i) / rate + (phases[h - 1] as number)) / h;
    out[i] = amplitude * s * 0.6 + rng.normal(0, amplitude * 0.02);
  }
  return out;
}

/**
 * Button clicks: short decaying noise bursts (~3 ms) at random times, `perSecond` on average,
 * peak `amplitude`, over a faint noise floor.
 */
export function clicks(samples: number, rate: number, rng: Rng, opts: { perSecond?: number; amplitude?: number } = {}): Float32Array {
  const perSecond = opts.perSecond ?? 2;
  const amplitude = opts.amplitude ?? 0.5;
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = rng.normal(0, 0.0005);
  const decay = Math.exp(-1 / (0.0007 * rate));
  let t = rng.exponential(rate / perSecond);
  while (t < samples) {
    const start = Math.floor(t);
    const len = Math.floor(0.004 * rate);
    let env = amplitude;
    for (let i = start; i < Math.min(samples, start + len); i++) {
      out[i] = (out[i] as number) + env * rng.uniform(-1, 1);
      env *= decay;
    }
    t += rng.exponential(rate / perSecond);
  }
  return out;
}

/** Sum of signals (length of the longest). */
export function mix(...signals: Float32Array[]): Float32Array {
  const n = Math.max(0, ...signals.map((s) => s.length));
  const out = new Float32Array(n);
  for (const s of signals) for (let i = 0; i < s.length; i++) out[i] = (out[i] as number) + (s[i] as number);
  return out;
}

export function concat(...signals: Float32Array[]): Float32Array {
  const out = new Float32Array(signals.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of signals) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

export function scale(signal: Float32Array, gain: number): Float32Array {
  return signal.map((v) => v * gain);
}

export function rms(signal: Float32Array): number {
  let sum = 0;
  for (const v of signal) sum += v * v;
  return signal.length ? Math.sqrt(sum / signal.length) : 0;
}

export function normalizeRms(signal: Float32Array, target: number): Float32Array {
  const r = rms(signal);
  if (r > 0) for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) * (target / r);
  return signal;
}

export function normalizePeak(signal: Float32Array, target: number): Float32Array {
  let peak = 0;
  for (const v of signal) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) * (target / peak);
  return signal;
}

function removeMean(signal: Float32Array): void {
  let sum = 0;
  for (const v of signal) sum += v;
  const mean = signal.length ? sum / signal.length : 0;
  for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) - mean;
}
