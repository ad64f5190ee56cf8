/**
 * Ingest throughput, in one run and as ratios: worker threads (the default) and the
 * in-process path against ffmpeg alone decoding the same scans to the same raw outputs at
 * the same concurrency, with the CPU each spent; peak RSS of ingesting one short, one
 * medium and one long scan; spectrograms per second on one core. The load average is
 * printed with every figure: the machine is shared.
 * Usage: node dist/bench/ingest-bench.js SCAN_DIR LONG_SCAN_DIR [CONCURRENCY] [MEDIUM_SCAN_DIR] [PARTS]
 * (the first scan of SCAN_DIR, MEDIUM_SCAN_DIR (default data-lake/raw/bench) and LONG_SCAN_DIR
 * are the RSS cases; PARTS: 'throughput', 'rss' or both, comma-separated, the default).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_INGEST_CONFIG } from '../pipelines/ingest-config.js';
import { runIngest } from '../pipelines/ingest.js';
import { SpectrogramComputer } from '../src/audio/spectrogram.js';
import { decodeArgs } from '../src/media/decode.js';
import { detectFanCrop } from '../src/media/fan-crop.js';
import { ffmpegPath } from '../src/media/ffmpeg-path.js';
import { probeMedia } from '../src/media/probe.js';
import { childCpuSeconds } from '../src/util/child-cpu.js';
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

export interface TimedRun {
  seconds: number;
  fps: number;
  /** CPU seconds of this process (all its threads) and of its ffmpeg children. */
  nodeCpu: number;
  ffmpegCpu: number;
  /** 1-minute load average after the run. */
  load: number;
}

async function timed(frames: number, work: () => Promise<void>): Promise<TimedRun> {
  const cpu0 = process.cpuUsage();
  const children0 = childCpuSeconds();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, fps: frames / seconds, nodeCpu: (cpu.user + cpu.system) / 1e6, ffmpegCpu: childCpuSeconds() - children0, load: loadavg()[0] ?? 0 };
}

export interface IngestVersusFfmpeg {
  scans: number;
  frames: number;
  /** ffmpeg alone, run before and after the two ingests (their mean is the reference). */
  ffmpegBefore: TimedRun;
  ffmpegAfter: TimedRun;
  workers: TimedRun;
  inProcess: TimedRun;
  /** Ingest frames/s over the mean ffmpeg-alone frames/s. */
  workersRatio: number;
  inProcessRatio: number;
  pairs: number;
  orders: number;
}

export async function ingestVersusFfmpeg(scanDir: string, concurrency: number): Promise<IngestVersusFfmpeg> {
  const scans = (await readdir(scanDir)).filter((f) => f.endsWith('.mp4')).sort().map((f) => resolve(scanDir, f));
  const config = DEFAULT_INGEST_CONFIG;
  const jobs: { args: string[]; frames: number }[] = [];
  for (const path of scans) {
    const info = await probeMedia(path);
    const { box } = await detectFanCrop(path, info, config.fanCrop);
    jobs.push({ args: decodeArgs(path, { frameWidth: config.frameWidth, frameHeight: config.frameHeight, crop: box, info }, true), frames: Math.round(info.durationSeconds * 30) });
  }
  const frames = jobs.reduce((n, j) => n + j.frames, 0);
  const ffmpegAlone = (): Promise<TimedRun> => timed(frames, () => pool(jobs, concurrency, (j) => ffmpegToDevNull(j.args)));
  const ingest = async (inProcess: boolean): Promise<{ run: TimedRun; pairs: number; orders: number }> => {
    const lake = await mkdtemp(join(tmpdir(), 'ingest-bench-'));
    let pairs = 0;
    let orders = 0;
    const run = await timed(frames, async () => {
      const result = await runIngest({ input: scanDir, lake, config, seed: 1, concurrency, inProcess });
      pairs = result.manifest.scans.reduce((n, s) => n + s.pairs, 0);
      orders = result.manifest.scans.reduce((n, s) => n + s.orderSamples, 0);
    });
    await rm(lake, { recursive: true, force: true });
    return { run, pairs, orders };
  };
  const ffmpegBefore = await ffmpegAlone();
  const workers = await ingest(false);
  const inProcess = await ingest(true);
  const ffmpegAfter = await ffmpegAlone();
  const ffmpegFps = (ffmpegBefore.fps + ffmpegAfter.fps) / 2;
  return {
    scans: scans.length,
    frames,
    ffmpegBefore,
    ffmpegAfter,
    workers: workers.run,
    inProcess: inProcess.run,
    workersRatio: workers.run.fps / ffmpegFps,
    inProcessRatio: inProcess.run.fps / ffmpegFps,
    pairs: workers.pairs,
    orders: workers.orders,
  };
}

/** Peak RSS (MiB) of a whole `sonospeech ingest` process over one folder, with extra CLI arguments. */
export async function ingestPeakRss(scanDir: string, extraArgs: string[] = []): Promise<number> {
  const lake = await mkdtemp(join(tmpdir(), 'ingest-rss-'));
  const probe = new URL('./rss-probe.js', import.meta.url).pathname;
  const stderr: Buffer[] = [];
  await new Promise<void>((done, fail) => {
    const args = [probe, 'ingest', '--input', scanDir, '--lake', lake, '--progress', 'false', '--concurrency', '1', ...extraArgs];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
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

/** A temporary folder holding a link to the first scan of `dir` (undefined when there is none). */
async function firstScanOf(dir: string): Promise<{ dir: string; name: string; minutes: number } | undefined> {
  if (!existsSync(dir)) return undefined;
  const first = (await readdir(dir)).filter((f) => f.endsWith('.mp4')).sort()[0];
  if (!first) return undefined;
  const linkDir = await mkdtemp(join(tmpdir(), 'ingest-rss-scan-'));
  await symlink(resolve(dir, first), join(linkDir, first));
  const info = await probeMedia(resolve(dir, first));
  return { dir: linkDir, name: join(dir, first), minutes: info.durationSeconds / 60 };
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

function describeRun(name: string, run: TimedRun, frames: number): string {
  const perFrame = (cpu: number): string => ((1000 * cpu) / frames).toFixed(2);
  return (
    `${name.padEnd(26)} ${run.fps.toFixed(0).padStart(5)} frames/s (${run.seconds.toFixed(1)} s); CPU per frame: ` +
    `node ${perFrame(run.nodeCpu)} ms, ffmpeg ${perFrame(run.ffmpegCpu)} ms; load after ${run.load.toFixed(2)}`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const [scanDir = 'data-lake/raw/demo', longDir = 'data-lake/raw/bench-long', concurrencyArg = '2', mediumDir = 'data-lake/raw/bench', partsArg = 'throughput,rss'] = args;
  const concurrency = Number(concurrencyArg);
  const parts = partsArg.split(',');
  console.log(`${new Date().toISOString()}; load average (1, 5, 15 min) at start: ${load()}`);
  if (parts.includes('throughput')) {
    console.log(`spectrograms/s on one core: ${spectrogramsPerSecond().toFixed(0)}`);
    const t = await ingestVersusFfmpeg(scanDir, concurrency);
    console.log(`${t.scans} scans of ${scanDir}: ${t.frames} frames, ${t.pairs} pairs, ${t.orders} order samples; concurrency ${concurrency}`);
    console.log(describeRun('ffmpeg alone (before)', t.ffmpegBefore, t.frames));
    console.log(describeRun('ingest, worker threads', t.workers, t.frames));
    console.log(describeRun('ingest, --in-process', t.inProcess, t.frames));
    console.log(describeRun('ffmpeg alone (after)', t.ffmpegAfter, t.frames));
    console.log(`ratio to ffmpeg alone: worker threads ${t.workersRatio.toFixed(2)}, in-process ${t.inProcessRatio.toFixed(2)}`);
  }
  for (const dir of parts.includes('rss') ? [scanDir, mediumDir, longDir] : []) {
    const scan = await firstScanOf(dir);
    if (!scan) {
      console.log(`peak RSS: no scan in ${dir}, skipped`);
      continue;
    }
    const workers = await ingestPeakRss(scan.dir);
    const inProcess = await ingestPeakRss(scan.dir, ['--in-process']);
    await rm(scan.dir, { recursive: true, force: true });
    console.log(
      `peak RSS, one ${scan.minutes.toFixed(0)}-minute scan (${scan.name}): worker thread ${workers.toFixed(0)} MiB, ` +
        `in-process ${inProcess.toFixed(0)} MiB; load ${load()}`,
    );
  }
}
