/** Weights and switches of the training objective L = alpha L_cls + beta L_cont + gamma L_ord. */
import type { HardNegatives } from './contrastive.js';

export interface LossConfig {
  /** Weight of L_cls (METHOD: alpha = beta = gamma). */
  alpha: number;
  beta: number;
  gamma: number;
  /** InfoNCE temperature tau of L_cont. */
  temperature: number;
  /** Hard negatives in each anchor's denominator: its own only, or every row's. */
  hardNegatives: HardNegatives;
  /** Ablation: the contrastive term is absent (not computed), as if beta = 0. */
  noContrastive: boolean;
  /**
   * Ablation: the frame-order task is off (the gamma term is absent). That pairs then come
   * from all clips, not just high-affinity ones, is the data side's job.
   */
  noAffinity: boolean;
}

export const DEFAULT_LOSS_CONFIG: Readonly<LossConfig> = {
  alpha: 1,
  beta: 1,
  gamma: 1,
  temperature: 0.1,
  hardNegatives: 'own',
  noContrastive: false,
  noAffinity: false,
};

export function resolveLossConfig(overrides: Partial<LossConfig> = {}): LossConfig {
  const config = { ...DEFAULT_LOSS_CONFIG, ...overrides };
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    if (!(config[key] >= 0) || !Number.isFinite(config[key])) throw new Error(`loss config: ${key} must be a finite number >= 0, got ${config[key]}`);
  }
  if (!(config.temperature > 0) || !Number.isFinite(config.temperature)) throw new Error(`loss config: temperature must be > 0, got ${config.temperature}`);
  if (config.hardNegatives !== 'own' && config.hardNegatives !== 'all') throw new Error(`loss config: hardNegatives must be 'own' or 'all'`);
  return config;
}
