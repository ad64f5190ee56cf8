import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Clip, MediaEvent } from '../types/ingest.js';
import { audioEvent, frameEvent } from './spec-fixtures.js';
import { windowClips, type WindowTail } from './window-clips.js';

// Clips of 2 frames at 2 fps = 1 s = 8 samples at 8 Hz.
const TINY = { framesPerClip: 2, fps: 2, sampleRate: 8 };

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** "clip|first pixel of each frame|audio|speech" */
const summary = (clip: Clip): string =>
  `${clip.index}|${clip.frames.map((f) => f[0]).join(',')}|${Array.from(clip.audio).join(',')}|${Array.from(clip.speech).join('')}`;

const CLIP0 = '0|0,1|0,1,2,3,4,5,6,7|';
const CLIP1 = '1|2,3|8,9,10,11,12,13,14,15|';

function marble(events: Record<string, MediaEvent>, source: string, expected: string, values: Record<string, string>, options = {}): void {
  scheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold(source, events).pipe(windowClips({ scan: 's', ...TINY, ...options }), map(summary))).toBe(expected, values);
  });
}

describe('windowClips', () => {
  it('emits each clip when its audio completes, frames ahead of audio', () => {
    const events = { a: frameEvent(0), b: frameEvent(1), c: frameEvent(2), d: frameEvent(3), e: audioEvent(0, 8), f: audioEvent(8, 8) };
    marble(events, 'abcdef|', '----xy|', { x: CLIP0, y: CLIP1 });
  });

  it('emits each clip when its last frame arrives, audio ahead of frames', () => {
    const events = { a: audioEvent(0, 8), b: audioEvent(8, 8), c: frameEvent(0), d: frameEvent(1), e: frameEvent(2), f: frameEvent(3) };
    marble(events, 'abcdef|', '---x-y|', { x: CLIP0, y: CLIP1 });
  });

  it('assembles audio runs that straddle clip boundaries, interleaved with frames', () => {
    const events = { a: frameEvent(0), b: audioEvent(0, 6), c: frameEvent(1), d: audioEvent(6, 6), e: frameEvent(2), f: frameEvent(3), g: audioEvent(12, 4) };
    marble(events, 'abcdefg|', '---x--y|', { x: CLIP0, y: CLIP1 });
  });

  it('splits one audio run that covers two clips exactly at the boundary', () => {
    const events = { a: frameEvent(0), b: frameEvent(1), c: frameEvent(2), d: frameEvent(3), e: audioEvent(0, 16) };
    marble(events, 'abcde', '----(xy)', { x: CLIP0, y: CLIP1 });
  });

  it('drops and counts a tail shorter than a clip', async () => {
    const tails: WindowTail[] = [];
    const events: MediaEvent[] = [frameEvent(0), frameEvent(1), frameEvent(2), audioEvent(0, 8), audioEvent(8, 5)];
    const clips = await lastValueFrom(from(events).pipe(windowClips({ scan: 's', ...TINY, onTail: (t) => tails.push(t) }), map(summary), toArray()));
    expect(clips).toEqual([CLIP0]);
    expect(tails).toEqual([{ clips: 1, droppedFrames: 1, droppedSamples: 5, droppedClips: 1, evictedClips: 0 }]);
  });

  it('keeps frame buffers by reference unless copyFrames, and fills the clip fields', async () => {
    const events: MediaEvent[] = [frameEvent(0), frameEvent(1), frameEvent(2), frameEvent(3), audioEvent(0, 16)];
    const [kept] = await lastValueFrom(from(events).pipe(windowClips({ scan: 'scan-a', ...TINY }), toArray()));
    expect(kept?.frames[1]).toBe((events[1] as { pixels: Uint8Array }).pixels);
    const clips = await lastValueFrom(from(events).pipe(windowClips({ scan: 'scan-a', ...TINY, copyFrames: true }), toArray()));
    expect(clips[1]?.frames[0]).not.toBe((events[2] as { pixels: Uint8Array }).pixels);
    expect(clips[1]?.frames[0]).toEqual((events[2] as { pixels: Uint8Array }).pixels);
    expect(clips.map((c) => [c.scan, c.index, c.firstFrame, c.frames.length, c.audio.length])).toEqual([
      ['scan-a', 0, 0, 2, 8],
      ['scan-a', 1, 2, 2, 8],
    ]);
  });

  it('attaches the VAD decisions centred in the clip and waits for a frame straddling its end', () => {
    // VAD frames of 0.6 s: centres 0.3 and 0.9 belong to clip 0 ([0, 1) s), 1.5 to clip 1, 2.1 to clip 2.
    // Frame 1 ends at 1.2 s: it is decided by the run that covers 1.2 s, so clip 0 waits for it.
    const vad = (firstFrame: number, decisions: number[]) => ({ frameSeconds: 0.6, firstFrame, decisions: Uint8Array.from(decisions) });
    const events = {
      a: frameEvent(0),
      b: frameEvent(1),
      c: audioEvent(0, 8, vad(0, [1])),
      d: audioEvent(8, 8, vad(1, [0, 1])),
      e: frameEvent(2),
      f: frameEvent(3),
    };
    marble(events, 'abcdef|', '---x-y|', { x: `${CLIP0}10`, y: `${CLIP1}1` });
  });

  it('emits a complete clip with the decisions known when the stream ends', () => {
    const vad = (firstFrame: number, decisions: number[]) => ({ frameSeconds: 0.6, firstFrame, decisions: Uint8Array.from(decisions) });
    const events = { a: frameEvent(0), b: frameEvent(1), c: audioEvent(0, 8, vad(0, [1])) };
    marble(events, 'abc|', '---(x|)', { x: `${CLIP0}1` });
  });

  it('gives clips of unannotated audio an empty speech array at once', () => {
    const events = { a: frameEvent(0), b: frameEvent(1), c: audioEvent(0, 8) };
    marble(events, 'abc', '--x', { x: CLIP0 });
  });

  it('drops the oldest incomplete clip beyond maxPendingClips (video longer than audio)', async () => {
    const tails: WindowTail[] = [];
    const events: MediaEvent[] = [audioEvent(0, 4), ...[0, 1, 2, 3, 4, 5].map(frameEvent), audioEvent(4, 12)];
    const clips = await lastValueFrom(from(events).pipe(windowClips({ scan: 's', ...TINY, maxPendingClips: 2, onTail: (t) => tails.push(t) }), toArray()));
    // Clip 0 is evicted when clip 2 starts; clip 1 completes with the second run; clip 2 is the tail.
    expect(clips.map((c) => c.index)).toEqual([1]);
    expect(tails).toEqual([{ clips: 1, droppedFrames: 4, droppedSamples: 8, droppedClips: 2, evictedClips: 1 }]);
  });

  it('fails on frames or audio out of order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames = { a: frameEvent(0), b: frameEvent(2) };
      expectObservable(cold('ab', frames).pipe(windowClips({ scan: 's', ...TINY }))).toBe('-#', undefined, new Error('windowClips(s): expected frame 1, got 2'));
      const audio = { a: audioEvent(0, 4), b: audioEvent(5, 4) };
      expectObservable(cold('ab', audio).pipe(windowClips({ scan: 's', ...TINY }))).toBe('-#', undefined, new Error('windowClips(s): expected audio from sample 4, got 5'));
    });
  });

  it('rejects a clip that is not a whole number of samples', () => {
    expect(() => windowClips({ scan: 's', framesPerClip: 1, fps: 3, sampleRate: 8 })).toThrow(/whole number of samples/);
  });
});
