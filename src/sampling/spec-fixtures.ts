/**
 * Tiny media for the sampling specs: 4 x 4 frames whose pixels all equal (frame index & 255),
 * and audio whose sample k has the value k (its own position), so a snippet shows where it
 * was cut from.
 */
import type { AffinityLevel, AudioEvent, FrameEvent, TaggedClip } from '../types/ingest.js';

export const FRAME_SIDE = 4;

export function framePixels(index: number): Uint8Array {
  return new Uint8Array(FRAME_SIDE * FRAME_SIDE).fill(index & 255);
}

export function frameEvent(index: number): FrameEvent {
  return { kind: 'frame', index, pixels: framePixels(index) };
}

/** Samples [start, start + length), each equal to its index. */
export function rampAudio(start: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, k) => start + k);
}

export function audioEvent(start: number, length: number, speech?: AudioEvent['speech']): AudioEvent {
  return speech ? { kind: 'audio', start, samples: rampAudio(start, length), speech } : { kind: 'audio', start, samples: rampAudio(start, length) };
}

export interface TinyClipShape {
  framesPerClip: number;
  clipSamples: number;
}

/** Clip `index` of a ramp scan, tagged directly (no VAD). */
export function taggedClip(scan: string, index: number, affinity: AffinityLevel, shape: TinyClipShape): TaggedClip {
  const firstFrame = index * shape.framesPerClip;
  const speechFraction = affinity === 'high' ? 1 : 0;
  return {
    scan,
    index,
    firstFrame,
    frames: Array.from({ length: shape.framesPerClip }, (_, i) => framePixels(firstFrame + i)),
    audio: rampAudio(index * shape.clipSamples, shape.clipSamples),
    speech: Uint8Array.of(speechFraction),
    speechFraction,
    affinity,
  };
}
