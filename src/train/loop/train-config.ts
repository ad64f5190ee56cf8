/**
 * Everything that decides what a training run computes (METHOD.md "Optimisation" for the
 * defaults). Recorded in the run directory's config.json; --resume refuses a different one.
 */
import { DEFAULT_LOSS_CONFIG, resolveLossConfig, type LossConfig } from '../losses/loss-config.js';
import { MODEL_PRESETS, modelPreset, type ModelPresetName, type TwoStreamConfig } from '../model/model-config.js';
import { DEFAULT_REPLAY_CONFIG, type BatchMix, type LastBatch } from '../../replay/replay-config.js';

export interface OptimizerConfig {
  learningRate: number;
  /** The learning rate is multiplied by `decayFactor` every `decayEvery` epochs (step schedule). */
  decayEvery: number;
  decayFactor: number;
  momentum: number;
  weightDecay: number;
  /** Which parameters get weight decay: all of them (PyTorch's SGD default) or all but biases and norm affines. */
  weightDecayOn: 'all' | 'weights-only';
  /** Gradient clipping by global norm (METHOD: "gradient clipping", no value given). */
  maxGradNorm: number;
}

export interface TrainConfig {
  seed: number;
  epochs: number;
  /** Rows per optimisation step (both pair and order batches). */
  batchSize: number;
  /**
   * Rows per forward/backward pass: a step's batch is cut into ceil(batchSize / microBatch)
   * parts whose gradients are averaged (gradient accumulation; with workers, the parts are
   * spread over them). L_cont's in-batch negatives are the part's rows.
   */
  microBatch: number;
  preset: ModelPresetName;
  /** The preset's architecture, after any overrides from the config file. */
  model: TwoStreamConfig;
  loss: LossConfig;
  optimizer: OptimizerConfig;
  replay: {
    shuffleBuffer: number;
    interleave: number;
    mix: BatchMix;
    lastBatch: LastBatch;
  };
  /** Checkpoint every N steps (besides every epoch end); 0 = epoch ends only. */
  checkpointEvery: number;
}

export const DEFAULT_OPTIMIZER: Readonly<OptimizerConfig> = {
  learningRate: 1e-3,
  decayEvery: 20,
  decayFactor: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  weightDecayOn: 'all',
  maxGradNorm: 5,
};

export interface TrainConfigInput {
  seed?: number;
  epochs?: number;
  batchSize?: number;
  microBatch?: number;
  preset?: ModelPresetName;
  /** Deep-merged over the preset's architecture. */
  model?: DeepPartial<TwoStreamConfig>;
  loss?: Partial<LossConfig>;
  optimizer?: Partial<OptimizerConfig>;
  replay?: Partial<TrainConfig['replay']>;
  checkpointEvery?: number;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function deepMerge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (Array.isArray(over) || typeof over !== 'object' || over === null || typeof base !== 'object' || base === null) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(out[key], value);
  return out as T;
}

/** Later inputs override earlier ones (defaults <- config file <- flags). */
export function resolveTrainConfig(...inputs: TrainConfigInput[]): TrainConfig {
  const merged = inputs.reduce<TrainConfigInput>((acc, input) => deepMerge(acc, input), {});
  const preset = merged.preset ?? 'tiny';
  if (!MODEL_PRESETS.includes(preset)) throw new Error(`train config: unknown preset ${String(preset)} (expected one of ${MODEL_PRESETS.join(', ')})`);
  const batchSize = merged.batchSize ?? 32;
  const config: TrainConfig = {
    seed: merged.seed ?? 0,
    epochs: merged.epochs ?? 80,
    batchSize,
    microBatch: merged.microBatch ?? batchSize,
    preset,
    model: deepMerge(modelPreset(preset), merged.model),
    loss: resolveLossConfig({ ...DEFAULT_LOSS_CONFIG, ...merged.loss }),
    optimizer: { ...DEFAULT_OPTIMIZER, ...merged.optimizer },
    replay: {
      shuffleBuffer: merged.replay?.shuffleBuffer ?? DEFAULT_REPLAY_CONFIG.shuffleBuffer,
      interleave: merged.replay?.interleave ?? DEFAULT_REPLAY_CONFIG.interleave,
      mix: { ...DEFAULT_REPLAY_CONFIG.mix, ...merged.replay?.mix },
      lastBatch: merged.replay?.lastBatch ?? DEFAULT_REPLAY_CONFIG.lastBatch,
    },
    checkpointEvery: merged.checkpointEvery ?? 0,
  };
  // Without the order task its batches would only cost time.
  if (config.loss.noAffinity) config.replay.mix = { pairs: config.replay.mix.pairs, orders: 0 };
  validateTrainConfig(config);
  return config;
}

function integer(value: number, min: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`train config: ${what} must be an integer >= ${min}, got ${value}`);
}

export function validateTrainConfig(config: TrainConfig): void {
  integer(config.seed, 0, 'seed');
  integer(config.epochs, 1, 'epochs');
  integer(config.batchSize, 1, 'batchSize');
  integer(config.microBatch, 1, 'microBatch');
  integer(config.checkpointEvery, 0, 'checkpointEvery');
  const o = config.optimizer;
  for (const key of ['learningRate', 'decayFactor', 'maxGradNorm'] as const) {
    if (!(o[key] > 0) || !Number.isFinite(o[key])) throw new Error(`train config: optimizer.${key} must be > 0, got ${o[key]}`);
  }
  integer(o.decayEvery, 1, 'optimizer.decayEvery');
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new Error(`train config: optimizer.momentum must be in [0, 1), got ${o.momentum}`);
  if (!(o.weightDecay >= 0)) throw new Error(`train config: optimizer.weightDecay must be >= 0, got ${o.weightDecay}`);
  if (o.weightDecayOn !== 'all' && o.weightDecayOn !== 'weights-only') throw new Error(`train config: optimizer.weightDecayOn must be 'all' or 'weights-only'`);
}

/** The step schedule: lr * decayFactor^floor(epoch / decayEvery). */
export function learningRateAt(optimizer: OptimizerConfig, epoch: number): number {
  return optimizer.learningRate * optimizer.decayFactor ** Math.floor(epoch / optimizer.decayEvery);
}

/** Forward/backward parts of a batch of `rows` rows. */
export function partCount(config: Pick<TrainConfig, 'microBatch'>, rows: number): number {
  return Math.max(1, Math.ceil(rows / config.microBatch));
}
