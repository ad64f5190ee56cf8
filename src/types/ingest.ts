/**
 * The items that flow through the ingest pipeline, stage to stage:
 * decode (MediaEvent) -> clip windowing (Clip) -> affinity (TaggedClip) -> samplers
 * (PairSample | OrderSample) -> speech features (PairRow / OrderRow in schemas/rows.ts) -> shards.
 */

/** Crop applied to the raw video before scaling, in source pixels. */
export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the decoder learnt about a scan before decoding it. */
export interface MediaInfo {
  path: string;
  durationSeconds: number;
  width: number;
  height: number;
  /** Source frame rate as ffmpeg reports it (the decoder resamples to the pipeline's rate). */
  sourceFps: number;
  sourceAudioRate: number;
  sourceAudioChannels: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** One decoded, cropped, scaled grey frame (row-major, frameHeight x frameWidth). */
export interface FrameEvent {
  kind: 'frame';
  /** 0-based index at the pipeline's frame rate (30 fps). */
  index: number;
  pixels: Uint8Array;
}

/** A run of mono float audio at the pipeline's sample rate (24 kHz). */
export interface AudioEvent {
  kind: 'audio';
  /** Index of the first sample. */
  start: number;
  samples: Float32Array;
  /**
   * Voice activity decisions for this run, one per VAD frame, covering the VAD frames
   * that END inside this run (the VAD edge annotates the events it passes on).
   */
  speech?: { frameSeconds: number; firstFrame: number; decisions: Uint8Array };
}

export type MediaEvent = FrameEvent | AudioEvent;

/** T: `framesPerClip` consecutive frames and the matching audio. */
export interface Clip {
  scan: string;
  /** 0-based clip index within the scan. */
  index: number;
  /** Index of the clip's first frame. */
  firstFrame: number;
  frames: Uint8Array[];
  /** Audio samples of the clip (framesPerClip / fps seconds). */
  audio: Float32Array;
  /** VAD decisions for VAD frames whose centre lies in the clip. */
  speech: Uint8Array;
}

export type AffinityLevel = 'high' | 'low';

export interface TaggedClip extends Clip {
  /** Fraction of VAD frames that are speech. */
  speechFraction: number;
  affinity: AffinityLevel;
}

/** A hard positive (v_i, s_j) and hard negative (v_i, s_t') drawn for group k of clip T. */
export interface PairSample {
  kind: 'pair';
  scan: string;
  clip: number;
  group: number;
  /** Global frame index of v and the frame itself. */
  frameIndex: number;
  frame: Uint8Array;
  /** Start times (seconds) of the positive and negative 0.6 s snippets, and the snippets. */
  positiveTime: number;
  negativeTime: number;
  positiveAudio: Float32Array;
  negativeAudio: Float32Array;
  /** Clip shift of the negative: T' = T + delta (negative when taken backwards at the scan end). */
  delta: number;
  speechFraction: number;
  /** Seed of this sample's random draws. */
  sampleSeed: bigint;
}

/** Four frames of a clip in shuffled order, for the frame-order task. */
export interface OrderSample {
  kind: 'order';
  scan: string;
  clip: number;
  /** Source frame indices, in shuffled (stored) order. */
  frameIndices: [number, number, number, number];
  frames: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  /** perm[j] = temporal rank (0..3) of the frame stored at position j. */
  perm: [number, number, number, number];
  /** 0..11, forward == backward (schemas/columns.ts orderLabel). */
  label: number;
  speechFraction: number;
  sampleSeed: bigint;
}

export type Sample = PairSample | OrderSample;
