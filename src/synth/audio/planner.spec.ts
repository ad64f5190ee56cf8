import { describe, expect, it } from '@jest/globals';
import { Rng } from '../../util/rng.js';
import type { PlaneSegment } from '../timeline-types.js';
import { madeUpTimeline } from './made-up-timeline.js';
import { ANATOMY_PHRASES } from './phrases.js';
import { ANATOMY_MAX_LAG, type SoundtrackPlan } from './plan-types.js';
import { planSoundtrack } from './planner.js';
import { PATIENT_VOICES, SONOGRAPHER_VOICES } from './voices.js';

const DURATION = 600;
const scans: { segments: PlaneSegment[]; plan: SoundtrackPlan }[] = [];
for (let seed = 1; seed <= 30; seed++) {
  const rng = new Rng(seed);
  const segments = madeUpTimeline(DURATION, rng.fork('timeline'));
  scans.push({ segments, plan: planSoundtrack(segments, DURATION, rng.fork('narration')) });
}
const narratable = (s: PlaneSegment): boolean => s.cls !== 'background' && s.stableEnd - s.stableStart >= 1;

describe('planSoundtrack', () => {
  it('has at least four phrases for every class and none for background', () => {
    expect(Object.keys(ANATOMY_PHRASES)).not.toContain('background');
    expect(Object.keys(ANATOMY_PHRASES)).toHaveLength(13);
    for (const phrases of Object.values(ANATOMY_PHRASES)) expect(new Set(phrases).size).toBeGreaterThanOrEqual(4);
  });

  it('narrates anatomy only inside a stable dwell of the named class (allowing the lag)', () => {
    const violations: string[] = [];
    let anatomy = 0;
    for (const { segments, plan } of scans) {
      for (const u of plan.utterances.filter((x) => x.kind === 'anatomy')) {
        anatomy++;
        const cls = u.cls;
        if (!cls || cls === 'background' || !ANATOMY_PHRASES[cls].includes(u.text)) violations.push(`wrong phrase: ${cls} "${u.text}"`);
        const dwell = segments.find((s) => s.cls === cls && u.start >= s.stableStart && u.start < s.stableEnd);
        if (!dwell) violations.push(`outside a ${cls} dwell at ${u.start}`);
        else if (u.earliest < dwell.stableStart || u.latestEnd > dwell.stableEnd + ANATOMY_MAX_LAG + 1e-9) violations.push(`window ${u.earliest}-${u.latestEnd}`);
        if (u.start + u.estimatedSeconds > u.latestEnd + 1e-9) violations.push(`runs past its window at ${u.start}`);
      }
    }
    expect(violations).toEqual([]);
    expect(anatomy).toBeGreaterThan(30 * 10);
  });

  it('never plans overlapping speech, and keeps everything inside the scan', () => {
    const violations: string[] = [];
    for (const { plan } of scans) {
      let previousEnd = 0;
      for (const u of plan.utterances) {
        if (u.start < previousEnd) violations.push(`overlap at ${u.start}`);
        if (u.start + u.estimatedSeconds > DURATION) violations.push(`past the end at ${u.start}`);
        if (u.peak < 0.3 || u.peak > 0.6) violations.push(`peak ${u.peak}`);
        previousEnd = u.start + u.estimatedSeconds;
      }
      for (const c of plan.clicks) {
        const first = c.times[0] as number;
        const last = c.times[c.times.length - 1] as number;
        if (first < 0 || last >= DURATION || c.times.some((t, i) => i > 0 && t < (c.times[i - 1] as number))) violations.push(`clicks ${c.times}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('narrates most but not all dwells, sometimes lagging, sometimes twice', () => {
    let dwells = 0;
    let narrated = 0;
    let twice = 0;
    let lagged = 0;
    let anatomy = 0;
    for (const { segments, plan } of scans) {
      for (const s of segments.filter(narratable)) {
        const said = plan.utterances.filter((u) => u.kind === 'anatomy' && u.start >= s.stableStart && u.start < s.stableEnd);
        dwells++;
        if (said.length > 0) narrated++;
        if (said.length > 1) twice++;
        lagged += said.filter((u) => u.start - s.stableStart >= 1).length;
        anatomy += said.length;
      }
    }
    expect(narrated / dwells).toBeGreaterThan(0.5);
    expect(narrated / dwells).toBeLessThan(0.8);
    expect(twice).toBeGreaterThan(0);
    expect(lagged / anatomy).toBeGreaterThan(0.15);
    expect(lagged / anatomy).toBeLessThan(0.6);
  });

  it('adds chatter from the sonographer and the patient, and long silences', () => {
    let patientLines = 0;
    let longSilences = 0;
    for (const { plan } of scans) {
      expect(SONOGRAPHER_VOICES.map((v) => v.name)).toContain(plan.sonographerVoice);
      expect(PATIENT_VOICES.map((v) => v.name)).toContain(plan.patientVoice);
      for (const u of plan.utterances) {
        expect([plan.sonographerVoice, plan.patientVoice]).toContain(u.voice);
        if (u.voice === plan.patientVoice) {
          expect(u.kind).toBe('chatter');
          patientLines++;
        }
        if (u.kind === 'chatter') expect(u.cls).toBeUndefined();
      }
      expect(plan.utterances.some((u) => u.kind === 'chatter')).toBe(true);
      let previousEnd = 0;
      for (const u of plan.utterances) {
        if (u.start - previousEnd >= 60) longSilences++;
        previousEnd = u.start + u.estimatedSeconds;
      }
    }
    expect(patientLines).toBeGreaterThan(10);
    expect(longSilences).toBeGreaterThan(5);
    expect(new Set(scans.map((s) => s.plan.sonographerVoice)).size).toBeGreaterThan(3);
  });

  it('puts most click bursts inside stable dwells, clear of planned speech', () => {
    let inside = 0;
    let total = 0;
    let onSpeech = 0;
    for (const { segments, plan } of scans) {
      for (const c of plan.clicks) {
        const first = c.times[0] as number;
        const last = c.times[c.times.length - 1] as number;
        total++;
        if (segments.some((s) => s.cls !== 'background' && first >= s.stableStart && first < s.stableEnd)) inside++;
        if (plan.utterances.some((u) => first < u.start + u.estimatedSeconds && last > u.start)) onSpeech++;
      }
    }
    expect(onSpeech).toBe(0);
    expect(total).toBeGreaterThan(30 * 10);
    expect(inside / total).toBeGreaterThan(0.7);
  });

  it('is a function of the rng seed', () => {
    const segments = madeUpTimeline(120, new Rng(5));
    expect(planSoundtrack(segments, 120, new Rng(9))).toEqual(planSoundtrack(segments, 120, new Rng(9)));
    expect(planSoundtrack(segments, 120, new Rng(9))).not.toEqual(planSoundtrack(segments, 120, new Rng(10)));
  });
});
