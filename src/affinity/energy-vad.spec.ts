import { beforeAll, describe, expect, it } from '@jest/globals';
import { concat, hum, mix, scale, whiteNoise } from '../audio/test-signals.js';
import { Rng } from '../util/rng.js';
import { DEFAULT_ENERGY_VAD_CONFIG, EnergyDetector, EnergyVad, type EnergyVadConfig } from './energy-vad.js';
import { fractionOver, makeNarration, type Interval, type Narration } from './vad-fixtures.js';
import { detectSpeech, speechFraction, speechFractionInInterval } from './vad-engine.js';

const detector = (overrides: Partial<EnergyVadConfig> = {}): EnergyDetector =>
  new EnergyDetector({ ...DEFAULT_ENERGY_VAD_CONFIG, ...overrides });

describe('EnergyDetector (the adaptive threshold)', () => {
  it('uses threshold = (1 - lambda) Emax + lambda Emin, lambda = (Emax - Emin) / Emax', () => {
    // Emin 1e-4, Emax 1e-2: lambda 0.99, threshold 1.99e-4 (the paper's rule, no floor).
    const make = (): EnergyDetector =>
      detector({ initialEmin: 1e-4, initialEmax: 1e-2, hangoverFrames: 0, eminRise: 1, minThresholdRatio: 1 });
    expect(make().step(1.98e-4)).toBe(0);
    expect(make().step(2.0e-4)).toBe(1);
    // With Emax close to Emin, lambda is small and the threshold near Emax.
    const d = detector({ initialEmin: 1e-4, initialEmax: 1.25e-4, hangoverFrames: 0, eminRise: 1, minThresholdRatio: 1 });
    expect(d.step(1.19e-4)).toBe(0); // threshold = 1e-4 * (1 + 0.2) = 1.2e-4
    expect(d.step(1.21e-4)).toBe(1);
  });

  it('never sets the threshold below minThresholdRatio * Emin', () => {
    const d = detector({ initialEmin: 1e-4, initialEmax: 1.25e-4, hangoverFrames: 0, eminRise: 1, minThresholdRatio: 2 });
    expect(d.step(1.9e-4)).toBe(0);
    expect(d.step(2.1e-4)).toBe(1);
  });

  it('drops Emin to a new minimum at once and lets it drift up by eminRise per frame', () => {
    const d = detector();
    d.step(1e-3);
    d.step(1e-6);
    expect(d.emin).toBeCloseTo(1e-6 * 1.0001, 12);
    for (let i = 0; i < 999; i++) d.step(1e-2);
    expect(d.emin / 1e-6).toBeCloseTo(1.0001 ** 1000, 6);
    expect(d.emax).toBe(1e-2);
  });

  it('accelerates the rise when eminRiseAcceleration > 1', () => {
    const d = detector({ eminRiseAcceleration: 1.0001 });
    d.step(1e-6);
    for (let i = 0; i < 299; i++) d.step(1e-2);
    // rise_k = 1.0001 * 1.0001^k, product over k = 0..299 = 1.0001^(300 + 299*300/2)
    expect(Math.log(d.emin / 1e-6)).toBeCloseTo((300 + (299 * 300) / 2) * Math.log(1.0001), 6);
  });

  it('holds a decision for hangoverFrames after the last loud frame', () => {
    const d = detector({ hangoverFrames: 3 });
    const energies = [1e-6, 1.1e-6, 1e-6, 1e-2, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6];
    expect(energies.map((e) => d.step(e))).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0]);
  });

  it('ignores frames below minEnergy (digital silence) for tracking', () => {
    const d = detector();
    d.step(1e-5);
    d.step(0);
    d.step(1e-12);
    expect(d.emin).toBeGreaterThan(1e-5);
  });
});

describe('energy VAD on speech', () => {
  let narration: Narration;
  beforeAll(async () => {
    narration = await makeNarration(['This is the transcerebellar plane.', 'The cerebellum looks normal.'], new Rng(2).fork('narration'));
  });

  it('keeps finding speech after the level drops by 20 dB, and not the quieter pauses', async () => {
    const T = narration.audio.length / narration.sampleRate;
    const later = (iv: Interval[]): Interval[] => iv.map(({ start, end }) => ({ start: start + T, end: end + T }));
    const audio = concat(narration.audio, scale(narration.audio, 0.1));
    const d = await detectSpeech(new EnergyVad(), audio);
    expect(fractionOver(d, 0.01, narration.speech)).toBeGreaterThan(0.9);
    expect(fractionOver(d, 0.01, narration.pauses)).toBeLessThan(0.05);
    expect(fractionOver(d, 0.01, later(narration.speech))).toBeGreaterThan(0.9);
    expect(fractionOver(d, 0.01, later(narration.pauses))).toBeLessThan(0.05);
  });

  it('learns a 20 dB louder noise floor only slowly at a constant rise; quickly with acceleration', async () => {
    const rng = new Rng(3);
    const rate = 24_000;
    // Speech over a -60 dB floor, then 6 s of a floor 20 dB louder.
    const audio = concat(narration.audio, whiteNoise(6 * rate, rng, 0.01));
    const T = narration.audio.length / rate;
    const constant = await detectSpeech(new EnergyVad(), audio);
    const accelerating = await detectSpeech(new EnergyVad({ eminRiseAcceleration: 1.0001 }), audio);
    const lastSeconds = (d: Uint8Array): number => speechFractionInInterval(d, 0.01, T + 4, T + 6);
    expect(lastSeconds(constant)).toBeGreaterThan(0.9); // 1.0001^600 = +0.26 dB: nowhere near +20 dB
    expect(lastSeconds(accelerating)).toBeLessThan(0.05);
    // Both still found the speech before.
    expect(fractionOver(constant, 0.01, narration.speech)).toBeGreaterThan(0.9);
    expect(fractionOver(accelerating, 0.01, narration.speech)).toBeGreaterThan(0.9);
  });

  it('does not let leading digital silence pin the noise floor', async () => {
    const audio = concat(new Float32Array(24_000), narration.audio);
    const guarded = await detectSpeech(new EnergyVad(), audio);
    const unguarded = await detectSpeech(new EnergyVad({ minEnergy: 0 }), audio);
    const pauses = narration.pauses.map(({ start, end }) => ({ start: start + 1, end: end + 1 }));
    expect(fractionOver(guarded, 0.01, pauses)).toBeLessThan(0.05);
    expect(fractionOver(unguarded, 0.01, pauses)).toBeGreaterThan(0.9);
  });

  it('ignores a steady hum; under a loud hum the high-pass recovers the speech', async () => {
    const rng = new Rng(6);
    const rate = 24_000;
    const noise = hum(4 * rate, rate, rng, { freq: 100, amplitude: 0.05 });
    expect(speechFraction(await detectSpeech(new EnergyVad(), noise))).toBeLessThan(0.05);
    const speechOverHum = mix(narration.audio, hum(narration.audio.length, rate, rng, { freq: 100, amplitude: 0.2 }));
    const plain = await detectSpeech(new EnergyVad(), speechOverHum);
    const filtered = await detectSpeech(new EnergyVad({ highPassHz: 300 }), speechOverHum);
    expect(fractionOver(plain, 0.01, narration.speech)).toBeLessThan(0.8);
    expect(fractionOver(filtered, 0.01, narration.speech)).toBeGreaterThan(0.85);
    expect(fractionOver(plain, 0.01, narration.pauses)).toBeLessThan(0.05);
    expect(fractionOver(filtered, 0.01, narration.pauses)).toBeLessThan(0.05);
  });

  it('reports a frame of 10 ms (240 samples at 24 kHz) by default', () => {
    expect(new EnergyVad().frameSeconds).toBe(0.01);
    expect(new EnergyVad({ frameSeconds: 0.02 }).frameSeconds).toBe(0.02);
  });
});
