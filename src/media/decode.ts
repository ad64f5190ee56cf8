import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { AudioEvent, CropBox, FrameEvent, MediaEvent, MediaInfo } from '../types/ingest.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { Float32Chunker, FrameChunker } from './frame-chunker.js';
import { MediaError } from './media-errors.js';
import { assertReadableFile, ffmpegInputUrl, lastCause, probeMedia } from './probe.js';

export interface DecodeOptions {
  /** Size of the emitted frames (after crop, scaled with area averaging). */
  frameWidth: number;
  frameHeight: number;
  /** Crop in source pixels, applied before scaling; the full frame when absent. */
  crop?: CropBox;
  /** Output frame rate, whatever the source's (default 30). */
  fps?: number;
  /** Output sample rate of the mono float audio (default 24000). */
  sampleRate?: number;
  /** A scan without audio: throw MediaError 'no-audio' (default) or emit silence. */
  noAudio?: 'error' | 'silence';
  /**
   * Decoded bytes held for the consumer (queued events, partial records, stream buffers)
   * beyond which both pipes pause until the consumer pulls (default 2 MiB). 0: read only
   * while the consumer waits.
   */
  readAheadBytes?: number;
  /** An output this many media seconds ahead of the other is paused (default 4). */
  maxSkewSeconds?: number;
  /**
   * When the consumer waits, nothing is queued and the lagging output has delivered nothing
   * for this long, ffmpeg needs the paused output to advance (badly interleaved input): the
   * skew bound of that output is raised and it resumes (default 500 ms).
   */
  skewStallMs?: number;
  /** Video shorter than the container duration by more than this is a truncated file (default 1 s). */
  truncationToleranceSeconds?: number;
  /** The probe result, when the caller already has it (the file is probed otherwise). */
  info?: MediaInfo;
}

export interface DecodeStats {
  /** ffmpeg's process id once spawned. */
  pid: number | undefined;
  frames: number;
  audioSamples: number;
  /** Decoded bytes held now: queued events + partial records + bytes buffered in the pipe streams. */
  bufferedBytes: number;
  maxBufferedBytes: number;
  /** How many times each pipe was paused (for any reason). */
  videoPauses: number;
  audioPauses: number;
  /** Pauses of one pipe because its output ran ahead of the other's. */
  skewPauses: number;
  /** Times a skew pause was lifted because the lagging output stalled (see skewStallMs). */
  skewStalls: number;
  /** Largest |video seconds - audio seconds| received. */
  maxSkewSeconds: number;
}

/** The decode of one scan: pull events with `for await`; `stats` for tests and logs. */
export interface ScanDecode extends AsyncIterable<MediaEvent> {
  readonly stats: DecodeStats;
}

const DEFAULTS = {
  fps: 30,
  sampleRate: 24000,
  noAudio: 'error' as const,
  readAheadBytes: 2 << 20,
  maxSkewSeconds: 4,
  skewStallMs: 500,
  truncationToleranceSeconds: 1,
};

/**
 * Decodes a scan with ONE ffmpeg process: grey cropped scaled frames at `fps` on fd 1 and
 * mono f32le audio at `sampleRate` on fd 3, emitted as FrameEvents and AudioEvents in
 * arrival order. The consumer's pulls drive both pipes (see DecodeOptions for the bounds).
 * Errors (ffmpeg failure, truncated file) throw from the iterator after the events decoded
 * before them; stopping early (`break`, `return()`) kills ffmpeg and resolves once it is reaped.
 * The iterable can be iterated once.
 */
export function decodeScan(path: string, options: DecodeOptions): ScanDecode {
  const session = new DecodeSession(path, options);
  let used = false;
  return {
    stats: session.stats,
    [Symbol.asyncIterator](): AsyncIterator<MediaEvent> {
      if (used) throw new Error(`decodeScan('${path}') can be iterated only once`);
      used = true;
      return session.events();
    },
  };
}

/** The -vf chain: resample to `fps` first (fewer frames to scale from faster sources), grey before crop so odd offsets are exact. */
export function videoFilter(options: { frameWidth: number; frameHeight: number; crop?: CropBox; fps?: number }): string {
  const fps = options.fps ?? DEFAULTS.fps;
  const parts = [`fps=fps=${fps}:start_time=0`, 'format=gray'];
  const c = options.crop;
  if (c) parts.push(`crop=${c.width}:${c.height}:${c.x}:${c.y}`);
  parts.push(`scale=${options.frameWidth}:${options.frameHeight}:flags=area`);
  return parts.join(',');
}

/** `aresample` with async=1 pads a late-starting audio stream with silence so sample 0 is t = 0, like frame 0. */
export function audioFilter(): string {
  return 'aresample=async=1:first_pts=0';
}

/** The full ffmpeg argument list (video to pipe:1, audio to pipe:3 when `withAudio`). */
export function decodeArgs(absolutePath: string, options: DecodeOptions, withAudio: boolean): string[] {
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-i', ffmpegInputUrl(absolutePath),
    '-map', '0:v:0', '-vf', videoFilter(options), '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
  ];
  if (withAudio) {
    args.push('-map', '0:a:0', '-af', audioFilter(), '-ac', '1', '-ar', String(options.sampleRate ?? DEFAULTS.sampleRate), '-f', 'f32le', 'pipe:3');
  }
  return args;
}

interface Pipe {
  name: 'video' | 'audio';
  stream: Readable;
  handle: (chunk: Buffer) => void;
  ended: boolean;
  /** Not read at the moment (read-ahead full or skew); ffmpeg blocks once the OS buffer fills. */
  held: boolean;
  /** Held because its output is too far ahead of the other's. */
  skewHeld: boolean;
  /** Extra skew tolerated after a stall (seconds). */
  allowance: number;
}

const STDERR_TAIL = 16384;

/**
 * The pipes are read in paused mode ('readable' + read()): a pipe is "paused" simply by not
 * reading it, and Node never resumes it behind our back (it does resume flowing-mode stdio
 * when the child exits). Unread data stays in the stream buffer (up to its high-water mark),
 * then in the OS pipe, then ffmpeg blocks on write.
 */
class DecodeSession {
  readonly stats: DecodeStats = {
    pid: undefined,
    frames: 0,
    audioSamples: 0,
    bufferedBytes: 0,
    maxBufferedBytes: 0,
    videoPauses: 0,
    audioPauses: 0,
    skewPauses: 0,
    skewStalls: 0,
    maxSkewSeconds: 0,
  };

  private readonly fps: number;
  private readonly sampleRate: number;
  private readonly readAheadBytes: number;
  private readonly maxSkew: number;
  private readonly skewStallMs: number;
  private info: MediaInfo | undefined;
  private absolute = '';
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitCode: number | null | undefined;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: Error | undefined;
  private video: Pipe | undefined;
  private audio: Pipe | undefined;
  private pipes: Pipe[] = [];
  private silence = false;
  private readonly queue: MediaEvent[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private readonly frameChunker: FrameChunker;
  private readonly floatChunker = new Float32Chunker();
  private stderrTail = '';
  private waiting = false;
  private wake: (() => void) | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private finished = false;
  private stopping = false;
  private flowing = false;
  private flowAgain = false;

  constructor(
    private readonly path: string,
    private readonly options: DecodeOptions,
  ) {
    const { frameWidth, frameHeight } = options;
    if (!(Number.isInteger(frameWidth) && frameWidth > 0 && Number.isInteger(frameHeight) && frameHeight > 0)) {
      throw new Error(`decodeScan: frame size must be positive integers, got ${frameWidth}x${frameHeight}`);
    }
    this.fps = options.fps ?? DEFAULTS.fps;
    this.sampleRate = options.sampleRate ?? DEFAULTS.sampleRate;
    this.readAheadBytes = options.readAheadBytes ?? DEFAULTS.readAheadBytes;
    this.maxSkew = options.maxSkewSeconds ?? DEFAULTS.maxSkewSeconds;
    this.skewStallMs = options.skewStallMs ?? DEFAULTS.skewStallMs;
    this.frameChunker = new FrameChunker(frameWidth * frameHeight);
    this.info = options.info;
  }

  async *events(): AsyncGenerator<MediaEvent, void, undefined> {
    try {
      await this.start();
      for (;;) {
        const event = this.take();
        if (event) {
          yield event;
          continue;
        }
        if (this.finished) {
          if (this.failure) throw this.failure;
          return;
        }
        await this.waitForEvents();
      }
    } finally {
      await this.stop();
    }
  }

  private async start(): Promise<void> {
    const noAudio = this.options.noAudio ?? DEFAULTS.noAudio;
    this.absolute = await assertReadableFile(this.path);
    this.info ??= await probeMedia(this.path, { requireVideo: true, requireAudio: false });
    if (!this.info.hasVideo) throw new MediaError(this.path, 'no-video');
    if (!this.info.hasAudio && noAudio === 'error') throw new MediaError(this.path, 'no-audio');
    this.silence = !this.info.hasAudio;
    const crop = this.options.crop;
    if (crop && (crop.x < 0 || crop.y < 0 || crop.width < 1 || crop.height < 1 || crop.x + crop.width > this.info.width || crop.y + crop.height > this.info.height)) {
      throw new Error(`decodeScan: crop ${JSON.stringify(crop)} does not fit the ${this.info.width}x${this.info.height} frame of '${this.path}'`);
    }
    const args = decodeArgs(this.absolute, this.options, !this.silence);
    const child = spawn(ffmpegPath(), args, { stdio: this.silence ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stats.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.on('error', (err) => {
        this.spawnError = err;
        this.exitCode = null;
        resolve();
      });
      child.on('close', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
    });
    void this.exited.then(() => this.maybeFinish());
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.video = this.attach('video', child.stdout as Readable, (chunk) => this.onVideo(chunk));
    if (!this.silence) this.audio = this.attach('audio', child.stdio[3] as Readable, (chunk) => this.onAudio(chunk));
    this.pipes = this.audio ? [this.video, this.audio] : [this.video];
  }

  private attach(name: Pipe['name'], stream: Readable, handle: (chunk: Buffer) => void): Pipe {
    const pipe: Pipe = { name, stream, handle, ended: false, held: false, skewHeld: false, allowance: 0 };
    stream.on('readable', () => this.flow());
    stream.on('end', () => {
      pipe.ended = true;
      this.flow();
      this.maybeFinish();
    });
    stream.on('error', (err) => {
      if (!this.stopping) this.failure ??= new MediaError(this.path, 'decode-failed', `${name} pipe: ${err.message}`);
      pipe.ended = true;
      this.maybeFinish();
    });
    return pipe;
  }

  private onVideo(chunk: Buffer): void {
    this.frameChunker.push(chunk, (pixels) => {
      const frame: FrameEvent = { kind: 'frame', index: this.stats.frames++, pixels };
      this.enqueue(frame, pixels.byteLength);
      if (this.silence) this.emitSilenceTo(Math.round((this.stats.frames * this.sampleRate) / this.fps));
    });
  }

  private onAudio(chunk: Buffer): void {
    const samples = this.floatChunker.push(chunk);
    if (samples.length === 0) return;
    const event: AudioEvent = { kind: 'audio', start: this.stats.audioSamples, samples };
    this.stats.audioSamples += samples.length;
    this.enqueue(event, samples.byteLength);
  }

  private emitSilenceTo(sampleCount: number): void {
    const n = sampleCount - this.stats.audioSamples;
    if (n <= 0) return;
    this.enqueue({ kind: 'audio', start: this.stats.audioSamples, samples: new Float32Array(n) }, n * 4);
    this.stats.audioSamples += n;
  }

  private enqueue(event: MediaEvent, bytes: number): void {
    this.queue.push(event);
    this.queuedBytes += bytes;
  }

  private take(): MediaEvent | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const event = this.queue[this.queueHead] as MediaEvent;
    this.queue[this.queueHead++] = undefined as unknown as MediaEvent;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.queuedBytes -= event.kind === 'frame' ? event.pixels.byteLength : event.samples.byteLength;
    this.flow();
    return event;
  }

  private get queueLength(): number {
    return this.queue.length - this.queueHead;
  }

  private measure(): void {
    let held = this.queuedBytes + this.frameChunker.pendingBytes + this.floatChunker.pendingBytes;
    for (const pipe of this.pipes) held += pipe.stream.readableLength;
    this.stats.bufferedBytes = held;
    if (held > this.stats.maxBufferedBytes) this.stats.maxBufferedBytes = held;
    if (this.audio) {
      const skew = Math.abs(this.videoSeconds() - this.audioSeconds());
      if (skew > this.stats.maxSkewSeconds) this.stats.maxSkewSeconds = skew;
    }
  }

  private videoSeconds(): number {
    return this.stats.frames / this.fps;
  }

  private audioSeconds(): number {
    return this.stats.audioSamples / this.sampleRate;
  }

  /**
   * Reads whatever the pipes may deliver now, one chunk per pipe in turn, then wakes the
   * consumer. Called on every change: data available, an event taken, the consumer waiting.
   */
  private flow(): void {
    if (this.stopping) return;
    if (this.flowing) {
      this.flowAgain = true;
      return;
    }
    this.flowing = true;
    this.measure();
    do {
      this.flowAgain = false;
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const pipe of this.pipes) {
          if (pipe.ended || !this.mayRead(pipe)) continue;
          const chunk = pipe.stream.read() as Buffer | null;
          if (chunk === null) continue;
          pipe.handle(chunk);
          this.clearStallTimer();
          this.measure();
          progressed = true;
        }
      }
    } while (this.flowAgain);
    this.flowing = false;
    this.armStallTimer();
    this.signal();
  }

  /**
   * Both pipes are read while the consumer waits or the read-ahead has room; a pipe whose
   * output is more than the skew bound ahead of a still-running other pipe is held alone.
   */
  private mayRead(pipe: Pipe): boolean {
    const demand = this.waiting || this.queuedBytes < this.readAheadBytes;
    const other = pipe === this.video ? this.audio : this.video;
    const skew = this.videoSeconds() - this.audioSeconds();
    const ahead = pipe === this.video ? skew : -skew;
    const skewHeld = other !== undefined && !other.ended && ahead > this.maxSkew + pipe.allowance;
    if (skewHeld && !pipe.skewHeld) this.stats.skewPauses++;
    pipe.skewHeld = skewHeld;
    const held = !demand || skewHeld;
    if (held && !pipe.held) {
      if (pipe.name === 'video') this.stats.videoPauses++;
      else this.stats.audioPauses++;
    }
    pipe.held = held;
    return !held;
  }

  private armStallTimer(): void {
    const stallPossible = this.waiting && this.queueLength === 0 && this.pipes.some((p) => p.skewHeld && !p.ended);
    if (stallPossible && this.stallTimer === undefined) this.stallTimer = setTimeout(() => this.onStall(), this.skewStallMs);
    else if (!stallPossible) this.clearStallTimer();
  }

  private onStall(): void {
    this.stallTimer = undefined;
    const skew = this.videoSeconds() - this.audioSeconds();
    for (const pipe of this.pipes) {
      if (!pipe.skewHeld) continue;
      // Tolerate the present skew plus the usual bound from now on.
      pipe.allowance = pipe === this.video ? skew : -skew;
      this.stats.skewStalls++;
    }
    this.flow();
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== undefined) {
      clearTimeout(this.stallTimer);
      this.stallTimer = undefined;
    }
  }

  private waitForEvents(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = true;
      this.wake = resolve;
      this.flow();
    });
  }

  private signal(): void {
    if (!this.wake || (this.queueLength === 0 && !this.finished)) return;
    const wake = this.wake;
    this.wake = undefined;
    this.waiting = false;
    wake();
  }

  private maybeFinish(): void {
    if (this.finished || this.exitCode === undefined) return;
    if (this.spawnError === undefined && this.pipes.some((p) => !p.ended)) return;
    this.finished = true;
    this.clearStallTimer();
    this.failure ??= this.check();
    this.signal();
  }

  /** Why the finished decode is not a complete one, if it is not. */
  private check(): Error | undefined {
    if (this.spawnError) return new MediaError(this.path, 'decode-failed', `cannot run ffmpeg: ${this.spawnError.message}`);
    const errors = this.stderrLines();
    if (this.exitCode !== 0) {
      const corrupt = errors.some((l) => CORRUPTION.test(l));
      const how = this.exitCode === null ? `killed by ${this.exitSignal}` : `exit ${this.exitCode}`;
      return new MediaError(this.path, corrupt ? 'corrupt' : 'decode-failed', `ffmpeg ${how}: ${this.lastErrors(errors)}`);
    }
    if (this.frameChunker.pendingBytes > 0) {
      return new MediaError(this.path, 'corrupt', `video ends inside frame ${this.stats.frames} (${this.frameChunker.pendingBytes} of ${this.frameChunker.recordBytes} bytes)`);
    }
    if (errors.some((l) => /partial file/i.test(l))) {
      return new MediaError(this.path, 'corrupt', `file ends early after ${this.videoSeconds().toFixed(2)} s of video: ${this.lastErrors(errors)}`);
    }
    if (this.stats.frames === 0) return new MediaError(this.path, 'decode-failed', `no video frames decoded${errors.length ? `: ${this.lastErrors(errors)}` : ''}`);
    const duration = this.info?.durationSeconds ?? 0;
    const tolerance = this.options.truncationToleranceSeconds ?? DEFAULTS.truncationToleranceSeconds;
    if (duration > 0 && this.videoSeconds() < duration - tolerance) {
      return new MediaError(this.path, 'corrupt', `decoded ${this.videoSeconds().toFixed(2)} s of video, the file says ${duration.toFixed(2)} s`);
    }
    return undefined;
  }

  private stderrLines(): string[] {
    return this.stderrTail
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }

  private lastErrors(lines: string[]): string {
    return lastCause(lines, this.absolute);
  }

  /** Kills ffmpeg if it still runs, closes our ends of the pipes and waits until it is reaped. */
  private async stop(): Promise<void> {
    this.stopping = true;
    this.clearStallTimer();
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const stream of [child.stdout, child.stderr, child.stdio[3]]) (stream as Readable | null | undefined)?.destroy();
    await this.exited;
  }
}

const CORRUPTION = /Invalid data|partial file|corrupt|moov atom not found|error reading header|Invalid NAL|truncat/i;
