const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The smallest round tick step (seconds) keeping ticks at least `minPixels` apart. */
export function tickStep(duration: number, pixels: number, minPixels: number): number {
  if (!(duration > 0) || !(pixels > 0)) return 1;
  const secondsPerPixel = duration / pixels;
  for (const step of STEPS) if (step / secondsPerPixel >= minPixels) return step;
  return STEPS[STEPS.length - 1] as number;
}

/** Tick times 0, step, 2 step, ... up to the duration. */
export function tickTimes(duration: number, step: number): number[] {
  const ticks: number[] = [];
  for (let k = 0; k * step <= duration + 1e-9; k++) ticks.push(Number((k * step).toFixed(3)));
  return ticks;
}

/** A tick label: no trailing zeros, one decimal below one second steps. */
export function formatSeconds(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(1);
}
