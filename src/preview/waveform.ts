/** Per-column minimum and maximum of a signal split into `columns` equal time spans. */
export function waveformColumns(samples: Float32Array, columns: number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(columns);
  const max = new Float32Array(columns);
  if (samples.length === 0) return { min, max };
  const per = samples.length / columns;
  for (let c = 0; c < columns; c++) {
    const s0 = Math.floor(c * per);
    const s1 = Math.max(s0 + 1, Math.min(samples.length, Math.floor((c + 1) * per)));
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = s0; s < s1 && s < samples.length; s++) {
      const v = samples[s] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[c] = lo === Infinity ? 0 : lo;
    max[c] = hi === -Infinity ? 0 : hi;
  }
  return { min, max };
}

/** Largest absolute sample value (0 for silence or no audio). */
export function peakAbs(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    if (v > peak) peak = v;
    else if (-v > peak) peak = -v;
  }
  return peak;
}
