/**
 * WebRTC VAD (`webrtcvad` package, the libwebrtc GMM detector). It accepts only 8/16/32/48 kHz
 * and 10/20/30 ms frames (FINDINGS.md), so the scan's 24 kHz audio goes through the
 * streaming resampler to `vadSampleRate` first.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { Resampler, type ResamplerConfig } from '../audio/resample.js';
import { FrameSplitter } from './frame-splitter.js';
import { Pcm16Frame } from './pcm16.js';
import type { VadEngine, VadSession } from './vad-engine.js';

export interface WebrtcVadConfig {
  /** Sample rate of the incoming audio (Hz). Default 24000. */
  inputSampleRate: number;
  /** Rate the detector runs at: 8000, 16000, 32000 or 48000. Default 16000. */
  vadSampleRate: 8000 | 16000 | 32000 | 48000;
  /** Aggressiveness 0 (least) .. 3 (most likely to call a frame non-speech). Default 3. */
  mode: 0 | 1 | 2 | 3;
  /** Frame length in ms: 10, 20 or 30. Default 30. */
  frameMs: 10 | 20 | 30;
  /** Resampler to vadSampleRate. Default 8 zero crossings: half the cost of the general default, ample for a VAD. */
  resampler: Partial<ResamplerConfig>;
}

export const DEFAULT_WEBRTC_VAD_CONFIG: Readonly<WebrtcVadConfig> = Object.freeze({
  inputSampleRate: 24_000,
  vadSampleRate: 16_000,
  mode: 3,
  frameMs: 30,
  resampler: Object.freeze({ zeroCrossings: 8 }),
});

interface NativeVad {
  process(audio: Buffer): boolean;
}
type NativeVadClass = new (sampleRate: number, level: number) => NativeVad;

let nativeVadClass: NativeVadClass | undefined;

function loadNativeVad(): NativeVadClass {
  if (nativeVadClass) return nativeVadClass;
  const require = createRequire(import.meta.url);
  if (!isMainThread) {
    nativeVadClass = loadPrivateAddonCopy(require);
    return nativeVadClass;
  }
  // CommonJS with `exports.default` (FINDINGS.md): unwrap it.
  const mod = require('webrtcvad') as NativeVadClass | { default: NativeVadClass };
  nativeVadClass = typeof mod === 'function' ? mod : mod.default;
  return nativeVadClass;
}

interface AddonExports {
  VAD: new (sampleRate: number, level: number) => { process(audio: Buffer, samples: number): boolean };
}

/**
 * The addon keeps its JS class in one process-wide static (`static Napi::FunctionReference
 * constructor`, webrtcvad/src/vad.h) that every thread loading it overwrites, deleting the
 * reference of the thread that loaded it last, even after that thread has exited: with
 * worker threads coming and going (ingest) the process dies (segfault, "free(): invalid
 * pointer"). A worker thread therefore loads a private copy of the addon file, which has
 * its own statics (dlopen shares a library only between loads of the same file). The copy
 * is deleted once loaded. The wrapper below is what webrtcvad's index.js does.
 */
function loadPrivateAddonCopy(require: NodeRequire): NativeVadClass {
  const addon = join(dirname(require.resolve('webrtcvad/package.json')), 'build', 'Release', 'vad.node');
  const dir = mkdtempSync(join(tmpdir(), 'sonospeech-webrtcvad-'));
  const module = { exports: {} as AddonExports };
  try {
    const copy = join(dir, 'vad.node');
    copyFileSync(addon, copy);
    process.dlopen(module, copy);
  } finally {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Some systems cannot delete a loaded library; it stays in the temp folder.
    }
  }
  const { VAD } = module.exports;
  return class PrivateWebrtcVad implements NativeVad {
    private readonly native: InstanceType<AddonExports['VAD']>;

    constructor(sampleRate: number, level: number) {
      this.native = new VAD(sampleRate, level);
    }

    process(audio: Buffer): boolean {
      return this.native.process(audio, audio.length / 2);
    }
  };
}

export class WebrtcVadSession implements VadSession {
  private readonly resampler: Resampler | undefined;
  private readonly splitter: FrameSplitter;
  private readonly pcm: Pcm16Frame;
  private vad: NativeVad | undefined;

  constructor(cfg: WebrtcVadConfig, VadClass: NativeVadClass) {
    this.resampler = cfg.inputSampleRate === cfg.vadSampleRate ? undefined : new Resampler(cfg.inputSampleRate, cfg.vadSampleRate, cfg.resampler);
    const frameSamples = (cfg.vadSampleRate * cfg.frameMs) / 1000;
    this.splitter = new FrameSplitter(frameSamples);
    this.pcm = new Pcm16Frame(frameSamples);
    this.vad = new VadClass(cfg.vadSampleRate, cfg.mode);
  }

  process(chunk: Float32Array): Uint8Array {
    const audio = this.resampler ? this.resampler.process(chunk) : chunk;
    return this.classify(audio, false);
  }

  flush(): Uint8Array {
    const tail = this.resampler ? this.resampler.flush() : new Float32Array(0);
    return this.classify(tail, true);
  }

  close(): void {
    this.vad = undefined;
  }

  private classify(audio: Float32Array, last: boolean): Uint8Array {
    const vad = this.vad;
    if (!vad) throw new Error('webrtc VAD: session closed');
    const out: number[] = [];
    const onFrame = (frame: Float32Array): void => {
      out.push(vad.process(this.pcm.fill(frame)) ? 1 : 0);
    };
    this.splitter.push(audio, onFrame);
    if (last) this.splitter.flush(onFrame);
    return Uint8Array.from(out);
  }
}

export class WebrtcVad implements VadEngine {
  readonly name = 'webrtc' as const;
  readonly config: Readonly<WebrtcVadConfig>;
  readonly frameSeconds: number;
  readonly inputSampleRate: number;
  private readonly VadClass: NativeVadClass;

  constructor(config: Partial<WebrtcVadConfig> = {}) {
    const cfg = { ...DEFAULT_WEBRTC_VAD_CONFIG, ...config };
    if (![8000, 16000, 32000, 48000].includes(cfg.vadSampleRate)) {
      throw new Error(`webrtc VAD: vadSampleRate must be 8000/16000/32000/48000, got ${cfg.vadSampleRate}`);
    }
    if (![10, 20, 30].includes(cfg.frameMs)) throw new Error(`webrtc VAD: frameMs must be 10/20/30, got ${cfg.frameMs}`);
    if (![0, 1, 2, 3].includes(cfg.mode)) throw new Error(`webrtc VAD: mode must be 0..3, got ${cfg.mode}`);
    this.config = Object.freeze(cfg);
    this.frameSeconds = cfg.frameMs / 1000;
    this.inputSampleRate = cfg.inputSampleRate;
    this.VadClass = loadNativeVad();
  }

  open(): WebrtcVadSession {
    return new WebrtcVadSession(this.config, this.VadClass);
  }
}
