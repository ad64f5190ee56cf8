import { smoothstep } from './ease.js';

/** The beat, phase 0 = end-diastole: ventricular contraction, atrial kick, valve openings (0..1). */
export interface Beat {
  contraction: number;
  atrialKick: number;
  avOpen: number;
  semilunarOpen: number;
}

/** Phase in [0, 1) (wraps). */
export function beatAt(phase: number): Beat {
  const p = ((phase % 1) + 1) % 1;
  const contraction = p < 0.3 ? smoothstep(p / 0.3) : p < 0.46 ? 1 - smoothstep((p - 0.3) / 0.16) : 0;
  const k = (p - 0.88) / 0.05;
  return {
    contraction,
    atrialKick: Math.exp(-k * k),
    avOpen: smoothstep((p - 0.46) / 0.06) * (1 - smoothstep((p - 0.93) / 0.05)),
    semilunarOpen: smoothstep((p - 0.05) / 0.04) * (1 - smoothstep((p - 0.3) / 0.05)),
  };
}

