const { abs, ceil, floor, log10, max, min, pow, round } = Math;

/** A "nice" step (1, 2 or 5 times a power of ten) giving about `count` intervals over `span` (Heckbert's rounding). */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / max(1, count);
  const magnitude = pow(10, floor(log10(raw)));
  const fraction = raw / magnitude;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * magnitude;
}

/** Removes binary floating-point noise (0.30000000000000004 -> 0.3). */
function clean(v: number): number {
  const c = Number(v.toPrecision(12));
  return c === 0 ? 0 : c;
}

/** Multiples of `step` inside [lo, hi] (with a little tolerance at both ends). */
export function linearTicks(lo: number, hi: number, step: number): number[] {
  const eps = step * 1e-9;
  const ticks: number[] = [];
  for (let k = ceil((lo - eps) / step); k * step <= hi + eps; k++) ticks.push(clean(k * step));
  return ticks;
}

/** [lo, hi] widened outwards to multiples of `step`. */
export function niceDomain(lo: number, hi: number, step: number): [number, number] {
  return [clean(floor(lo / step + 1e-9) * step), clean(ceil(hi / step - 1e-9) * step)];
}

/** A short tick label whose precision matches the tick spacing. */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const a = abs(value);
  if (a >= 1e5 || a < 1e-3) return formatExponent(value, step);
  return value.toFixed(min(12, decimalsOf(step)));
}

/** Digits after the decimal point in the shortest form of `step` (0.25 -> 2, 20 -> 0). */
export function decimalsOf(step: number): number {
  const [mantissa = '', exp = '0'] = String(clean(step)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return max(0, fraction.length - Number(exp));
}

function formatExponent(value: number, step: number): string {
  const exponent = floor(log10(abs(value)));
  const mantissaDigits = step > 0 ? max(0, min(6, exponent - floor(log10(step) + 1e-9))) : 2;
  const [mantissa, exp] = value.toExponential(mantissaDigits).split('e');
  const trimmed = (mantissa ?? '').includes('.') ? (mantissa ?? '').replace(/0+$/, '').replace(/\.$/, '') : mantissa ?? '';
  return `${trimmed}e${Number(exp)}`;
}

export interface LogTick {
  value: number;
  /** Decades and, on short ranges, 2x and 5x get labels; the rest are minor grid lines. */
  major: boolean;
}

/**
 * Ticks for a log axis over [lo, hi] (both > 0): every decade (thinned when there are more
 * than `maxLabels`), plus 2 and 5 times each decade when the range is under three decades.
 */
export function logTicks(lo: number, hi: number, maxLabels: number): LogTick[] {
  const d0 = floor(log10(lo) + 1e-9);
  const d1 = ceil(log10(hi) - 1e-9);
  const decades = d1 - d0;
  const every = max(1, ceil((decades + 1) / max(1, maxLabels)));
  const withHalves = decades <= 2;
  const ticks: LogTick[] = [];
  for (let d = d0; d <= d1; d++) {
    for (let m = 1; m <= 9; m++) {
      const v = clean(m * pow(10, d));
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      const major = m === 1 ? (d - d0) % every === 0 : withHalves && (m === 2 || m === 5);
      ticks.push({ value: v, major });
    }
  }
  return ticks;
}

/** A log-axis label: plain for 0.001..10000, else 1e-5 style. */
export function formatLogTick(value: number): string {
  const a = abs(value);
  if (a >= 1e-3 && a < 1e5) return String(clean(value));
  const exponent = floor(log10(a) + 1e-9);
  const mantissa = clean(value / pow(10, exponent));
  return mantissa === 1 ? `1e${exponent}` : `${mantissa}e${exponent}`;
}

const TIME_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** The smallest round time step (seconds) keeping ticks at least `minPixels` apart. */
export function timeStep(duration: number, pixels: number, minPixels: number): number {
  if (!(duration > 0) || !(pixels > 0)) return 1;
  for (const step of TIME_STEPS) if ((step / duration) * pixels >= minPixels) return step;
  return TIME_STEPS[TIME_STEPS.length - 1] as number;
}

/** m:ss (h:mm:ss past an hour); tenths when the tick step is below a second. */
export function formatMinSec(seconds: number, step = 1): string {
  const neg = seconds < 0 ? '-' : '';
  const tenths = step < 1;
  const total = tenths ? round(abs(seconds) * 10) / 10 : round(abs(seconds));
  const h = floor(total / 3600);
  const m = floor((total % 3600) / 60);
  const s = total % 60;
  const ss = tenths ? s.toFixed(1).padStart(4, '0') : String(s).padStart(2, '0');
  return h > 0 ? `${neg}${h}:${String(m).padStart(2, '0')}:${ss}` : `${neg}${m}:${ss}`;
}
