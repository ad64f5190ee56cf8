/**
 * Streaming rational-ratio resampler: polyphase windowed-sinc (Kaiser window).
 *
 * For rates in -> out with g = gcd(in, out), L = out / g and M = in / g, output sample n
 * sits at input time t = n * M / L. Its fractional part takes only L values (phases), so the
 * kernel is tabulated once per phase. The kernel is symmetric around t (zero phase): output
 * n is aligned with input time n / out seconds, there is no group delay to compensate. The
 * price is a look-ahead of `halfTaps` input samples, which the stream holds back until more
 * input or `flush()` arrives.
 */

export interface ResamplerConfig {
  /** Zero crossings of the sinc on each side of the centre, counted at the lower of the two rates. Default 16. */
  zeroCrossings: number;
  /** Pass-band edge as a fraction of the lower rate's Nyquist frequency. Default 0.9. */
  cutoff: number;
  /** Kaiser window beta; 8.6 gives ~85 dB stop-band attenuation. Default 8.6. */
  kaiserBeta: number;
}

export const DEFAULT_RESAMPLER_CONFIG: Readonly<ResamplerConfig> = Object.freeze({
  zeroCrossings: 16,
  cutoff: 0.9,
  kaiserBeta: 8.6,
});

const { floor } = Math; // local binding: fast under Jest's VM context too

/** Largest number of distinct phases we accept; beyond this the kernel table gets silly. */
const MAX_PHASES = 16_384;

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Number of output samples that `inputLength` input samples become (ceil(n * out / in)). */
export function resampledLength(inputLength: number, inRate: number, outRate: number): number {
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  return Math.ceil((inputLength * up) / down);
}

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Input samples used on each side of an output sample's position. */
  readonly halfTaps: number;
  private readonly up: number;
  private readonly down: number;
  private readonly taps: number;
  /** Kernel table: phase p occupies [p * taps, (p + 1) * taps). */
  private readonly kernel: Float32Array;
  /** Pending input, buf[i] is global input sample bufStart + i. */
  private buf: Float32Array;
  private bufLength: number;
  private bufStart: number;
  /** Next output's input position: integer part and phase (numerator over `up`). */
  private nextIndex = 0;
  private nextPhase = 0;
  private inputCount = 0;
  private outputCount = 0;
  private flushed = false;

  constructor(inRate: number, outRate: number, config: Partial<ResamplerConfig> = {}) {
    const cfg = { ...DEFAULT_RESAMPLER_CONFIG, ...config };
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new Error(`Resampler: rates must be positive integers, got ${inRate} -> ${outRate}`);
    }
    if (!(cfg.cutoff > 0 && cfg.cutoff <= 1)) throw new Error(`Resampler: cutoff must be in (0, 1], got ${cfg.cutoff}`);
    if (!(cfg.zeroCrossings >= 1)) throw new Error(`Resampler: zeroCrossings must be >= 1, got ${cfg.zeroCrossings}`);
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    if (this.up > MAX_PHASES) {
      throw new Error(`Resampler: ${inRate} -> ${outRate} needs ${this.up} phases (max ${MAX_PHASES})`);
    }
    // Cutoff as a fraction of the input rate's Nyquist: anti-aliasing when going down.
    const fc = cfg.cutoff * Math.min(1, this.up / this.down);
    const halfWidth = cfg.zeroCrossings / fc; // in input samples
    this.halfTaps = Math.ceil(halfWidth);
    this.taps = 2 * this.halfTaps;
    this.kernel = new Float32Array(this.up * this.taps);
    const i0Beta = besselI0(cfg.kaiserBeta);
    for (let p = 0; p < this.up; p++) {
      const frac = p / this.up;
      let sum = 0;
      const row = p * this.taps;
      // Tap k multiplies input sample (index - halfTaps + 1 + k), at distance d from t.
      for (let k = 0; k < this.taps; k++) {
        const d = frac + this.halfTaps - 1 - k;
        let w = 0;
        if (Math.abs(d) < halfWidth) {
          const r = d / halfWidth;
          const x = Math.PI * fc * d;
          const sinc = x === 0 ? 1 : Math.sin(x) / x;
          w = sinc * (besselI0(cfg.kaiserBeta * Math.sqrt(1 - r * r)) / i0Beta);
        }
        this.kernel[row + k] = w;
        sum += w;
      }
      // Unit DC gain for every phase (otherwise a constant input would ripple).
      for (let k = 0; k < this.taps; k++) this.kernel[row + k] = (this.kernel[row + k] as number) / sum;
    }
    // Samples before the stream start are zeros.
    this.buf = new Float32Array(Math.max(4096, 4 * this.taps));
    this.bufStart = -this.halfTaps;
    this.bufLength = this.halfTaps;
  }

  /** Resamples the next chunk; returns the output samples that are complete so far (a new array). */
  process(chunk: Float32Array): Float32Array {
    if (this.flushed) throw new Error('Resampler: process() after flush()');
    this.append(chunk);
    this.inputCount += chunk.length;
    return this.drain(this.bufStart + this.bufLength);
  }

  /** Ends the stream: pads with zeros and returns the remaining output. Total output = resampledLength(input). */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    this.append(new Float32Array(this.halfTaps + 1));
    const total = resampledLength(this.inputCount, this.inRate, this.outRate);
    return this.drain(this.bufStart + this.bufLength, total - this.outputCount);
  }

  /** Forgets all state; the next process() starts a new stream. */
  reset(): void {
    this.bufStart = -this.halfTaps;
    this.bufLength = this.halfTaps;
    this.buf.fill(0, 0, this.halfTaps);
    this.nextIndex = 0;
    this.nextPhase = 0;
    this.inputCount = 0;
    this.outputCount = 0;
    this.flushed = false;
  }

  private append(chunk: Float32Array): void {
    const needed = this.bufLength + chunk.length;
    if (needed > this.buf.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.buf.length));
      grown.set(this.buf.subarray(0, this.bufLength));
      this.buf = grown;
    }
    this.buf.set(chunk, this.bufLength);
    this.bufLength = needed;
  }

  /** Emits outputs whose taps lie below global index `available`, at most `limit` of them. */
  private drain(available: number, limit = Infinity): Float32Array {
    const halfTaps = this.halfTaps;
    const taps = this.taps;
    // Output at index i needs input up to i + halfTaps (inclusive).
    const lastIndex = available - 1 - halfTaps;
    let count = 0;
    if (lastIndex >= this.nextIndex) {
      // Outputs with integer position <= lastIndex: positions step by down/up.
      const span = (lastIndex - this.nextIndex + 1) * this.up - this.nextPhase;
      count = Math.ceil(span / this.down);
    }
    count = Math.max(0, Math.min(count, limit));
    const out = new Float32Array(count);
    const buf = this.buf;
    const kernel = this.kernel;
    let index = this.nextIndex;
    let phase = this.nextPhase;
    for (let n = 0; n < count; n++) {
      const base = index - halfTaps + 1 - this.bufStart;
      const row = phase * taps;
      // Unrolled by four (every scan's VAD resampling runs here); the additions keep their
      // order, so the output is bit-identical to the plain loop.
      let acc = 0;
      let k = 0;
      for (; k + 3 < taps; k += 4) {
        const b = base + k;
        const r = row + k;
        acc += (buf[b] as number) * (kernel[r] as number);
        acc += (buf[b + 1] as number) * (kernel[r + 1] as number);
        acc += (buf[b + 2] as number) * (kernel[r + 2] as number);
        acc += (buf[b + 3] as number) * (kernel[r + 3] as number);
      }
      for (; k < taps; k++) acc += (buf[base + k] as number) * (kernel[row + k] as number);
      out[n] = acc;
      phase += this.down;
      if (phase >= this.up) {
        index += floor(phase / this.up);
        phase %= this.up;
      }
    }
    this.nextIndex = index;
    this.nextPhase = phase;
    this.outputCount += count;
    // Keep only what the next output still needs.
    const keepFrom = index - halfTaps + 1 - this.bufStart;
    if (keepFrom > 0) {
      const drop = Math.min(keepFrom, this.bufLength);
      this.buf.copyWithin(0, drop, this.bufLength);
      this.bufLength -= drop;
      this.bufStart += drop;
    }
    return out;
  }
}

/** One-shot resampling of a whole signal. */
export function resample(signal: Float32Array, inRate: number, outRate: number, config: Partial<ResamplerConfig> = {}): Float32Array {
  if (inRate === outRate) return signal.slice();
  const r = new Resampler(inRate, outRate, config);
  const a = r.process(signal);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
