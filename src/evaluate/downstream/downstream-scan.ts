import { join } from 'node:path';
import type { DownstreamConfig } from '../../../pipelines/downstream-config.js';
import { saliencySigmaCells } from '../../../pipelines/downstream-config.js';
import {
  DOWNSTREAM_KIND,
  downstreamArrowSchema,
  downstreamColumns,
  downstreamKeyValueMetadata,
  downstreamParquetSchema,
  type DownstreamScanRecord,
  type DownstreamShardInfo,
} from '../../../schemas/downstream.js';
import type { ShardFormat } from '../../../schemas/manifest.js';
import type { ScanInput } from '../../lake/inputs.js';
import { decodeScan } from '../../media/decode.js';
import { detectFanCrop } from '../../media/fan-crop.js';
import { oneLine } from '../../media/media-errors.js';
import { probeMedia } from '../../media/probe.js';
import { drive } from '../../streams/drive.js';
import { PLANE_CLASSES } from '../../synth/planes.js';
import type { FrameEvent, MediaEvent } from '../../types/ingest.js';
import { FrameRowBuilder, frameRows } from './frame-rows.js';
import { readLabelledSidecar } from './read-labelled-sidecar.js';
import { TableShardWriter, type TableShard } from './table-shard-writer.js';

export interface DownstreamScanOutcome {
  scan: DownstreamScanRecord;
  shards: TableShard[];
}

/** Where the shards of a format go: `<out>/<format>/frames/<scanId>-NNNNN.<ext>`. */
export function downstreamShardDir(out: string, format: ShardFormat): string {
  return join(out, format, DOWNSTREAM_KIND);
}

/** What every shard of a run says about its rows (schema metadata). */
export function downstreamShardInfo(config: DownstreamConfig): DownstreamShardInfo {
  return {
    frameHeight: config.frameHeight,
    frameWidth: config.frameWidth,
    saliencyHeight: config.saliency.height,
    saliencyWidth: config.saliency.width,
    saliencySigma: saliencySigmaCells(config),
    gazeWindowSeconds: config.saliency.windowSeconds,
    classes: PLANE_CLASSES,
  };
}

/** A sidecar whose length differs from the video's by more than this describes another recording. */
const DURATION_TOLERANCE_SECONDS = 1;

export function emptyClassCounts(): Record<string, number> {
  return Object.fromEntries(PLANE_CLASSES.map((c) => [c, 0]));
}

/**
 * One labelled scan into downstream rows:
 *   sidecar -> probe -> fan crop -> decode (ffmpeg, pulled, video only) -> every stride-th
 *   frame -> label (timeline) + saliency (gaze window) -> Arrow + Parquet shards.
 * Never throws for a bad scan: the outcome is 'failed' with one line naming the file, and
 * the shards it had started are removed.
 */
export async function downstreamScan(
  input: ScanInput,
  out: string,
  config: DownstreamConfig,
  onFrames: (frames: number, totalFrames: number) => void = () => undefined,
): Promise<DownstreamScanOutcome> {
  const scan: DownstreamScanRecord = {
    id: input.id,
    input: input.relPath,
    status: 'ok',
    error: null,
    duration: 0,
    decodedFrames: 0,
    frames: 0,
    framesWithGaze: 0,
    classCounts: emptyClassCounts(),
    crop: null,
  };
  const info = downstreamShardInfo(config);
  const columns = downstreamColumns(info, info.classes.length);
  const writers = config.shards.formats.map((format) => {
    const common = { dir: downstreamShardDir(out, format), baseName: input.id, columns, batchRows: config.shards.batchRows, shardRows: config.shards.shardRows };
    return format === 'arrow'
      ? new TableShardWriter({ ...common, format, schema: downstreamArrowSchema(info) })
      : new TableShardWriter({ ...common, format, schema: downstreamParquetSchema(info), metadata: downstreamKeyValueMetadata(info), zstdLevel: config.shards.zstdLevel });
  });
  try {
    const sidecar = await readLabelledSidecar(input.absPath);
    const media = await probeMedia(input.absPath, { requireAudio: false });
    scan.duration = Math.round(media.durationSeconds * 1000) / 1000;
    if (media.durationSeconds > 0 && Math.abs(media.durationSeconds - sidecar.media.duration) > DURATION_TOLERANCE_SECONDS) {
      throw new Error(`'${sidecar.path}' describes ${sidecar.media.duration} s but the video lasts ${scan.duration} s`);
    }
    const crop = await detectFanCrop(input.absPath, media, config.fanCrop);
    scan.crop = crop.box;
    const totalFrames = Math.round(media.durationSeconds * config.fps);
    // Audio is not needed: telling the decoder the file has none keeps ffmpeg from decoding it.
    const decode = decodeScan(input.absPath, {
      frameWidth: config.frameWidth,
      frameHeight: config.frameHeight,
      crop: crop.box,
      fps: config.fps,
      noAudio: 'silence',
      info: { ...media, hasAudio: false },
    });
    const builder = new FrameRowBuilder(sidecar, {
      scanId: input.id,
      fps: config.fps,
      stride: config.stride,
      mapping: {
        crop: crop.box,
        scaleX: media.width / sidecar.media.width,
        scaleY: media.height / sidecar.media.height,
        mapWidth: config.saliency.width,
        mapHeight: config.saliency.height,
      },
      gazeWindowSeconds: config.saliency.windowSeconds,
      sigmaCells: saliencySigmaCells(config),
    });
    const counted = countFrames(decode, (n) => {
      scan.decodedFrames = n;
      onFrames(n, totalFrames);
    });
    await drive(counted, frameRows(builder, config.stride), async (row) => {
      scan.frames++;
      scan.framesWithGaze += row.hasGaze;
      const name = PLANE_CLASSES[row.label] as string;
      scan.classCounts[name] = (scan.classCounts[name] ?? 0) + 1;
      for (const writer of writers) await writer.append(row);
    });
    const shards: TableShard[] = [];
    for (const writer of writers) shards.push(...(await writer.close()));
    return { scan, shards };
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort().catch(() => undefined)));
    const message = oneLine((err as Error).message);
    return {
      scan: {
        ...scan,
        status: 'failed',
        error: message.includes(input.absPath) || message.includes(input.relPath) ? message : `'${input.absPath}': ${message}`,
        frames: 0,
        framesWithGaze: 0,
        classCounts: emptyClassCounts(),
      },
      shards: [],
    };
  }
}

async function* countFrames(events: AsyncIterable<MediaEvent>, onFrames: (frames: number) => void): AsyncGenerator<MediaEvent> {
  let frames = 0;
  for await (const event of events) {
    if (event.kind === 'frame') {
      frames = (event as FrameEvent).index + 1;
      if (frames % 30 === 0) onFrames(frames);
    }
    yield event;
  }
  onFrames(frames);
}
