import { readFile } from 'node:fs/promises';
import type { VadConfigs } from '../src/affinity/create-vad.js';
import type { VadEngineName } from '../src/affinity/vad-engine.js';
import { DEFAULT_U8_RANGE, type U8Range } from '../src/audio/quantize.js';
import { DEFAULT_SPECTROGRAM_CONFIG, type SpectrogramConfig } from '../src/audio/spectrogram.js';
import { DEFAULT_FAN_CROP, type FanCropConfig } from '../src/media/fan-crop.js';
import { DEFAULT_SAMPLING_CONFIG, type SamplingConfig } from '../src/sampling/config.js';
import type { ShardFormat } from '../schemas/manifest.js';
import { overlayLayers, type DeepPartial } from '../src/util/config-overlay.js';

/** Everything an ingest run depends on; recorded whole in the manifest. */
export interface IngestConfig {
  /** Frames stored in the lake (after the fan crop), pixels. */
  frameWidth: number;
  frameHeight: number;
  /** Fan detection, or `fixedBox` to crop a known box. */
  fanCrop: FanCropConfig;
  /** A scan without an audio stream: fail it (default) or treat it as silent. */
  noAudio: 'error' | 'silence';
  vad: { engine: VadEngineName } & { [K in VadEngineName]: Partial<VadConfigs[K]> };
  /** Clip windowing, affinity and samplers; `seed` is overwritten by the run seed. */
  sampling: SamplingConfig;
  spectrogram: SpectrogramConfig;
  /** Spectrogram storage: uint8 codes over [min, max] dB (see docs/BENCHMARKS.md for the choice). */
  spectrogramRange: U8Range;
  shards: { formats: ShardFormat[]; shardRows: number; batchRows: number; zstdLevel: number };
}

/**
 * Defaults: the method's values (METHOD.md) where it gives them. The VAD engine is the
 * most accurate on the synthetic ground truth (docs/BENCHMARKS.md, `make bench`).
 */
export const DEFAULT_INGEST_CONFIG: IngestConfig = {
  frameWidth: 224,
  frameHeight: 224,
  fanCrop: { ...DEFAULT_FAN_CROP },
  noAudio: 'error',
  // energy: the paper's detector with 20 ms frames, a 200 Hz high-pass (mains hum and
  // air-conditioning rumble) and a threshold of at least 6 x Emin; with the paper's exact
  // settings it calls steady air conditioning speech (docs/BENCHMARKS.md).
  vad: { engine: 'energy', energy: { frameSeconds: 0.02, minThresholdRatio: 6, highPassHz: 200 }, webrtc: {}, silero: {} },
  sampling: { ...DEFAULT_SAMPLING_CONFIG },
  spectrogram: { ...DEFAULT_SPECTROGRAM_CONFIG },
  spectrogramRange: { ...DEFAULT_U8_RANGE },
  shards: { formats: ['arrow', 'parquet'], shardRows: 1000, batchRows: 100, zstdLevel: 3 },
};

export type IngestConfigOverrides = DeepPartial<IngestConfig>;

/** Defaults overlaid with a config file's values and then with flags; unknown keys are errors. */
export function resolveIngestConfig(...layers: IngestConfigOverrides[]): IngestConfig {
  return overlayLayers(DEFAULT_INGEST_CONFIG, layers, { label: 'config', isOpen: (path) => path === 'vad' || path === 'fanCrop' });
}

export async function readConfigFile(path: string): Promise<IngestConfigOverrides> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as IngestConfigOverrides;
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`);
  }
}
