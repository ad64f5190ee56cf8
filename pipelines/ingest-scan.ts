import { join } from 'node:path';
import { connect, merge, map, tap, type OperatorFunction } from 'rxjs';
import type { VadEngine } from '../src/affinity/vad-engine.js';
import { annotateSpeech } from '../src/affinity/annotate-speech.js';
import { tagAffinity } from '../src/affinity/tag-affinity.js';
import { SpectrogramComputer } from '../src/audio/spectrogram.js';
import { orderRows, pairRows, u8Quantiser } from '../src/audio/speech-features.js';
import { decodeScan } from '../src/media/decode.js';
import { detectFanCrop } from '../src/media/fan-crop.js';
import { oneLine } from '../src/media/media-errors.js';
import { probeMedia } from '../src/media/probe.js';
import { samplePairs } from '../src/sampling/sample-pairs.js';
import { sampleOrders } from '../src/sampling/sample-orders.js';
import { windowClips } from '../src/sampling/window-clips.js';
import { ArrowShardWriter } from '../src/shards/arrow-shard-writer.js';
import { ParquetShardWriter } from '../src/shards/parquet-shard-writer.js';
import type { RollingShardWriter } from '../src/shards/rolling-shard-writer.js';
import type { WrittenShard } from '../src/shards/written-shard.js';
import { drive } from '../src/streams/drive.js';
import type { MediaEvent, TaggedClip } from '../src/types/ingest.js';
import type { ShardKind, ShardLayout } from '../schemas/columns.js';
import type { ManifestScan } from '../schemas/manifest.js';
import type { OrderRow, PairRow } from '../schemas/rows.js';
import type { IngestConfig } from './ingest-config.js';

export interface ScanOutcome {
  scan: ManifestScan;
  shards: WrittenShard[];
}

type LakeRow = { kind: 'pairs'; row: PairRow } | { kind: 'orders'; row: OrderRow };

/** Where a scan's shards go: `<lake>/<format>/<kind>/<scanId>-NNNNN.<ext>`. */
export function shardDir(lake: string, format: 'arrow' | 'parquet', kind: ShardKind): string {
  return join(lake, format, kind);
}

/**
 * One scan through the ingest pipeline:
 *   probe -> fan crop -> decode (ffmpeg, pulled) -> VAD annotation (edge) ->
 *   windowClips -> tagAffinity -> { samplePairs -> pairRows | sampleOrders -> orderRows } -> shards.
 * Never throws for a bad scan: the outcome says 'failed' with a one-line reason, and the
 * shards it had started are removed.
 */
export async function ingestScan(
  input: { id: string; absPath: string },
  lake: string,
  config: IngestConfig,
  vad: VadEngine,
  onFrames: (frames: number, totalFrames: number) => void = () => undefined,
): Promise<ScanOutcome> {
  const scan = newScanRecord(input.id);
  const layout: Partial<ShardLayout> = {
    frameWidth: config.frameWidth,
    frameHeight: config.frameHeight,
    specBins: config.spectrogram.bins,
    specFrames: config.spectrogram.columns,
    specDbScale: (config.spectrogramRange.max - config.spectrogramRange.min) / 255,
    specDbOffset: config.spectrogramRange.min,
  };
  const writers = new Map<ShardKind, RollingShardWriter<ShardKind>[]>();
  for (const kind of ['pairs', 'orders'] as const) {
    writers.set(
      kind,
      config.shards.formats.map((format) => {
        const options = { dir: shardDir(lake, format, kind), kind, layout, baseName: input.id, shardRows: config.shards.shardRows, batchRows: config.shards.batchRows };
        return format === 'arrow' ? new ArrowShardWriter(options) : new ParquetShardWriter({ ...options, zstdLevel: config.shards.zstdLevel });
      }),
    );
  }
  const all = [...writers.values()].flat();
  let session: Awaited<ReturnType<VadEngine['open']>> | undefined;
  try {
    const info = await probeMedia(input.absPath);
    scan.duration = round3(info.durationSeconds);
    const crop = await detectFanCrop(input.absPath, info, config.fanCrop);
    scan.crop = crop.box;
    const fps = config.sampling.fps;
    const totalFrames = Math.round(info.durationSeconds * fps);
    const decode = decodeScan(input.absPath, {
      frameWidth: config.frameWidth,
      frameHeight: config.frameHeight,
      crop: crop.box,
      fps,
      sampleRate: config.sampling.sampleRate,
      noAudio: config.noAudio,
      info,
    });
    session = await vad.open();
    const events = annotateSpeech(countFrames(decode, (n) => onFrames(n, totalFrames)), session, vad.frameSeconds);
    const sampling = config.sampling;
    const spectrogram = new SpectrogramComputer(config.spectrogram);
    const quantiser = u8Quantiser(config.spectrogramRange);
    const chain: OperatorFunction<MediaEvent, LakeRow> = (source) =>
      source.pipe(
        windowClips({ ...sampling, scan: input.id, onTail: (tail) => (scan.droppedTailFrames = tail.droppedFrames) }),
        tagAffinity(sampling),
        tap((clip: TaggedClip) => {
          scan.clips++;
          if (clip.affinity === 'high') scan.highAffinity++;
          else scan.lowAffinity++;
        }),
        connect((clips) =>
          merge(
            clips.pipe(samplePairs(sampling), pairRows({ spectrogram, quantiser }), map((row) => ({ kind: 'pairs' as const, row }))),
            clips.pipe(sampleOrders(sampling), orderRows(), map((row) => ({ kind: 'orders' as const, row }))),
          ),
        ),
      );
    await drive(events, chain, async (item) => {
      if (item.kind === 'pairs') scan.pairs++;
      else scan.orderSamples++;
      for (const writer of writers.get(item.kind) ?? []) await writer.append(item.row as never);
    });
    const shards: WrittenShard[] = [];
    for (const writer of all) shards.push(...(await writer.close()));
    return { scan, shards };
  } catch (err) {
    await Promise.all(all.map((w) => w.abort().catch(() => undefined)));
    const message = oneLine((err as Error).message);
    return {
      scan: { ...scan, status: 'failed', error: message.includes(input.absPath) ? message : `${input.absPath}: ${message}`, clips: 0, highAffinity: 0, lowAffinity: 0, pairs: 0, orderSamples: 0 },
      shards: [],
    };
  } finally {
    session?.close();
  }
}

/** A scan's manifest record before any work: status 'ok', every count 0, no crop. */
export function newScanRecord(id: string): ManifestScan {
  return { id, status: 'ok', error: null, duration: 0, clips: 0, highAffinity: 0, lowAffinity: 0, pairs: 0, orderSamples: 0, droppedTailFrames: 0, crop: null };
}

async function* countFrames(events: AsyncIterable<MediaEvent>, onFrames: (frames: number) => void): AsyncGenerator<MediaEvent> {
  let frames = 0;
  for await (const event of events) {
    if (event.kind === 'frame' && ++frames % 30 === 0) onFrames(frames);
    yield event;
  }
  onFrames(frames);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
