import type { PlaneClass } from './planes.js';

/**
 * One stretch of a scan's timeline: the probe dwells on a plane (or searches, for
 * 'background'). Times are in seconds from the start of the scan; `end` is exclusive.
 * `stable` is the interval inside [start, end) where the plane is fully in view and
 * held (the labelled frames); outside it the probe is moving in or out.
 */
export interface PlaneSegment {
  cls: PlaneClass;
  start: number;
  end: number;
  stableStart: number;
  stableEnd: number;
}

/** A stretch of speech in the soundtrack (ground truth for VAD and for narration). */
export interface SpeechSegment {
  start: number;
  end: number;
  text: string;
  kind: 'anatomy' | 'chatter';
  voice: string;
  /** For anatomy narration, the class it names. */
  cls?: PlaneClass;
  words: { text: string; start: number; end: number }[];
}

/** A non-speech sound event in the soundtrack. */
export interface NoiseEvent {
  start: number;
  end: number;
  kind: 'click' | 'hum' | 'air_conditioning' | 'beep';
  /** Peak amplitude (full scale = 1). */
  level: number;
}
