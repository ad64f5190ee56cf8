/**
 * Energy VAD with adaptive scaling factor (Sakhnov, Verteletskaya & Simak 2009), as
 * METHOD.md restates it. Per frame: E = mean square;
 *   lambda = (Emax - Emin) / Emax, threshold = (1 - lambda) Emax + lambda Emin
 * (which simplifies to Emin (1 + lambda): between Emin and 2 Emin); speech if E > threshold,
 * held for `hangoverFrames` frames after the last frame above it. Emin follows new minima at
 * once and otherwise drifts up by `eminRise` per frame (so a raised noise floor is learnt,
 * slowly); Emax follows new maxima and decays by `emaxDecay` per frame (never below Emin).
 *
 * Added here, not in the paper: a threshold floor of 2 Emin (`minThresholdRatio`, which
 * only matters before the first loud frame of a scan), an optional high-pass
 * (`highPassHz`, off by default), and: frames quieter than `minEnergy` (digital silence, e.g. the
 * zeros a decoder emits before the first audio packet) are non-speech and leave Emin/Emax
 * untouched. Without it one silent frame pins Emin at ~0 and every later sound counts as
 * speech until Emin has drifted back up (for minutes at x1.0001 per 10 ms frame).
 */
import { FrameSplitter } from './frame-splitter.js';
import type { VadEngine, VadSession } from './vad-engine.js';

export interface EnergyVadConfig {
  /** Input sample rate (Hz). Default 24000. */
  inputSampleRate: number;
  /** Frame length in seconds (rounded to whole samples). Default 0.01. */
  frameSeconds: number;
  /** Frames kept as speech after the last frame above the threshold. Default 8 (80 ms). */
  hangoverFrames: number;
  /** Per-frame growth factor of Emin while no new minimum arrives. Default 1.0001 (paper). */
  eminRise: number;
  /**
   * Per-frame growth of the rise factor itself (the rise accelerates while no new minimum
   * arrives; reset on a new minimum). Default 1 (constant rise, as METHOD.md states it).
   */
  eminRiseAcceleration: number;
  /**
   * The threshold never goes below minThresholdRatio * Emin. The paper's threshold simplifies
   * to Emin (1 + lambda), so it is already ~2 Emin (+3 dB) once a loud frame has been heard
   * (lambda -> 1 as Emax >> Emin) and 2 changes nothing from then on. It matters at the start
   * of a scan: before any loud frame lambda is ~0.5 on steady noise, the threshold sits at the
   * noise mean and half the frames of plain room noise pass (speech fraction ~0.8 on a -60 dB
   * floor). Default 2; 1 = the paper exactly.
   */
  minThresholdRatio: number;
  /** Per-frame decay factor of Emax. Default 1 (no decay: Emax is the loudest frame so far). */
  emaxDecay: number;
  /** Frames with E below this (mean square, full scale = 1) are ignored. Default 1e-9 (-90 dBFS). */
  minEnergy: number;
  /**
   * Cut-off (Hz) of a 2nd-order Butterworth high-pass applied before the energy, 0 = none
   * (default, as the paper). Rumble, hum and brown noise live below ~300 Hz; speech energy
   * mostly above.
   */
  highPassHz: number;
  /** Initial Emin; undefined: the first frame above minEnergy. Default undefined. */
  initialEmin: number | undefined;
  /** Initial Emax; undefined: the first frame above minEnergy. Default undefined. */
  initialEmax: number | undefined;
}

export const DEFAULT_ENERGY_VAD_CONFIG: Readonly<EnergyVadConfig> = Object.freeze({
  inputSampleRate: 24_000,
  frameSeconds: 0.01,
  hangoverFrames: 8,
  eminRise: 1.0001,
  eminRiseAcceleration: 1,
  minThresholdRatio: 2,
  emaxDecay: 1,
  minEnergy: 1e-9,
  highPassHz: 0,
  initialEmin: undefined,
  initialEmax: undefined,
});

/** The detector's state machine, frame by frame; exported for inspection in tests. */
export class EnergyDetector {
  emin: number;
  emax: number;
  private rise: number;
  private hangover = 0;
  private started: boolean;

  constructor(private readonly cfg: EnergyVadConfig) {
    this.emin = cfg.initialEmin ?? 0;
    this.emax = cfg.initialEmax ?? 0;
    this.rise = cfg.eminRise;
    this.started = cfg.initialEmin !== undefined && cfg.initialEmax !== undefined;
  }

  /** Decision for a frame of mean-square energy `e`. */
  step(e: number): 0 | 1 {
    const cfg = this.cfg;
    if (!(e >= cfg.minEnergy)) {
      if (this.hangover > 0) {
        this.hangover--;
        return 1;
      }
      return 0;
    }
    if (!this.started) {
      if (this.cfg.initialEmin === undefined) this.emin = e;
      if (this.cfg.initialEmax === undefined) this.emax = e;
      this.started = true;
    }
    if (e > this.emax) this.emax = e;
    if (e < this.emin) {
      this.emin = e;
      this.rise = cfg.eminRise;
    }
    if (this.emax < this.emin) this.emax = this.emin;
    const lambda = this.emax > 0 ? (this.emax - this.emin) / this.emax : 0;
    const threshold = Math.max((1 - lambda) * this.emax + lambda * this.emin, cfg.minThresholdRatio * this.emin);
    let speech: 0 | 1 = 0;
    if (e > threshold) {
      speech = 1;
      this.hangover = cfg.hangoverFrames;
    } else if (this.hangover > 0) {
      this.hangover--;
      speech = 1;
    }
    // Adapt for the next frame.
    this.emin *= this.rise;
    this.rise *= cfg.eminRiseAcceleration;
    this.emax = Math.max(this.emin, this.emax * cfg.emaxDecay);
    return speech;
  }
}

export class EnergyVadSession implements VadSession {
  private readonly splitter: FrameSplitter;
  private readonly detector: EnergyDetector;
  private readonly highPass: Biquad | undefined;
  private closed = false;

  constructor(cfg: EnergyVadConfig) {
    this.splitter = new FrameSplitter(Math.round(cfg.frameSeconds * cfg.inputSampleRate));
    this.detector = new EnergyDetector(cfg);
    this.highPass = cfg.highPassHz > 0 ? Biquad.highPass(cfg.highPassHz, cfg.inputSampleRate) : undefined;
  }

  process(input: Float32Array): Uint8Array {
    if (this.closed) throw new Error('energy VAD: session closed');
    const chunk = this.highPass ? this.highPass.process(input) : input;
    const out = new Uint8Array(Math.floor((this.splitter.buffered + chunk.length) / this.splitter.frameSamples));
    let i = 0;
    this.splitter.push(chunk, (frame) => {
      out[i++] = this.detector.step(meanSquare(frame));
    });
    return out;
  }

  flush(): Uint8Array {
    if (this.closed) throw new Error('energy VAD: session closed');
    const out: number[] = [];
    this.splitter.flush((frame) => out.push(this.detector.step(meanSquare(frame))));
    return Uint8Array.from(out);
  }

  close(): void {
    this.closed = true;
  }
}

export class EnergyVad implements VadEngine {
  readonly name = 'energy' as const;
  readonly config: Readonly<EnergyVadConfig>;
  readonly frameSeconds: number;
  readonly inputSampleRate: number;

  constructor(config: Partial<EnergyVadConfig> = {}) {
    this.config = Object.freeze({ ...DEFAULT_ENERGY_VAD_CONFIG, ...config });
    this.inputSampleRate = this.config.inputSampleRate;
    this.frameSeconds = Math.round(this.config.frameSeconds * this.inputSampleRate) / this.inputSampleRate;
  }

  open(): EnergyVadSession {
    return new EnergyVadSession(this.config);
  }
}

function meanSquare(frame: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i] as number;
    sum += v * v;
  }
  return sum / frame.length;
}

/** Direct-form-I biquad whose state carries across chunks. */
class Biquad {
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  private constructor(
    private readonly b0: number,
    private readonly b1: number,
    private readonly b2: number,
    private readonly a1: number,
    private readonly a2: number,
  ) {}

  /** Butterworth (Q = 1/sqrt 2) high-pass, RBJ cookbook coefficients. */
  static highPass(cutoffHz: number, sampleRate: number): Biquad {
    const w = (2 * Math.PI * cutoffHz) / sampleRate;
    const alpha = Math.sin(w) / Math.SQRT2;
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    return new Biquad((1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0);
  }

  process(input: Float32Array): Float32Array {
    const out = new Float32Array(input.length);
    let { x1, x2, y1, y2 } = this;
    for (let i = 0; i < input.length; i++) {
      const x = input[i] as number;
      const y = this.b0 * x + this.b1 * x1 + this.b2 * x2 - this.a1 * y1 - this.a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      out[i] = y;
    }
    this.x1 = x1;
    this.x2 = x2;
    this.y1 = y1;
    this.y2 = y2;
    return out;
  }
}
