/**
 * The lake manifest (`manifest.json` at the lake root): the record of one ingest run.
 * JSON Schema: schemas/manifest.v1.schema.json (keep the two in step; a test compares them).
 */
import type { ShardKind } from './columns.js';
import { SCHEMA_VERSION } from './columns.js';

export const MANIFEST_SCHEMA_ID = 'sonospeech.lake-manifest';
export const MANIFEST_FILE_NAME = 'manifest.json';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ShardFormat = 'arrow' | 'parquet';

export interface ManifestInput {
  /** Path of the scan recording as given to the ingest run. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Lower-case hex SHA-256 of the file contents. */
  sha256: string;
}

export interface ManifestShard {
  /** Path relative to the lake root, '/'-separated, no '..' segments. */
  path: string;
  format: ShardFormat;
  kind: ShardKind;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Fan crop rectangle in source video pixels. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ManifestScan {
  id: string;
  status: 'ok' | 'failed';
  /** Error message when status is 'failed', else null. */
  error: string | null;
  /**
   * Duration of the recording, seconds (0 when it could not be read). Not the processing
   * time: the manifest holds no wall-clock values, so a rerun reproduces it byte for byte.
   */
  duration: number;
  clips: number;
  highAffinity: number;
  lowAffinity: number;
  pairs: number;
  orderSamples: number;
  /** Frames after the last whole clip that were not used. */
  droppedTailFrames: number;
  /** The fan crop applied to the video; null when the scan failed before cropping. */
  crop: CropRect | null;
}

export interface LakeManifest<Config extends JsonObject = JsonObject> {
  schema: typeof MANIFEST_SCHEMA_ID;
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** The full resolved configuration of the run. */
  config: Config;
  /** Root seed of the run. */
  seed: number;
  inputs: ManifestInput[];
  shards: ManifestShard[];
  scans: ManifestScan[];
}
