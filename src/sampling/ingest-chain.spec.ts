/**
 * The stages together at the paper's sizes (60-frame clips at 30 fps, 0.6 s snippets at
 * 24 kHz, 256 x 256 spectrograms), on a fake decoder with small frames and the energy VAD:
 * annotateSpeech -> drive(windowClips -> tagAffinity -> samplePairs / sampleOrders -> rows).
 */
import { describe, expect, it } from '@jest/globals';
import { connect, map, merge, type OperatorFunction } from 'rxjs';
import { orderLabel } from '../../schemas/columns.js';
import type { OrderRow, PairRow } from '../../schemas/rows.js';
import { annotateSpeech } from '../affinity/annotate-speech.js';
import { EnergyVad } from '../affinity/energy-vad.js';
import { tagAffinity } from '../affinity/tag-affinity.js';
import { orderRows, pairRows } from '../audio/speech-features.js';
import { drive } from '../streams/drive.js';
import type { MediaEvent } from '../types/ingest.js';
import { Rng } from '../util/rng.js';
import { sampleOrders } from './sample-orders.js';
import { samplePairs } from './sample-pairs.js';
import { windowClips, type WindowTail } from './window-clips.js';

const RATE = 24_000;

/**
 * A decoded scan: 0.1 s audio runs, each followed by its 3 frames (8 x 8 pixels). Clips 0-3 hold
 * "speech" (noise bursts modulated at 4 Hz, -10 dBFS), clips 4-7 a -60 dBFS floor; 0.5 s of tail.
 */
async function* decodedScan(rng: Rng): AsyncGenerator<MediaEvent> {
  const runs = 8 * 20 + 5;
  for (let r = 0; r < runs; r++) {
    const samples = new Float32Array(RATE / 10);
    const loud = r < 80;
    for (let k = 0; k < samples.length; k++) {
      const t = (r * samples.length + k) / RATE;
      const envelope = loud ? 0.3 * Math.max(0, Math.sin(2 * Math.PI * 4 * t)) + 0.05 : 0.001;
      samples[k] = rng.normal(0, envelope);
    }
    yield { kind: 'audio', start: r * samples.length, samples };
    for (let f = 0; f < 3; f++) {
      const index = 3 * r + f;
      yield { kind: 'frame', index, pixels: new Uint8Array(64).fill(index & 255) };
    }
  }
}

type Row = { kind: 'pair'; row: PairRow } | { kind: 'order'; row: OrderRow };

describe('ingest chain', () => {
  it('turns a decoded, VAD-annotated scan into pair rows (speech clips) and order rows (quiet clips)', async () => {
    const vad = new EnergyVad();
    const session = vad.open();
    const tails: WindowTail[] = [];
    const config = { seed: 42 };
    const chain: OperatorFunction<MediaEvent, Row> = (events) =>
      events.pipe(
        windowClips({ scan: 'scan-1', onTail: (t) => tails.push(t) }),
        tagAffinity(),
        connect((clips) =>
          merge(
            clips.pipe(samplePairs(config), pairRows(), map((row): Row => ({ kind: 'pair', row }))),
            clips.pipe(sampleOrders(config), orderRows(), map((row): Row => ({ kind: 'order', row }))),
          ),
        ),
      );
    const rows: Row[] = [];
    const started = performance.now();
    await drive(annotateSpeech(decodedScan(new Rng(1)), session, vad.frameSeconds), chain, async (row) => void rows.push(row));
    const ms = performance.now() - started;
    session.close();

    expect(tails).toEqual([{ clips: 8, droppedFrames: 15, droppedSamples: 12_000, droppedClips: 1, evictedClips: 0 }]);
    const pairs = rows.flatMap((r) => (r.kind === 'pair' ? [r.row] : []));
    const orders = rows.flatMap((r) => (r.kind === 'order' ? [r.row] : []));
    expect(pairs.map((p) => `${p.clip}.${p.groupK}`)).toEqual(['0.0', '0.1', '1.0', '1.1', '2.0', '2.1', '3.0', '3.1']);
    expect(orders.map((o) => o.clip)).toEqual([4, 5, 6, 7]);
    for (const p of pairs) {
      expect(p.speechPos).toHaveLength(256 * 256);
      expect(p.speechNeg).toHaveLength(256 * 256);
      expect(p.affinity).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(p.delta)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(p.delta)).toBeLessThan(5);
      expect(p.speechPosTime).toBeGreaterThanOrEqual(2 * p.clip);
      expect(p.speechPosTime + 0.6).toBeLessThanOrEqual(2 * (p.clip + 1) + 1e-9);
    }
    for (const o of orders) {
      expect(o.label).toBe(orderLabel(o.permutation));
      expect(o.frames).toHaveLength(4 * 64);
    }
    // 16 spectrograms dominate; well under a second even on a shared core.
    expect(ms).toBeLessThan(4000);
  });
});
