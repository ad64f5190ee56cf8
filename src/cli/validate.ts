/** yargs `coerce` functions that reject bad numbers with a message naming the flag. */
export function positiveInteger(flag: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got '${String(value)}'`);
    return n;
  };
}

export function nonNegativeInteger(flag: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got '${String(value)}'`);
    return n;
  };
}

export function positiveNumber(flag: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got '${String(value)}'`);
    return n;
  };
}
