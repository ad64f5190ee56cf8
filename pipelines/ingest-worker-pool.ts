/**
 * The main-thread side of per-scan worker threads: a ScanThread is one worker
 * (ingest-scan-worker.ts) that ingests the scans it is given one at a time. A worker that
 * dies (uncaught exception, process.exit, out of memory) turns its current scan into a
 * failed one with a one-line reason naming the file; the thread is then dead and the
 * caller starts another for the next scan.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { oneLine } from '../src/media/media-errors.js';
import type { IngestConfig } from './ingest-config.js';
import { newScanRecord, type ScanOutcome } from './ingest-scan.js';

/** `workerData` of an ingest worker. */
export interface WorkerSetup {
  lake: string;
  config: IngestConfig;
}

export interface ScanJobInput {
  id: string;
  absPath: string;
}

/** Main thread -> worker. */
export type WorkerRequest = { type: 'scan'; input: ScanJobInput } | { type: 'stop' };

/** Worker -> main thread. */
export type WorkerReport =
  | { type: 'ready' }
  | { type: 'frames'; id: string; frames: number; total: number }
  | { type: 'done'; id: string; outcome: ScanOutcome };

/** How long a stopped worker may take to exit before it is terminated. */
const STOP_GRACE_MS = 10_000;

/**
 * Old-generation size (MiB) below which a worker's V8 may skip full GCs. A worker allocates
 * ~100 KB of ArrayBuffers per frame (pipe reads, frame copies), which V8 counts against an
 * old-generation limit that follows the small live heap (~13 MB): by default a worker ran a
 * full mark-compact every ~130 frames (27 per 2-minute scan, 3 with this floor), ~0.25 ms of
 * CPU per frame, against 20-45 MiB more peak RSS per worker (docs/BENCHMARKS.md). Worker
 * resourceLimits cannot set it; V8 reads the flag when it creates an isolate, so setting it
 * before the first worker starts applies it to the worker threads this process starts
 * afterwards, not to the main thread.
 */
const WORKER_OLD_SPACE_FLOOR_MB = 128;
let workerHeapFloorSet = false;

function setWorkerHeapFloor(): void {
  if (workerHeapFloorSet) return;
  workerHeapFloorSet = true;
  setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`);
}

/**
 * The compiled worker entry beside this module (dist/pipelines/ingest-scan-worker.js).
 * Worker threads run JavaScript only: from TypeScript source (ts-jest, ts-node) there is no
 * default, and a missing file is reported with how to build it.
 */
export function defaultWorkerEntry(): URL {
  const here = import.meta.url;
  if (!here.endsWith('.js')) {
    throw new Error(
      `ingest: worker threads need the compiled worker, but ${fileURLToPath(here)} is TypeScript source; ` +
        "build with 'npm run build' and pass workerEntry (dist/pipelines/ingest-scan-worker.js), or ingest in-process",
    );
  }
  return new URL('./ingest-scan-worker.js', here);
}

export function assertWorkerEntry(entry: URL): void {
  if (!existsSync(fileURLToPath(entry))) {
    throw new Error(`ingest: worker entry ${fileURLToPath(entry)} not found; build it with 'npm run build' (or run with --in-process)`);
  }
}

interface Job {
  input: ScanJobInput;
  onFrames: (frames: number, total: number) => void;
  resolve: (outcome: ScanOutcome) => void;
}

export class ScanThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private readonly exited: Promise<void>;
  private job: Job | undefined;
  private crash: string | undefined;
  private isAlive = true;
  private isReady = false;

  private constructor(entry: URL, setup: WorkerSetup) {
    setWorkerHeapFloor();
    this.worker = new Worker(entry, { workerData: setup });
    let readyResolve!: () => void;
    let readyReject!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.worker.on('message', (report: WorkerReport) => {
      if (report.type === 'ready') {
        this.isReady = true;
        readyResolve();
      } else if (report.type === 'frames') {
        if (this.job?.input.id === report.id) this.job.onFrames(report.frames, report.total);
      } else if (this.job?.input.id === report.id) {
        const job = this.job;
        this.job = undefined;
        job.resolve(report.outcome);
      }
    });
    this.worker.on('messageerror', (error) => (this.crash ??= `unreadable message (${error.message})`));
    this.worker.on('error', (error) => (this.crash ??= error.message));
    this.exited = new Promise<void>((resolve) => {
      this.worker.once('exit', (code) => {
        this.isAlive = false;
        const reason = this.crash ?? `exited with code ${code}`;
        if (!this.isReady) readyReject(new Error(`ingest: a worker thread failed to start: ${oneLine(reason)}`));
        const job = this.job;
        this.job = undefined;
        job?.resolve(crashedScan(job.input, reason));
        resolve();
      });
    });
  }

  /** Starts a worker and resolves once it has set up (its VAD engine included); rejects if it cannot. */
  static async start(entry: URL, setup: WorkerSetup): Promise<ScanThread> {
    const thread = new ScanThread(entry, setup);
    await thread.ready;
    return thread;
  }

  /** False once the worker has exited (after a crash, or after stop()). */
  get alive(): boolean {
    return this.isAlive;
  }

  /**
   * Ingests one scan in the worker. Never rejects for the scan: a failed scan, or the worker
   * dying during it, gives a 'failed' outcome (`alive` then tells which).
   */
  run(input: ScanJobInput, onFrames: (frames: number, total: number) => void = () => undefined): Promise<ScanOutcome> {
    if (!this.isAlive) return Promise.resolve(crashedScan(input, this.crash ?? 'the worker thread has exited'));
    if (this.job) throw new Error('ScanThread: one scan at a time');
    return new Promise<ScanOutcome>((resolve) => {
      this.job = { input: { id: input.id, absPath: input.absPath }, onFrames, resolve };
      const request: WorkerRequest = { type: 'scan', input: this.job.input };
      this.worker.postMessage(request);
    });
  }

  /** Asks the worker to finish (it releases its VAD engine) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.isAlive) {
      const request: WorkerRequest = { type: 'stop' };
      this.worker.postMessage(request);
      const timer = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }
}

function crashedScan(input: ScanJobInput, reason: string): ScanOutcome {
  return {
    scan: { ...newScanRecord(input.id), status: 'failed', error: oneLine(`${input.absPath}: the ingest worker thread died: ${reason}`) },
    shards: [],
  };
}
