import { readFile, stat } from 'node:fs/promises';
import { SIDECAR_SCHEMA, sidecarPathFor, type ScanSidecar } from '../synth/sidecar.js';

/**
 * Reads and checks the JSON sidecar beside a scan. Every error names the file at fault:
 * the scan itself when it is missing, else the sidecar.
 */
export async function readScanSidecar(scanPath: string): Promise<ScanSidecar> {
  try {
    const s = await stat(scanPath);
    if (!s.isFile()) throw new Error('not a file');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new Error(`scan '${scanPath}' cannot be read: ${reason}`);
  }
  const path = sidecarPathFor(scanPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new Error(`sidecar '${path}' of scan '${scanPath}' cannot be read: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`sidecar '${path}' is not valid JSON: ${(err as Error).message}`);
  }
  const problem = sidecarProblem(value);
  if (problem !== undefined) throw new Error(`sidecar '${path}' is not a scan sidecar: ${problem}`);
  return value as ScanSidecar;
}

/** The first thing the preview needs that is missing or malformed, or undefined. */
function sidecarProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const v = value as Partial<Record<keyof ScanSidecar, unknown>>;
  if (v.schema !== SIDECAR_SCHEMA) return `schema is ${JSON.stringify(v.schema)}, expected '${SIDECAR_SCHEMA}'`;
  const media = v.media as Partial<ScanSidecar['media']> | undefined;
  if (typeof media !== 'object' || media === null) return 'no media section';
  for (const key of ['width', 'height', 'fps'] as const) {
    const n = media[key];
    if (typeof n !== 'number' || !(n > 0)) return `media.${key} is ${JSON.stringify(n)}, expected a positive number`;
  }
  if (!Array.isArray(v.classes) || !v.classes.every((c) => typeof c === 'string')) return 'classes is not a list of names';
  const frames = v.frames as Partial<ScanSidecar['frames']> | undefined;
  if (typeof frames !== 'object' || frames === null) return 'no frames section';
  for (const key of ['label', 'gazeX', 'gazeY'] as const) {
    if (!Array.isArray(frames[key])) return `frames.${key} is not a list`;
  }
  const n = (frames.label as unknown[]).length;
  if (n === 0) return 'frames.label is empty';
  if ((frames.gazeX as unknown[]).length !== n || (frames.gazeY as unknown[]).length !== n) {
    return `frames.label, gazeX and gazeY differ in length (${n}, ${(frames.gazeX as unknown[]).length}, ${(frames.gazeY as unknown[]).length})`;
  }
  for (const key of ['planes', 'speech', 'noise'] as const) {
    if (!Array.isArray(v[key])) return `${key} is not a list`;
  }
  return undefined;
}
