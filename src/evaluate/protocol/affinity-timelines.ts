/**
 * What the affinity timeline of a scan shows (src/plots/affinity-timeline.ts): the ground-truth
 * speech of its sidecar, the VAD's speech decision and each clip's speech fraction and affinity.
 *
 * The lake stores a speech fraction only for the clips that gave pairs, so the decisions are
 * recomputed here the way ingest makes them: the scan's audio decoded to mono at the pipeline
 * rate, the lake's VAD engine and settings (one session over the whole scan; decisions do not
 * depend on chunking), a VAD frame belonging to the clip that holds its centre
 * (../../sampling/window-clips.ts), and the lake's affinity threshold. The audio decode is a
 * separate ffmpeg call from ingest's, so a clip near the threshold can come out differently;
 * the report prints both high-affinity counts.
 */
import { readFile } from 'node:fs/promises';
import { createVad } from '../../affinity/create-vad.js';
import { affinityLevel } from '../../affinity/tag-affinity.js';
import { detectSpeech, type VadEngine } from '../../affinity/vad-engine.js';
import type { AffinityTimelineInput, TimeInterval, TimelineClip } from '../../plots/affinity-timeline.js';
import { decodeMonoAudio } from '../../preview/decode-audio.js';
import { sidecarPathFor, type ScanSidecar } from '../../synth/sidecar.js';
import type { IngestConfig } from '../../../pipelines/ingest-config.js';

const { floor } = Math;

/** Runs of consecutive speech decisions as time intervals. */
export function speechIntervals(decisions: Uint8Array, frameSeconds: number): TimeInterval[] {
  const out: TimeInterval[] = [];
  let start = -1;
  for (let i = 0; i <= decisions.length; i++) {
    const speech = i < decisions.length && decisions[i] !== 0;
    if (speech && start < 0) start = i;
    if (!speech && start >= 0) {
      out.push({ start: start * frameSeconds, end: i * frameSeconds });
      start = -1;
    }
  }
  return out;
}

/** Clips of `clipSeconds` (the first `clips` of the scan) with the share of VAD frames centred in each that are speech. */
export function clipAffinities(decisions: Uint8Array, frameSeconds: number, clipSeconds: number, clips: number, threshold: number): TimelineClip[] {
  const speech = new Float64Array(clips);
  const total = new Float64Array(clips);
  for (let i = 0; i < decisions.length; i++) {
    const c = floor(((i + 0.5) * frameSeconds) / clipSeconds);
    if (c >= clips) break;
    total[c] = (total[c] as number) + 1;
    if (decisions[i] !== 0) speech[c] = (speech[c] as number) + 1;
  }
  return Array.from({ length: clips }, (_, c) => {
    const fraction = (total[c] as number) > 0 ? (speech[c] as number) / (total[c] as number) : 0;
    return { start: c * clipSeconds, end: (c + 1) * clipSeconds, speechFraction: fraction, affinity: affinityLevel(fraction, threshold) };
  });
}

export interface ScanTimeline extends AffinityTimelineInput {
  highClips: number;
}

export class TimelineBuilder {
  private constructor(private readonly config: IngestConfig, private readonly vad: VadEngine) {}

  static async create(config: IngestConfig): Promise<TimelineBuilder> {
    const engine = config.vad.engine;
    return new TimelineBuilder(config, await createVad(engine, config.vad[engine] as never));
  }

  async build(scanId: string, mediaPath: string): Promise<ScanTimeline> {
    const s = this.config.sampling;
    const sidecar = await readSidecar(mediaPath);
    const audio = await decodeMonoAudio(mediaPath, s.sampleRate);
    const decisions = await detectSpeech(this.vad, audio);
    const duration = sidecar?.media.duration ?? audio.length / s.sampleRate;
    const clipSeconds = s.framesPerClip / s.fps;
    const clips = clipAffinities(decisions, this.vad.frameSeconds, clipSeconds, floor((duration * s.fps) / s.framesPerClip + 1e-9), s.affinityThreshold);
    return {
      scanId,
      duration,
      speech: (sidecar?.speech ?? []).map((seg) => ({ start: seg.start, end: seg.end })),
      vad: speechIntervals(decisions, this.vad.frameSeconds),
      clips,
      highClips: clips.filter((c) => c.affinity === 'high').length,
    };
  }
}

async function readSidecar(mediaPath: string): Promise<ScanSidecar | null> {
  const path = sidecarPathFor(mediaPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // no ground truth: the speech lane stays empty
    throw err;
  }
  try {
    return JSON.parse(text) as ScanSidecar;
  } catch (err) {
    throw new Error(`sidecar '${path}' is not valid JSON: ${(err as Error).message}`);
  }
}
