import { describe, expect, it } from '@jest/globals';
import type { AudioEvent, MediaEvent } from '../types/ingest.js';
import { annotateSpeech } from './annotate-speech.js';
import { FrameSplitter } from './frame-splitter.js';
import type { VadSession } from './vad-engine.js';

/** A fake VAD with 3-sample frames: speech when the frame's first sample is > 0. Async, like Silero. */
function fakeSession(): VadSession & { closed: boolean; chunks: number[] } {
  const splitter = new FrameSplitter(3);
  const decide = (frame: Float32Array): number => ((frame[0] as number) > 0 ? 1 : 0);
  return {
    closed: false,
    chunks: [],
    async process(chunk) {
      this.chunks.push(chunk.length);
      const out: number[] = [];
      splitter.push(chunk, (f) => out.push(decide(f)));
      return Uint8Array.from(out);
    },
    flush() {
      const out: number[] = [];
      splitter.flush((f) => out.push(decide(f)));
      return Uint8Array.from(out);
    },
    close() {
      this.closed = true;
    },
  };
}

async function* events(list: MediaEvent[]): AsyncGenerator<MediaEvent> {
  yield* list;
}

const audio = (start: number, values: number[]): AudioEvent => ({ kind: 'audio', start, samples: Float32Array.from(values) });
const frame = (index: number): MediaEvent => ({ kind: 'frame', index, pixels: new Uint8Array(4) });

async function collect(list: MediaEvent[], session: VadSession): Promise<MediaEvent[]> {
  const out: MediaEvent[] = [];
  for await (const e of annotateSpeech(events(list), session, 0.125)) out.push(e);
  return out;
}

describe('annotateSpeech', () => {
  it('attaches the decisions of the VAD frames ending in each run, passes frames through in place, and flushes', async () => {
    const session = fakeSession();
    const input = [frame(0), audio(0, [1, 0, 0, 0]), frame(1), audio(4, [0, 0, 1, 0, 0]), audio(9, [1, 1])];
    const out = await collect(input, session);
    expect(out.map((e) => e.kind)).toEqual(['frame', 'audio', 'frame', 'audio', 'audio', 'audio']);
    expect(out[0]).toBe(input[0]);
    expect(out[2]).toBe(input[2]);
    const speech = out.filter((e): e is AudioEvent => e.kind === 'audio').map((e) => [e.start, e.samples.length, e.speech?.firstFrame, Array.from(e.speech?.decisions ?? [])]);
    // Frames: [1,0,0] [0,0,0] [1,0,0] [1,1+pad] -> 1, 0, 1 and the flushed partial frame 1.
    expect(speech).toEqual([
      [0, 4, 0, [1]],
      [4, 5, 1, [0, 1]],
      [9, 2, 3, []],
      [11, 0, 3, [1]],
    ]);
    expect(out.every((e) => e.kind !== 'audio' || e.speech?.frameSeconds === 0.125)).toBe(true);
    expect(session.chunks).toEqual([4, 5, 2]);
    expect(session.closed).toBe(false); // the caller owns the session
  });

  it('emits no extra run when nothing is left to flush', async () => {
    const out = await collect([audio(0, [1, 1, 1, 0, 0, 0])], fakeSession());
    expect(out).toHaveLength(1);
  });

  it('rejects audio that is not contiguous', async () => {
    await expect(collect([audio(0, [1, 1]), audio(3, [1])], fakeSession())).rejects.toThrow('annotateSpeech: expected audio from sample 2, got 3');
  });
});
