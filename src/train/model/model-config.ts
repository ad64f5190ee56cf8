/**
 * Architecture of the two-stream network (METHOD.md "Model"): the SE-ResNeXt backbone with
 * dilated convolutions shared by g_v and g_s (separate weights), the projection MLP h, the
 * fusion classifier f and the frame-order head; plus the presets.
 */

/**
 * 'group': GroupNorm (default). Per-sample statistics: no running averages to keep in sync
 * between worker threads, identical behaviour in training and evaluation, and no
 * batch-statistics shortcut for the contrastive task (positives and hard negatives share a
 * batch). 'batch': BatchNorm with running statistics (updated when training). 'none':
 * only the per-channel affine (gamma, beta).
 */
export type NormKind = 'group' | 'batch' | 'none';

export interface StemConfig {
  channels: number;
  kernel: number;
  stride: number;
  /** 3x3 max pool, stride 2, after the stem conv (ResNet's stem). */
  maxPool: boolean;
}

export interface StageConfig {
  blocks: number;
  /** Channels of the grouped 3x3 conv (cardinality x width per group). */
  width: number;
  outChannels: number;
  /** Stride of the first block (on its grouped 3x3 and its projection). */
  stride: number;
  /** Dilation of every grouped 3x3 in the stage; > 1 only with stride 1. */
  dilation: number;
}

export interface BackboneConfig {
  inChannels: number;
  stem: StemConfig;
  stages: StageConfig[];
  /** Groups of every bottleneck's 3x3 conv (ResNeXt's C). */
  cardinality: number;
  /** Squeeze-and-excitation bottleneck: channels / seReduction (at least 4). */
  seReduction: number;
  norm: NormKind;
  /** GroupNorm groups: the largest divisor of the channel count not above this. */
  normGroups: number;
  normEpsilon: number;
  /** BatchNorm running-average update weight (PyTorch's momentum). */
  batchNormMomentum: number;
  /** Initial gamma of the last norm of each residual branch (0 = Goyal et al.'s zero-init; 1 = plain). */
  residualGamma: number;
}

/** What a stream's input looks like: the size it is built for and its standardisation. */
export interface StreamInputConfig {
  /** [height, width] the preset is meant for; the network itself accepts any size. */
  size: [number, number];
  /** x -> (x - mean) / std before the stem. */
  mean: number;
  std: number;
}

export interface TwoStreamConfig {
  backbone: BackboneConfig;
  video: StreamInputConfig;
  speech: StreamInputConfig;
  projection: {
    hidden: number;
    out: number;
    /** One h for both streams (METHOD's single "h()"), or one per stream. */
    shared: boolean;
  };
  /** Hidden units of the fusion classifier f (concat(y_v, y_s) -> hidden -> 2). */
  fusionHidden: number;
  /** Hidden units of the order head (4 concatenated g_v features -> hidden -> 12). */
  orderHidden: number;
}

export const MODEL_PRESETS = ['tiny', 'small', 'resnext50'] as const;
export type ModelPresetName = (typeof MODEL_PRESETS)[number];

/** Video frames are grey / 255; spectrograms are dB (replay: q * 0.5 - 100). */
const VIDEO_INPUT = { mean: 0.25, std: 0.25 };
const SPEECH_INPUT = { mean: -60, std: 20 };

function tiny(): TwoStreamConfig {
  return {
    backbone: {
      inChannels: 1,
      stem: { channels: 16, kernel: 3, stride: 2, maxPool: false },
      stages: [
        { blocks: 1, width: 16, outChannels: 32, stride: 1, dilation: 1 },
        { blocks: 1, width: 32, outChannels: 64, stride: 2, dilation: 1 },
        { blocks: 1, width: 32, outChannels: 128, stride: 1, dilation: 2 },
      ],
      cardinality: 4,
      seReduction: 4,
      norm: 'group',
      normGroups: 8,
      normEpsilon: 1e-5,
      batchNormMomentum: 0.1,
      residualGamma: 1,
    },
    video: { size: [64, 64], ...VIDEO_INPUT },
    speech: { size: [64, 64], ...SPEECH_INPUT },
    projection: { hidden: 128, out: 64, shared: true },
    fusionHidden: 64,
    orderHidden: 32,
  };
}

function small(): TwoStreamConfig {
  return {
    backbone: {
      inChannels: 1,
      stem: { channels: 24, kernel: 5, stride: 2, maxPool: true },
      stages: [
        { blocks: 1, width: 32, outChannels: 64, stride: 1, dilation: 1 },
        { blocks: 2, width: 64, outChannels: 128, stride: 2, dilation: 1 },
        { blocks: 2, width: 128, outChannels: 256, stride: 2, dilation: 1 },
        { blocks: 1, width: 128, outChannels: 256, stride: 1, dilation: 2 },
      ],
      cardinality: 8,
      seReduction: 8,
      norm: 'group',
      normGroups: 16,
      normEpsilon: 1e-5,
      batchNormMomentum: 0.1,
      residualGamma: 1,
    },
    video: { size: [112, 112], ...VIDEO_INPUT },
    speech: { size: [112, 112], ...SPEECH_INPUT },
    projection: { hidden: 256, out: 96, shared: true },
    fusionHidden: 128,
    orderHidden: 128,
  };
}

/** ResNeXt-50 32x4d + SE (reduction 16), last stage dilated (output stride 16). */
function resnext50(): TwoStreamConfig {
  return {
    backbone: {
      inChannels: 1,
      stem: { channels: 64, kernel: 7, stride: 2, maxPool: true },
      stages: [
        { blocks: 3, width: 128, outChannels: 256, stride: 1, dilation: 1 },
        { blocks: 4, width: 256, outChannels: 512, stride: 2, dilation: 1 },
        { blocks: 6, width: 512, outChannels: 1024, stride: 2, dilation: 1 },
        { blocks: 3, width: 1024, outChannels: 2048, stride: 1, dilation: 2 },
      ],
      cardinality: 32,
      seReduction: 16,
      norm: 'group',
      normGroups: 32,
      normEpsilon: 1e-5,
      batchNormMomentum: 0.1,
      residualGamma: 1,
    },
    video: { size: [224, 224], ...VIDEO_INPUT },
    speech: { size: [256, 256], ...SPEECH_INPUT },
    projection: { hidden: 512, out: 128, shared: true },
    fusionHidden: 512,
    orderHidden: 512,
  };
}

const BUILDERS: Record<ModelPresetName, () => TwoStreamConfig> = { tiny, small, resnext50 };

/** A fresh copy of a preset (safe to modify). */
export function modelPreset(name: ModelPresetName): TwoStreamConfig {
  const build = BUILDERS[name];
  if (build === undefined) throw new Error(`unknown model preset ${String(name)} (expected one of ${MODEL_PRESETS.join(', ')})`);
  return build();
}

function positiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`model config: ${what} must be a positive integer, got ${value}`);
}

/** Throws on an inconsistent configuration. */
export function validateModelConfig(config: TwoStreamConfig): void {
  const b = config.backbone;
  positiveInt(b.inChannels, 'backbone.inChannels');
  positiveInt(b.stem.channels, 'stem.channels');
  positiveInt(b.stem.kernel, 'stem.kernel');
  positiveInt(b.stem.stride, 'stem.stride');
  positiveInt(b.cardinality, 'cardinality');
  positiveInt(b.seReduction, 'seReduction');
  positiveInt(b.normGroups, 'normGroups');
  if (b.stages.length === 0) throw new Error('model config: at least one stage');
  if (!['group', 'batch', 'none'].includes(b.norm)) throw new Error(`model config: unknown norm ${b.norm}`);
  b.stages.forEach((s, i) => {
    for (const key of ['blocks', 'width', 'outChannels', 'stride', 'dilation'] as const) positiveInt(s[key], `stages[${i}].${key}`);
    if (s.width % b.cardinality !== 0) throw new Error(`model config: stages[${i}].width ${s.width} not divisible by cardinality ${b.cardinality}`);
    if (s.stride > 1 && s.dilation > 1) throw new Error(`model config: stages[${i}] cannot have both stride and dilation > 1`);
  });
  for (const stream of ['video', 'speech'] as const) {
    const s = config[stream];
    if (!(s.std > 0)) throw new Error(`model config: ${stream}.std must be > 0`);
    s.size.forEach((v) => positiveInt(v, `${stream}.size`));
  }
  positiveInt(config.projection.hidden, 'projection.hidden');
  positiveInt(config.projection.out, 'projection.out');
  positiveInt(config.fusionHidden, 'fusionHidden');
  positiveInt(config.orderHidden, 'orderHidden');
}

/** Channels of the backbone's output features (g_v, g_s). */
export function featureChannels(backbone: BackboneConfig): number {
  const last = backbone.stages[backbone.stages.length - 1];
  return last === undefined ? backbone.stem.channels : last.outChannels;
}

/** Total spatial down-sampling of the backbone (stem, pool, strides). */
export function outputStride(backbone: BackboneConfig): number {
  return backbone.stages.reduce((s, st) => s * st.stride, backbone.stem.stride * (backbone.stem.maxPool ? 2 : 1));
}
