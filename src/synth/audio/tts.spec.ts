import { beforeAll, describe, expect, it } from '@jest/globals';
import { SYNTH_AUDIO_RATE } from './audio-rate.js';
import { loadSpeaker, type Speaker } from './tts.js';
import { VOICES } from './voices.js';

let speaker: Speaker;

beforeAll(async () => {
  speaker = await loadSpeaker();
});

function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Median autocorrelation pitch (Hz) over loud 40 ms frames. */
function medianPitch(x: Float32Array): number {
  const frame = 960;
  const pitches: number[] = [];
  for (let s = 0; s + frame < x.length; s += frame) {
    if (rms(x, s, s + frame) < 0.05) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = 48; lag < 400; lag++) {
      let c = 0;
      for (let i = 0; i < frame - lag; i++) c += (x[s + i] as number) * (x[s + i + lag] as number);
      if (c > best) [best, bestLag] = [c, lag];
    }
    if (bestLag > 0) pitches.push(SYNTH_AUDIO_RATE / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[pitches.length >> 1] ?? 0;
}

describe('espeak speaker', () => {
  it('loads once per process', async () => {
    expect(await loadSpeaker()).toBe(speaker);
    expect(speaker.voices).toEqual(VOICES.map((v) => v.name));
  });

  it('speaks non-silent audio trimmed to its voiced extent, with word timings inside it', () => {
    const text = "ok, so that's the four chamber view";
    const { samples, words } = speaker.say(text, 'rp-female-f2');
    const seconds = samples.length / SYNTH_AUDIO_RATE;
    expect(seconds).toBeGreaterThan(1.2);
    expect(seconds).toBeLessThan(4);
    expect(rms(samples)).toBeGreaterThan(0.03);
    // Trimmed: sound within the first and last 30 ms.
    expect(rms(samples, 0, 720)).toBeGreaterThan(1e-3);
    expect(rms(samples, samples.length - 720)).toBeGreaterThan(1e-3);

    expect(words.map((w) => w.text)).toEqual(['ok', 'so', "that's", 'the', 'four', 'chamber', 'view']);
    let previousEnd = 0;
    for (const w of words) {
      expect(w.start).toBeGreaterThanOrEqual(previousEnd - 1e-9);
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.end).toBeLessThanOrEqual(seconds + 1e-9);
      // Each word's span carries speech.
      expect(rms(samples, Math.floor(w.start * SYNTH_AUDIO_RATE), Math.ceil(w.end * SYNTH_AUDIO_RATE))).toBeGreaterThan(0.01);
      previousEnd = w.end;
    }
    // The comma after "ok" is a pause: "so" starts clearly after "ok" ends.
    expect((words[1] as { start: number }).start - (words[0] as { end: number }).end).toBeGreaterThan(0.05);
  });

  it('gives every word of the text a span even where espeak merges words', () => {
    const text = 'there are the two kidneys, either side of the spine';
    const { words } = speaker.say(text, 'us-female-f3');
    expect(words.map((w) => w.text)).toEqual(text.replace(',', '').split(' '));
  });

  it('speaks with every voice, the female variants higher than the male ones', () => {
    const pitch = new Map<string, number>();
    for (const voice of speaker.voices) {
      const { samples } = speaker.say('looking at the spine now', voice);
      expect(rms(samples)).toBeGreaterThan(0.03);
      pitch.set(voice, medianPitch(samples));
    }
    const female = VOICES.filter((v) => /\+f\d/.test(v.espeak)).map((v) => pitch.get(v.name) as number);
    const male = VOICES.filter((v) => /\+m\d/.test(v.espeak)).map((v) => pitch.get(v.name) as number);
    expect(Math.min(...female)).toBeGreaterThan(1.3 * Math.max(...male));
  });

  it('says the same text the same way whatever was said before (no state carried over)', () => {
    const first = speaker.say('nice profile, there we go', 'us-female-f3');
    speaker.say('did you find parking ok?', 'wmids-female-f5');
    speaker.say('looking at the spine now, sagittal', 'us-female-f3');
    // A trailing space is a different cache key but the same speech for espeak.
    const later = speaker.say('nice profile, there we go ', 'us-female-f3');
    expect(later.samples.length).toBe(first.samples.length);
    expect(Buffer.from(later.samples.buffer).equals(Buffer.from(first.samples.buffer))).toBe(true);
    expect(later.words).toEqual(first.words);
  });

  it('returns fresh copies from its cache and rejects unknown voices', () => {
    const first = speaker.say('nice profile', 'gb-female-f4');
    const copy = first.samples.slice();
    first.samples.fill(0);
    (first.words[0] as { start: number }).start = 99;
    const second = speaker.say('nice profile', 'gb-female-f4');
    expect(Buffer.from(second.samples.buffer).equals(Buffer.from(copy.buffer))).toBe(true);
    expect((second.words[0] as { start: number }).start).toBeLessThan(1);
    expect(() => speaker.say('hello', 'no-such-voice')).toThrow(/unknown voice/);
  });
});
