/** Argument types and shape arithmetic shared by the custom convolutions. */

export type Rate = number | [number, number];
export type SpatialPadding = 'same' | 'valid';

/** [h, w] from a number or a pair; each an integer >= 1. */
export function pair(value: number | [number, number], what: string): [number, number] {
  const p: [number, number] = typeof value === 'number' ? [value, value] : value;
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 1)) throw new Error(`${what} must be integers >= 1, got ${String(value)}`);
  return p;
}

export function ratePair(rate: Rate): [number, number] {
  return pair(rate, 'dilation rate');
}

/** Output length of one spatial axis under tf's 'same'/'valid' rules. */
export function convOutputLength(size: number, kernel: number, stride: number, dilation: number, padding: SpatialPadding): number {
  const effective = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}
