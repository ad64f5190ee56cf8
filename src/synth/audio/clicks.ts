/**
 * Button and keyboard clicks: the sonographer freezes the image, places calipers,
 * types an annotation, or turns a control. Bursts fall mostly inside stable dwells and
 * never on planned speech; each click is a 2-15 ms transient peaking near speech level.
 */
import type { Rng } from '../../util/rng.js';
import type { PlaneClass } from '../planes.js';
import type { PlaneSegment } from '../timeline-types.js';
import { peakOf } from './peak.js';
import type { PlannedClick } from './plan-types.js';

/** Planes with a routine biometry measurement (HC, AC, FL, TCD). */
const MEASURED: ReadonlySet<PlaneClass> = new Set<PlaneClass>(['femur', 'brain_tv', 'brain_tc', 'abdomen']);
/** Clicks keep at least this far from planned speech, seconds. */
const SPEECH_CLEARANCE = 0.25;
/** Peak range of a burst's loudest click (speech peaks are 0.3-0.6). */
const CLICK_PEAK: readonly [number, number] = [0.25, 0.5];

interface Span {
  start: number;
  end: number;
}

export function planClickBursts(segments: readonly PlaneSegment[], duration: number, speech: readonly Span[], rng: Rng): PlannedClick[] {
  const bursts: PlannedClick[] = [];
  const add = (kind: PlannedClick['kind'], times: number[]): void => {
    const first = times[0];
    const last = times[times.length - 1];
    if (first === undefined || last === undefined || first < 0 || last > duration - 0.1) return;
    if (speech.some((s) => first < s.end + SPEECH_CLEARANCE && last + 0.05 > s.start - SPEECH_CLEARANCE)) return;
    if (bursts.some((b) => first < (b.times[b.times.length - 1] as number) + 0.2 && last + 0.2 > (b.times[0] as number))) return;
    bursts.push({ kind, times, peak: rng.uniform(CLICK_PEAK[0], CLICK_PEAK[1]) });
  };
  const series = (start: number, count: number, gap: [number, number]): number[] => {
    const times = [start];
    for (let i = 1; i < count; i++) times.push((times[i - 1] as number) + rng.uniform(gap[0], gap[1]));
    return times;
  };

  for (const s of segments) {
    const stable = s.stableEnd - s.stableStart;
    if (s.cls === 'background' || stable < 1) continue;
    if (rng.chance(0.55)) {
      const freeze = s.stableStart + rng.uniform(0.3, Math.min(3, stable - 0.2));
      add('freeze', series(freeze, rng.chance(0.8) ? 1 : 2, [0.15, 0.4]));
      if (rng.chance(MEASURED.has(s.cls) ? 0.7 : 0.15)) {
        add('measure', series(freeze + rng.uniform(0.8, 2), rng.int(2, 4), [0.5, 1.5]));
      }
    }
    if (rng.chance(0.1)) add('annotate', series(s.stableStart + rng.uniform(0, stable), rng.int(4, 9), [0.09, 0.25]));
  }
  // Controls (gain, depth, zoom) are touched at any time, also while searching.
  const meanGap = rng.uniform(40, 120);
  for (let t = rng.exponential(meanGap); t < duration; t += rng.exponential(meanGap)) {
    add('control', series(t, rng.int(1, 3), [0.2, 0.6]));
  }
  return bursts.sort((a, b) => (a.times[0] as number) - (b.times[0] as number));
}

/**
 * Adds one click at `onset` seconds: a sharp-attack, exponentially decaying mix of noise
 * and a plastic resonance, sometimes followed by a weaker release tick. Returns the
 * time the sound ends.
 */
export function addClick(out: Float32Array, rate: number, onset: number, peak: number, rng: Rng): number {
  let end = addTransient(out, rate, onset, peak, rng.uniform(0.002, 0.015), rng);
  if (rng.chance(0.5)) {
    const release = end + rng.uniform(0.015, 0.06);
    end = addTransient(out, rate, release, peak * rng.uniform(0.3, 0.6), rng.uniform(0.002, 0.006), rng);
  }
  return end;
}

function addTransient(out: Float32Array, rate: number, onset: number, peak: number, seconds: number, rng: Rng): number {
  const length = Math.max(8, Math.round(seconds * rate));
  const first = Math.round(onset * rate);
  const freq = rng.uniform(1500, 5000);
  const phase = rng.uniform(0, 2 * Math.PI);
  const noiseMix = rng.uniform(0.3, 0.8);
  const tau = length / rng.uniform(3, 5);
  const wave = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const attack = Math.min(1, (i + 1) / 3);
    const tone = Math.sin((2 * Math.PI * freq * i) / rate + phase);
    wave[i] = attack * Math.exp(-i / tau) * (noiseMix * (2 * rng.next() - 1) + (1 - noiseMix) * tone);
  }
  const max = peakOf(wave);
  const scale = max > 0 ? peak / max : 0;
  for (let i = 0; i < length && first + i < out.length; i++) {
    if (first + i >= 0) out[first + i] = (out[first + i] as number) + (wave[i] as number) * scale;
  }
  return (first + length) / rate;
}
