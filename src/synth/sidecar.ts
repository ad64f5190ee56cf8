import type { NoiseEvent, PlaneSegment, SpeechSegment } from './timeline-types.js';

export const SIDECAR_SCHEMA = 'sonospeech.scan-sidecar';
export const SIDECAR_VERSION = 1;

/** Geometry of the ultrasound fan (sector) in video pixel coordinates. */
export interface FanGeometry {
  /** The virtual apex of the sector (above the top edge of the fan). */
  apexX: number;
  apexY: number;
  /** Radii from the apex where the fan starts (the probe face) and ends (full depth). */
  radiusInner: number;
  radiusOuter: number;
  /** Half the opening angle, degrees, measured from straight down. */
  halfAngleDeg: number;
  /** Bounding box of the fan in pixels. */
  box: { x: number; y: number; width: number; height: number };
}

/**
 * Ground truth written beside every synthetic scan as `<name>.json`
 * (JSON schema: schemas/scan-sidecar.v1.schema.json).
 */
export interface ScanSidecar {
  schema: typeof SIDECAR_SCHEMA;
  version: typeof SIDECAR_VERSION;
  generator: { name: string; version: string };
  seed: number;
  scanIndex: number;
  media: {
    file: string;
    width: number;
    height: number;
    fps: number;
    frames: number;
    duration: number;
    audioRate: number;
    audioChannels: number;
    videoCodec: string;
    audioCodec: string;
  };
  fan: FanGeometry;
  /** Class names; `frames.label` holds indices into this list. */
  classes: string[];
  frames: {
    /** Plane class index per frame ('background' while the probe moves or searches). */
    label: number[];
    /** Gaze fixation point per frame, video pixels. */
    gazeX: number[];
    gazeY: number[];
  };
  planes: PlaneSegment[];
  speech: SpeechSegment[];
  noise: NoiseEvent[];
  voices: string[];
}

export function sidecarPathFor(mediaPath: string): string {
  return mediaPath.replace(/\.[^./\\]+$/, '') + '.json';
}
