/**
 * Speech pre-processing eta(): a 0.6 s snippet -> 256 x 256 log-power spectrogram (METHOD.md).
 *
 * Defaults and why:
 * - 24 kHz input, 10 ms Hann window (240 samples), 5 ms hop (120 samples), no padding:
 *   a 14,400-sample snippet gives floor((14400 - 240) / 120) + 1 = 119 frames, each made of
 *   real samples only (centred frames would invent 5 ms of padding at both ends).
 * - nFft 512, Nyquist bin dropped: bins 0..255 cover 0 .. 11,953 Hz in 46.875 Hz steps.
 *   512 keeps the FFT a power of two (fft.js radix-4); 510 would need a mixed-radix FFT for
 *   bins 47.06 Hz apart, i.e. the same picture. The dropped bin (12 kHz) is the edge of the
 *   decoder's anti-alias filter and carries ~nothing.
 * - Power scaled so that a full-scale sine peaks at 0 dB: |X|^2 * (2 / sum(window))^2, then
 *   10 log10(max(power, 10^(floorDb / 10))) with floorDb = -100.
 * - 119 frames -> 256 columns by linear interpolation of the dB values along time, corners
 *   aligned: column c reads frame position c * (frames - 1) / (columns - 1), so column 0 is the
 *   first frame (centre 5 ms) and column 255 the last (centre 595 ms).
 * Layout of the result: row-major [bin][column], `out[bin * columns + column]`, bin 0 = 0 Hz.
 */
import FFT from 'fft.js';

// Local bindings: under Jest's VM context a global `Math.x` lookup in a hot loop is ~20x slower.
const { log10, min, floor, round } = Math;

export type WindowType = 'hann' | 'hamming' | 'blackman' | 'rectangular';
export type TimeResize = 'linear' | 'nearest';
export type FramePadding = 'none' | 'reflect' | 'zero';

export interface SpectrogramConfig {
  /** Input sample rate (Hz). Default 24000. */
  sampleRate: number;
  /** Snippet length in samples. Default 14400 (0.6 s at 24 kHz). */
  snippetSamples: number;
  /** STFT window length in samples. Default 240 (10 ms). */
  windowSamples: number;
  /** STFT hop in samples. Default 120 (5 ms). */
  hopSamples: number;
  /** FFT size (power of two, >= windowSamples). Default 512. */
  nFft: number;
  /** Frequency bins kept, from 0 Hz up. Default 256 (nFft / 2: the Nyquist bin is dropped). */
  bins: number;
  /** Output columns (time). Default 256. */
  columns: number;
  /** Analysis window (periodic form). Default 'hann'. */
  window: WindowType;
  /** Floor of the log, in dB relative to a full-scale sine. Default -100. */
  floorDb: number;
  /** How frames become columns. Default 'linear' (interpolation along time, corners aligned). */
  timeResize: TimeResize;
  /** Padding of windowSamples/2 at both snippet ends ('none': frames use real samples only). Default 'none'. */
  padding: FramePadding;
}

export const DEFAULT_SPECTROGRAM_CONFIG: Readonly<SpectrogramConfig> = Object.freeze({
  sampleRate: 24_000,
  snippetSamples: 14_400,
  windowSamples: 240,
  hopSamples: 120,
  nFft: 512,
  bins: 256,
  columns: 256,
  window: 'hann',
  floorDb: -100,
  timeResize: 'linear',
  padding: 'none',
});

export function makeWindow(type: WindowType, length: number): Float64Array {
  const w = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = (2 * Math.PI * i) / length;
    switch (type) {
      case 'hann':
        w[i] = 0.5 - 0.5 * Math.cos(x);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(x);
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
        break;
      case 'rectangular':
        w[i] = 1;
        break;
    }
  }
  return w;
}

/** Number of STFT frames a snippet gives under `config`. */
export function stftFrameCount(config: SpectrogramConfig): number {
  const padded = config.snippetSamples + (config.padding === 'none' ? 0 : 2 * Math.floor(config.windowSamples / 2));
  if (padded < config.windowSamples) return 0;
  return Math.floor((padded - config.windowSamples) / config.hopSamples) + 1;
}

/** Frequency (Hz) at the centre of a bin. */
export function binFrequency(bin: number, config: SpectrogramConfig = DEFAULT_SPECTROGRAM_CONFIG): number {
  return (bin * config.sampleRate) / config.nFft;
}

/**
 * Reusable spectrogram computer: all buffers are allocated once, so one instance per worker
 * thread. Not re-entrant.
 */
export class SpectrogramComputer {
  readonly config: Readonly<SpectrogramConfig>;
  readonly frames: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly frameIn: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly padded: Float32Array;
  /** dB values, [frame][bin]. */
  private readonly framesDb: Float32Array;
  private readonly powerScale: number;
  private readonly floorPower: number;
  private readonly floorDb: number;

  constructor(config: Partial<SpectrogramConfig> = {}) {
    const cfg: SpectrogramConfig = { ...DEFAULT_SPECTROGRAM_CONFIG, ...config };
    const { nFft, windowSamples, hopSamples, bins, columns } = cfg;
    if (!(nFft >= 2 && (nFft & (nFft - 1)) === 0)) throw new Error(`spectrogram: nFft must be a power of two, got ${nFft}`);
    if (windowSamples > nFft) throw new Error(`spectrogram: windowSamples ${windowSamples} > nFft ${nFft}`);
    if (bins > nFft / 2 + 1) throw new Error(`spectrogram: bins ${bins} > nFft/2 + 1`);
    if (!(hopSamples >= 1) || !(columns >= 1) || !(bins >= 1)) throw new Error('spectrogram: hop, bins, columns must be >= 1');
    this.config = Object.freeze(cfg);
    this.frames = stftFrameCount(cfg);
    if (this.frames < 1) throw new Error('spectrogram: snippet shorter than one window');
    this.fft = new FFT(nFft);
    this.window = makeWindow(cfg.window, windowSamples);
    let sum = 0;
    for (const v of this.window) sum += v;
    this.powerScale = (2 / sum) ** 2;
    this.floorDb = cfg.floorDb;
    this.floorPower = 10 ** (cfg.floorDb / 10);
    this.frameIn = new Float64Array(nFft);
    this.spectrum = new Float64Array(2 * nFft);
    const half = cfg.padding === 'none' ? 0 : Math.floor(windowSamples / 2);
    this.padded = new Float32Array(cfg.snippetSamples + 2 * half);
    this.framesDb = new Float32Array(this.frames * bins);
  }

  /** Output length: bins * columns. */
  get size(): number {
    return this.config.bins * this.config.columns;
  }

  /**
   * Spectrogram of `snippet` (exactly snippetSamples long) in dB, written into `out`
   * (allocated when omitted), layout [bin][column].
   */
  compute(snippet: Float32Array, out: Float32Array = new Float32Array(this.size)): Float32Array {
    const cfg = this.config;
    if (snippet.length !== cfg.snippetSamples) {
      throw new Error(`spectrogram: snippet has ${snippet.length} samples, expected ${cfg.snippetSamples}`);
    }
    if (out.length !== this.size) throw new Error(`spectrogram: out has ${out.length} values, expected ${this.size}`);
    const source = this.pad(snippet);
    const { windowSamples, hopSamples, bins } = cfg;
    const frameIn = this.frameIn;
    const spectrum = this.spectrum;
    const window = this.window;
    const scale = this.powerScale;
    const floorPower = this.floorPower;
    const db = this.framesDb;
    for (let f = 0; f < this.frames; f++) {
      const start = f * hopSamples;
      for (let i = 0; i < windowSamples; i++) frameIn[i] = (source[start + i] as number) * (window[i] as number);
      // frameIn[windowSamples..nFft) stays zero (zero padding), set once at construction.
      this.fft.realTransform(spectrum, frameIn);
      const row = f * bins;
      for (let k = 0; k < bins; k++) {
        const re = spectrum[2 * k] as number;
        const im = spectrum[2 * k + 1] as number;
        const p = (re * re + im * im) * scale;
        db[row + k] = p > floorPower ? 10 * log10(p) : this.floorDb;
      }
    }
    this.resizeTime(out);
    return out;
  }

  private pad(snippet: Float32Array): Float32Array {
    const cfg = this.config;
    if (cfg.padding === 'none') return snippet;
    const half = Math.floor(cfg.windowSamples / 2);
    const p = this.padded;
    p.set(snippet, half);
    const n = snippet.length;
    for (let i = 0; i < half; i++) {
      if (cfg.padding === 'zero') {
        p[half - 1 - i] = 0;
        p[half + n + i] = 0;
      } else {
        p[half - 1 - i] = snippet[Math.min(n - 1, i + 1)] as number;
        p[half + n + i] = snippet[Math.max(0, n - 2 - i)] as number;
      }
    }
    return p;
  }

  private resizeTime(out: Float32Array): void {
    const { bins, columns, timeResize } = this.config;
    const frames = this.frames;
    const db = this.framesDb;
    const step = columns > 1 ? (frames - 1) / (columns - 1) : 0;
    for (let c = 0; c < columns; c++) {
      const pos = c * step;
      if (timeResize === 'nearest') {
        const row = min(frames - 1, round(pos)) * bins;
        for (let k = 0; k < bins; k++) out[k * columns + c] = db[row + k] as number;
        continue;
      }
      const f0 = min(frames - 1, floor(pos));
      const f1 = min(frames - 1, f0 + 1);
      const t = pos - f0;
      const r0 = f0 * bins;
      const r1 = f1 * bins;
      for (let k = 0; k < bins; k++) {
        const a = db[r0 + k] as number;
        out[k * columns + c] = a + ((db[r1 + k] as number) - a) * t;
      }
    }
  }
}

/** One-off convenience; for many snippets keep one SpectrogramComputer. */
export function logSpectrogram(snippet: Float32Array, config: Partial<SpectrogramConfig> = {}): Float32Array {
  return new SpectrogramComputer(config).compute(snippet);
}
