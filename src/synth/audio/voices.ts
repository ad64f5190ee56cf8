/**
 * The synthetic voices: an espeak-ng voice (accent + variant) with a speaking rate and
 * pitch. Ground truth records a voice by its `name`. Sonographers narrate; patients only
 * answer or chat.
 */
export interface VoiceSpec {
  name: string;
  role: 'sonographer' | 'patient';
  /** espeak-ng voice: language or voice file, `+variant` from espeak-ng-data/voices/!v. */
  espeak: string;
  /** Words per minute (espeak default 175). */
  rate: number;
  /** Base pitch 0-100 (espeak default 50). */
  pitch: number;
  /** Pitch range 0-100 (espeak default 50): low = flat, high = lively. */
  range: number;
}

export const VOICES: readonly VoiceSpec[] = [
  { name: 'rp-female-f2', role: 'sonographer', espeak: 'en-gb-x-rp+f2', rate: 165, pitch: 55, range: 60 },
  { name: 'gb-female-f4', role: 'sonographer', espeak: 'en+f4', rate: 158, pitch: 52, range: 55 },
  { name: 'us-female-f3', role: 'sonographer', espeak: 'en-us+f3', rate: 172, pitch: 48, range: 65 },
  { name: 'scottish-female-f1', role: 'sonographer', espeak: 'en-gb-scotland+f1', rate: 150, pitch: 50, range: 50 },
  { name: 'us-male-m3', role: 'sonographer', espeak: 'en-us+m3', rate: 168, pitch: 45, range: 50 },
  { name: 'lancaster-male-m1', role: 'sonographer', espeak: 'en-gb-x-gbclan+m1', rate: 155, pitch: 40, range: 45 },
  { name: 'wmids-female-f5', role: 'patient', espeak: 'en-gb-x-gbcwmd+f5', rate: 180, pitch: 62, range: 70 },
  { name: 'caribbean-female-f3', role: 'patient', espeak: 'en-029+f3', rate: 150, pitch: 56, range: 55 },
  { name: 'us-female-f2', role: 'patient', espeak: 'en-us+f2', rate: 185, pitch: 58, range: 60 },
];

export const SONOGRAPHER_VOICES: readonly VoiceSpec[] = VOICES.filter((v) => v.role === 'sonographer');
export const PATIENT_VOICES: readonly VoiceSpec[] = VOICES.filter((v) => v.role === 'patient');

export function voiceSpec(name: string): VoiceSpec {
  const spec = VOICES.find((v) => v.name === name);
  if (!spec) throw new Error(`unknown voice '${name}' (known: ${VOICES.map((v) => v.name).join(', ')})`);
  return spec;
}

/** Characters per second of voiced text at espeak's default rate (measured, upper end). */
const CHARS_PER_SECOND_AT_175 = 14.5;

/**
 * A generous estimate of how long `text` lasts when spoken by `voice`, used to plan
 * utterances before they are synthesized (the renderer then places the real audio).
 */
export function estimateSpeechSeconds(text: string, voice: VoiceSpec): number {
  const pauses = (text.match(/[,.?!;]\s/g) ?? []).length;
  return (text.length / CHARS_PER_SECOND_AT_175) * (175 / voice.rate) + 0.12 * pauses + 0.15;
}
