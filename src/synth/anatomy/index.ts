import type { Rng } from '../../util/rng.js';
import type { PlaneClass } from '../planes.js';
import { renderAbdomen, renderKidneys, sampleAbdomen, sampleKidneys, abdomenTargets, kidneysTargets } from './abdomen.js';
import type { AbdomenInstance, KidneysInstance } from './abdomen.js';
import { backgroundTargets, renderBackground, sampleBackground, type BackgroundInstance } from './background.js';
import { brainTargets, renderBrainTc, renderBrainTv, sampleBrainTc, sampleBrainTv, type BrainInstance } from './brain.js';
import { Canvas } from './canvas.js';
import { lipsTargets, profileTargets, renderLips, renderProfile, sampleLips, sampleProfile, type FaceInstance } from './face.js';
import { femurTargets, renderFemur, sampleFemur, type FemurInstance } from './femur.js';
import { heartTargets, renderHeart, sampleHeart, type HeartInstance } from './heart.js';
import { renderSpine, sampleSpine, spineTargets, type SpineInstance } from './spine.js';
import type { GazeTarget } from './targets.js';

export type { GazeTarget } from './targets.js';

/**
 * One drawn instance of a standard plane: its class plus the random parameters (plain,
 * JSON-serialisable numbers) that fix its geometry and brightness.
 */
export type AnatomyInstance =
  | BrainInstance
  | AbdomenInstance
  | KidneysInstance
  | HeartInstance
  | FemurInstance
  | FaceInstance
  | SpineInstance
  | BackgroundInstance;

/** Draws random per-instance variation (size, position, orientation, brightness, ...). */
export function sampleAnatomy(cls: PlaneClass, rng: Rng): AnatomyInstance {
  switch (cls) {
    case 'brain_tv':
      return sampleBrainTv(rng);
    case 'brain_tc':
      return sampleBrainTc(rng);
    case 'abdomen':
      return sampleAbdomen(rng);
    case 'kidneys':
      return sampleKidneys(rng);
    case '4CH':
    case 'LVOT':
    case 'RVOT':
    case '3VT':
      return sampleHeart(cls, rng);
    case 'femur':
      return sampleFemur(rng);
    case 'lips':
      return sampleLips(rng);
    case 'profile':
      return sampleProfile(rng);
    case 'spine_sag':
    case 'spine_cor':
      return sampleSpine(cls, rng);
    case 'background':
      return sampleBackground(rng);
  }
}

/**
 * Fills out[y*size + x] (row 0 nearest the probe; pixel (x, y) at anatomy point
 * (x/(size-1), y/(size-1))) with echogenicity >= 0. `phase` in [0,1) is the heartbeat
 * phase; only the heart views use it. Deterministic.
 */
export function renderAnatomy(inst: AnatomyInstance, phase: number, size: number, out: Float32Array): void {
  const c = new Canvas(size, out);
  switch (inst.cls) {
    case 'brain_tv':
      renderBrainTv(inst, c);
      break;
    case 'brain_tc':
      renderBrainTc(inst, c);
      break;
    case 'abdomen':
      renderAbdomen(inst, c);
      break;
    case 'kidneys':
      renderKidneys(inst, c);
      break;
    case '4CH':
    case 'LVOT':
    case 'RVOT':
    case '3VT':
      renderHeart(inst, phase, c);
      break;
    case 'femur':
      renderFemur(inst, c);
      break;
    case 'lips':
      renderLips(inst, c);
      break;
    case 'profile':
      renderProfile(inst, c);
      break;
    case 'spine_sag':
    case 'spine_cor':
      renderSpine(inst, c);
      break;
    case 'background':
      renderBackground(inst, c);
      break;
  }
  c.finish(inst.scene.gain);
}

/** Where a sonographer looks: key structures in anatomy coordinates, weights summing to 1. */
export function gazeTargets(inst: AnatomyInstance): GazeTarget[] {
  switch (inst.cls) {
    case 'brain_tv':
    case 'brain_tc':
      return brainTargets(inst);
    case 'abdomen':
      return abdomenTargets(inst);
    case 'kidneys':
      return kidneysTargets(inst);
    case '4CH':
    case 'LVOT':
    case 'RVOT':
    case '3VT':
      return heartTargets(inst);
    case 'femur':
      return femurTargets(inst);
    case 'lips':
      return lipsTargets(inst);
    case 'profile':
      return profileTargets(inst);
    case 'spine_sag':
    case 'spine_cor':
      return spineTargets(inst);
    case 'background':
      return backgroundTargets(inst);
  }
}
