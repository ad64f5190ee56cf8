/**
 * VAD accuracy on the synthetic scans' ground truth: every 2 s clip of every scan is
 * labelled high-affinity when its sidecar speech covers at least the affinity threshold; each
 * engine's speech fraction against the affinity threshold gives its decision.
 * Usage: node dist/bench/vad-accuracy.js [SCAN_DIR] [THRESHOLD]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_INGEST_CONFIG } from '../pipelines/ingest-config.js';
import { createVad } from '../src/affinity/create-vad.js';
import { speechFractionInInterval, VAD_ENGINE_NAMES, type VadEngine } from '../src/affinity/vad-engine.js';
import { runFfmpeg } from '../src/media/run-ffmpeg.js';
import type { ScanSidecar } from '../src/synth/sidecar.js';

const RATE = 24000;
const CLIP_SECONDS = 2;

export interface ClipTruth {
  speech: number;
  kind: 'anatomy' | 'chatter' | 'noise' | 'clicks';
}

export interface EngineResult {
  engine: string;
  accuracy: number;
  byKind: Record<ClipTruth['kind'], { n: number; correct: number }>;
  bestThreshold: number;
  bestAccuracy: number;
  realTime: number;
}

function clipTruths(sidecar: ScanSidecar, clips: number): ClipTruth[] {
  return Array.from({ length: clips }, (_, k) => {
    const t0 = k * CLIP_SECONDS;
    const t1 = t0 + CLIP_SECONDS;
    let covered = 0;
    let kind: ClipTruth['kind'] = 'noise';
    for (const s of sidecar.speech) {
      const overlap = Math.min(t1, s.end) - Math.max(t0, s.start);
      if (overlap > 0) {
        covered += overlap;
        if (kind === 'noise' || s.kind === 'anatomy') kind = s.kind;
      }
    }
    if (kind === 'noise' && sidecar.noise.some((n) => n.kind === 'click' && n.end > t0 && n.start < t1)) kind = 'clicks';
    return { speech: covered / CLIP_SECONDS, kind };
  });
}

async function engineFractions(engine: VadEngine, audio: Float32Array, clips: number): Promise<number[]> {
  const session = await engine.open();
  const parts: Uint8Array[] = [];
  const chunk = CLIP_SECONDS * RATE;
  for (let i = 0; i < audio.length; i += chunk) parts.push(await session.process(audio.subarray(i, Math.min(audio.length, i + chunk))));
  parts.push(await session.flush());
  session.close();
  const decisions = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    decisions.set(p, o);
    o += p.length;
  }
  return Array.from({ length: clips }, (_, k) =>
    speechFractionInInterval(decisions, engine.frameSeconds, k * CLIP_SECONDS, (k + 1) * CLIP_SECONDS),
  );
}

export async function measureVadAccuracy(scanDir: string, threshold: number): Promise<{ clips: number; results: EngineResult[] }> {
  const files = (await readdir(scanDir)).filter((f) => f.endsWith('.json')).sort();
  const scans: { truth: ClipTruth[]; audio: Float32Array }[] = [];
  for (const f of files) {
    const sidecar = JSON.parse(await readFile(join(scanDir, f), 'utf8')) as ScanSidecar;
    const media = join(scanDir, sidecar.media.file);
    const pcm = (await runFfmpeg(['-i', media, '-vn', '-f', 'f32le', '-ac', '1', '-ar', String(RATE), 'pipe:1'])).stdout;
    const audio = new Float32Array(pcm.buffer, pcm.byteOffset, pcm.length / 4);
    const clips = Math.floor(audio.length / (CLIP_SECONDS * RATE));
    scans.push({ truth: clipTruths(sidecar, clips), audio });
  }
  const results: EngineResult[] = [];
  const variants = [
    ...VAD_ENGINE_NAMES.map((name) => ({ label: name, name, config: DEFAULT_INGEST_CONFIG.vad[name] })),
    { label: 'energy (paper settings)', name: 'energy' as const, config: {} },
  ];
  for (const { label, name, config } of variants) {
    const engine = await createVad(name, config as never);
    const fractions: number[] = [];
    const truths: ClipTruth[] = [];
    const started = process.hrtime.bigint();
    let seconds = 0;
    for (const scan of scans) {
      fractions.push(...(await engineFractions(engine, scan.audio, scan.truth.length)));
      truths.push(...scan.truth);
      seconds += scan.audio.length / RATE;
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const accuracyAt = (tau: number): number =>
      truths.filter((t, i) => (t.speech >= threshold) === ((fractions[i] as number) >= tau)).length / truths.length;
    const byKind = { anatomy: { n: 0, correct: 0 }, chatter: { n: 0, correct: 0 }, noise: { n: 0, correct: 0 }, clicks: { n: 0, correct: 0 } };
    truths.forEach((t, i) => {
      byKind[t.kind].n++;
      if ((t.speech >= threshold) === ((fractions[i] as number) >= threshold)) byKind[t.kind].correct++;
    });
    let bestThreshold = threshold;
    let bestAccuracy = accuracyAt(threshold);
    for (let tau = 0.05; tau < 0.96; tau += 0.05) {
      const a = accuracyAt(tau);
      if (a > bestAccuracy) [bestThreshold, bestAccuracy] = [tau, a];
    }
    results.push({ engine: label, accuracy: accuracyAt(threshold), byKind, bestThreshold, bestAccuracy, realTime: seconds / elapsed });
  }
  return { clips: scans.reduce((n, s) => n + s.truth.length, 0), results };
}

export function formatVadTable(clips: number, threshold: number, results: EngineResult[]): string {
  const pct = (c: { n: number; correct: number }): string => (c.n === 0 ? '-' : `${((100 * c.correct) / c.n).toFixed(1)}% (${c.n})`);
  const lines = [
    `| engine | clip accuracy @ ${threshold} | anatomy clips | chatter clips | noise-only clips | click clips | best threshold (accuracy) | speed (x real time) |`,
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.engine} | ${(100 * r.accuracy).toFixed(1)}% | ${pct(r.byKind.anatomy)} | ${pct(r.byKind.chatter)} | ${pct(r.byKind.noise)} | ${pct(r.byKind.clicks)} | ${r.bestThreshold.toFixed(2)} (${(100 * r.bestAccuracy).toFixed(1)}%) | ${r.realTime.toFixed(0)} |`,
    ),
  ];
  return `${clips} clips of ${CLIP_SECONDS} s; truth: high affinity when ground-truth speech covers >= ${threshold} of the clip (the affinity threshold).\n\n${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'data-lake/raw/demo';
  const threshold = Number(process.argv[3] ?? 0.5);
  const { clips, results } = await measureVadAccuracy(dir, threshold);
  process.stdout.write(formatVadTable(clips, threshold, results));
  const { unloadSileroModels } = await import('../src/affinity/silero-vad.js');
  await unloadSileroModels();
}
