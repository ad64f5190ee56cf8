import { describe, expect, it } from '@jest/globals';
import { dbToIndices, logSpectrogram } from './spectrogram.js';

const { sin, PI } = Math;

function tone(freq: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * sin((2 * PI * freq * i) / rate);
  return out;
}

function loudestRow(db: Float32Array, columns: number, rows: number, column: number): number {
  let best = 0;
  for (let r = 1; r < rows; r++) if ((db[r * columns + column] as number) > (db[best * columns + column] as number)) best = r;
  return best;
}

describe('logSpectrogram', () => {
  it('puts a tone in the row of its frequency (row 0 = Nyquist)', () => {
    const rate = 16000;
    const rows = 64;
    for (const freq of [500, 2000, 6000]) {
      const db = logSpectrogram(tone(freq, rate, 1), { columns: 50, rows });
      const expected = rows - 1 - Math.floor((freq / (rate / 2)) * rows);
      expect(Math.abs(loudestRow(db, 50, rows, 25) - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('follows energy over time, for short and long signals', () => {
    const rate = 16000;
    for (const seconds of [0.5, 30]) {
      const signal = tone(1000, rate, seconds);
      signal.fill(0, Math.floor(signal.length / 2));
      const columns = 40;
      const db = logSpectrogram(signal, { columns, rows: 32 });
      const row = 32 - 1 - Math.floor((1000 / 8000) * 32);
      expect((db[row * columns + 5] as number) - (db[row * columns + 35] as number)).toBeGreaterThan(60);
    }
  });

  it('returns a floor for no audio', () => {
    const db = logSpectrogram(new Float32Array(0), { columns: 3, rows: 2 });
    expect(Array.from(db)).toEqual([-200, -200, -200, -200, -200, -200]);
  });
});

describe('dbToIndices', () => {
  it('maps the top percentile to 255, at most maxRangeDb below it to 0', () => {
    const db = new Float32Array(1000).map((_, i) => -100 + i * 0.1);
    const { indices, rangeDb, floorDb } = dbToIndices(db, { topPercentile: 1, maxRangeDb: 50 });
    expect(rangeDb).toBeCloseTo(50, 3);
    expect(floorDb).toBeCloseTo(-50.1, 3);
    expect(indices[999]).toBe(255);
    expect(indices[0]).toBe(0);
    expect(indices[499]).toBe(0);
    expect(indices[750]).toBeGreaterThan(120);
    expect(indices[750]).toBeLessThan(135);
  });

  it('sinks a steady noise floor to black while keeping at least minRangeDb', () => {
    const db = new Float32Array(1000).map((_, i) => (i % 100 === 0 ? -10 : -60 + (i % 7) * 0.5));
    const { indices, rangeDb } = dbToIndices(db, { topPercentile: 0.999, floorPercentile: 0.5, minRangeDb: 30 });
    expect(rangeDb).toBeGreaterThanOrEqual(30);
    expect(indices.filter((v) => v === 0).length).toBeGreaterThan(400);
    expect(indices[100]).toBe(255);
    const flat = dbToIndices(new Float32Array(50).fill(-40));
    expect(flat.rangeDb).toBe(30);
    expect(flat.indices[0]).toBe(255);
  });
});
