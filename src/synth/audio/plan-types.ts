import type { PlaneClass } from '../planes.js';

/**
 * Anatomy narration may lag the image: it starts inside the stable dwell of its class
 * (at or after stableStart, before stableEnd) and ends at most this many seconds after
 * stableEnd.
 */
export const ANATOMY_MAX_LAG = 2;

export interface PlannedUtterance {
  text: string;
  kind: 'anatomy' | 'chatter';
  voice: string;
  /** For anatomy narration, the class it names. */
  cls?: PlaneClass;
  /** Intended start, seconds. */
  start: number;
  /** The renderer may move the real audio within [earliest, latestEnd] to keep utterances apart. */
  earliest: number;
  latestEnd: number;
  /** Anatomy narration must start while its plane is held: before the dwell's stableEnd. */
  latestStart?: number;
  /** Planned length (estimate from the text and voice rate; the audio decides). */
  estimatedSeconds: number;
  /** Peak amplitude of the rendered utterance (full scale = 1). */
  peak: number;
}

/** A burst of button or keyboard clicks (freeze, caliper placement, typing). */
export interface PlannedClick {
  kind: 'freeze' | 'measure' | 'annotate' | 'control';
  /** Onset of each click, seconds, ascending. */
  times: number[];
  /** Peak amplitude of the loudest click in the burst. */
  peak: number;
}

export interface AmbienceParams {
  /** Air conditioning: RMS level (before the slow level drift), low-pass corner of the rumble. */
  acRms: number;
  acCutoffHz: number;
  /** Share of the air-conditioning RMS that is broadband hiss (air flow) rather than rumble. */
  acHissShare: number;
  acHissCutoffHz: number;
  /** Slow level drift: relative depth and the periods (seconds) of its components. */
  acDriftDepth: number;
  acDriftPeriods: number[];
  /** Mains hum: frequency, RMS level and relative amplitudes of harmonics 1..n. */
  humHz: 50 | 60;
  humRms: number;
  humHarmonics: number[];
}

export interface SoundtrackPlan {
  sonographerVoice: string;
  patientVoice: string;
  /** Sorted by start. */
  utterances: PlannedUtterance[];
  /** Sorted by first click. */
  clicks: PlannedClick[];
  ambience: AmbienceParams;
  /** Stretches in which nobody speaks (the planner's long silences). */
  quietSpells: { start: number; end: number }[];
}
