/**
 * Every parameter of clip windowing, affinity tagging and the two samplers (METHOD.md,
 * "Training pairs" and "Affinity-aware self-paced learning"), with its default and why.
 */

export interface SamplingConfig {
  /** Root seed (uint32) of every draw; each sample's own seed derives from it (sample-seed.ts). Default 0. */
  seed: number;
  /** Frames per clip T. Default 60 (paper: 2 s at 30 fps). */
  framesPerClip: number;
  /** Pipeline frame rate. Default 30 (paper). */
  fps: number;
  /** Pipeline audio rate (Hz). Default 24000 (paper). */
  sampleRate: number;
  /** Speech snippet length (s). Default 0.6 (paper). */
  snippetSeconds: number;
  /**
   * A clip is high-affinity when its speech fraction (VAD frames marked speech) is >= this.
   * Default 0.5: METHOD.md calls a clip low-affinity when it is "mostly noise", i.e. when
   * fewer than half of its VAD frames are speech.
   */
  affinityThreshold: number;
  /** K: groups (one hard positive + one hard negative each) per high-affinity clip. Default 2 (paper). */
  groupsPerClip: number;
  /** D: the negative comes from T' = T + delta with 1 <= |delta| < D. Default 5 (paper). */
  shiftRange: number;
  /**
   * Hard positive: |centre(snippet) - time(frame)| <= this (s), snippet inside T. The paper
   * perturbs the alignment without a magnitude. Default 0.5: any value >= 0.3 s - 1/(2 fps)
   * gives every frame of the clip a feasible snippet, and at 0.5 s a snippet may miss the
   * frame's moment by up to 0.2 s (a real perturbation) while staying within the clip's
   * utterance.
   */
  maxOffsetSeconds: number;
  /**
   * Frame-order task: the 4 frames are this many frames apart. Default 8 (0.27 s at 30 fps):
   * adjacent ultrasound frames are nearly identical (the order would be unlearnable), while
   * 4 frames spanning 24 frames (0.8 s) still fit a 60-frame clip at 36 start positions.
   */
  orderSpacing: number;
  /**
   * false (default, METHOD.md): order samples from low-affinity clips only (high ones feed the
   * video-speech objectives). true: from every clip (e.g. the video-only baseline).
   */
  orderFromAllClips: boolean;
  /**
   * Windowing: clips that may be incomplete at once (frames ahead of audio or the reverse).
   * Beyond it the oldest is dropped and counted: one stream then has ended (audio longer than
   * video or the reverse). Default 8 (16 s of skew; frame memory ~8 x 60 x 50 KB at 224 x 224).
   */
  maxPendingClips: number;
}

export const DEFAULT_SAMPLING_CONFIG: Readonly<SamplingConfig> = Object.freeze({
  seed: 0,
  framesPerClip: 60,
  fps: 30,
  sampleRate: 24_000,
  snippetSeconds: 0.6,
  affinityThreshold: 0.5,
  groupsPerClip: 2,
  shiftRange: 5,
  maxOffsetSeconds: 0.5,
  orderSpacing: 8,
  orderFromAllClips: false,
  maxPendingClips: 8,
});

/** Frames in one frame-order sample (the 12-class task is defined for 4). */
export const ORDER_SAMPLE_FRAMES = 4;

function wholeNumber(x: number): number | undefined {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-6 ? r : undefined;
}

/** Audio samples per clip: framesPerClip / fps * sampleRate (must be whole). */
export function clipSamples(config: SamplingConfig): number {
  return Math.round((config.framesPerClip * config.sampleRate) / config.fps);
}

/** Samples per snippet: snippetSeconds * sampleRate (must be whole). */
export function snippetSamples(config: SamplingConfig): number {
  return Math.round(config.snippetSeconds * config.sampleRate);
}

type Key = keyof SamplingConfig;

export const SAMPLING_CONFIG_KEYS: readonly Key[] = Object.keys(DEFAULT_SAMPLING_CONFIG) as Key[];

/**
 * Problems of a full config; empty when valid. Only the problems that involve nothing but
 * `uses` are reported (an operator checks the parameters it reads).
 */
export function samplingConfigProblems(c: SamplingConfig, uses: readonly Key[] = SAMPLING_CONFIG_KEYS): string[] {
  const used = new Set(uses);
  const problems: string[] = [];
  const report = (keys: Key[], message: string): void => {
    if (keys.every((k) => used.has(k))) problems.push(message);
  };
  const invalid = new Set<Key>();
  const check = (key: Key, ok: boolean, expectation: string): void => {
    if (ok) return;
    invalid.add(key);
    report([key], `${key} must be ${expectation}, got ${String(c[key])}`);
  };
  const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  const isPositive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  check('seed', isInt(c.seed, 0, 0xffffffff), 'an integer in [0, 2^32)');
  check('framesPerClip', isInt(c.framesPerClip, 1), 'an integer >= 1');
  check('fps', isPositive(c.fps), 'a positive number');
  check('sampleRate', isInt(c.sampleRate, 1), 'an integer >= 1');
  check('snippetSeconds', isPositive(c.snippetSeconds), 'a positive number');
  check('affinityThreshold', typeof c.affinityThreshold === 'number' && c.affinityThreshold >= 0 && c.affinityThreshold <= 1, 'in [0, 1]');
  check('groupsPerClip', isInt(c.groupsPerClip, 0), 'an integer >= 0');
  check('shiftRange', isInt(c.shiftRange, 2), 'an integer >= 2');
  check('maxOffsetSeconds', typeof c.maxOffsetSeconds === 'number' && Number.isFinite(c.maxOffsetSeconds) && c.maxOffsetSeconds >= 0, 'a number >= 0');
  check('orderSpacing', isInt(c.orderSpacing, 1), 'an integer >= 1');
  check('orderFromAllClips', typeof c.orderFromAllClips === 'boolean', 'a boolean');
  check('maxPendingClips', isInt(c.maxPendingClips, 1), 'an integer >= 1');

  const valid = (...keys: Key[]): boolean => keys.every((k) => !invalid.has(k));
  if (valid('framesPerClip', 'fps', 'sampleRate') && wholeNumber((c.framesPerClip * c.sampleRate) / c.fps) === undefined) {
    report(['framesPerClip', 'fps', 'sampleRate'], `a clip of ${c.framesPerClip} frames at ${c.fps} fps is not a whole number of samples at ${c.sampleRate} Hz`);
  }
  if (valid('snippetSeconds', 'sampleRate')) {
    const snippet = wholeNumber(c.snippetSeconds * c.sampleRate);
    if (snippet === undefined || snippet < 1) {
      report(['snippetSeconds', 'sampleRate'], `snippetSeconds ${c.snippetSeconds} is not a whole number (>= 1) of samples at ${c.sampleRate} Hz`);
    } else if (valid('framesPerClip', 'fps') && snippet > clipSamples(c)) {
      report(['snippetSeconds', 'sampleRate', 'framesPerClip', 'fps'], `snippetSeconds ${c.snippetSeconds} is longer than a clip (${c.framesPerClip / c.fps} s)`);
    }
  }
  if (valid('orderSpacing', 'framesPerClip') && (ORDER_SAMPLE_FRAMES - 1) * c.orderSpacing >= c.framesPerClip) {
    report(['orderSpacing', 'framesPerClip'], `${ORDER_SAMPLE_FRAMES} frames ${c.orderSpacing} apart do not fit a clip of ${c.framesPerClip} frames`);
  }
  return problems;
}

/**
 * Defaults overlaid with `partial` (keys that are not config keys are ignored), validated
 * for the parameters in `uses` (default: all); throws listing every problem.
 */
export function resolveSamplingConfig(partial: Partial<SamplingConfig> = {}, uses: readonly Key[] = SAMPLING_CONFIG_KEYS): SamplingConfig {
  const config = { ...DEFAULT_SAMPLING_CONFIG };
  for (const key of SAMPLING_CONFIG_KEYS) {
    const v = partial[key];
    if (v !== undefined) (config as Record<string, unknown>)[key] = v;
  }
  const problems = samplingConfigProblems(config, uses);
  if (problems.length > 0) throw new Error(`sampling config: ${problems.join('; ')}`);
  return config;
}
