/**
 * MediaEvent -> Clip: consecutive clips T of `framesPerClip` frames, the matching
 * framesPerClip / fps seconds of audio, and the VAD decisions whose frame centre lies in
 * the clip, whatever the interleaving of frame and audio events.
 *
 * - Frames must arrive in index order from 0 and audio runs contiguously from sample 0
 *   (the decoder's fps filter makes both gap-free); anything else is an error.
 * - A clip is emitted as soon as its frames and audio are complete and, when the audio is
 *   VAD-annotated (annotate-speech.ts), the decisions of every VAD frame centred in it are
 *   known (a VAD frame straddling the clip end is decided by the next audio run).
 *   Unannotated audio gives clips with empty `speech`.
 * - State: the clips that are incomplete (bounded by the skew between the two streams, at
 *   most `maxPendingClips`; beyond it the oldest is dropped and counted) plus their audio and
 *   decisions. Audio is copied into one buffer per clip (runs straddle clips); frames are
 *   kept by reference unless `copyFrames` (use it when the decoder reuses frame buffers).
 * - At completion, a clip with complete frames and audio is emitted with the decisions
 *   known; the shorter tail is dropped, and `onTail` reports what was dropped.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { AudioEvent, Clip, FrameEvent, MediaEvent } from '../types/ingest.js';
import { clipSamples, resolveSamplingConfig, type SamplingConfig } from './config.js';
import { DecisionWindow } from './decision-window.js';

export interface WindowTail {
  /** Clips emitted. */
  clips: number;
  /** Frames and audio samples received that are in no emitted clip. */
  droppedFrames: number;
  droppedSamples: number;
  /** Incomplete clips dropped (the tail and any evicted ones). */
  droppedClips: number;
  /** Of those, clips dropped because more than maxPendingClips were incomplete. */
  evictedClips: number;
}

export interface WindowClipsOptions extends Partial<Pick<SamplingConfig, 'framesPerClip' | 'fps' | 'sampleRate' | 'maxPendingClips'>> {
  scan: string;
  /** Copy each frame's pixels (default false: the clip keeps the event's buffer). */
  copyFrames?: boolean;
  /** Called once at completion (not on error) with what the tail lost. */
  onTail?: (tail: WindowTail) => void;
}

interface PendingClip {
  index: number;
  frames: Uint8Array[];
  frameCount: number;
  audio: Float32Array | undefined;
  audioCount: number;
}

class ClipWindower {
  private readonly framesPerClip: number;
  private readonly clipSamples: number;
  private readonly clipSeconds: number;
  private readonly maxPending: number;
  private readonly pending = new Map<number, PendingClip>();
  /** Every clip below it was emitted or dropped. */
  private doneBelow = 0;
  private nextFrame = 0;
  private nextSample = 0;
  /** undefined until the first audio run says whether the stream is VAD-annotated. */
  private annotated: boolean | undefined;
  private vadFrameSeconds = 0;
  private readonly vad = new DecisionWindow();
  readonly tail: WindowTail = { clips: 0, droppedFrames: 0, droppedSamples: 0, droppedClips: 0, evictedClips: 0 };

  constructor(
    private readonly scan: string,
    config: SamplingConfig,
    private readonly copyFrames: boolean,
  ) {
    this.framesPerClip = config.framesPerClip;
    this.clipSamples = clipSamples(config);
    this.clipSeconds = config.framesPerClip / config.fps;
    this.maxPending = config.maxPendingClips;
  }

  push(event: MediaEvent, out: Clip[]): void {
    if (event.kind === 'frame') this.pushFrame(event);
    else this.pushAudio(event);
    for (let clip = this.pending.get(this.doneBelow); clip && this.isReady(clip); clip = this.pending.get(this.doneBelow)) {
      out.push(this.emit(clip));
    }
  }

  finish(out: Clip[]): void {
    for (let c = this.doneBelow; this.pending.has(c); c = this.doneBelow) {
      const clip = this.pending.get(c) as PendingClip;
      if (clip.frameCount === this.framesPerClip && clip.audioCount === this.clipSamples) out.push(this.emit(clip));
      else this.drop(clip);
    }
  }

  private pushFrame(event: FrameEvent): void {
    if (event.index !== this.nextFrame) throw new Error(`windowClips(${this.scan}): expected frame ${this.nextFrame}, got ${event.index}`);
    this.nextFrame++;
    const c = Math.floor(event.index / this.framesPerClip);
    const clip = this.clipAt(c);
    if (!clip) {
      this.tail.droppedFrames++;
      return;
    }
    clip.frames[event.index - c * this.framesPerClip] = this.copyFrames ? event.pixels.slice() : event.pixels;
    clip.frameCount++;
  }

  private pushAudio(event: AudioEvent): void {
    if (event.start !== this.nextSample) throw new Error(`windowClips(${this.scan}): expected audio from sample ${this.nextSample}, got ${event.start}`);
    const samples = event.samples;
    for (let at = 0; at < samples.length; ) {
      const s = this.nextSample + at;
      const c = Math.floor(s / this.clipSamples);
      const offset = s - c * this.clipSamples;
      const n = Math.min(samples.length - at, this.clipSamples - offset);
      const clip = this.clipAt(c);
      if (!clip) {
        this.tail.droppedSamples += n;
      } else {
        clip.audio ??= new Float32Array(this.clipSamples);
        clip.audio.set(samples.subarray(at, at + n), offset);
        clip.audioCount += n;
      }
      at += n;
    }
    this.nextSample += samples.length;
    this.takeSpeech(event);
  }

  private takeSpeech(event: AudioEvent): void {
    const speech = event.speech;
    if (this.annotated === undefined) {
      this.annotated = speech !== undefined;
      if (speech) {
        if (!(speech.frameSeconds > 0)) throw new Error(`windowClips(${this.scan}): bad VAD frameSeconds ${speech.frameSeconds}`);
        this.vadFrameSeconds = speech.frameSeconds;
        this.vad.trimBelow(this.firstVadFrame(this.doneBelow));
      }
    } else if (this.annotated !== (speech !== undefined)) {
      throw new Error(`windowClips(${this.scan}): audio run at sample ${event.start} ${speech ? 'is' : 'is not'} VAD-annotated, unlike the first`);
    }
    if (!speech) return;
    if (speech.frameSeconds !== this.vadFrameSeconds) {
      throw new Error(`windowClips(${this.scan}): VAD frameSeconds changed from ${this.vadFrameSeconds} to ${speech.frameSeconds}`);
    }
    this.vad.append(speech.firstFrame, speech.decisions);
  }

  /** First VAD frame whose centre, (i + 0.5) * frameSeconds, is at or after the start of clip c. */
  private firstVadFrame(c: number): number {
    return Math.max(0, Math.ceil((c * this.clipSeconds) / this.vadFrameSeconds - 0.5));
  }

  private isReady(clip: PendingClip): boolean {
    if (clip.frameCount < this.framesPerClip || clip.audioCount < this.clipSamples) return false;
    return this.annotated !== true || this.vad.end >= this.firstVadFrame(clip.index + 1);
  }

  /** The pending clip c, created on first use; undefined if c was already dropped. */
  private clipAt(c: number): PendingClip | undefined {
    if (c < this.doneBelow) return undefined;
    let clip = this.pending.get(c);
    if (clip) return clip;
    // Pending clips are contiguous from doneBelow: both streams arrive in order.
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.get(this.doneBelow) as PendingClip;
      this.drop(oldest);
      this.tail.evictedClips++;
    }
    clip = { index: c, frames: new Array<Uint8Array>(this.framesPerClip), frameCount: 0, audio: undefined, audioCount: 0 };
    this.pending.set(c, clip);
    return clip;
  }

  private retire(clip: PendingClip): void {
    this.pending.delete(clip.index);
    this.doneBelow = clip.index + 1;
    if (this.annotated) this.vad.trimBelow(this.firstVadFrame(this.doneBelow));
  }

  private drop(clip: PendingClip): void {
    this.tail.droppedFrames += clip.frameCount;
    this.tail.droppedSamples += clip.audioCount;
    this.tail.droppedClips++;
    this.retire(clip);
  }

  private emit(clip: PendingClip): Clip {
    const speech = this.annotated ? this.vad.slice(this.firstVadFrame(clip.index), this.firstVadFrame(clip.index + 1)) : new Uint8Array(0);
    this.retire(clip);
    this.tail.clips++;
    return {
      scan: this.scan,
      index: clip.index,
      firstFrame: clip.index * this.framesPerClip,
      frames: clip.frames,
      audio: clip.audio as Float32Array,
      speech,
    };
  }
}

export function windowClips(options: WindowClipsOptions): OperatorFunction<MediaEvent, Clip> {
  const config = resolveSamplingConfig(options, ['framesPerClip', 'fps', 'sampleRate', 'maxPendingClips']);
  const { scan, copyFrames = false, onTail } = options;
  return (source) =>
    new Observable<Clip>((subscriber) => {
      const windower = new ClipWindower(scan, config, copyFrames);
      const run = (step: (out: Clip[]) => void): boolean => {
        const out: Clip[] = [];
        try {
          step(out);
        } catch (error) {
          subscriber.error(error);
          return false;
        }
        for (const clip of out) subscriber.next(clip);
        return true;
      };
      return source.subscribe({
        next: (event) => void run((out) => windower.push(event, out)),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (!run((out) => windower.finish(out))) return;
          onTail?.({ ...windower.tail });
          subscriber.complete();
        },
      });
    });
}
