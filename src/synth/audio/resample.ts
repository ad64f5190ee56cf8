/**
 * Band-limited sample-rate conversion: a polyphase windowed-sinc (Kaiser) interpolator.
 * The rate ratio is reduced to L/M; output sample n sits at input time n*M/L and is a dot
 * product of the nearby inputs with one of L precomputed filter phases. The cut-off lies a
 * little below the lower of the two Nyquist frequencies, so downsampling does not alias.
 */

/** Filter half-length in samples of the lower rate (taps each side of the centre). */
const HALF_TAPS = 16;
/** Pass band edge as a fraction of the lower Nyquist frequency. */
const ROLLOFF = 0.94;
/** Kaiser window shape (~80 dB stop band). */
const KAISER_BETA = 8.6;
/** Largest interpolation factor L for which the phase table is precomputed. */
const MAX_PHASES = 8192;

interface PhaseTable {
  up: number;
  down: number;
  /** Taps each side, in input samples. */
  half: number;
  /** up x (2 * half) coefficients; phase p covers input offsets k = -half+1 .. half. */
  coefficients: Float32Array;
}

const tables = new Map<string, PhaseTable>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function phaseTable(fromRate: number, toRate: number): PhaseTable {
  const key = `${fromRate}:${toRate}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  if (up > MAX_PHASES) throw new Error(`resample: ratio ${toRate}/${fromRate} needs ${up} phases (max ${MAX_PHASES})`);
  const shrink = Math.min(1, toRate / fromRate);
  // Cut-off in cycles per input sample; when downsampling the kernel widens by 1/shrink.
  const cutoff = 0.5 * shrink * ROLLOFF;
  const half = Math.ceil(HALF_TAPS / shrink);
  const width = 2 * half;
  const norm = besselI0(KAISER_BETA);
  const coefficients = new Float32Array(up * width);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    let sum = 0;
    for (let i = 0; i < width; i++) {
      const k = i - half + 1;
      const t = frac - k;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / half;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm;
      const c = 2 * cutoff * sinc * window;
      coefficients[p * width + i] = c;
      sum += c;
    }
    // Unit DC gain for every phase (removes a faint ripple at the phase rate).
    for (let i = 0; i < width; i++) coefficients[p * width + i] = (coefficients[p * width + i] as number) / sum;
  }
  const table = { up, down, half, coefficients };
  tables.set(key, table);
  return table;
}

/**
 * Resamples `input` from `fromRate` to `toRate` (integer rates), multiplying by `gain`.
 * Output length is round(input.length * toRate / fromRate); samples outside the input
 * count as zero.
 */
export function resample(input: ArrayLike<number>, fromRate: number, toRate: number, gain = 1): Float32Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new Error(`resample: rates must be positive integers, got ${fromRate} -> ${toRate}`);
  }
  const n = input.length;
  const outLength = Math.round((n * toRate) / fromRate);
  const out = new Float32Array(outLength);
  if (fromRate === toRate) {
    for (let i = 0; i < n; i++) out[i] = (input[i] as number) * gain;
    return out;
  }
  const { up, down, half, coefficients } = phaseTable(fromRate, toRate);
  const width = 2 * half;
  // Output j sits at input position base + phase / up, with j * down = base * up + phase.
  let base = 0;
  let phase = 0;
  for (let j = 0; j < outLength; j++, phase += down) {
    while (phase >= up) {
      phase -= up;
      base++;
    }
    const first = base - half + 1;
    const offset = phase * width;
    let acc = 0;
    if (first >= 0 && first + width <= n) {
      for (let i = 0; i < width; i++) acc += (input[first + i] as number) * (coefficients[offset + i] as number);
    } else {
      for (let i = 0; i < width; i++) {
        const idx = first + i;
        if (idx >= 0 && idx < n) acc += (input[idx] as number) * (coefficients[offset + i] as number);
      }
    }
    out[j] = acc * gain;
  }
  return out;
}
