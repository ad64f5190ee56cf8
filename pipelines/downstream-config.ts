import { readFile } from 'node:fs/promises';
import type { FanCropConfig } from '../src/media/fan-crop.js';
import type { ShardFormat } from '../schemas/manifest.js';
import { overlayLayers, type DeepPartial } from '../src/util/config-overlay.js';
import { DEFAULT_INGEST_CONFIG } from './ingest-config.js';

/** Everything a downstream run depends on; recorded whole in its manifest. */
export interface DownstreamConfig {
  /** Stored frame size after the fan crop (the ingest lake's, so pretrained encoders see the same pictures). */
  frameWidth: number;
  frameHeight: number;
  fanCrop: FanCropConfig;
  /** Decode frame rate (the ingest pipeline's). */
  fps: number;
  /** Keep every stride-th decoded frame (frames 0, stride, 2 stride, ...). METHOD.md: 8. */
  stride: number;
  saliency: {
    /** Map size in cells; the map covers the cropped frame. */
    width: number;
    height: number;
    /** Gaussian sigma as a fraction of the map width (0.04: 2.24 cells on a 56-cell map, ~9 px of a 224 px frame). */
    sigmaFraction: number;
    /** Gaze samples within +- this many seconds of the frame's time are its fixations. */
    windowSeconds: number;
  };
  shards: { formats: ShardFormat[]; shardRows: number; batchRows: number; zstdLevel: number };
}

/**
 * Defaults: frame size, fan crop, fps and shard settings of the ingest config; the stride of
 * METHOD.md (8). Saliency: a 56 x 56 map (a quarter of the 224 frame, the resolution of a
 * ResNet's stride-4 features) and a sigma of 1/25 of its width, about the spread of a
 * fixation cluster on the synthetic scans (gaze jitter ~1.2% of the fan depth plus drift).
 */
export const DEFAULT_DOWNSTREAM_CONFIG: DownstreamConfig = {
  frameWidth: DEFAULT_INGEST_CONFIG.frameWidth,
  frameHeight: DEFAULT_INGEST_CONFIG.frameHeight,
  fanCrop: { ...DEFAULT_INGEST_CONFIG.fanCrop },
  fps: DEFAULT_INGEST_CONFIG.sampling.fps,
  stride: 8,
  saliency: { width: 56, height: 56, sigmaFraction: 0.04, windowSeconds: 0.5 },
  shards: { ...DEFAULT_INGEST_CONFIG.shards, formats: [...DEFAULT_INGEST_CONFIG.shards.formats] },
};

export type DownstreamConfigOverrides = DeepPartial<DownstreamConfig>;

/** Defaults overlaid with each layer in turn (config file, then flags); unknown keys and bad values are errors. */
export function resolveDownstreamConfig(...layers: DownstreamConfigOverrides[]): DownstreamConfig {
  const resolved = overlayLayers(DEFAULT_DOWNSTREAM_CONFIG, layers, { label: 'downstream config', isOpen: (path) => path === 'fanCrop' });
  checkConfig(resolved);
  return resolved;
}

function checkConfig(c: DownstreamConfig): void {
  const positiveInt: [string, number][] = [
    ['frameWidth', c.frameWidth], ['frameHeight', c.frameHeight], ['stride', c.stride],
    ['saliency.width', c.saliency.width], ['saliency.height', c.saliency.height],
    ['shards.shardRows', c.shards.shardRows], ['shards.batchRows', c.shards.batchRows],
  ];
  for (const [name, v] of positiveInt) if (!Number.isInteger(v) || v <= 0) throw new Error(`downstream config: ${name} must be a positive integer, got ${String(v)}`);
  const positive: [string, number][] = [['fps', c.fps], ['saliency.sigmaFraction', c.saliency.sigmaFraction]];
  for (const [name, v] of positive) if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`downstream config: ${name} must be a positive number, got ${String(v)}`);
  if (!(typeof c.saliency.windowSeconds === 'number' && c.saliency.windowSeconds >= 0)) {
    throw new Error(`downstream config: saliency.windowSeconds must be >= 0, got ${String(c.saliency.windowSeconds)}`);
  }
  if (c.saliency.width > 65535 || c.saliency.height > 65535) throw new Error('downstream config: saliency map sides must be <= 65535');
  if (c.shards.formats.length === 0 || c.shards.formats.some((f) => f !== 'arrow' && f !== 'parquet')) {
    throw new Error(`downstream config: shards.formats must list 'arrow' and/or 'parquet', got ${JSON.stringify(c.shards.formats)}`);
  }
  if (!c.shards.formats.includes('arrow')) throw new Error("downstream config: shards.formats must include 'arrow' (the evaluation loader reads it)");
}

/** Saliency sigma in map cells. */
export function saliencySigmaCells(c: DownstreamConfig): number {
  return c.saliency.sigmaFraction * c.saliency.width;
}

export async function readDownstreamConfigFile(path: string): Promise<DownstreamConfigOverrides> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DownstreamConfigOverrides;
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`);
  }
}
