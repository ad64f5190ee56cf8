import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createVad } from '../src/affinity/create-vad.js';
import { inPart, listScanInputs, type ScanInput } from '../src/lake/inputs.js';
import { canonicalManifest, partManifestName, readManifest, writeManifest } from '../src/lake/manifest-io.js';
import { probeMedia } from '../src/media/probe.js';
import { isTempFileName, removeStaleTempFiles } from '../src/shards/atomic-file.js';
import { sha256File } from '../src/shards/sha256-file.js';
import { manifestShardEntry } from '../src/shards/written-shard.js';
import { SCHEMA_VERSION } from '../schemas/columns.js';
import { MANIFEST_FILE_NAME, MANIFEST_SCHEMA_ID, type JsonObject, type LakeManifest, type ManifestScan } from '../schemas/manifest.js';
import { TOOL_VERSION } from '../src/version.js';
import type { IngestConfig } from './ingest-config.js';
import { ingestScan, shardDir, type ScanOutcome } from './ingest-scan.js';
import { assertWorkerEntry, defaultWorkerEntry, ScanThread } from './ingest-worker-pool.js';

export interface IngestOptions {
  input: string;
  lake: string;
  config: IngestConfig;
  seed: number;
  /** Scans processed at once: worker threads, or concurrent scans on this thread with `inProcess`. */
  concurrency: number;
  part?: { index: number; count: number };
  progress?: IngestProgress;
  /** Run every scan on this thread (debugging); the lake is byte-identical either way. */
  inProcess?: boolean;
  /** Compiled worker entry (default: ingest-scan-worker.js beside this module, i.e. in dist/). */
  workerEntry?: URL;
}

export interface IngestProgress {
  onPlan?(scans: { id: string; frames: number }[], skipped: string[]): void;
  onFrames?(id: string, frames: number, total: number): void;
  onScanDone?(scan: ManifestScan): void;
}

export interface IngestResult {
  manifestPath: string;
  manifest: LakeManifest;
  processed: ManifestScan[];
  skipped: string[];
}

/**
 * Ingests every scan below `input` (or the part `--shard i/n` selects) into the lake.
 * Idempotent: a scan already in the manifest with the same input hash and its shards on
 * disk is skipped; anything else is (re)done. Each scan's shards are complete files before
 * the manifest, written last and atomically after every scan, mentions them.
 * Each scan runs in a worker thread (up to `concurrency` threads); this thread keeps the
 * manifest and the progress reports.
 */
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const { lake, part } = options;
  const config: IngestConfig = { ...options.config, sampling: { ...options.config.sampling, seed: options.seed } };
  const workerEntry = options.inProcess ? undefined : (options.workerEntry ?? defaultWorkerEntry());
  if (workerEntry) assertWorkerEntry(workerEntry);
  await mkdir(lake, { recursive: true });
  await removeStaleTempFiles(lake);
  const manifestPath = join(lake, part ? partManifestName(part) : MANIFEST_FILE_NAME);
  const previous = await readManifest(manifestPath);
  if (previous && (previous.seed !== options.seed || JSON.stringify(previous.config) !== JSON.stringify(config))) {
    throw new Error(`${manifestPath}: this lake was ingested with another seed or configuration; use a new --lake or the same settings`);
  }

  const inputs = (await listScanInputs(options.input)).filter((i) => !part || inPart(i.id, part));
  if (inputs.length === 0) throw new Error(`no scans found in ${options.input}${part ? ` for part ${part.index}/${part.count}` : ''}`);
  const manifestInputs = [];
  for (const input of inputs) manifestInputs.push({ path: input.relPath, ...(await sha256File(input.absPath)) });
  const manifest: LakeManifest = {
    schema: MANIFEST_SCHEMA_ID,
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'sonospeech', version: TOOL_VERSION },
    config: config as unknown as JsonObject,
    seed: options.seed,
    inputs: manifestInputs.map((i) => ({ path: i.path, size: i.bytes, sha256: i.sha256 })),
    shards: [],
    scans: [],
  };

  const pending: ScanInput[] = [];
  const skipped: string[] = [];
  for (const [k, input] of inputs.entries()) {
    const done = previous && (await finishedScan(previous, lake, input, manifest.inputs[k]?.sha256 ?? ''));
    if (done) {
      skipped.push(input.id);
      manifest.scans.push(done.scan);
      manifest.shards.push(...done.shards);
    } else pending.push(input);
  }
  const planned = await Promise.all(
    pending.map(async (i) => ({ id: i.id, frames: await probeMedia(i.absPath).then((m) => Math.round(m.durationSeconds * config.sampling.fps), () => 0) })),
  );
  options.progress?.onPlan?.(planned, skipped);

  // In-process scans share one engine; worker threads open their own.
  const vad = workerEntry ? undefined : await createVad(config.vad.engine, config.vad[config.vad.engine] as never);
  const processed: ManifestScan[] = [];
  let manifestWrite = Promise.resolve();
  const record = (scan: ManifestScan, shards: LakeManifest['shards']): Promise<void> => {
    manifest.scans.push(scan);
    manifest.shards.push(...shards);
    manifestWrite = manifestWrite.then(() => writeManifest(manifestPath, manifest));
    return manifestWrite;
  };
  let next = 0;
  let stopped = false;
  const slot = async (): Promise<void> => {
    let thread: ScanThread | undefined;
    try {
      while (!stopped && next < pending.length) {
        const input = pending[next++] as ScanInput;
        await removeScanShards(lake, input.id);
        const onFrames = (frames: number, total: number): void => options.progress?.onFrames?.(input.id, frames, total);
        let outcome: ScanOutcome;
        if (workerEntry) {
          if (!thread?.alive) thread = await ScanThread.start(workerEntry, { lake, config });
          outcome = await thread.run(input, onFrames);
          // A worker that died mid-scan may have left shards and temp files of it.
          if (!thread.alive) await removeScanShards(lake, input.id);
        } else {
          outcome = await ingestScan(input, lake, config, vad!, onFrames);
        }
        processed.push(outcome.scan);
        await record(outcome.scan, outcome.shards.map((s) => manifestShardEntry(s, lake)));
        options.progress?.onScanDone?.(outcome.scan);
      }
    } catch (error) {
      stopped = true;
      throw error;
    } finally {
      await thread?.stop();
    }
  };
  const slots = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, slot));
  const failure = slots.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  await manifestWrite;
  await writeManifest(manifestPath, manifest);
  return { manifestPath, manifest: canonicalManifest(manifest), processed, skipped };
}

/** The previous run's record of a scan when it is complete and its input is unchanged. */
async function finishedScan(previous: LakeManifest, lake: string, input: ScanInput, sha256: string) {
  const scan = previous.scans.find((s) => s.id === input.id);
  const before = previous.inputs.find((i) => i.path === input.relPath);
  if (!scan || scan.status !== 'ok' || !before || before.sha256 !== sha256) return undefined;
  const prefix = `${input.id}-`;
  const shards = previous.shards.filter((s) => s.path.split('/').pop()?.startsWith(prefix));
  for (const shard of shards) {
    const size = await stat(join(lake, shard.path)).then((s) => s.size, () => -1);
    if (size !== shard.bytes) return undefined;
  }
  return { scan, shards };
}

/** Shard files (and their temp files) of a scan left by an earlier, unfinished run or a dead worker. */
async function removeScanShards(lake: string, id: string): Promise<void> {
  for (const format of ['arrow', 'parquet'] as const) {
    for (const kind of ['pairs', 'orders'] as const) {
      const dir = shardDir(lake, format, kind);
      const names = await readdir(dir).catch(() => [] as string[]);
      const ofScan = (n: string): boolean => n.startsWith(`${id}-`) || (isTempFileName(n) && n.startsWith(`.${id}-`));
      await Promise.all(names.filter(ofScan).map((n) => rm(join(dir, n), { force: true })));
    }
  }
}

