import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { INIT_IDS } from '../src/evaluate/protocol/init-variants.js';
import { TABLE_FILES } from '../src/evaluate/protocol/tables.js';
import type { FoldResult } from '../src/evaluate/protocol/fold-job.js';
import { cachedSyntheticScan } from '../src/media/test-fixtures.js';
import { microConfig } from '../src/train/model/testing.js';
import { resolveDownstreamConfig } from './downstream-config.js';
import { resolveEvaluateConfig } from './evaluate-config.js';
import { foldResultPath, runEvaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
import { resolveIngestConfig } from './ingest-config.js';

tf.env().set('PROD', true);

let work: string;
let raw: string;

// Three 8-second labelled scans: 3 folds of one test scan each.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'evaluate-'));
  raw = join(work, 'raw');
  for (const [k, seed] of [41, 42, 43].entries()) {
    const scan = await cachedSyntheticScan({ seed, seconds: 8, width: 320, height: 240 });
    await cp(scan.mediaPath, join(raw, `scan-${k}.mp4`));
    await writeFile(join(raw, `scan-${k}.json`), JSON.stringify(scan.sidecar));
  }
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const config = resolveEvaluateConfig('quick', {
  trainEvery: 1,
  testEvery: 2,
  finetune: { epochs: 1, batchSize: 8 },
  probe: { epochs: 3, batchSize: 16 },
  saliency: { epochs: 1, batchSize: 8, hidden: 8 },
  evalBatchSize: 16,
  aucBorjiSplits: 10,
  report: { saliencySamples: 2 },
  // A micro network (16 x 16 frames) and batches small enough for the few rows of 8-second scans.
  pretrain: { epochs: 1, batchSize: 4, model: microConfig(), replay: { shuffleBuffer: 16, interleave: 1, lastBatch: 'pad' } },
});

function options(out: string, extra: Partial<EvaluateOptions> = {}): EvaluateOptions {
  return {
    scans: raw,
    out,
    config,
    backend: 'wasm',
    concurrency: 2,
    ingestInProcess: true,
    ingestConfig: resolveIngestConfig({ frameWidth: 64, frameHeight: 64, shards: { shardRows: 40, batchRows: 10 } }),
    downstreamConfig: resolveDownstreamConfig({ frameWidth: 64, frameHeight: 64, saliency: { width: 16, height: 16 }, shards: { shardRows: 20, batchRows: 8 } }),
    ...extra,
  };
}

/** CSV rows (no quoted fields in these tables) without the header. */
function csvRows(text: string): string[][] {
  return text.trim().split('\r\n').slice(1).map((line) => line.split(','));
}

describe('sonospeech evaluate, end to end on three tiny scans', () => {
  let out: string;
  let result: EvaluateResult;
  const logs: string[] = [];
  const transfer = { total: 0, updates: [] as number[] };

  beforeAll(async () => {
    out = join(work, 'eval');
    const progress = {
      log: (line: string) => logs.push(line),
      start: (task: string, total: number) => {
        if (task === 'transfer') transfer.total = total;
      },
      update: (task: string, done: number) => {
        if (task === 'transfer') transfer.updates.push(done);
      },
    };
    result = await runEvaluate(options(out, { progress }));
  }, 150_000);

  it('reports its stages as it goes', () => {
    expect(logs.some((l) => /^ingest lake \(all clips\): 3 scan\(s\) ingested/.test(l))).toBe(true);
    expect(logs.filter((l) => /^fold \d\/3 /.test(l))).toHaveLength(15);
    expect(Object.keys(result.stageSeconds)).toEqual(['downstream data', 'pre-training', 'loading downstream data', 'transfer', 'centre prior', 'affinity timelines']);
  });

  it("counts the transfer's work so that it rises steadily to exactly its announced total", () => {
    expect(transfer.total).toBeGreaterThan(0);
    expect(transfer.updates.length).toBeGreaterThan(15);
    expect(transfer.updates.every((v, i) => i === 0 || v >= transfer.updates[i - 1]!)).toBe(true);
    expect(transfer.updates.at(-1)).toBe(transfer.total);
    // A job's own last report equals the stage's report after it (the job's announced share) exactly
    // once per job: an over-counting job would break the rise, an under-counting one this pair.
    expect(transfer.updates.filter((v, i) => i > 0 && v === transfer.updates[i - 1]).length).toBe(15);
  });

  it('pre-trains the four variants (the video-only one on order batches alone) and evaluates five initialisations on three folds', async () => {
    expect(result.runs.map((r) => [r.variant, r.origin])).toEqual([
      ['full', 'trained'],
      ['video-only', 'trained'],
      ['cls-only', 'trained'],
      ['contrastive', 'trained'],
    ]);
    const videoOnly = result.runs.find((r) => r.variant === 'video-only')!;
    expect(videoOnly.metrics.length).toBeGreaterThan(0);
    expect(videoOnly.metrics.every((l) => l.kind === 'orders')).toBe(true);
    expect(result.runs.find((r) => r.variant === 'cls-only')!.metrics.every((l) => l.kind === 'pairs' && l.cont === undefined)).toBe(true);
    expect(new Set(result.runs.map((r) => r.weightsSha256)).size).toBe(4);
    expect([...result.results.keys()]).toEqual([...INIT_IDS]);
    for (const init of INIT_IDS) {
      const folds = result.results.get(init)!;
      expect(folds.map((f) => f.fold)).toEqual([0, 1, 2]);
      const saved = JSON.parse(await readFile(foldResultPath(out, init, 1), 'utf8')) as FoldResult;
      expect(saved.key).toBe(folds[1]!.key);
      expect(saved.finetune.confusion.flat().reduce((a, b) => a + b, 0)).toBe(saved.rows.test);
    }
    // Every scan is a test scan exactly once.
    expect(result.results.get('random')!.flatMap((f) => f.test).sort()).toHaveLength(3);
  });

  it('writes Tables 1-3 as Markdown and CSV with the expected rows and finite numbers', async () => {
    const names = (await readdir(join(out, 'tables'))).sort();
    expect(names).toEqual([...Object.values(TABLE_FILES).flatMap((n) => [`${n}.csv`, `${n}.md`]), 'tables.md'].sort());
    const expected: Record<keyof typeof TABLE_FILES, string[]> = {
      planeFinetune: ['Random', 'Video only (frame order)', 'Ours (video + speech)'],
      planeProbe: ['Random', 'Video only (frame order)', 'Ours (video + speech)'],
      saliency: ['Random', 'Video only (frame order)', 'Ours (video + speech)', 'Centre prior: mean training gaze (no backbone)'],
      ablation: ['Classification only', '+ contrastive', 'Full (+ affinity curriculum)'],
    };
    for (const [key, name] of Object.entries(TABLE_FILES) as [keyof typeof TABLE_FILES, string][]) {
      const rows = csvRows(await readFile(join(out, 'tables', `${name}.csv`), 'utf8'));
      expect(rows.map((r) => r[0])).toEqual(expected[key]);
      for (const row of rows) {
        const values = row.slice(1).map(Number);
        expect(values.length).toBeGreaterThanOrEqual(6);
        // CC can be NaN (an empty cell) only for a constant map; everything else is a number.
        expect(values.filter((v, i) => row[i + 1] !== '' && Number.isFinite(v)).length).toBeGreaterThanOrEqual(values.length - 2);
      }
      const md = await readFile(join(out, 'tables', `${name}.md`), 'utf8');
      for (const label of expected[key]) expect(md).toContain(`| ${label} |`);
      expect(md).toMatch(/±/);
    }
    const f1 = csvRows(await readFile(join(out, 'tables', `${TABLE_FILES.planeFinetune}.csv`), 'utf8')).map((r) => Number(r[5]));
    for (const v of f1) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of f1) expect(v).toBeLessThanOrEqual(100);
  });

  it('writes a self-contained report with every section and figure', async () => {
    const html = await readFile(result.reportPath, 'utf8');
    for (const title of ['Table 1.', 'Table 1b.', 'Table 2.', 'Table 3.', 'Pre-training curves', 'Fine-tuning curves', 'Confusion matrices', 'Saliency: predicted vs true', 'Affinity timelines', 'Per-class F1']) {
      expect(html).toContain(title);
    }
    const images = html.match(/<img [^>]*src="data:image\/png;base64,/g) ?? [];
    // 4 pre-training curves + 1 fine-tuning panel + 5 confusion matrices + 3 inits x 2 saliency samples + 3 timelines.
    expect(images).toHaveLength(4 + 1 + 5 + 6 + 3);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('reruns idempotently: given runs and unchanged inputs reuse every fold result', async () => {
    const again: string[] = [];
    const runs = Object.fromEntries(result.runs.map((r) => [r.variant, r.dir]));
    const second = await runEvaluate(options(out, { runs, timelines: false, progress: { log: (line) => again.push(line) } }));
    expect(second.runs.every((r) => r.origin === 'given')).toBe(true);
    expect(again.some((l) => /15 fold job\(s\), 15 reused, 0 to run/.test(l))).toBe(true);
    expect(second.tables.planeFinetune.csv).toBe(result.tables.planeFinetune.csv);
    expect(second.tables.saliency.csv).toBe(result.tables.saliency.csv);
  }, 60_000);
});

describe('evaluate config', () => {
  it('layers overrides over a profile and rejects unknown keys and bad values', () => {
    const quick = resolveEvaluateConfig('quick');
    const full = resolveEvaluateConfig('full');
    const paper = resolveEvaluateConfig('paper');
    expect([quick.folds, full.folds, paper.folds, paper.trainEvery, full.trainEvery]).toEqual([3, 3, 3, 1, 16]);
    expect(quick.finetune.epochs).toBeLessThan(full.finetune.epochs);
    expect(full.finetune.epochs).toBeLessThan(paper.finetune.epochs);
    expect(paper.pretrain).toEqual({}); // the method's training defaults
    expect(full.pretrain).toEqual({ epochs: 3, optimizer: { learningRate: 0.01, decayEvery: 2 } });
    const custom = resolveEvaluateConfig('full', { finetune: { epochs: 2 } }, { seed: 9, pretrain: { epochs: 3, loss: { temperature: 0.2 } } });
    expect([custom.finetune.epochs, custom.finetune.learningRate, custom.seed, custom.pretrain.epochs]).toEqual([2, 0.01, 9, 3]);
    expect(() => resolveEvaluateConfig('full', { finetune: { epoch: 2 } } as never)).toThrow(/unknown key 'finetune.epoch'/);
    expect(() => resolveEvaluateConfig('full', { foldsToRun: 4 })).toThrow(/foldsToRun/);
    expect(() => resolveEvaluateConfig('full', { saliency: { learningRate: 0 } })).toThrow(/saliency.learningRate/);
  });
});
