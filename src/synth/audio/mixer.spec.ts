import { beforeAll, describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import type { PlaneSegment } from '../timeline-types.js';
import { SYNTH_AUDIO_RATE } from './audio-rate.js';
import { madeUpTimeline } from './made-up-timeline.js';
import { type Soundtrack, renderSoundtrack } from './mixer.js';
import { peakOf } from './peak.js';
import { ANATOMY_MAX_LAG, type SoundtrackPlan } from './plan-types.js';
import { planSoundtrack } from './planner.js';
import { loadSpeaker, type Speaker } from './tts.js';

const DURATION = 150.5;
const FRAME = 480; // 20 ms
let speaker: Speaker;
let segments: PlaneSegment[];
let plan: SoundtrackPlan;
let track: Soundtrack;

function render(seed: number): { plan: SoundtrackPlan; track: Soundtrack } {
  const rng = new Rng(seed);
  const p = planSoundtrack(segments, DURATION, rng.fork('narration'));
  return { plan: p, track: renderSoundtrack(p, DURATION, speaker, rng.fork('audio')) };
}

beforeAll(async () => {
  speaker = await loadSpeaker();
  segments = madeUpTimeline(DURATION, new Rng(3).fork('timeline'));
  ({ plan, track } = render(3));
});

/** Mean square of each 20 ms frame. */
function frameEnergies(x: Float32Array): Float64Array {
  const out = new Float64Array(Math.floor(x.length / FRAME));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * FRAME; i < (f + 1) * FRAME; i++) sum += (x[i] as number) ** 2;
    out[f] = sum / FRAME;
  }
  return out;
}

function peakIn(x: Float32Array, start: number, end: number): number {
  return peakOf(x, Math.floor(start * SYNTH_AUDIO_RATE), Math.min(x.length, Math.ceil(end * SYNTH_AUDIO_RATE)));
}

/** Power of `x[from, to)` at `freq` (Goertzel). */
function tonePower(x: Float32Array, from: number, to: number, freq: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / SYNTH_AUDIO_RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = (x[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (to - from) ** 2;
}

describe('renderSoundtrack', () => {
  it('returns duration x 24,000 samples within [-1, 1] and ground truth inside the scan', () => {
    expect(track.samples.length).toBe(Math.round(DURATION * SYNTH_AUDIO_RATE));
    const peak = peakOf(track.samples);
    expect(peak).toBeLessThanOrEqual(1);
    expect(peak).toBeGreaterThan(0.25);
    for (const e of [...track.speech, ...track.noise]) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeLessThanOrEqual(DURATION);
      expect(e.end).toBeGreaterThan(e.start);
    }
    expect(track.noise.filter((n) => n.kind === 'air_conditioning' || n.kind === 'hum').map((n) => [n.kind, n.start, n.end])).toEqual([
      ['air_conditioning', 0, DURATION],
      ['hum', 0, DURATION],
    ]);
  });

  it('renders anatomy narration and chatter, in order, without overlap, inside their windows', () => {
    expect(track.speech.some((s) => s.kind === 'anatomy')).toBe(true);
    expect(track.speech.some((s) => s.kind === 'chatter')).toBe(true);
    expect(track.speech.length).toBeGreaterThanOrEqual(plan.utterances.length - 1);
    expect(track.voices[0]).toBe(track.speech[0]?.voice);
    let previousEnd = 0;
    for (const s of track.speech) {
      expect(s.start).toBeGreaterThanOrEqual(previousEnd);
      previousEnd = s.end;
      expect(s.words.length).toBe(s.text.split(' ').length);
      for (const w of s.words) {
        expect(w.start).toBeGreaterThanOrEqual(s.start);
        expect(w.end).toBeLessThanOrEqual(s.end + 1e-9);
      }
      if (s.kind === 'anatomy') {
        const dwell = segments.find((p) => p.cls === s.cls && s.start >= p.stableStart && s.start < p.stableEnd);
        expect(dwell).toBeDefined();
        expect(s.end).toBeLessThanOrEqual((dwell as PlaneSegment).stableEnd + ANATOMY_MAX_LAG + 1e-3);
      } else {
        expect(s.cls).toBeUndefined();
      }
    }
  });

  it('puts speech and clicks at speech-like peaks, ambience far below', () => {
    for (const s of track.speech) {
      const peak = peakIn(track.samples, s.start, s.end);
      expect(peak).toBeGreaterThan(0.27);
      expect(peak).toBeLessThan(0.66);
    }
    const clicks = track.noise.filter((n) => n.kind === 'click');
    expect(clicks.length).toBeGreaterThan(2);
    for (const c of clicks) {
      expect(c.level).toBeGreaterThan(0.15);
      expect(c.level).toBeLessThan(0.6);
      expect(Math.abs(peakIn(track.samples, c.start, c.end) - c.level)).toBeLessThan(0.06);
    }
    for (const n of track.noise.filter((e) => e.kind !== 'click')) expect(n.level).toBeLessThan(0.1);
  });

  it('gives speech much more short-time energy than the noise-only stretches', () => {
    const energies = frameEnergies(track.samples);
    const busy = (f: number): 'speech' | 'click' | 'none' => {
      const t0 = (f * FRAME) / SYNTH_AUDIO_RATE;
      const t1 = t0 + FRAME / SYNTH_AUDIO_RATE;
      if (track.speech.some((s) => t0 >= s.start && t1 <= s.end)) return 'speech';
      if (track.speech.some((s) => t1 > s.start - 0.05 && t0 < s.end + 0.05)) return 'click'; // speech edges
      if (track.noise.some((n) => n.kind === 'click' && t1 > n.start - 0.05 && t0 < n.end + 0.05)) return 'click';
      return 'none';
    };
    const speech: number[] = [];
    const quiet: number[] = [];
    energies.forEach((e, f) => {
      const kind = busy(f);
      if (kind === 'speech') speech.push(e);
      else if (kind === 'none') quiet.push(e);
    });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;
    expect(quiet.length).toBeGreaterThan(1000);
    // Speech power 12-22 dB over the ambience, and its typical frame far above the loudest quiet ones.
    expect(mean(speech) / mean(quiet)).toBeGreaterThan(10);
    expect(quantile(speech, 0.5)).toBeGreaterThan(3 * quantile(quiet, 0.99));
    // ...but not every speech frame: gaps and soft consonants sink into the noise.
    expect(quantile(speech, 0.05)).toBeLessThan(30 * quantile(quiet, 0.5));
  });

  it('hums at the planned mains frequency', () => {
    const quiet = track.speech.reduce((a, s) => (s.start > a.start + 2 ? a : { start: s.end + 0.5 }), { start: 0 });
    const from = Math.round(quiet.start * SYNTH_AUDIO_RATE);
    const to = from + SYNTH_AUDIO_RATE;
    const hz = plan.ambience.humHz;
    expect(tonePower(track.samples, from, to, hz)).toBeGreaterThan(20 * tonePower(track.samples, from, to, hz + 23));
  });

  it('is deterministic: the same seed gives identical samples, another seed other samples', () => {
    const again = render(3).track;
    expect(Buffer.from(again.samples.buffer).equals(Buffer.from(track.samples.buffer))).toBe(true);
    expect(again.speech).toEqual(track.speech);
    const other = render(4).track;
    expect(Buffer.from(other.samples.buffer).equals(Buffer.from(track.samples.buffer))).toBe(false);
  });
});
