/**
 * Opens a data lake for replay: reads manifest.json, hashes its bytes (the manifest hash
 * every resume state carries) and refuses manifests this build cannot read.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION, SHARD_KINDS, type ShardKind } from '../../schemas/columns.js';
import { MANIFEST_FILE_NAME, MANIFEST_SCHEMA_ID, type LakeManifest, type ManifestShard } from '../../schemas/manifest.js';

/** A shard the replay reads: its manifest entry and its position in `manifest.shards`. */
export interface LakeShard extends ManifestShard {
  index: number;
}

export interface Lake {
  dir: string;
  manifest: LakeManifest;
  /** Lower-case hex sha256 of the manifest file bytes. */
  manifestSha256: string;
  /** Arrow shards of each kind, in manifest order (Parquet shards are not replayed). */
  shards: Record<ShardKind, LakeShard[]>;
}

const SHA256 = /^[0-9a-f]{64}$/;
const UNSAFE_PATH = /(^[/\\])|(^[A-Za-z]:)|((^|\/)\.\.(\/|$))|\\/;

export async function openLake(dir: string): Promise<Lake> {
  const manifestPath = path.join(dir, MANIFEST_FILE_NAME);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(manifestPath);
  } catch (error) {
    throw new Error(`${manifestPath}: cannot read the lake manifest (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${manifestPath}: not valid JSON (${(error as Error).message})`);
  }
  const manifest = checkManifest(parsed, manifestPath);
  const shards: Record<ShardKind, LakeShard[]> = { pairs: [], orders: [] };
  manifest.shards.forEach((shard, index) => {
    if (shard.format === 'arrow') shards[shard.kind].push({ ...shard, index });
  });
  return { dir, manifest, manifestSha256, shards };
}

function checkManifest(value: unknown, where: string): LakeManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: not a lake manifest (not a JSON object)`);
  const m = value as Record<string, unknown>;
  if (m.schema !== MANIFEST_SCHEMA_ID) throw new Error(`${where}: not a sonospeech lake manifest (schema ${JSON.stringify(m.schema)})`);
  const version = m.schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > SCHEMA_VERSION) {
    throw new Error(`${where}: manifest schema version ${version} is newer than this build of sonospeech reads (${SCHEMA_VERSION}); upgrade sonospeech to replay this lake`);
  }
  if (version !== SCHEMA_VERSION) throw new Error(`${where}: unsupported manifest schema version ${JSON.stringify(version)} (this build reads ${SCHEMA_VERSION})`);
  if (!Array.isArray(m.shards)) throw new Error(`${where}: shards is not an array`);
  m.shards.forEach((s: unknown, i) => checkShardEntry(s, `${where}: shards[${i}]`));
  return value as LakeManifest;
}

function checkShardEntry(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: not an object`);
  const s = value as Record<string, unknown>;
  if (typeof s.path !== 'string' || s.path === '' || UNSAFE_PATH.test(s.path)) throw new Error(`${where}: path must be relative, '/'-separated, without '..': ${JSON.stringify(s.path)}`);
  if (s.format !== 'arrow' && s.format !== 'parquet') throw new Error(`${where}: unknown format ${JSON.stringify(s.format)}`);
  if (!SHARD_KINDS.includes(s.kind as ShardKind)) throw new Error(`${where}: unknown kind ${JSON.stringify(s.kind)}`);
  for (const key of ['rows', 'bytes'] as const) {
    const n = s[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error(`${where}: ${key} must be a non-negative integer`);
  }
  if (typeof s.sha256 !== 'string' || !SHA256.test(s.sha256)) throw new Error(`${where}: sha256 must be 64 lower-case hex digits`);
}

/** Absolute path of a shard file. */
export function shardFilePath(lake: Pick<Lake, 'dir'>, shard: Pick<ManifestShard, 'path'>): string {
  return path.join(lake.dir, ...shard.path.split('/'));
}
