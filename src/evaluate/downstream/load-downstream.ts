/**
 * The downstream set in memory, for evaluation: per scan, frames resized to size x size
 * floats in [0, 1], labels, saliency maps normalised to sum 1 and the exact fixation cells.
 * Reads the Arrow shards listed in the manifest, each checked against its SHA-256 first.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RecordBatch, RecordBatchReader } from 'apache-arrow';
import { readDownstreamManifest } from '../../../pipelines/downstream.js';
import {
  describeDownstreamShard,
  DOWNSTREAM_MANIFEST_FILE_NAME,
  type DownstreamManifest,
  type DownstreamShardInfo,
} from '../../../schemas/downstream.js';
import { binaryCell } from '../../shards/arrow-shard-reader.js';
import { AreaResizer } from './area-resize.js';
import { decodeFixations } from './gaze-map.js';

export interface LoadDownstreamOptions {
  /** Side of the square frames handed to the model. */
  size: number;
  /** Only these scan ids (e.g. one cross-validation fold); default every scan that succeeded. */
  scans?: readonly string[];
}

export interface DownstreamScanData {
  id: string;
  /** Rows (kept frames). */
  count: number;
  frameIndex: Int32Array;
  /** Seconds. */
  time: Float64Array;
  /** [count, size, size], grey in [0, 1]. */
  frames: Float32Array;
  /** Class index into DownstreamData.classes. */
  labels: Int32Array;
  /** [count, saliencyHeight, saliencyWidth], each map summing to 1, or all 0 when hasGaze is 0. */
  saliency: Float32Array;
  /** 1 when the frame has gaze; evaluate saliency only on these. */
  hasGaze: Uint8Array;
  /** Per frame, the fixated map cells as (x, y) pairs: [x0, y0, x1, y1, ...]. */
  fixations: Int32Array[];
}

export interface DownstreamData {
  dir: string;
  manifest: DownstreamManifest;
  size: number;
  classes: string[];
  saliencyWidth: number;
  saliencyHeight: number;
  /** Sorted by id. */
  scans: DownstreamScanData[];
}

export async function loadDownstream(dir: string, options: LoadDownstreamOptions): Promise<DownstreamData> {
  const { size } = options;
  if (!Number.isInteger(size) || size <= 0) throw new Error(`loadDownstream: size must be a positive integer, got ${size}`);
  const manifestPath = join(dir, DOWNSTREAM_MANIFEST_FILE_NAME);
  const manifest = await readDownstreamManifest(manifestPath);
  if (!manifest) throw new Error(`${manifestPath}: no downstream manifest (run 'sonospeech downstream' first)`);
  const ok = manifest.scans.filter((s) => s.status === 'ok');
  let wanted = ok;
  if (options.scans) {
    const known = new Set(ok.map((s) => s.id));
    const missing = options.scans.filter((id) => !known.has(id));
    if (missing.length > 0) throw new Error(`${manifestPath}: no successful scan ${missing.map((m) => `'${m}'`).join(', ')}`);
    const chosen = new Set(options.scans);
    wanted = ok.filter((s) => chosen.has(s.id));
  }
  const config = manifest.config as { saliency?: { width?: number; height?: number } };
  const saliencyWidth = Number(config.saliency?.width);
  const saliencyHeight = Number(config.saliency?.height);
  const scans: DownstreamScanData[] = [];
  for (const record of [...wanted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const shards = manifest.shards.filter((s) => s.scan === record.id && s.format === 'arrow').sort((a, b) => (a.path < b.path ? -1 : 1));
    const rows = shards.reduce((n, s) => n + s.rows, 0);
    if (rows !== record.frames) throw new Error(`${manifestPath}: scan ${record.id} lists ${record.frames} frames but its Arrow shards hold ${rows} rows`);
    const scan = allocateScan(record.id, rows, size, saliencyHeight * saliencyWidth);
    let at = 0;
    for (const shard of shards) {
      const path = join(dir, shard.path);
      const bytes = await readFile(path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (bytes.byteLength !== shard.bytes || sha256 !== shard.sha256) {
        throw new Error(`${path}: contents do not match the manifest (size ${bytes.byteLength} vs ${shard.bytes}, sha256 ${sha256} vs ${shard.sha256})`);
      }
      const reader = RecordBatchReader.from(bytes);
      reader.open();
      const info = describeDownstreamShard(reader.schema.metadata);
      if (info.saliencyWidth !== saliencyWidth || info.saliencyHeight !== saliencyHeight) {
        throw new Error(`${path}: saliency maps are ${info.saliencyWidth}x${info.saliencyHeight}, the manifest says ${saliencyWidth}x${saliencyHeight}`);
      }
      const resizer = new AreaResizer(info.frameHeight, info.frameWidth, size);
      for (const batch of reader) at = readBatch(batch, scan, at, resizer, info, path);
    }
    if (at !== rows) throw new Error(`scan ${record.id}: read ${at} rows, expected ${rows}`);
    scans.push(scan);
  }
  return { dir, manifest, size, classes: [...manifest.classes], saliencyWidth, saliencyHeight, scans };
}

function allocateScan(id: string, count: number, size: number, mapCells: number): DownstreamScanData {
  return {
    id,
    count,
    frameIndex: new Int32Array(count),
    time: new Float64Array(count),
    frames: new Float32Array(count * size * size),
    labels: new Int32Array(count),
    saliency: new Float32Array(count * mapCells),
    hasGaze: new Uint8Array(count),
    fixations: new Array<Int32Array>(count),
  };
}

function readBatch(batch: RecordBatch, scan: DownstreamScanData, at: number, resizer: AreaResizer, info: DownstreamShardInfo, path: string): number {
  const column = (name: string) => {
    const vector = batch.getChild(name);
    if (!vector) throw new Error(`${path}: no column ${name}`);
    return vector;
  };
  const ids = column('scan_id');
  const frameIndex = column('frame_index');
  const time = column('time');
  const label = column('label');
  const hasGaze = column('has_gaze');
  const cells = info.saliencyHeight * info.saliencyWidth;
  const frameCells = resizer.size * resizer.size;
  for (let r = 0; r < batch.numRows; r++, at++) {
    if (at >= scan.count) throw new Error(`${path}: more rows than the manifest lists for scan ${scan.id}`);
    if (ids.get(r) !== scan.id) throw new Error(`${path}: row ${r} belongs to scan '${String(ids.get(r))}', not '${scan.id}'`);
    scan.frameIndex[at] = frameIndex.get(r) as number;
    scan.time[at] = time.get(r) as number;
    scan.labels[at] = label.get(r) as number;
    scan.hasGaze[at] = hasGaze.get(r) as number;
    resizer.resize(binaryCell(batch, 'frame', r), scan.frames, at * frameCells);
    const saliency = binaryCell(batch, 'saliency', r);
    let sum = 0;
    for (let i = 0; i < cells; i++) sum += saliency[i]!;
    if (sum > 0) for (let i = 0; i < cells; i++) scan.saliency[at * cells + i] = saliency[i]! / sum;
    scan.fixations[at] = decodeFixations(binaryCell(batch, 'fixations', r));
  }
  return at;
}
