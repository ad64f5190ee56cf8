import FFT from 'fft.js';

export interface SpectrogramOptions {
  /** Output size: one column per pixel of the time axis, `rows` frequency bands (row 0 = highest). */
  columns: number;
  rows: number;
  fftSize?: number;
  /** At most this many FFT frames are averaged into one column of a long recording. */
  maxFramesPerColumn?: number;
}

/**
 * Power spectrogram in dB over the whole signal, resampled to a columns x rows grid:
 * each column averages the power of Hann-windowed FFT frames spread across its time span
 * (one frame, centred, when the span is shorter than a frame hop), and each row averages
 * the linear-frequency bins it covers, 0 Hz to Nyquist. Row-major, row 0 at the top.
 */
export function logSpectrogram(samples: Float32Array, options: SpectrogramOptions): Float32Array {
  const { columns, rows } = options;
  const n = options.fftSize ?? 512;
  const maxFrames = options.maxFramesPerColumn ?? 16;
  const out = new Float32Array(columns * rows).fill(-200);
  if (samples.length === 0 || columns <= 0 || rows <= 0) return out;

  const fft = new FFT(n);
  const window = new Float32Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  const frame = new Float64Array(n);
  const spectrum = fft.createComplexArray() as number[];
  const bins = n / 2 + 1;
  const power = new Float64Array(bins);

  // Row r covers bins [rowStart[r], rowStart[r + 1]), at least one bin each.
  const rowStart = new Int32Array(rows + 1);
  for (let r = 0; r <= rows; r++) rowStart[r] = Math.min(bins, Math.floor((r * bins) / rows));
  for (let r = 0; r < rows; r++) {
    if ((rowStart[r + 1] as number) <= (rowStart[r] as number)) rowStart[r + 1] = Math.min(bins, (rowStart[r] as number) + 1);
  }

  const perColumn = samples.length / columns;
  const framesHere = Math.max(1, Math.min(maxFrames, Math.ceil(perColumn / (n / 2))));
  const norm = 1 / (framesHere * n * n);
  for (let c = 0; c < columns; c++) {
    power.fill(0);
    for (let f = 0; f < framesHere; f++) {
      const centre = Math.floor(c * perColumn + ((f + 0.5) * perColumn) / framesHere);
      const start = centre - n / 2;
      for (let i = 0; i < n; i++) {
        const s = start + i;
        frame[i] = s >= 0 && s < samples.length ? (samples[s] as number) * (window[i] as number) : 0;
      }
      fft.realTransform(spectrum, frame);
      for (let b = 0; b < bins; b++) {
        const re = spectrum[2 * b] as number;
        const im = spectrum[2 * b + 1] as number;
        power[b] = (power[b] as number) + re * re + im * im;
      }
    }
    for (let r = 0; r < rows; r++) {
      const b0 = rowStart[r] as number;
      const b1 = Math.max(b0 + 1, rowStart[r + 1] as number);
      let sum = 0;
      for (let b = b0; b < b1 && b < bins; b++) sum += power[b] as number;
      const mean = (sum / (b1 - b0)) * norm;
      out[(rows - 1 - r) * columns + c] = 10 * Math.log10(mean + 1e-20);
    }
  }
  return out;
}

export interface DbScale {
  /** Percentile of the values shown at full brightness (robust to a few loud clicks). */
  topPercentile?: number;
  /** Percentile shown black: the steady noise floor of the recording fades into the background. */
  floorPercentile?: number;
  /** Bounds on the shown dynamic range, dB. */
  minRangeDb?: number;
  maxRangeDb?: number;
}

/**
 * Maps dB values to colour-table indices 0..255 between a floor and a top taken from the
 * value distribution, so both a quiet room and a noisy one use the whole colour range.
 */
export function dbToIndices(db: Float32Array, scale: DbScale = {}): { indices: Uint8Array; floorDb: number; rangeDb: number } {
  const out = new Uint8Array(db.length);
  if (db.length === 0) return { indices: out, floorDb: 0, rangeDb: 0 };
  const sorted = Float32Array.from(db).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))] as number;
  const top = at(scale.topPercentile ?? 0.999);
  const maxRange = scale.maxRangeDb ?? 80;
  const minRange = scale.minRangeDb ?? 30;
  const floor = Math.min(top - minRange, Math.max(top - maxRange, at(scale.floorPercentile ?? 0.1)));
  const range = top - floor;
  for (let i = 0; i < db.length; i++) {
    const t = ((db[i] as number) - floor) / range;
    out[i] = t <= 0 ? 0 : t >= 1 ? 255 : (t * 255.999) | 0;
  }
  return { indices: out, floorDb: floor, rangeDb: range };
}
