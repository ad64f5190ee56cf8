export { SYNTH_AUDIO_RATE } from './audio-rate.js';
export { loadSpeaker, type Speaker, type SpokenWord, type Utterance } from './tts.js';
export { planSoundtrack } from './planner.js';
export { renderSoundtrack, type Soundtrack } from './mixer.js';
export {
  ANATOMY_MAX_LAG,
  type AmbienceParams,
  type PlannedClick,
  type PlannedUtterance,
  type SoundtrackPlan,
} from './plan-types.js';
export { ANATOMY_PHRASES, CHATTER_EXCHANGES, PATIENT_CHATTER, SONOGRAPHER_CHATTER } from './phrases.js';
export { VOICES, type VoiceSpec } from './voices.js';
export { encodeWav16 } from './wav.js';
