/**
 * Ingest throughput against ffmpeg alone decoding the same scans to the same raw output in
 * the same run (a ratio), peak RSS of ingesting a short against a long scan, and
 * spectrograms per second on one core.
 * Usage: node dist/bench/ingest-bench.js SCAN_DIR LONG_SCAN_DIR [CONCURRENCY]
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_INGEST_CONFIG } from '../pipelines/ingest-config.js';
import { runIngest } from '../pipelines/ingest.js';
import { SpectrogramComputer } from '../src/audio/spectrogram.js';
import { decodeArgs } from '../src/media/decode.js';
import { detectFanCrop } from '../src/media/fan-crop.js';
import { ffmpegPath } from '../src/media/ffmpeg-path.js';
import { probeMedia } from '../src/media/probe.js';
import { Rng } from '../src/util/rng.js';

async function pool<T>(items: T[], concurrency: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

function ffmpegToDevNull(args: string[]): Promise<void> {
  const devNull = openSync('/dev/null', 'w');
  return new Promise<void>((done, fail) => {
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', devNull, 'ignore', devNull] });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`ffmpeg exited with ${code}`))));
  }).finally(() => closeSync(devNull));
}

export async function ingestVersusFfmpeg(scanDir: string, concurrency: number) {
  const scans = (await readdir(scanDir)).filter((f) => f.endsWith('.mp4')).sort().map((f) => resolve(scanDir, f));
  const config = DEFAULT_INGEST_CONFIG;
  const jobs: { args: string[]; frames: number }[] = [];
  for (const path of scans) {
    const info = await probeMedia(path);
    const { box } = await detectFanCrop(path, info, config.fanCrop);
    jobs.push({ args: decodeArgs(path, { frameWidth: config.frameWidth, frameHeight: config.frameHeight, crop: box, info }, true), frames: Math.round(info.durationSeconds * 30) });
  }
  const frames = jobs.reduce((n, j) => n + j.frames, 0);
  let t0 = performance.now();
  await pool(jobs, concurrency, (j) => ffmpegToDevNull(j.args));
  const ffmpegSeconds = (performance.now() - t0) / 1000;
  const lake = await mkdtemp(join(tmpdir(), 'ingest-bench-'));
  t0 = performance.now();
  const result = await runIngest({ input: scanDir, lake, config, seed: 1, concurrency });
  const ingestSeconds = (performance.now() - t0) / 1000;
  await rm(lake, { recursive: true, force: true });
  return {
    scans: scans.length,
    frames,
    ffmpegFps: frames / ffmpegSeconds,
    ingestFps: frames / ingestSeconds,
    ratio: ffmpegSeconds / ingestSeconds,
    pairs: result.manifest.scans.reduce((n, s) => n + s.pairs, 0),
    orders: result.manifest.scans.reduce((n, s) => n + s.orderSamples, 0),
  };
}

/** Peak RSS of a whole `sonospeech ingest` process over one folder. */
export async function ingestPeakRss(scanDir: string): Promise<number> {
  const lake = await mkdtemp(join(tmpdir(), 'ingest-rss-'));
  const probe = new URL('./rss-probe.js', import.meta.url).pathname;
  const stderr: Buffer[] = [];
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [probe, 'ingest', '--input', scanDir, '--lake', lake, '--progress', 'false', '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', fail);
    child.on('close', () => done());
  });
  await rm(lake, { recursive: true, force: true });
  const match = /peak_rss_kib (\d+)/.exec(Buffer.concat(stderr).toString());
  if (!match) throw new Error(`rss probe printed no peak: ${Buffer.concat(stderr).toString().slice(-500)}`);
  return Number(match[1]) / 1024;
}

export function spectrogramsPerSecond(count = 400): number {
  const computer = new SpectrogramComputer();
  const rng = new Rng(1);
  const snippet = new Float32Array(14_400);
  for (let i = 0; i < snippet.length; i++) snippet[i] = 0.1 * rng.normal();
  const out = new Float32Array(256 * 256);
  for (let i = 0; i < 20; i++) computer.compute(snippet, out);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) computer.compute(snippet, out);
  return count / ((performance.now() - t0) / 1000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [scanDir = 'data-lake/raw/demo', longDir = 'data-lake/raw/bench-long', concurrency = '2'] = process.argv.slice(2);
  const specs = spectrogramsPerSecond();
  console.log(`spectrograms/s on one core: ${specs.toFixed(0)}`);
  const t = await ingestVersusFfmpeg(scanDir, Number(concurrency));
  console.log(
    `ingest ${t.scans} scans (${t.frames} frames, ${t.pairs} pairs, ${t.orders} order samples), concurrency ${concurrency}: ` +
      `ingest ${t.ingestFps.toFixed(0)} frames/s, ffmpeg alone ${t.ffmpegFps.toFixed(0)} frames/s, ratio ${t.ratio.toFixed(2)}`,
  );
  const shortDir = await mkdtemp(join(tmpdir(), 'ingest-short-'));
  const first = (await readdir(scanDir)).filter((f) => f.endsWith('.mp4')).sort()[0];
  if (first) {
    const { symlink } = await import('node:fs/promises');
    await symlink(resolve(scanDir, first), join(shortDir, first));
    const short = await ingestPeakRss(shortDir);
    const long = await ingestPeakRss(longDir);
    console.log(`peak RSS: ${short.toFixed(0)} MiB for one scan of ${scanDir}, ${long.toFixed(0)} MiB for ${longDir} (ratio ${(long / short).toFixed(2)})`);
  }
}
