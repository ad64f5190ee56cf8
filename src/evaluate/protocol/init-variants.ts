/**
 * The backbone initialisations the evaluation compares (METHOD.md "Evaluation" and Table 3) and
 * the pre-training run behind each.
 *
 * Two lakes serve the runs. The normal lake is the method's: pairs from high-affinity clips,
 * frame-order samples from low-affinity ones. The all-clips lake is the same scans ingested with
 * the affinity threshold at 0 (every clip is "high": pairs from every clip) and order samples
 * from every clip (`orderFromAllClips`).
 *   - full: the method, normal lake, default objective.
 *   - video-only: the frame-order task alone (only order batches: L_ord trains g_v) on the order
 *     samples of every clip, so it sees the same video as the speech-aware runs.
 *   - cls-only: L_cls alone on pairs from every clip (no contrastive term, no curriculum).
 *   - contrastive: L_cls + L_cont on pairs from every clip (no curriculum).
 */
import { ABLATION_ROW_LABELS } from '../metrics/result-tables.js';
import type { TrainConfigInput } from '../../train/loop/train-config.js';

export type PretrainVariant = 'full' | 'video-only' | 'cls-only' | 'contrastive';
export type InitId = 'random' | PretrainVariant;
export type LakeKind = 'normal' | 'all-clips';

export interface PretrainPlan {
  variant: PretrainVariant;
  lake: LakeKind;
  /** Layered over the evaluation's pre-training config. */
  overrides: TrainConfigInput;
  describe: string;
}

export const PRETRAIN_PLANS: readonly PretrainPlan[] = [
  { variant: 'full', lake: 'normal', overrides: {}, describe: 'L_cls + L_cont on high-affinity pairs, L_ord on low-affinity clips' },
  { variant: 'video-only', lake: 'all-clips', overrides: { replay: { mix: { pairs: 0, orders: 1 } } }, describe: 'L_ord alone (frame order), order samples from every clip' },
  { variant: 'cls-only', lake: 'all-clips', overrides: { loss: { noContrastive: true, noAffinity: true } }, describe: 'L_cls alone on pairs from every clip' },
  { variant: 'contrastive', lake: 'all-clips', overrides: { loss: { noAffinity: true } }, describe: 'L_cls + L_cont on pairs from every clip' },
];

export const PRETRAIN_VARIANTS: readonly PretrainVariant[] = PRETRAIN_PLANS.map((p) => p.variant);

export function pretrainPlan(variant: PretrainVariant): PretrainPlan {
  const plan = PRETRAIN_PLANS.find((p) => p.variant === variant);
  if (plan === undefined) throw new Error(`unknown pre-training variant ${variant}`);
  return plan;
}

export interface InitVariant {
  id: InitId;
  /** Row label in Tables 1 and 2 (null: not a row there). */
  mainLabel: string | null;
  /** Row label in Table 3 (null: not a row there). */
  ablationLabel: string | null;
}

export const INIT_VARIANTS: readonly InitVariant[] = [
  { id: 'random', mainLabel: 'Random', ablationLabel: null },
  { id: 'video-only', mainLabel: 'Video only (frame order)', ablationLabel: null },
  { id: 'full', mainLabel: 'Ours (video + speech)', ablationLabel: ABLATION_ROW_LABELS[2] },
  { id: 'cls-only', mainLabel: null, ablationLabel: ABLATION_ROW_LABELS[0] },
  { id: 'contrastive', mainLabel: null, ablationLabel: ABLATION_ROW_LABELS[1] },
];

export const INIT_IDS: readonly InitId[] = INIT_VARIANTS.map((v) => v.id);

/** Short human name of an initialisation (figure captions, progress). */
export function initName(id: InitId): string {
  const v = INIT_VARIANTS.find((x) => x.id === id);
  return v?.mainLabel ?? v?.ablationLabel ?? id;
}
