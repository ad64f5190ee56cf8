/**
 * The downstream (evaluation) data set: one row per kept frame of a labelled scan, with its
 * standard-plane class and a gaze saliency map. Its own schema id and version, independent
 * of the pretext shards (columns.ts): the two data sets never share files.
 * Arrow schema, Parquet schema and metadata below are all derived from downstreamColumns().
 * Manifest JSON Schema: schemas/downstream-manifest.v1.schema.json (a test compares them).
 */
import { Field, Schema } from 'apache-arrow';
import type { KeyValue, SchemaElement } from 'hyparquet';
import type { ColumnSpec } from './columns.js';
import type { JsonObject, ShardFormat } from './manifest.js';
import { parquetElement } from './parquet.js';
import { arrowType, FIELD_META } from './shards.js';

/** Bumped on any change to a downstream column, metadata key or manifest field. */
export const DOWNSTREAM_SCHEMA_VERSION = 1;
/** `schema` of the manifest and of every downstream shard's metadata. */
export const DOWNSTREAM_SCHEMA_ID = 'sonospeech.downstream';
export const DOWNSTREAM_MANIFEST_FILE_NAME = 'manifest.json';
/** The only row kind (shards live in `<out>/<format>/frames/`). */
export const DOWNSTREAM_KIND = 'frames';

/**
 * Saliency bytes: `round(255 * s / max(s))` of the blurred fixation density s, so the
 * hottest cell of a map is 255; a map without gaze is all 0. Readers renormalise
 * (e.g. to sum 1); the absolute scale is not kept.
 */
export const SALIENCY_ENCODING = 'uint8-max255';
/** Fixations: (x, y) map cells as consecutive little-endian uint16 pairs, sorted by y then x, no repeats. */
export const FIXATIONS_ENCODING = 'uint16le-xy';

export interface DownstreamLayout {
  frameHeight: number;
  frameWidth: number;
  saliencyHeight: number;
  saliencyWidth: number;
}

/** Everything a reader needs besides the columns; stored as schema / key-value metadata. */
export interface DownstreamShardInfo extends DownstreamLayout {
  /** Gaussian sigma of the saliency maps, in map cells. */
  saliencySigma: number;
  /** Gaze samples within +- this many seconds of a frame's time make its map. */
  gazeWindowSeconds: number;
  /** Class names; `label` indexes this list (PLANE_CLASSES). */
  classes: readonly string[];
}

export const DOWNSTREAM_META = {
  schema: 'sonospeech.schema',
  version: 'sonospeech.schema_version',
  kind: 'sonospeech.kind',
  frameHeight: 'sonospeech.frame_height',
  frameWidth: 'sonospeech.frame_width',
  saliencyHeight: 'sonospeech.saliency_height',
  saliencyWidth: 'sonospeech.saliency_width',
  saliencySigma: 'sonospeech.saliency_sigma',
  saliencyEncoding: 'sonospeech.saliency_encoding',
  fixationsEncoding: 'sonospeech.fixations_encoding',
  gazeWindowSeconds: 'sonospeech.gaze_window_seconds',
  classes: 'sonospeech.classes',
} as const;

const INT32_MAX = 2 ** 31 - 1;

/** Columns of a downstream row, in file order. `fixations` is the one variable-size column (binary without bytesPerRow). */
export function downstreamColumns(layout: DownstreamLayout, classCount: number): ColumnSpec[] {
  checkLayout(layout);
  return [
    { name: 'scan_id', type: 'utf8', key: 'scanId', description: 'Scan identifier (manifest scans[].id).' },
    { name: 'frame_index', type: 'int32', key: 'frameIndex', min: 0, max: INT32_MAX, description: 'Index of the frame in the decoded scan (at the configured fps, before the stride).' },
    { name: 'time', type: 'float64', key: 'time', min: 0, unit: 's', description: 'Time of the frame, seconds from the start of the recording (frame_index / fps).' },
    { name: 'label', type: 'int8', key: 'label', min: 0, max: classCount - 1, description: "Standard-plane class: index into the 'sonospeech.classes' metadata (background while the probe searches or moves in/out)." },
    {
      name: 'frame', type: 'binary', key: 'frame', bytesPerRow: layout.frameHeight * layout.frameWidth, shape: [layout.frameHeight, layout.frameWidth],
      description: 'Fan-cropped grey frame, uint8, row-major frame_height x frame_width (same crop and scaling as the pretext lake).',
    },
    {
      name: 'saliency', type: 'fixed_binary', key: 'saliency', bytesPerRow: layout.saliencyHeight * layout.saliencyWidth, shape: [layout.saliencyHeight, layout.saliencyWidth],
      description: 'Gaze saliency over the cropped frame: blurred fixation density, uint8 scaled so the maximum is 255, row-major; all 0 without gaze.',
    },
    {
      name: 'fixations', type: 'binary', key: 'fixations',
      description: 'Fixated saliency-map cells (x, y) as little-endian uint16 pairs, sorted by y then x, each cell once (the binary fixation map of NSS / AUC).',
    },
    { name: 'fixation_count', type: 'int32', key: 'fixationCount', min: 0, max: INT32_MAX, description: 'Number of (x, y) pairs in fixations.' },
    { name: 'gaze_samples', type: 'int32', key: 'gazeSamples', min: 0, max: INT32_MAX, description: 'Gaze samples of the window that fell inside the crop (the weights of the density).' },
    { name: 'has_gaze', type: 'int8', key: 'hasGaze', min: 0, max: 1, description: '1 when the frame has gaze inside the crop; 0: saliency all zero, skip it for saliency metrics.' },
  ];
}

/** A binary column whose values vary in size (`fixations`); every other column has a fixed size per row. */
export function isVariableBinary(column: ColumnSpec): boolean {
  return column.type === 'binary' && column.bytesPerRow === undefined;
}

function checkLayout(layout: DownstreamLayout): void {
  for (const key of ['frameHeight', 'frameWidth', 'saliencyHeight', 'saliencyWidth'] as const) {
    const v = layout[key];
    if (!Number.isInteger(v) || v <= 0) throw new Error(`downstream layout: ${key} must be a positive integer, got ${v}`);
  }
  if (layout.saliencyHeight > 65535 || layout.saliencyWidth > 65535) throw new Error('downstream layout: saliency map larger than 65535 cells a side');
}

export function downstreamMetadata(info: DownstreamShardInfo): Map<string, string> {
  return new Map<string, string>([
    [DOWNSTREAM_META.schema, DOWNSTREAM_SCHEMA_ID],
    [DOWNSTREAM_META.version, String(DOWNSTREAM_SCHEMA_VERSION)],
    [DOWNSTREAM_META.kind, DOWNSTREAM_KIND],
    [DOWNSTREAM_META.frameHeight, String(info.frameHeight)],
    [DOWNSTREAM_META.frameWidth, String(info.frameWidth)],
    [DOWNSTREAM_META.saliencyHeight, String(info.saliencyHeight)],
    [DOWNSTREAM_META.saliencyWidth, String(info.saliencyWidth)],
    [DOWNSTREAM_META.saliencySigma, String(info.saliencySigma)],
    [DOWNSTREAM_META.saliencyEncoding, SALIENCY_ENCODING],
    [DOWNSTREAM_META.fixationsEncoding, FIXATIONS_ENCODING],
    [DOWNSTREAM_META.gazeWindowSeconds, String(info.gazeWindowSeconds)],
    [DOWNSTREAM_META.classes, info.classes.join(',')],
  ]);
}

/** Reads the shard info back from metadata; throws on a foreign file or another version. */
export function describeDownstreamShard(metadata: ReadonlyMap<string, string>): DownstreamShardInfo {
  const get = (key: string): string => {
    const value = metadata.get(key);
    if (value === undefined) throw new Error(`downstream shard metadata: missing ${key}`);
    return value;
  };
  if (get(DOWNSTREAM_META.schema) !== DOWNSTREAM_SCHEMA_ID) throw new Error('not a sonospeech downstream shard');
  const version = Number(get(DOWNSTREAM_META.version));
  if (version !== DOWNSTREAM_SCHEMA_VERSION) throw new Error(`downstream shard schema version ${version}, this build reads ${DOWNSTREAM_SCHEMA_VERSION}`);
  if (get(DOWNSTREAM_META.saliencyEncoding) !== SALIENCY_ENCODING) throw new Error(`downstream shard: unknown saliency encoding ${get(DOWNSTREAM_META.saliencyEncoding)}`);
  if (get(DOWNSTREAM_META.fixationsEncoding) !== FIXATIONS_ENCODING) throw new Error(`downstream shard: unknown fixations encoding ${get(DOWNSTREAM_META.fixationsEncoding)}`);
  const info: DownstreamShardInfo = {
    frameHeight: Number(get(DOWNSTREAM_META.frameHeight)),
    frameWidth: Number(get(DOWNSTREAM_META.frameWidth)),
    saliencyHeight: Number(get(DOWNSTREAM_META.saliencyHeight)),
    saliencyWidth: Number(get(DOWNSTREAM_META.saliencyWidth)),
    saliencySigma: Number(get(DOWNSTREAM_META.saliencySigma)),
    gazeWindowSeconds: Number(get(DOWNSTREAM_META.gazeWindowSeconds)),
    classes: get(DOWNSTREAM_META.classes).split(','),
  };
  checkLayout(info);
  return info;
}

function fieldMetadata(column: ColumnSpec): Map<string, string> {
  const meta = new Map<string, string>([[FIELD_META.description, column.description]]);
  if (column.unit) meta.set(FIELD_META.unit, column.unit);
  if (column.shape) {
    meta.set(FIELD_META.shape, column.shape.join(','));
    meta.set(FIELD_META.dtype, 'uint8');
  } else if (isVariableBinary(column)) {
    meta.set(FIELD_META.shape, '-1,2');
    meta.set(FIELD_META.dtype, 'uint16le');
  }
  return meta;
}

/** Arrow schema of a downstream shard (apache-arrow 21). */
export function downstreamArrowSchema(info: DownstreamShardInfo): Schema {
  const fields = downstreamColumns(info, info.classes.length).map((c) => new Field(c.name, arrowType(c), false, fieldMetadata(c)));
  return new Schema(fields, downstreamMetadata(info));
}

/** Parquet schema (hyparquet-writer 0.17): root group then one REQUIRED leaf per column, as in parquet.ts. */
export function downstreamParquetSchema(info: DownstreamShardInfo): SchemaElement[] {
  const columns = downstreamColumns(info, info.classes.length);
  return [{ name: 'root', num_children: columns.length }, ...columns.map(parquetElement)];
}

export function downstreamKeyValueMetadata(info: DownstreamShardInfo): KeyValue[] {
  return [...downstreamMetadata(info)].map(([key, value]) => ({ key, value }));
}

/** One row as the shard writers take it (keys = ColumnSpec.key). */
export interface DownstreamRow {
  scanId: string;
  frameIndex: number;
  time: number;
  label: number;
  frame: Uint8Array;
  saliency: Uint8Array;
  /** FIXATIONS_ENCODING bytes. */
  fixations: Uint8Array;
  fixationCount: number;
  gazeSamples: number;
  hasGaze: 0 | 1;
}

// ---- manifest (`<out>/manifest.json`) ----

export interface DownstreamFileDigest {
  /** Path relative to the input folder, '/'-separated. */
  path: string;
  size: number;
  sha256: string;
}

export interface DownstreamInput extends DownstreamFileDigest {
  /** The scan's sidecar (`<name>.json` beside it); null when there is none (the scan fails). */
  sidecar: DownstreamFileDigest | null;
}

export interface DownstreamShard {
  /** Path relative to the output root, '/'-separated. */
  path: string;
  format: ShardFormat;
  kind: typeof DOWNSTREAM_KIND;
  /** The scan whose rows the shard holds. */
  scan: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface DownstreamScanRecord {
  id: string;
  /** The input's path (inputs[].path). */
  input: string;
  status: 'ok' | 'failed';
  /** One line naming the file and the cause when failed, else null. */
  error: string | null;
  /** Duration of the recording, seconds (0 when unknown). */
  duration: number;
  /** Frames decoded at the configured fps. */
  decodedFrames: number;
  /** Rows written (every stride-th decoded frame). */
  frames: number;
  /** Rows with gaze inside the crop (has_gaze = 1). */
  framesWithGaze: number;
  /** Rows per class name, every class present (0 when none). */
  classCounts: Record<string, number>;
  /** Fan crop in source pixels; null when the scan failed before cropping. */
  crop: { x: number; y: number; width: number; height: number } | null;
}

export interface DownstreamManifest {
  schema: typeof DOWNSTREAM_SCHEMA_ID;
  schemaVersion: typeof DOWNSTREAM_SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** The full resolved configuration (pipelines/downstream-config.ts). */
  config: JsonObject;
  /** Class names; row labels index this list. */
  classes: string[];
  inputs: DownstreamInput[];
  shards: DownstreamShard[];
  scans: DownstreamScanRecord[];
}
