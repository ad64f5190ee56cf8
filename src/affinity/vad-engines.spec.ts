import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pinkNoise } from '../audio/test-signals.js';
import { Rng } from '../util/rng.js';
import { createVad } from './create-vad.js';
import { unloadSileroModels } from './silero-vad.js';
import { fractionOver, makeNarration, type Narration } from './vad-fixtures.js';
import { concatDecisions, detectSpeech, speechFraction, VAD_ENGINE_NAMES, type VadEngine } from './vad-engine.js';

const SENTENCES = ['Here is the four chamber view of the fetal heart.', 'Now I am measuring the femur length.'];

let narration: Narration;
const engines = new Map<string, VadEngine>();

beforeAll(async () => {
  narration = await makeNarration(SENTENCES, new Rng(1).fork('narration'));
  for (const name of VAD_ENGINE_NAMES) engines.set(name, await createVad(name));
});

afterAll(unloadSileroModels);

const engine = (name: string): VadEngine => {
  const e = engines.get(name);
  if (!e) throw new Error(`engine ${name} not created`);
  return e;
};

describe.each(VAD_ENGINE_NAMES)('%s VAD', (name) => {
  it('finds the spoken sentences and not the pauses between them', async () => {
    const e = engine(name);
    const decisions = await detectSpeech(e, narration.audio);
    const expectedFrames = Math.ceil(narration.audio.length / narration.sampleRate / e.frameSeconds - 1e-9);
    expect(Math.abs(decisions.length - expectedFrames)).toBeLessThanOrEqual(1);
    const recall = fractionOver(decisions, e.frameSeconds, narration.speech);
    const falseAlarm = fractionOver(decisions, e.frameSeconds, narration.pauses);
    console.log(`${name}: speech fraction in sentences ${recall.toFixed(2)}, in pauses ${falseAlarm.toFixed(2)}`);
    expect(recall).toBeGreaterThan(0.75);
    expect(falseAlarm).toBeLessThan(0.05);
  });

  it('calls digital silence non-speech', async () => {
    expect(speechFraction(await detectSpeech(engine(name), new Float32Array(48_000 * 2)))).toBe(0);
  });

  it('is stateful across chunks: any chunking gives the decisions of the whole signal', async () => {
    const e = engine(name);
    const whole = await detectSpeech(e, narration.audio, narration.audio.length);
    const clips = await detectSpeech(e, narration.audio, 48_000);
    expect(clips).toEqual(whole);
    const rng = new Rng(9);
    const session = await e.open();
    const parts: Uint8Array[] = [];
    for (let at = 0; at < narration.audio.length; ) {
      const n = rng.int(1, 20_000);
      parts.push(await session.process(narration.audio.subarray(at, at + n)));
      at += n;
    }
    parts.push(await session.flush());
    session.close();
    expect(concatDecisions(parts)).toEqual(whole);
  });

  it('starts every session from scratch', async () => {
    const e = engine(name);
    const first = await detectSpeech(e, narration.audio);
    await detectSpeech(e, pinkNoise(48_000, new Rng(4), 0.2)); // a different scan in between
    expect(await detectSpeech(e, narration.audio)).toEqual(first);
  });
});

describe('silero VAD on noise', () => {
  it('calls loud pink noise non-speech (unlike the energy detector)', async () => {
    const noise = pinkNoise(24_000 * 4, new Rng(5), 0.05);
    expect(speechFraction(await detectSpeech(engine('silero'), noise))).toBeLessThan(0.05);
    expect(speechFraction(await detectSpeech(engine('energy'), noise))).toBeGreaterThan(0.5);
  });

  it('lets queued chunks run in order without awaiting each one', async () => {
    const e = engine('silero');
    const reference = await detectSpeech(e, narration.audio);
    const session = await e.open();
    const pending: (Promise<Uint8Array> | Uint8Array)[] = [];
    for (let at = 0; at < narration.audio.length; at += 48_000) pending.push(session.process(narration.audio.subarray(at, at + 48_000)));
    pending.push(session.flush());
    expect(concatDecisions(await Promise.all(pending))).toEqual(reference);
  });
});
