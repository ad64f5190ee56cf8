/**
 * The VAD edge of the ingest stream: runs a VadSession over the audio events in order and
 * attaches each run's decisions (`speech`: the VAD frames that end inside the run), so the
 * clip operators downstream stay synchronous. Frame events pass through untouched and in
 * place. At the end of the input the session's flush (the last, partial VAD frame) comes as
 * one extra, empty audio run at the end of the audio, only when it has decisions.
 *
 * The caller owns the session (opens and closes it); one session per scan.
 */
import type { AudioEvent, MediaEvent } from '../types/ingest.js';
import type { VadSession } from './vad-engine.js';

export async function* annotateSpeech(
  events: AsyncIterable<MediaEvent>,
  session: VadSession,
  frameSeconds: number,
): AsyncGenerator<MediaEvent, void, undefined> {
  if (!(frameSeconds > 0)) throw new Error(`annotateSpeech: frameSeconds must be > 0, got ${frameSeconds}`);
  let nextSample = 0;
  let nextFrame = 0;
  for await (const event of events) {
    if (event.kind !== 'audio') {
      yield event;
      continue;
    }
    if (event.start !== nextSample) throw new Error(`annotateSpeech: expected audio from sample ${nextSample}, got ${event.start}`);
    nextSample += event.samples.length;
    const decisions = await session.process(event.samples);
    const annotated: AudioEvent = { ...event, speech: { frameSeconds, firstFrame: nextFrame, decisions } };
    nextFrame += decisions.length;
    yield annotated;
  }
  const last = await session.flush();
  if (last.length > 0) {
    yield { kind: 'audio', start: nextSample, samples: new Float32Array(0), speech: { frameSeconds, firstFrame: nextFrame, decisions: last } };
  }
}
