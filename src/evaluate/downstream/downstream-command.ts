import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { readDownstreamConfigFile, resolveDownstreamConfig, type DownstreamConfigOverrides } from '../../../pipelines/downstream-config.js';
import { runDownstream } from '../../../pipelines/downstream.js';
import type { DownstreamScanRecord } from '../../../schemas/downstream.js';
import { ProgressBars } from '../../cli/progress.js';
import { positiveInteger } from '../../cli/validate.js';

export const command = 'downstream';
export const describe = 'Build the evaluation data of labelled scans: every 8th frame with its plane class and gaze saliency map (Arrow + Parquet shards)';

export function builder(yargs: Argv) {
  return yargs
    .option('input', { type: 'string', demandOption: true, describe: 'Folder of labelled scans (<name>.mp4 + <name>.json sidecar), searched recursively' })
    .option('out', { type: 'string', demandOption: true, describe: 'Output folder: manifest.json, arrow/frames/, parquet/frames/' })
    .option('config', { type: 'string', describe: 'JSON file overriding the default downstream configuration' })
    .option('stride', { type: 'number', describe: 'Keep every N-th decoded frame (default 8)', coerce: positiveInteger('--stride') })
    .option('concurrency', { type: 'number', default: availableParallelism(), describe: 'Scans processed at once', coerce: positiveInteger('--concurrency') })
    .option('progress', { type: 'boolean', default: true, describe: 'Show progress bars' });
}

export async function handler(argv: { input: string; out: string; config?: string; stride?: number; concurrency: number; progress: boolean }): Promise<void> {
  const fromFile: DownstreamConfigOverrides = argv.config ? await readDownstreamConfigFile(argv.config) : {};
  const config = resolveDownstreamConfig(fromFile, argv.stride !== undefined ? { stride: argv.stride } : {});
  let bars: ProgressBars | undefined;
  const started = Date.now();
  const result = await runDownstream({
    input: argv.input,
    out: argv.out,
    config,
    concurrency: argv.concurrency,
    progress: {
      onPlan: (scans, skipped) => {
        if (skipped.length > 0) console.log(`${skipped.length} scan(s) already done: skipped`);
        if (argv.progress && scans.length > 0) bars = new ProgressBars(scans.reduce((n, s) => n + s.frames, 0), 'frames');
      },
      onFrames: (id, frames, total) => {
        if (frames <= 30) bars?.start(id, total);
        bars?.update(id, frames);
      },
      onScanDone: (scan) => bars?.finish(scan.id),
    },
  });
  bars?.stop();
  const seconds = (Date.now() - started) / 1000;
  const scans = result.manifest.scans;
  console.log(formatDownstreamTable(scans, result.manifest.classes));
  const decoded = result.processed.reduce((n, s) => n + s.decodedFrames, 0);
  const failed = scans.filter((s) => s.status === 'failed');
  console.log(
    `${result.processed.length} scan(s) processed, ${result.skipped.length} skipped, ${failed.length} failed in ${seconds.toFixed(1)} s ` +
      `(${(decoded / Math.max(seconds, 1e-3)).toFixed(0)} decoded frames/s); ${result.manifest.shards.length} shards, manifest ${result.manifestPath}`,
  );
  if (failed.length > 0) {
    for (const f of failed) console.error(`failed: ${f.error}`);
    process.exitCode = 1;
  }
}

/** Per-scan rows (frames, with gaze, crop) and the class histogram over all scans. */
export function formatDownstreamTable(scans: readonly DownstreamScanRecord[], classes: readonly string[]): string {
  const header = ['scan', 'status', 'seconds', 'frames', 'gaze', 'crop'];
  const rows = scans.map((s) => [
    s.id,
    s.status,
    s.duration.toFixed(1),
    String(s.frames),
    String(s.framesWithGaze),
    s.crop ? `${s.crop.width}x${s.crop.height}+${s.crop.x}+${s.crop.y}` : '-',
  ]);
  const sum = (f: (s: DownstreamScanRecord) => number): number => scans.reduce((n, s) => n + f(s), 0);
  const total = ['total', `${scans.filter((s) => s.status === 'ok').length} ok`, sum((s) => s.duration).toFixed(1), String(sum((s) => s.frames)), String(sum((s) => s.framesWithGaze)), ''];
  const table = [header, ...rows, total];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, c) => (c < 2 || c === 5 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  const histogram = classes.map((c) => `${c} ${sum((s) => s.classCounts[c] ?? 0)}`).join(', ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), line(total), `classes: ${histogram}`].join('\n');
}
