/**
 * Plans a scan's soundtrack from its plane timeline: who says what when (sparse anatomy
 * narration inside stable dwells, unrelated chatter, long silences), the click bursts
 * and the ambience. Durations are estimates; renderSoundtrack places the real audio.
 */
import type { Rng } from '../../util/rng.js';
import type { PlaneClass } from '../planes.js';
import type { PlaneSegment } from '../timeline-types.js';
import { planAmbience } from './ambience.js';
import { planClickBursts } from './clicks.js';
import { ANATOMY_PHRASES, CHATTER_EXCHANGES, PATIENT_CHATTER, SONOGRAPHER_CHATTER } from './phrases.js';
import { ANATOMY_MAX_LAG, type PlannedUtterance, type SoundtrackPlan } from './plan-types.js';
import { estimateSpeechSeconds, PATIENT_VOICES, SONOGRAPHER_VOICES, type VoiceSpec } from './voices.js';

/** Least silence kept between two planned utterances, seconds. */
const PLANNED_GAP = 0.6;
/** Shortest stable dwell that gets narration, seconds. */
const MIN_NARRATED_DWELL = 1;

/** Time intervals already taken by planned speech (with their gaps). */
class Occupancy {
  private readonly spans: { start: number; end: number }[] = [];
  isFree(start: number, end: number, gap = PLANNED_GAP): boolean {
    return this.spans.every((s) => end + gap <= s.start || start >= s.end + gap);
  }
  take(start: number, end: number): void {
    this.spans.push({ start, end });
  }
}

interface Quiet {
  start: number;
  end: number;
}

function inQuiet(quiet: readonly Quiet[], start: number, end: number): boolean {
  return quiet.some((q) => start < q.end && end > q.start);
}

/** Long silences: minutes can pass with nothing said. */
function planQuietSpells(duration: number, rng: Rng): Quiet[] {
  const spells: Quiet[] = [];
  let t = 30 + rng.exponential(240);
  while (t < duration) {
    const length = rng.uniform(45, 120);
    spells.push({ start: t, end: Math.min(duration, t + length) });
    t += length + 60 + rng.exponential(360);
  }
  return spells;
}

function speechPeak(rng: Rng, base: number, patient: boolean): number {
  // Patients are further from the machine's microphone than the sonographer.
  const level = base * (patient ? rng.uniform(0.65, 0.9) : rng.uniform(0.88, 1.1));
  return Math.min(0.6, Math.max(0.3, level));
}

export function planSoundtrack(segments: PlaneSegment[], duration: number, rng: Rng): SoundtrackPlan {
  const sonographer = rng.fork('voices').pick(SONOGRAPHER_VOICES);
  const patient = rng.fork('patient').pick(PATIENT_VOICES);
  const levels = rng.fork('levels');
  const baseSpeechPeak = levels.uniform(0.33, 0.55);
  const quietSpells = planQuietSpells(duration, rng.fork('quiet'));
  const occupancy = new Occupancy();
  const utterances: PlannedUtterance[] = [];

  const anatomyRng = rng.fork('anatomy');
  // Outside quiet spells; overall about 60-70% of the dwells get narrated.
  const narrationRate = anatomyRng.uniform(0.65, 0.85);
  for (const segment of segments) {
    if (segment.cls === 'background') continue;
    const stableLength = segment.stableEnd - segment.stableStart;
    if (stableLength < MIN_NARRATED_DWELL || !anatomyRng.chance(narrationRate)) continue;
    const first = planAnatomy(segment, segment.cls, segment.stableStart, duration, sonographer, anatomyRng);
    if (!first || inQuiet(quietSpells, first.start, first.start + first.estimatedSeconds)) continue;
    if (!occupancy.isFree(first.start, first.start + first.estimatedSeconds)) continue;
    const placed: PlannedUtterance[] = [first];
    if (stableLength > 9 && anatomyRng.chance(0.35)) {
      const after = first.start + first.estimatedSeconds + anatomyRng.uniform(1.5, 4);
      const second = planAnatomy(segment, segment.cls, after, duration, sonographer, anatomyRng, first.text);
      if (second && occupancy.isFree(second.start, second.start + second.estimatedSeconds)) placed.push(second);
    }
    for (const u of placed) {
      u.peak = speechPeak(levels, baseSpeechPeak, false);
      occupancy.take(u.start, u.start + u.estimatedSeconds);
      utterances.push(u);
    }
  }

  planChatter(duration, rng.fork('chatter'), { sonographer, patient }, quietSpells, occupancy, (text, start, who) => {
    const voice = who === 'patient' ? patient : sonographer;
    const estimatedSeconds = estimateSpeechSeconds(text, voice);
    utterances.push({
      text,
      kind: 'chatter',
      voice: voice.name,
      start,
      earliest: start,
      // Chatter has no anchor in the image: the renderer may push it a few seconds later.
      latestEnd: Math.min(duration, start + estimatedSeconds + 4),
      estimatedSeconds,
      peak: speechPeak(levels, baseSpeechPeak, who === 'patient'),
    });
  });
  utterances.sort((a, b) => a.start - b.start);

  const busy = utterances.map((u) => ({ start: u.start, end: u.start + u.estimatedSeconds }));
  return {
    sonographerVoice: sonographer.name,
    patientVoice: patient.name,
    utterances,
    clicks: planClickBursts(segments, duration, busy, rng.fork('clicks')),
    ambience: planAmbience(baseSpeechPeak, rng.fork('ambience')),
    quietSpells,
  };
}

/**
 * One anatomy phrase for a dwell, starting no earlier than `notBefore`: usually just
 * after the plane settles, sometimes lagging it by 1-2 s. Undefined when nothing fits.
 */
function planAnatomy(
  segment: PlaneSegment,
  cls: Exclude<PlaneClass, 'background'>,
  notBefore: number,
  duration: number,
  voice: VoiceSpec,
  rng: Rng,
  avoid?: string,
): PlannedUtterance | undefined {
  const latestEnd = Math.min(duration, segment.stableEnd + ANATOMY_MAX_LAG);
  const delay = rng.chance(0.3) ? rng.uniform(1, 2) : rng.uniform(0.1, 0.9);
  const fitting = ANATOMY_PHRASES[cls].filter((t) => t !== avoid && notBefore + estimateSpeechSeconds(t, voice) <= latestEnd);
  if (fitting.length === 0) return undefined;
  const text = rng.pick(fitting);
  const estimatedSeconds = estimateSpeechSeconds(text, voice);
  const start = Math.min(notBefore + delay, latestEnd - estimatedSeconds);
  if (start >= segment.stableEnd) return undefined;
  return {
    text,
    kind: 'anatomy',
    cls,
    voice: voice.name,
    start,
    earliest: segment.stableStart,
    latestEnd,
    latestStart: segment.stableEnd,
    estimatedSeconds,
    peak: 0,
  };
}

type Say = (text: string, start: number, who: 'sonographer' | 'patient') => void;

/**
 * Unrelated talk as a Poisson process with a per-scan mean gap: sonographer remarks,
 * question-and-answer exchanges with the patient, and the patient's own remarks.
 */
function planChatter(
  duration: number,
  rng: Rng,
  cast: { sonographer: VoiceSpec; patient: VoiceSpec },
  quiet: readonly Quiet[],
  occupancy: Occupancy,
  say: Say,
): void {
  const { sonographer, patient } = cast;
  const meanGap = rng.uniform(25, 80);
  for (let t = rng.exponential(meanGap); t < duration; t += rng.exponential(meanGap)) {
    const kind = rng.next();
    const lines: { text: string; who: 'sonographer' | 'patient'; start: number; end: number }[] = [];
    if (kind < 0.55) {
      const text = rng.pick(SONOGRAPHER_CHATTER);
      lines.push({ text, who: 'sonographer', start: t, end: t + estimateSpeechSeconds(text, sonographer) });
    } else if (kind < 0.8) {
      const exchange = rng.pick(CHATTER_EXCHANGES);
      const qEnd = t + estimateSpeechSeconds(exchange.question, sonographer);
      const answer = rng.pick(exchange.answers);
      const aStart = qEnd + rng.uniform(0.4, 1.0);
      lines.push({ text: exchange.question, who: 'sonographer', start: t, end: qEnd });
      lines.push({ text: answer, who: 'patient', start: aStart, end: aStart + estimateSpeechSeconds(answer, patient) });
    } else {
      const text = rng.pick(PATIENT_CHATTER);
      lines.push({ text, who: 'patient', start: t, end: t + estimateSpeechSeconds(text, patient) });
    }
    const first = lines[0] as (typeof lines)[number];
    const last = lines[lines.length - 1] as (typeof lines)[number];
    // Talk waits for a pause in the narration: slide later (up to 15 s) to a free slot.
    let shift = 0;
    while (shift <= 15 && !occupancy.isFree(first.start + shift, last.end + shift)) shift += 1;
    // Keep room for the renderer's own shift (it may push chatter up to 4 s later).
    if (shift > 15 || last.end + shift + 4 > duration || inQuiet(quiet, first.start + shift, last.end + shift)) continue;
    for (const line of lines) {
      line.start += shift;
      line.end += shift;
    }
    t += shift;
    for (const line of lines) {
      occupancy.take(line.start, line.end);
      say(line.text, line.start, line.who);
    }
  }
}
