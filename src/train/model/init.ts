/**
 * Initial values drawn from the run's Rng (never tfjs' own random ops, which fall back to
 * Math.random), so a seed fixes every weight on every backend.
 */
import type { Rng } from '../../util/rng.js';

const { sqrt } = Math;

/** Normal(0, std) values. */
export function normalValues(rng: Rng, size: number, std: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return values;
}

/** He (Kaiming) normal for a layer followed by ReLU: std = sqrt(2 / fanIn). */
export function heNormal(rng: Rng, size: number, fanIn: number): Float32Array {
  return normalValues(rng, size, sqrt(2 / fanIn));
}

/** LeCun normal for a linear output layer: std = sqrt(1 / fanIn). */
export function lecunNormal(rng: Rng, size: number, fanIn: number): Float32Array {
  return normalValues(rng, size, sqrt(1 / fanIn));
}

export function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
