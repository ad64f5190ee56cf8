import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../../schemas/columns.js';
import { MANIFEST_FILE_NAME, MANIFEST_SCHEMA_ID, type LakeManifest } from '../../schemas/manifest.js';
import { writeJsonAtomic } from '../util/atomic-json.js';

/** The manifest of one part of a fanned-out ingest (`--shard i/n`). */
export function partManifestName(part: { index: number; count: number }): string {
  return `manifest.part-${part.index}-of-${part.count}.json`;
}

/** A manifest file's JSON, undefined when the file is absent; unreadable or invalid JSON throws naming the file. */
export async function readManifestJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot read manifest (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path}: manifest is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads a manifest, refusing one written by a newer schema version. Undefined if absent. */
export async function readManifest(path: string): Promise<LakeManifest | undefined> {
  const manifest = await readManifestJson<LakeManifest>(path);
  if (manifest === undefined) return undefined;
  if (manifest.schema !== MANIFEST_SCHEMA_ID) throw new Error(`${path}: not a sonospeech lake manifest`);
  if (typeof manifest.schemaVersion !== 'number' || manifest.schemaVersion > SCHEMA_VERSION) {
    throw new Error(
      `${path}: manifest schema version ${String(manifest.schemaVersion)} is newer than this sonospeech supports (${SCHEMA_VERSION}); upgrade sonospeech`,
    );
  }
  return manifest;
}

/** Canonical order (inputs and shards by path, scans by id), so equal lakes have equal manifest bytes. */
export function canonicalManifest(m: LakeManifest): LakeManifest {
  const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    ...m,
    inputs: [...m.inputs].sort(byKey((i) => i.path)),
    shards: [...m.shards].sort(byKey((s) => s.path)),
    scans: [...m.scans].sort(byKey((s) => s.id)),
  };
}

export async function writeManifest(path: string, manifest: LakeManifest): Promise<void> {
  await writeJsonAtomic(path, canonicalManifest(manifest), 2);
}

/**
 * Combines the manifests of several ingest parts into one. They must share schema,
 * seed and configuration; a scan or shard present in two parts must be identical there.
 */
export function mergeManifests(parts: readonly LakeManifest[]): LakeManifest {
  const first = parts[0];
  if (!first) throw new Error('lake merge: no manifests to merge');
  const config = JSON.stringify(first.config);
  const inputs = new Map(first.inputs.map((i) => [i.path, i]));
  const shards = new Map(first.shards.map((s) => [s.path, s]));
  const scans = new Map(first.scans.map((s) => [s.id, s]));
  for (const [k, part] of parts.entries()) {
    if (k === 0) continue;
    if (part.seed !== first.seed) throw new Error(`lake merge: part ${k} has seed ${part.seed}, part 0 has ${first.seed}`);
    if (JSON.stringify(part.config) !== config) throw new Error(`lake merge: part ${k} was ingested with a different configuration`);
    const add = <T>(map: Map<string, T>, key: string, value: T, what: string): void => {
      const existing = map.get(key);
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(value)) {
        throw new Error(`lake merge: ${what} '${key}' differs between parts`);
      }
      map.set(key, value);
    };
    for (const i of part.inputs) add(inputs, i.path, i, 'input');
    for (const s of part.shards) add(shards, s.path, s, 'shard');
    for (const s of part.scans) add(scans, s.id, s, 'scan');
  }
  return canonicalManifest({ ...first, inputs: [...inputs.values()], shards: [...shards.values()], scans: [...scans.values()] });
}

/** Merges every part manifest (and an existing manifest.json) found in a lake into manifest.json. */
export async function mergeLakeManifests(lake: string): Promise<{ parts: string[]; manifest: LakeManifest }> {
  const names = (await readdir(lake)).filter((n) => /^manifest\.part-\d+-of-\d+\.json$/.test(n) || n === MANIFEST_FILE_NAME).sort();
  const manifests: LakeManifest[] = [];
  for (const name of names) {
    const m = await readManifest(join(lake, name));
    if (m) manifests.push(m);
  }
  if (manifests.length === 0) throw new Error(`lake merge: no manifest.json or manifest.part-*.json in ${lake}`);
  const manifest = mergeManifests(manifests);
  await writeManifest(join(lake, MANIFEST_FILE_NAME), manifest);
  return { parts: names, manifest };
}
