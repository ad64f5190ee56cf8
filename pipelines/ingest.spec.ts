import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unloadSileroModels } from '../src/affinity/silero-vad.js';
import { mergeLakeManifests } from '../src/lake/manifest-io.js';
import { readBatches } from '../src/shards/arrow-shard-reader.js';
import { loadSpeaker } from '../src/synth/audio/index.js';
import { DEFAULT_SYNTH, generateScan } from '../src/synth/generate-scan.js';
import type { LakeManifest } from '../schemas/manifest.js';
import { resolveIngestConfig } from './ingest-config.js';
import { runIngest, type IngestOptions } from './ingest.js';

let raw: string;
let work: string;
const config = resolveIngestConfig({ frameWidth: 64, frameHeight: 64, shards: { shardRows: 40, batchRows: 10 } });

// Worker threads run compiled JavaScript: `make test` builds dist/ before Jest runs.
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workerFile = join(repoRoot, 'dist', 'pipelines', 'ingest-scan-worker.js');
const workerEntry = pathToFileURL(workerFile);

beforeAll(async () => {
  if (!existsSync(workerFile)) {
    throw new Error(`${workerFile} is missing: build first ('npm run build' or 'make test'), the ingest worker threads run dist/`);
  }
  work = await mkdtemp(join(tmpdir(), 'ingest-'));
  raw = join(work, 'raw');
  const speaker = await loadSpeaker();
  for (const index of [0, 1, 2]) {
    await generateScan(index, { ...DEFAULT_SYNTH, outDir: raw, seed: 5, minutes: 0.4, width: 320, height: 240 }, speaker);
  }
  await writeFile(join(raw, 'notes.txt'), 'not a scan');
});

afterAll(async () => {
  await unloadSileroModels();
  if (work) await rm(work, { recursive: true, force: true });
});

const options = (lake: string, extra: Partial<IngestOptions> = {}): IngestOptions => ({ input: raw, lake, config, seed: 3, concurrency: 2, workerEntry, ...extra });

async function lakeFiles(lake: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(full.slice(lake.length), await readFile(full));
    }
  };
  await walk(lake);
  return out;
}

describe('ingest', () => {
  let lake: string;
  let manifest: LakeManifest;

  beforeAll(async () => {
    lake = join(work, 'lake');
    manifest = (await runIngest(options(lake))).manifest;
  });

  it('ingests every scan, and fails the non-media file with one line naming it', () => {
    const ok = manifest.scans.filter((s) => s.status === 'ok');
    expect(ok).toHaveLength(3);
    const bad = manifest.scans.find((s) => s.status === 'failed');
    expect(bad?.error).toMatch(/notes\.txt/);
    expect(bad?.error).not.toMatch(/\n/);
    for (const s of ok) {
      expect(s.clips).toBe(12);
      expect(s.highAffinity + s.lowAffinity).toBe(s.clips);
      expect(s.orderSamples).toBe(s.lowAffinity);
      expect(s.pairs).toBeLessThanOrEqual(2 * s.highAffinity);
      expect(s.crop).not.toBeNull();
    }
    expect(manifest.inputs.map((i) => i.path)).toEqual(['notes.txt', 'scan-000.mp4', 'scan-001.mp4', 'scan-002.mp4']);
  });

  it('writes Arrow shards whose rows match the manifest', async () => {
    const totalPairs = manifest.scans.reduce((n, s) => n + s.pairs, 0);
    expect(totalPairs).toBeGreaterThan(0);
    let rows = 0;
    for (const shard of manifest.shards.filter((s) => s.format === 'arrow' && s.kind === 'pairs')) {
      for await (const batch of readBatches(join(lake, shard.path))) rows += batch.numRows;
    }
    expect(rows).toBe(totalPairs);
  });

  it('writes Parquet that DuckDB reads with the manifest counts', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    for (const kind of ['pairs', 'orders'] as const) {
      const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(lake, 'parquet', kind)}/*.parquet')`);
      const expected = manifest.scans.reduce((n, s) => n + (kind === 'pairs' ? s.pairs : s.orderSamples), 0);
      expect(reader.getRowObjects()[0]?.['n']).toBe(expected);
    }
    const labels = await conn.runAndReadAll(`SELECT min(label)::INTEGER AS lo, max(label)::INTEGER AS hi FROM read_parquet('${join(lake, 'parquet', 'orders')}/*.parquet')`);
    const row = labels.getRowObjects()[0] as { lo: number; hi: number };
    expect(row.lo).toBeGreaterThanOrEqual(0);
    expect(row.hi).toBeLessThanOrEqual(11);
    conn.closeSync();
  });

  it('is idempotent: a rerun skips finished scans and leaves the lake byte-identical', async () => {
    const before = await lakeFiles(lake);
    const again = await runIngest(options(lake));
    expect(again.skipped).toHaveLength(3);
    expect(again.processed.map((s) => s.status)).toEqual(['failed']);
    const after = await lakeFiles(lake);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect(after.get(k)?.equals(v)).toBe(true);
  });

  it('is deterministic: the same inputs and seed on one thread (--in-process) give the same bytes; another seed differs', async () => {
    const twin = join(work, 'twin');
    const single = await runIngest(options(twin, { concurrency: 1, inProcess: true }));
    expect(single.processed).toHaveLength(4);
    const a = await lakeFiles(lake);
    const b = await lakeFiles(twin);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)?.equals(v)).toBe(true);
    const other = await runIngest(options(join(work, 'other'), { seed: 4 }));
    const shaA = manifest.shards.map((s) => s.sha256).join();
    expect(other.manifest.shards.map((s) => s.sha256).join()).not.toBe(shaA);
  });

  it('turns a worker that dies into a failed scan naming the file, and goes on with the others', async () => {
    // The real worker behind a wrapper that kills the thread: on receiving scan-001 (an
    // exception), and once scan-002's shards are all on disk but not yet reported (exit).
    const dying = join(work, 'dying-worker.mjs');
    await writeFile(
      dying,
      [
        `import { parentPort } from 'node:worker_threads';`,
        `const post = parentPort.postMessage.bind(parentPort);`,
        `parentPort.postMessage = (m) => (m.type === 'done' && m.id.startsWith('scan-002') ? process.exit(7) : post(m));`,
        `parentPort.on('message', (m) => {`,
        `  if (m.type === 'scan' && m.input.id.startsWith('scan-001')) throw new Error('injected crash\\nsecond line');`,
        `});`,
        `await import(${JSON.stringify(workerEntry.href)});`,
      ].join('\n'),
    );
    const crashed = join(work, 'crashed');
    const result = await runIngest(options(crashed, { concurrency: 2, workerEntry: pathToFileURL(dying) }));
    const scanOf = (prefix: string) => result.manifest.scans.find((s) => s.id.startsWith(`${prefix}-`));
    expect(scanOf('scan-000')?.status).toBe('ok');
    for (const [id, why] of [['scan-001', /injected crash second line/], ['scan-002', /exited with code 7/]] as const) {
      const scan = scanOf(id);
      expect(scan?.status).toBe('failed');
      expect(scan?.error).toContain(join(raw, `${id}.mp4`));
      expect(scan?.error).toMatch(why);
      expect(scan?.error).not.toMatch(/\n/);
    }
    expect(scanOf('notes')?.error).toMatch(/notes\.txt/);
    const files = await lakeFiles(crashed);
    const reference = await lakeFiles(lake);
    const shardFiles = [...files.keys()].filter((k) => k !== '/manifest.json').sort();
    expect(shardFiles).toEqual([...reference.keys()].filter((k) => k.includes('/scan-000-')).sort());
    for (const k of shardFiles) expect(files.get(k)?.equals(reference.get(k) as Buffer)).toBe(true);
  });

  it('runs the native webrtc VAD in worker threads that come and go, with the in-process result', async () => {
    // webrtcvad's addon keeps one static for all threads; each worker loads a private copy of it
    // (webrtc-vad.ts). Loading it again after workers have exited (here on the main thread)
    // must give the same decisions and not bring the process down.
    const webrtc = resolveIngestConfig({ frameWidth: 64, frameHeight: 64, shards: { shardRows: 40, batchRows: 10 }, vad: { engine: 'webrtc' } });
    const dir = (name: string): string => join(work, name);
    await runIngest(options(dir('webrtc-a'), { config: webrtc }));
    await runIngest(options(dir('webrtc-b'), { config: webrtc, inProcess: true }));
    const a = await lakeFiles(dir('webrtc-a'));
    const b = await lakeFiles(dir('webrtc-b'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)?.equals(v)).toBe(true);
  });

  it('says how to get the worker when its compiled file is missing or the source is TypeScript', async () => {
    const missing = pathToFileURL(join(work, 'no-such-worker.js'));
    await expect(runIngest(options(join(work, 'missing'), { workerEntry: missing }))).rejects.toThrow(/no-such-worker\.js not found.*npm run build/);
    const { workerEntry: _omitted, ...fromSource } = options(join(work, 'from-source'));
    await expect(runIngest(fromSource)).rejects.toThrow(/TypeScript source/);
  });

  it('fans out with --shard i/n and merges back to the same manifest', async () => {
    const fanned = join(work, 'fanned');
    await runIngest(options(fanned, { part: { index: 0, count: 2 } }));
    await runIngest(options(fanned, { part: { index: 1, count: 2 } }));
    const { manifest: merged } = await mergeLakeManifests(fanned);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(manifest));
    expect((await readFile(join(fanned, 'manifest.json'))).equals(await readFile(join(lake, 'manifest.json')))).toBe(true);
  });

  it('finishes after a kill with the same lake as an uninterrupted run', async () => {
    const killed = join(work, 'killed');
    const cli = join(process.cwd(), 'bin', 'sonospeech.js');
    const cfgFile = join(work, 'config.json');
    await writeFile(cfgFile, JSON.stringify({ frameWidth: 64, frameHeight: 64, shards: { shardRows: 40, batchRows: 10 } }));
    const args = [cli, 'ingest', '--input', raw, '--lake', killed, '--seed', '3', '--config', cfgFile, '--concurrency', '1', '--progress', 'false'];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    // Kill once the first scan is in the manifest (mid-run).
    for (let i = 0; i < 600; i++) {
      const m = await readFile(join(killed, 'manifest.json'), 'utf8').catch(() => '');
      if (m.includes('"status": "ok"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const partial = JSON.parse(await readFile(join(killed, 'manifest.json'), 'utf8')) as LakeManifest;
    expect(partial.scans.length).toBeLessThan(4);
    const rerun = spawn(process.execPath, args, { stdio: 'ignore' });
    const code = await new Promise((r) => rerun.on('exit', r));
    expect(code).toBe(1); // notes.txt fails, as in every run
    const a = await lakeFiles(lake);
    const b = await lakeFiles(killed);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)?.equals(v)).toBe(true);
  });
});
