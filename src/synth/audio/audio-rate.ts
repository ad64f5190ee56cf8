/** Sample rate of every synthetic soundtrack (the method's speech rate). */
export const SYNTH_AUDIO_RATE = 24000;
