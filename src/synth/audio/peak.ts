/**
 * Largest |x[i]| for i in [from, to). Written without Math.*: hot loops here avoid global
 * lookups, which are slow interceptor calls inside Jest's vm sandbox (10x or more).
 */
export function peakOf(x: ArrayLike<number>, from = 0, to = x.length): number {
  let peak = 0;
  for (let i = from; i < to; i++) {
    const v = x[i] as number;
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  return peak;
}
