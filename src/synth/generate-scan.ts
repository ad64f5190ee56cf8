import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic-json.js';
import { Rng } from '../util/rng.js';
import { Mp4Writer } from '../media/mp4-writer.js';
import { gazeTargets, type AnatomyInstance } from './anatomy/index.js';
import { planSoundtrack, renderSoundtrack, SYNTH_AUDIO_RATE, type Speaker } from './audio/index.js';
import { gainFactor, gainSchedule } from './gain-schedule.js';
import { simulateGaze, type GazeTarget } from './gaze.js';
import { PLANE_CLASSES } from './planes.js';
import { anatomyToScreen, fanGeometry, fanPixels } from './render/fan.js';
import { FrameRenderer } from './render/frame-renderer.js';
import { makeOverlay } from './render/overlay.js';
import { worldToScreen } from './render/pose.js';
import { interleaveSpeckle, makeSpeckleField } from './render/speckle.js';
import { ScanScene } from './scan-frames.js';
import { SIDECAR_SCHEMA, SIDECAR_VERSION, type ScanSidecar } from './sidecar.js';
import { planTimeline } from './timeline.js';
import { frameLabels } from './timeline.js';
import { SYNTH_VERSION } from './version.js';

export interface SynthOptions {
  outDir: string;
  seed: number;
  minutes: number;
  width: number;
  height: number;
  crf: number;
  preset: string;
  outputAudioRate: number;
}

export const DEFAULT_SYNTH: Omit<SynthOptions, 'outDir'> = {
  seed: 1,
  minutes: 2,
  width: 480,
  height: 360,
  // superfast at crf 26 gives files the size of veryfast at crf 23 for ~30% less encoding time
  crf: 26,
  preset: 'superfast',
  outputAudioRate: 48000,
};

export const FPS = 30;

export interface GeneratedScan {
  mediaPath: string;
  sidecarPath: string;
  frames: number;
  duration: number;
}

export function scanName(index: number): string {
  return `scan-${String(index).padStart(3, '0')}`;
}

/**
 * Writes one synthetic scan: `<outDir>/scan-NNN.mp4` and its ground-truth sidecar
 * `scan-NNN.json`. Everything is a function of (seed, index, options).
 */
export async function generateScan(
  index: number,
  options: SynthOptions,
  speaker: Speaker,
  onFrame?: (frame: number, frames: number) => void,
): Promise<GeneratedScan> {
  const { width, height } = options;
  const frames = Math.max(1, Math.round(options.minutes * 60 * FPS));
  const duration = frames / FPS;
  const rng = new Rng(options.seed).fork(`scan:${index}`);

  const segments = planTimeline(duration, rng.fork('timeline'));
  const scene = new ScanScene(segments, rng.fork('scene'));
  const soundtrack = renderSoundtrack(
    planSoundtrack(segments, duration, rng.fork('narration')),
    duration,
    speaker,
    rng.fork('audio'),
  );

  const displayRng = rng.fork('display');
  const fan = fanGeometry(width, height);
  const pixels = fanPixels(fan, width, height);
  const renderer = new FrameRenderer(pixels, interleaveSpeckle(makeSpeckleField(displayRng.fork('speckleA')), makeSpeckleField(displayRng.fork('speckleB'))), {
    attenuation: displayRng.uniform(0.6, 1.4),
    dynamicRangeDb: displayRng.uniform(38, 46),
    whiteLevel: displayRng.uniform(2.6, 3.4),
  });
  const depthCm = displayRng.int(12, 16);
  const overlay = makeOverlay(width, height, fan, depthCm, displayRng.fork('overlay'));
  const gain = gainSchedule(duration, displayRng.fork('gain'));

  await mkdir(options.outDir, { recursive: true });
  const name = scanName(index);
  const mediaPath = join(options.outDir, `${name}.mp4`);
  const writer = new Mp4Writer({
    path: mediaPath,
    width,
    height,
    fps: FPS,
    audio: soundtrack.samples,
    audioRate: SYNTH_AUDIO_RATE,
    outputAudioRate: options.outputAudioRate,
    crf: options.crf,
    preset: options.preset,
  });
  try {
    const frame = new Uint8Array(width * height);
    let specklePhase = displayRng.uniform(0, 2 * Math.PI);
    for (let i = 0; i < frames; i++) {
      const t = i / FPS;
      if (i > 0) specklePhase += 6 * scene.motionBetween(t - 1 / FPS, t);
      frame.set(overlay.template);
      const gainDb = gain(t);
      renderer.render(frame, scene.layersAt(t), specklePhase, gainFactor(gainDb));
      overlay.drawDynamic(frame, t, gainDb);
      await writer.writeFrame(frame);
      onFrame?.(i + 1, frames);
    }
    await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }

  const gaze = simulateGaze(
    frames,
    FPS,
    rng.fork('gaze'),
    (i) => targetsOnScreen(scene, i / FPS),
    (r) => {
      const [x, y] = anatomyToScreen(fan, r.uniform(0.25, 0.75), r.uniform(0.15, 0.85));
      return [x, y];
    },
    0.012 * (fan.radiusOuter - fan.radiusInner),
  );
  const sidecar: ScanSidecar = {
    schema: SIDECAR_SCHEMA,
    version: SIDECAR_VERSION,
    generator: { name: 'sonospeech-synth', version: SYNTH_VERSION },
    seed: options.seed,
    scanIndex: index,
    media: {
      file: `${name}.mp4`,
      width,
      height,
      fps: FPS,
      frames,
      duration,
      audioRate: options.outputAudioRate,
      audioChannels: 1,
      videoCodec: 'h264',
      audioCodec: 'aac',
    },
    fan,
    classes: [...PLANE_CLASSES],
    frames: {
      label: frameLabels(segments, frames, FPS, PLANE_CLASSES),
      gazeX: Array.from(gaze.x, (v) => round1(clamp(v, 0, width - 1))),
      gazeY: Array.from(gaze.y, (v) => round1(clamp(v, 0, height - 1))),
    },
    planes: segments.map((s) => ({ ...s, start: round3(s.start), end: round3(s.end), stableStart: round3(s.stableStart), stableEnd: round3(s.stableEnd) })),
    speech: soundtrack.speech,
    noise: soundtrack.noise,
    voices: soundtrack.voices,
  };
  const sidecarPath = join(options.outDir, `${name}.json`);
  await writeJsonAtomic(sidecarPath, sidecar);
  return { mediaPath, sidecarPath, frames, duration };

  function targetsOnScreen(s: ScanScene, t: number): GazeTarget[] {
    const k = s.segmentIndexAt(t);
    const segment = s.segments[k];
    if (!segment || segment.cls === 'background' || t < segment.start + 0.3) return [];
    const pose = s.poseAt(k, t);
    return gazeTargets(s.anatomy[k] as AnatomyInstance).map((g) => {
      const [ax, ay] = worldToScreen(pose, g.x, g.y);
      const [x, y] = anatomyToScreen(fan, ax, ay);
      return { x, y, weight: g.weight };
    });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
