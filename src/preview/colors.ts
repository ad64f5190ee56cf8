import type { Rgb } from '../draw/image.js';
import { hashString } from '../util/rng.js';

/** Class colours: the heart views share warm hues, brain views violets, spine greens. */
const CLASS_COLORS: Record<string, Rgb> = {
  '3VT': [240, 170, 40],
  '4CH': [226, 92, 40],
  LVOT: [232, 120, 180],
  RVOT: [236, 220, 80],
  brain_tv: [170, 120, 255],
  brain_tc: [110, 90, 215],
  abdomen: [90, 180, 236],
  kidneys: [30, 120, 200],
  femur: [40, 170, 110],
  spine_sag: [60, 205, 190],
  spine_cor: [165, 205, 70],
  lips: [255, 150, 140],
  profile: [185, 95, 70],
  background: [88, 88, 98],
};

const FALLBACK: readonly Rgb[] = [
  [200, 200, 120],
  [120, 200, 200],
  [200, 120, 200],
  [150, 150, 230],
];

export function classColor(name: string): Rgb {
  return CLASS_COLORS[name] ?? (FALLBACK[hashString(name) % FALLBACK.length] as Rgb);
}

/** Dark or light text, whichever reads better on `background`. */
export function textColorOn(background: Rgb): Rgb {
  const luma = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
  return luma > 120 ? [16, 16, 20] : [245, 245, 245];
}

export function darken(color: Rgb, factor: number): Rgb {
  return [Math.round(color[0] * factor), Math.round(color[1] * factor), Math.round(color[2] * factor)];
}

/** The gaze marker: a colour used nowhere else in the preview. */
export const GAZE_COLOR: Rgb = [255, 40, 230];

export const SPEECH_COLORS: Record<'anatomy' | 'chatter', Rgb> = {
  anatomy: [120, 215, 120],
  chatter: [150, 160, 235],
};

export const NOISE_COLORS: Record<'click' | 'beep' | 'hum' | 'air_conditioning', Rgb> = {
  click: [250, 250, 250],
  beep: [90, 230, 250],
  hum: [230, 110, 90],
  air_conditioning: [150, 190, 210],
};

export const THEME = {
  background: [22, 22, 28] as Rgb,
  panel: [34, 34, 42] as Rgb,
  text: [225, 225, 232] as Rgb,
  dimText: [150, 150, 162] as Rgb,
  grid: [70, 70, 82] as Rgb,
  waveform: [120, 190, 250] as Rgb,
};
