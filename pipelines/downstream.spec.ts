import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJsonSchema, type Json } from '../src/evaluate/downstream/json-schema-check.js';
import { loadDownstream, type DownstreamData } from '../src/evaluate/downstream/load-downstream.js';
import { cachedSyntheticScan, writeTruncated, type SyntheticScan } from '../src/media/test-fixtures.js';
import { PLANE_CLASSES } from '../src/synth/planes.js';
import type { DownstreamManifest } from '../schemas/downstream.js';
import { DEFAULT_DOWNSTREAM_CONFIG, resolveDownstreamConfig, saliencySigmaCells } from './downstream-config.js';
import { DEFAULT_INGEST_CONFIG } from './ingest-config.js';
import { formatDownstreamTable } from '../src/evaluate/downstream/downstream-command.js';
import { runDownstream, type DownstreamOptions } from './downstream.js';

const config = resolveDownstreamConfig({ frameWidth: 64, frameHeight: 64, saliency: { width: 32, height: 32 }, shards: { shardRows: 20, batchRows: 8 } });
const SECONDS = 8;

let work: string;
let raw: string;
const scans: Record<'a' | 'b', SyntheticScan> = {} as never;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'downstream-'));
  raw = join(work, 'raw');
  scans.a = await cachedSyntheticScan({ seed: 41, seconds: SECONDS, width: 320, height: 240 });
  scans.b = await cachedSyntheticScan({ seed: 42, seconds: SECONDS, width: 320, height: 240 });
  await cp(scans.a.mediaPath, join(raw, 'a.mp4'));
  await writeFile(join(raw, 'a.json'), JSON.stringify(scans.a.sidecar));
  await cp(scans.b.mediaPath, join(raw, 'b.mp4'));
  await writeFile(join(raw, 'b.json'), JSON.stringify(scans.b.sidecar));
  // c: a recording cut short (with a valid sidecar); d: a recording without its sidecar.
  await writeTruncated(scans.a.mediaPath, join(raw, 'c.mp4'), 0.4);
  await writeFile(join(raw, 'c.json'), JSON.stringify(scans.a.sidecar));
  await copyFile(scans.b.mediaPath, join(raw, 'd.mp4'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const options = (out: string, extra: Partial<DownstreamOptions> = {}): DownstreamOptions => ({ input: raw, out, config, concurrency: 2, ...extra });

async function tree(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(full.slice(root.length), await readFile(full));
    }
  };
  await walk(root);
  return out;
}

function scanOf(manifest: DownstreamManifest, input: string) {
  const scan = manifest.scans.find((s) => s.input === input);
  if (!scan) throw new Error(`no scan for ${input}`);
  return scan;
}

describe('downstream data from labelled scans', () => {
  let out: string;
  let manifest: DownstreamManifest;
  let data: DownstreamData;

  beforeAll(async () => {
    out = join(work, 'out');
    manifest = (await runDownstream(options(out))).manifest;
    data = await loadDownstream(out, { size: 32 });
  }, 120_000);

  it('builds the good scans and fails the cut-short and the unlabelled one with one line naming the file', () => {
    expect(manifest.scans.map((s) => [s.input, s.status])).toEqual([['a.mp4', 'ok'], ['b.mp4', 'ok'], ['c.mp4', 'failed'], ['d.mp4', 'failed']]);
    const c = scanOf(manifest, 'c.mp4');
    const d = scanOf(manifest, 'd.mp4');
    expect(c.error).toMatch(/c\.mp4/);
    expect(d.error).toMatch(/d\.mp4.*no sidecar/);
    for (const e of [c.error, d.error]) expect(e).not.toMatch(/\n/);
    expect(manifest.shards.some((s) => s.scan === c.id || s.scan === d.id)).toBe(false);
  });

  it('keeps every 8th frame and records counts that add up, in a manifest that conforms to its JSON Schema', async () => {
    const schema = JSON.parse(await readFile(join(process.cwd(), 'schemas', 'downstream-manifest.v1.schema.json'), 'utf8')) as { [k: string]: Json };
    expect(checkJsonSchema(schema, manifest as unknown as Json)).toEqual([]);
    expect(checkJsonSchema(schema, { ...manifest, schemaVersion: 2 } as unknown as Json)).not.toEqual([]);
    for (const input of ['a.mp4', 'b.mp4']) {
      const s = scanOf(manifest, input);
      expect(s.decodedFrames).toBe(SECONDS * 30);
      expect(s.frames).toBe(Math.ceil(s.decodedFrames / 8));
      expect(Object.keys(s.classCounts)).toEqual([...PLANE_CLASSES]);
      expect(Object.values(s.classCounts).reduce((a, b) => a + b, 0)).toBe(s.frames);
      for (const format of ['arrow', 'parquet']) {
        const shards = manifest.shards.filter((x) => x.scan === s.id && x.format === format);
        expect(shards.map((x) => x.rows)).toEqual([20, 10]);
      }
    }
    expect(manifest.inputs.find((i) => i.path === 'd.mp4')?.sidecar).toBeNull();
    expect(manifest.inputs.find((i) => i.path === 'a.mp4')?.sidecar?.path).toBe('a.json');
  });

  it("labels each kept frame with the sidecar's plane class", () => {
    expect(data.scans.map((s) => s.id)).toEqual([scanOf(manifest, 'a.mp4').id, scanOf(manifest, 'b.mp4').id]);
    let planeFrames = 0;
    for (const [k, scan] of data.scans.entries()) {
      const sidecar = (k === 0 ? scans.a : scans.b).sidecar;
      expect(scan.count).toBe(30);
      for (let r = 0; r < scan.count; r++) {
        expect(scan.frameIndex[r]).toBe(8 * r);
        expect(scan.time[r]).toBeCloseTo((8 * r) / 30, 9);
        expect(scan.labels[r]).toBe(sidecar.frames.label[8 * r]);
        if (scan.labels[r] !== PLANE_CLASSES.indexOf('background')) planeFrames++;
      }
    }
    expect(planeFrames).toBeGreaterThan(10);
  });

  it('draws saliency from the gaze in the cropped frame: exact fixation cells, maximum at a steady gaze', () => {
    const map = 32;
    let steady = 0;
    let withGaze = 0;
    for (const [k, scan] of data.scans.entries()) {
      const sidecar = (k === 0 ? scans.a : scans.b).sidecar;
      const crop = data.manifest.scans.find((s) => s.id === scan.id)!.crop!;
      for (let r = 0; r < scan.count; r++) {
        // The gaze of +- 0.5 s around the frame, mapped independently of the pipeline.
        const points: [number, number][] = [];
        for (let j = 8 * r - 15; j <= 8 * r + 15; j++) {
          const x = sidecar.frames.gazeX[j];
          const y = sidecar.frames.gazeY[j];
          if (x === undefined || y === undefined) continue;
          const u = ((x - crop.x) / crop.width) * map;
          const v = ((y - crop.y) / crop.height) * map;
          if (u >= 0 && u < map && v >= 0 && v < map) points.push([u, v]);
        }
        const cells = [...new Set(points.map(([u, v]) => Math.floor(v) * map + Math.floor(u)))].sort((a, b) => a - b);
        expect(Array.from(scan.fixations[r]!)).toEqual(cells.flatMap((c) => [c % map, Math.floor(c / map)]));
        const saliency = scan.saliency.subarray(r * map * map, (r + 1) * map * map);
        expect(scan.hasGaze[r]).toBe(points.length > 0 ? 1 : 0);
        if (points.length === 0) {
          expect(saliency.every((v) => v === 0)).toBe(true);
          continue;
        }
        withGaze++;
        expect(saliency.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        const mean = points.reduce((m, [u, v]) => [m[0] + u / points.length, m[1] + v / points.length], [0, 0]);
        if (points.some(([u, v]) => Math.hypot(u - mean[0], v - mean[1]) > 1.5)) continue;
        steady++;
        let best = 0;
        for (let i = 1; i < saliency.length; i++) if (saliency[i]! > saliency[best]!) best = i;
        const [bx, by] = [(best % map) + 0.5, Math.floor(best / map) + 0.5];
        expect(Math.hypot(bx - mean[0], by - mean[1])).toBeLessThan(1.6);
      }
    }
    expect(withGaze).toBeGreaterThan(30);
    expect(steady).toBeGreaterThan(5);
    expect(withGaze).toBe(manifest.scans.reduce((n, s) => n + s.framesWithGaze, 0));
  });

  it('writes Parquet that DuckDB reads with the manifest counts', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const files = `read_parquet('${join(out, 'parquet', 'frames')}/*.parquet')`;
    const totals = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(has_gaze)::INTEGER AS g, sum(fixation_count * 4 - octet_length(fixations))::INTEGER AS bad, max(octet_length(saliency))::INTEGER AS sal FROM ${files}`);
    expect(totals.getRowObjects()[0]).toEqual({
      n: manifest.scans.reduce((n, s) => n + s.frames, 0),
      g: manifest.scans.reduce((n, s) => n + s.framesWithGaze, 0),
      bad: 0,
      sal: 32 * 32,
    });
    const byClass = await conn.runAndReadAll(`SELECT label::INTEGER AS label, count(*)::INTEGER AS n FROM ${files} GROUP BY label ORDER BY label`);
    const expected = PLANE_CLASSES.map((c, label) => ({ label, n: manifest.scans.reduce((n, s) => n + (s.classCounts[c] ?? 0), 0) })).filter((x) => x.n > 0);
    expect(byClass.getRowObjects()).toEqual(expected);
    conn.closeSync();
  });

  it('is idempotent: a rerun skips finished scans and leaves every file byte-identical', async () => {
    const before = await tree(out);
    const again = await runDownstream(options(out));
    expect(again.skipped).toHaveLength(2);
    expect(again.processed.map((s) => s.status)).toEqual(['failed', 'failed']);
    const after = await tree(out);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect(after.get(k)?.equals(v)).toBe(true);
  });

  it('is deterministic: another run from the same inputs writes the same bytes', async () => {
    const twin = join(work, 'twin');
    await runDownstream(options(twin, { concurrency: 1 }));
    const a = await tree(out);
    const b = await tree(twin);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)?.equals(v)).toBe(true);
  });

  it('refuses to mix configurations in one folder', async () => {
    await expect(runDownstream(options(out, { config: { ...config, stride: 4 } }))).rejects.toThrow(/another configuration/);
  });

  it('the loader checks every shard against its SHA-256', async () => {
    const broken = join(work, 'broken');
    await cp(out, broken, { recursive: true });
    const shard = manifest.shards.find((s) => s.format === 'arrow')!;
    const bytes = await readFile(join(broken, shard.path));
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    await writeFile(join(broken, shard.path), bytes);
    await expect(loadDownstream(broken, { size: 32 })).rejects.toThrow(shard.path.split('/').pop()!);
    const only = await loadDownstream(out, { size: 16, scans: [scanOf(manifest, 'b.mp4').id] });
    expect(only.scans).toHaveLength(1);
    expect(only.scans[0]!.frames).toHaveLength(30 * 16 * 16);
  });
});

describe('downstream config', () => {
  it("takes frame size, crop and fps from the ingest defaults, and the method's stride", () => {
    expect(DEFAULT_DOWNSTREAM_CONFIG.frameWidth).toBe(DEFAULT_INGEST_CONFIG.frameWidth);
    expect(DEFAULT_DOWNSTREAM_CONFIG.frameHeight).toBe(DEFAULT_INGEST_CONFIG.frameHeight);
    expect(DEFAULT_DOWNSTREAM_CONFIG.fanCrop).toEqual(DEFAULT_INGEST_CONFIG.fanCrop);
    expect(DEFAULT_DOWNSTREAM_CONFIG.fps).toBe(DEFAULT_INGEST_CONFIG.sampling.fps);
    expect(DEFAULT_DOWNSTREAM_CONFIG.stride).toBe(8);
    expect(saliencySigmaCells(DEFAULT_DOWNSTREAM_CONFIG)).toBeCloseTo(2.24, 9);
  });

  it('overlays layers and rejects unknown keys and bad values', () => {
    expect(resolveDownstreamConfig({ stride: 4 }, { saliency: { width: 28 } }).saliency).toEqual({ ...DEFAULT_DOWNSTREAM_CONFIG.saliency, width: 28 });
    expect(() => resolveDownstreamConfig({ strides: 4 } as never)).toThrow(/unknown key 'strides'/);
    expect(() => resolveDownstreamConfig({ stride: 0 })).toThrow(/stride must be a positive integer/);
    expect(() => resolveDownstreamConfig({ shards: { formats: ['parquet'] } })).toThrow(/must include 'arrow'/);
  });

  it('summarises scans with a class histogram', () => {
    const text = formatDownstreamTable(
      [{ id: 's1', input: 's1.mp4', status: 'ok', error: null, duration: 8, decodedFrames: 240, frames: 30, framesWithGaze: 29, classCounts: { femur: 12, background: 18 }, crop: { x: 1, y: 2, width: 3, height: 4 } }],
      ['femur', 'background'],
    );
    expect(text).toMatch(/s1\s+ok\s+8\.0\s+30\s+29\s+3x4\+1\+2/);
    expect(text).toMatch(/classes: femur 12, background 18$/);
  });
});
