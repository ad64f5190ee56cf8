import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { hashString } from '../util/rng.js';

/** Files beside the scans that are not scans: sidecars, previews, notes. */
const NOT_SCANS = /\.(json|png|md)$/i;

export interface ScanInput {
  /** Path relative to the input folder, '/'-separated. */
  relPath: string;
  absPath: string;
  id: string;
}

/**
 * Every regular, non-hidden file below `dir` (recursively) except sidecars and previews,
 * sorted by relative path. Files that are not media are included on purpose: they fail
 * with a message naming them instead of vanishing silently.
 */
export async function listScanInputs(dir: string): Promise<ScanInput[]> {
  const out: ScanInput[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((entry.isFile() || (entry.isSymbolicLink() && (await stat(full)).isFile())) && !NOT_SCANS.test(entry.name)) {
        const relPath = relative(dir, full).split(sep).join('/');
        out.push({ relPath, absPath: full, id: scanId(relPath) });
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

/**
 * A scan's identifier: its relative path without extension, made safe for file names
 * (anything outside [A-Za-z0-9._-] becomes '_', a leading '-' or '.' too), plus a short
 * hash of the exact path so that distinct inputs never collide.
 */
export function scanId(relPath: string): string {
  const stem = relPath.replace(/\.[^./]*$/, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[-.]/, '_').slice(0, 80);
  return `${safe}-${hashString(relPath).toString(16).padStart(8, '0')}`;
}

/** `--shard i/n`: part i (0-based) of n takes the scans whose stable hash is i mod n. */
export function inPart(id: string, part: { index: number; count: number }): boolean {
  return hashString(id, 0x9747b28c) % part.count === part.index;
}

export function parsePart(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !(count >= 1) || !(index >= 0) || index >= count) {
    throw new Error(`--shard must be i/n with 0 <= i < n (e.g. 0/4), got '${text}'`);
  }
  return { index, count };
}
