/** Hermite ease from 0 (t <= 0) to 1 (t >= 1). */
export function smoothstep(t: number): number {
  const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return x * x * (3 - 2 * x);
}
