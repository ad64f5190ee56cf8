import { readFile } from 'node:fs/promises';
import { SIDECAR_SCHEMA, SIDECAR_VERSION, sidecarPathFor } from '../../synth/sidecar.js';
import type { TimelineSegment } from './plane-labels.js';

/** The parts of a scan sidecar (schemas/scan-sidecar.v1.schema.json) the downstream data uses. */
export interface LabelledSidecar {
  path: string;
  media: { width: number; height: number; fps: number; duration: number };
  planes: TimelineSegment[];
  /** Gaze per sidecar frame (time j / media.fps), video pixels; null or missing entries are no gaze. */
  gazeX: (number | null)[];
  gazeY: (number | null)[];
}

/**
 * Reads and checks the sidecar beside a scan. Throws one line naming the sidecar (or the
 * scan, when it has none) and what is wrong.
 */
export async function readLabelledSidecar(mediaPath: string): Promise<LabelledSidecar> {
  const path = sidecarPathFor(mediaPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`'${mediaPath}': no sidecar '${path}' (labelled scans need their ground-truth JSON beside them)`);
    throw new Error(`'${path}': cannot read the sidecar (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`'${path}': sidecar is not valid JSON (${(err as Error).message})`);
  }
  const fail = (why: string): never => {
    throw new Error(`'${path}': ${why}`);
  };
  const s = raw as Record<string, unknown>;
  if (typeof s !== 'object' || s === null) fail('sidecar is not a JSON object');
  if (s['schema'] !== SIDECAR_SCHEMA) fail(`not a scan sidecar (schema ${JSON.stringify(s['schema'])}, expected '${SIDECAR_SCHEMA}')`);
  if (s['version'] !== SIDECAR_VERSION) fail(`sidecar version ${JSON.stringify(s['version'])}, this build reads ${SIDECAR_VERSION}`);
  const media = s['media'] as Record<string, unknown> | undefined;
  const num = (v: unknown, name: string): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(`${name} must be a positive number`));
  const width = num(media?.['width'], 'media.width');
  const height = num(media?.['height'], 'media.height');
  const fps = num(media?.['fps'], 'media.fps');
  const duration = num(media?.['duration'], 'media.duration');
  const frames = s['frames'] as Record<string, unknown> | undefined;
  const gazeX = frames?.['gazeX'];
  const gazeY = frames?.['gazeY'];
  if (!Array.isArray(gazeX) || !Array.isArray(gazeY)) return fail('frames.gazeX and frames.gazeY must be arrays');
  if (gazeX.length !== gazeY.length) fail(`frames.gazeX has ${gazeX.length} samples, frames.gazeY ${gazeY.length}`);
  const planes = s['planes'];
  if (!Array.isArray(planes)) return fail('planes must be an array');
  for (const [k, p] of (planes as unknown[]).entries()) {
    const seg = p as Record<string, unknown>;
    if (typeof seg !== 'object' || seg === null || typeof seg['cls'] !== 'string') fail(`planes[${k}] has no class`);
    for (const key of ['start', 'end', 'stableStart', 'stableEnd']) if (typeof seg[key] !== 'number') fail(`planes[${k}].${key} must be a number`);
  }
  return {
    path,
    media: { width, height, fps, duration },
    planes: planes as TimelineSegment[],
    gazeX: gazeX as (number | null)[],
    gazeY: gazeY as (number | null)[],
  };
}
