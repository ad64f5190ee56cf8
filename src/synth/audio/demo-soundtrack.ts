/**
 * Renders a 60 s soundtrack (DEMO_SECONDS to change) for a made-up timeline to a 16-bit
 * WAV and prints its ground truth and timings.
 * Usage: node dist/src/synth/audio/demo-soundtrack.js OUT.wav [seed]
 */
import { writeFile } from 'node:fs/promises';
import { Rng } from '../../util/rng.js';
import { loadSpeaker, planSoundtrack, renderSoundtrack, SYNTH_AUDIO_RATE } from './index.js';
import { madeUpTimeline } from './made-up-timeline.js';
import { encodeWav16 } from './wav.js';

const DURATION = Number(process.env.DEMO_SECONDS ?? 60);

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: demo-soundtrack OUT.wav [seed]');
  const seed = Number(process.argv[3] ?? 7);
  const t0 = performance.now();
  const speaker = await loadSpeaker();
  const loaded = performance.now();
  const rng = new Rng(seed);
  const segments = madeUpTimeline(DURATION, rng.fork('timeline'));
  const plan = planSoundtrack(segments, DURATION, rng.fork('narration'));
  const track = renderSoundtrack(plan, DURATION, speaker, rng.fork('audio'));
  const rendered = performance.now();
  await writeFile(out, encodeWav16(track.samples, SYNTH_AUDIO_RATE));

  const fmt = (x: number): string => x.toFixed(2);
  console.log(`espeak load ${fmt((loaded - t0) / 1000)} s, plan+render ${fmt((rendered - loaded) / 1000)} s`);
  const a = plan.ambience;
  const db = (x: number): string => `${(20 * Math.log10(x)).toFixed(1)} dBFS`;
  const speechRms = rmsOver(track.samples, track.speech);
  const ambienceRms = Math.hypot(a.acRms, a.humRms);
  console.log(`voices ${track.voices.join(', ')}`);
  console.log(`levels: speech rms ${db(speechRms)}, air conditioning rms ${db(a.acRms)} (corner ${a.acCutoffHz.toFixed(0)} Hz), hum ${a.humHz} Hz rms ${db(a.humRms)}, speech/ambience ${db(speechRms / ambienceRms).replace('FS', '')}`);
  for (const p of segments) if (p.cls !== 'background') console.log(`  plane  ${fmt(p.stableStart)}-${fmt(p.stableEnd)} ${p.cls}`);
  for (const s of track.speech) console.log(`  speech ${fmt(s.start)}-${fmt(s.end)} ${s.kind}${s.cls ? `(${s.cls})` : ''} [${s.voice}] "${s.text}"`);
  for (const n of track.noise) console.log(`  noise  ${fmt(n.start)}-${fmt(n.end)} ${n.kind} peak ${n.level.toFixed(3)}`);
  console.log(`wrote ${out}`);
}

function rmsOver(samples: Float32Array, spans: readonly { start: number; end: number }[]): number {
  let sum = 0;
  let count = 0;
  for (const span of spans) {
    for (let i = Math.floor(span.start * SYNTH_AUDIO_RATE); i < Math.ceil(span.end * SYNTH_AUDIO_RATE) && i < samples.length; i++) {
      sum += (samples[i] as number) ** 2;
      count++;
    }
  }
  return Math.sqrt(sum / Math.max(1, count));
}

await main();
