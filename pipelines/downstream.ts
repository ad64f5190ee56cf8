import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { listScanInputs, type ScanInput } from '../src/lake/inputs.js';
import { probeMedia } from '../src/media/probe.js';
import { readManifestJson } from '../src/lake/manifest-io.js';
import { removeStaleTempFiles } from '../src/shards/atomic-file.js';
import { sha256File } from '../src/shards/sha256-file.js';
import { sidecarPathFor } from '../src/synth/sidecar.js';
import { PLANE_CLASSES } from '../src/synth/planes.js';
import { writeJsonAtomic } from '../src/util/atomic-json.js';
import { TOOL_VERSION } from '../src/version.js';
import { downstreamScan, downstreamShardDir } from '../src/evaluate/downstream/downstream-scan.js';
import type { TableShard } from '../src/evaluate/downstream/table-shard-writer.js';
import {
  DOWNSTREAM_KIND,
  DOWNSTREAM_MANIFEST_FILE_NAME,
  DOWNSTREAM_SCHEMA_ID,
  DOWNSTREAM_SCHEMA_VERSION,
  type DownstreamInput,
  type DownstreamManifest,
  type DownstreamScanRecord,
  type DownstreamShard,
} from '../schemas/downstream.js';
import type { JsonObject } from '../schemas/manifest.js';
import type { DownstreamConfig } from './downstream-config.js';

export interface DownstreamOptions {
  /** Folder of labelled scans (`<name>.mp4` + `<name>.json`), searched recursively. */
  input: string;
  /** Output root: manifest.json, arrow/frames/, parquet/frames/. */
  out: string;
  config: DownstreamConfig;
  concurrency: number;
  progress?: DownstreamProgress;
}

export interface DownstreamProgress {
  onPlan?(scans: { id: string; frames: number }[], skipped: string[]): void;
  onFrames?(id: string, frames: number, total: number): void;
  onScanDone?(scan: DownstreamScanRecord): void;
}

export interface DownstreamResult {
  manifestPath: string;
  manifest: DownstreamManifest;
  processed: DownstreamScanRecord[];
  skipped: string[];
}

/**
 * Builds the downstream evaluation data of every scan below `input`. Idempotent: a scan
 * already in the manifest with unchanged video and sidecar hashes and its shards on disk is
 * skipped. Shards are complete files before the manifest (written after every scan,
 * atomically) mentions them. A scan that fails is recorded with a one-line error; the
 * others go on.
 */
export async function runDownstream(options: DownstreamOptions): Promise<DownstreamResult> {
  const { out, config } = options;
  await mkdir(out, { recursive: true });
  await removeStaleTempFiles(out);
  const manifestPath = join(out, DOWNSTREAM_MANIFEST_FILE_NAME);
  const previous = await readDownstreamManifest(manifestPath);
  if (previous && JSON.stringify(previous.config) !== JSON.stringify(config)) {
    throw new Error(`${manifestPath}: this folder was built with another configuration; use a new --out or the same settings`);
  }
  const inputs = await listScanInputs(options.input);
  if (inputs.length === 0) throw new Error(`no scans found in ${options.input}`);
  const manifest: DownstreamManifest = {
    schema: DOWNSTREAM_SCHEMA_ID,
    schemaVersion: DOWNSTREAM_SCHEMA_VERSION,
    tool: { name: 'sonospeech', version: TOOL_VERSION },
    config: config as unknown as JsonObject,
    classes: [...PLANE_CLASSES],
    inputs: [],
    shards: [],
    scans: [],
  };
  for (const input of inputs) manifest.inputs.push(await describeInput(options.input, input));

  const pending: ScanInput[] = [];
  const skipped: string[] = [];
  for (const [k, input] of inputs.entries()) {
    const done = previous && (await finishedScan(previous, out, input, manifest.inputs[k]!));
    if (done) {
      skipped.push(input.id);
      manifest.scans.push(done.scan);
      manifest.shards.push(...done.shards);
    } else pending.push(input);
  }
  const planned = await Promise.all(
    pending.map(async (i) => ({ id: i.id, frames: await probeMedia(i.absPath, { requireAudio: false }).then((m) => Math.round(m.durationSeconds * config.fps), () => 0) })),
  );
  options.progress?.onPlan?.(planned, skipped);

  const processed: DownstreamScanRecord[] = [];
  let manifestWrite = Promise.resolve();
  const record = (scan: DownstreamScanRecord, shards: DownstreamShard[]): Promise<void> => {
    manifest.scans.push(scan);
    manifest.shards.push(...shards);
    manifestWrite = manifestWrite.then(() => writeDownstreamManifest(manifestPath, manifest));
    return manifestWrite;
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const input = pending[next++]!;
      await removeScanShards(out, input.id);
      const outcome = await downstreamScan(input, out, config, (frames, total) => options.progress?.onFrames?.(input.id, frames, total));
      processed.push(outcome.scan);
      await record(outcome.scan, outcome.shards.map((s) => shardEntry(s, out, input.id)));
      options.progress?.onScanDone?.(outcome.scan);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, worker));
  await manifestWrite;
  await writeDownstreamManifest(manifestPath, manifest);
  return { manifestPath, manifest: canonicalDownstreamManifest(manifest), processed, skipped };
}

async function describeInput(root: string, input: ScanInput): Promise<DownstreamInput> {
  const media = await sha256File(input.absPath);
  const sidecarAbs = sidecarPathFor(input.absPath);
  const hasSidecar = await access(sidecarAbs).then(() => true, () => false);
  const sidecar = hasSidecar ? await sha256File(sidecarAbs) : undefined;
  return {
    path: input.relPath,
    size: media.bytes,
    sha256: media.sha256,
    sidecar: sidecar ? { path: relative(root, sidecarAbs).split(sep).join('/'), size: sidecar.bytes, sha256: sidecar.sha256 } : null,
  };
}

function shardEntry(shard: TableShard, out: string, scan: string): DownstreamShard {
  const rel = relative(out, shard.path).split(sep).join('/');
  if (rel === '' || rel.startsWith('..')) throw new Error(`shard ${shard.path} is not inside ${out}`);
  return { path: rel, format: shard.format, kind: DOWNSTREAM_KIND, scan, rows: shard.rows, bytes: shard.bytes, sha256: shard.sha256 };
}

/** The previous run's record of a scan when it succeeded, its video and sidecar are unchanged and its shards are on disk. */
async function finishedScan(previous: DownstreamManifest, out: string, input: ScanInput, now: DownstreamInput) {
  const scan = previous.scans.find((s) => s.id === input.id);
  const before = previous.inputs.find((i) => i.path === input.relPath);
  if (!scan || scan.status !== 'ok' || !before || before.sha256 !== now.sha256 || before.sidecar?.sha256 !== now.sidecar?.sha256) return undefined;
  const shards = previous.shards.filter((s) => s.scan === input.id);
  for (const shard of shards) {
    const size = await stat(join(out, shard.path)).then((s) => s.size, () => -1);
    if (size !== shard.bytes) return undefined;
  }
  return { scan, shards };
}

/** Shards of a scan left by an earlier, unfinished or outdated run. */
async function removeScanShards(out: string, id: string): Promise<void> {
  for (const format of ['arrow', 'parquet'] as const) {
    const dir = downstreamShardDir(out, format);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith(`${id}-`) && /^\d{5}\./.test(n.slice(id.length + 1))).map((n) => rm(join(dir, n), { force: true })));
  }
}


/** Reads a downstream manifest; undefined when absent; throws on a foreign or newer file. */
export async function readDownstreamManifest(path: string): Promise<DownstreamManifest | undefined> {
  const manifest = await readManifestJson<DownstreamManifest>(path);
  if (manifest === undefined) return undefined;
  if (manifest.schema !== DOWNSTREAM_SCHEMA_ID) throw new Error(`${path}: not a sonospeech downstream manifest`);
  if (manifest.schemaVersion !== DOWNSTREAM_SCHEMA_VERSION) {
    throw new Error(`${path}: downstream manifest version ${String(manifest.schemaVersion)}, this build reads ${DOWNSTREAM_SCHEMA_VERSION}`);
  }
  return manifest;
}

/** Inputs and shards by path, scans by id: equal runs give equal manifest bytes. */
export function canonicalDownstreamManifest(m: DownstreamManifest): DownstreamManifest {
  const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    ...m,
    inputs: [...m.inputs].sort(byKey((i) => i.path)),
    shards: [...m.shards].sort(byKey((s) => s.path)),
    scans: [...m.scans].sort(byKey((s) => s.id)),
  };
}

async function writeDownstreamManifest(path: string, manifest: DownstreamManifest): Promise<void> {
  await writeJsonAtomic(path, canonicalDownstreamManifest(manifest), 2);
}
