/**
 * The run directory:
 *   config.json            the resolved TrainConfig, the lake and its manifest hash, backend, workers
 *   metrics.jsonl          one JSON line per step (MetricsLine)
 *   checkpoints/latest.ckpt            the newest checkpoint (every N steps and every epoch end)
 *   checkpoints/epoch-NNNN.ckpt        the state at the end of epoch NNNN (the newest few are kept)
 *   weights.ssw            the final weights (saveWeights format), written when the run completes
 *   curves.png             training curves, redrawn at every epoch end
 *   summary.json           written last, when the run completes
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shards/atomic-file.js';
import { writeJsonAtomic } from '../../util/atomic-json.js';

export interface MetricsLine {
  step: number;
  epoch: number;
  /** Batch position in the epoch. */
  position: number;
  kind: 'pairs' | 'orders';
  rows: number;
  loss: number;
  cls?: number;
  cont?: number;
  ord?: number;
  pairAccuracy?: number;
  orderAccuracy?: number;
  lr: number;
  gradNorm: number;
  /** rows / (dataWaitMs + computeMs) * 1000. */
  samplesPerSecond: number;
  dataWaitMs: number;
  computeMs: number;
}

export class RunDir {
  readonly checkpoints: string;

  constructor(readonly dir: string) {
    this.checkpoints = join(dir, 'checkpoints');
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  get configPath(): string {
    return this.path('config.json');
  }

  get metricsPath(): string {
    return this.path('metrics.jsonl');
  }

  get latestCheckpoint(): string {
    return join(this.checkpoints, 'latest.ckpt');
  }

  epochCheckpoint(epoch: number): string {
    return join(this.checkpoints, `epoch-${String(epoch).padStart(4, '0')}.ckpt`);
  }

  async create(): Promise<void> {
    await mkdir(this.checkpoints, { recursive: true });
  }

  exists(name: string): boolean {
    return existsSync(this.path(name));
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await writeJsonAtomic(this.path(name), value, 2);
  }

  async readJson<T>(name: string): Promise<T> {
    return JSON.parse(await readFile(this.path(name), 'utf8')) as T;
  }

  async writeFile(name: string, data: Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(name), data);
  }

  async appendMetrics(line: MetricsLine): Promise<void> {
    await appendFile(this.metricsPath, JSON.stringify(line) + '\n');
  }

  /** Every complete metrics line (a line cut short by a kill is skipped). */
  async readMetrics(): Promise<MetricsLine[]> {
    if (!existsSync(this.metricsPath)) return [];
    const lines: MetricsLine[] = [];
    for (const text of (await readFile(this.metricsPath, 'utf8')).split('\n')) {
      if (text.trim() === '') continue;
      try {
        lines.push(JSON.parse(text) as MetricsLine);
      } catch {
        // the tail of a run killed mid-write
      }
    }
    return lines;
  }

  /** Keeps the lines of steps <= step (what a resumed run continues from). */
  async truncateMetrics(step: number): Promise<void> {
    const kept = (await this.readMetrics()).filter((l) => l.step <= step);
    await writeFileAtomic(this.metricsPath, kept.map((l) => JSON.stringify(l) + '\n').join(''));
  }

  /** Removes epoch checkpoints but the newest `keep`. */
  async pruneEpochCheckpoints(keep: number): Promise<void> {
    const names = (await readdir(this.checkpoints)).filter((n) => /^epoch-\d+\.ckpt$/.test(n)).sort();
    for (const name of names.slice(0, Math.max(0, names.length - keep))) await rm(join(this.checkpoints, name), { force: true });
  }
}
