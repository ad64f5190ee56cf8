import { describe, expect, it } from '@jest/globals';
import { GaussianBlur } from './gaussian-blur.js';
import { decodeFixations, encodeFixations, gazeCell, gazeWindow, type GazeMapping, quantiseSaliency, rasteriseGaze, SaliencyMapper } from './gaze-map.js';

// A 200 x 100 crop at (40, 30) of the source video, mapped onto a 20 x 10 map: 10 px per cell.
const mapping: GazeMapping = { crop: { x: 40, y: 30, width: 200, height: 100 }, scaleX: 1, scaleY: 1, mapWidth: 20, mapHeight: 10 };

function argmax(map: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i]! > map[best]!) best = i;
  return best;
}

describe('gazeCell: video pixels -> cropped map cells', () => {
  it('applies the crop offset and the scale', () => {
    expect(gazeCell(40, 30, mapping)).toEqual([0, 0]);
    expect(gazeCell(49.9, 39.9, mapping)).toEqual([0, 0]);
    expect(gazeCell(50, 40, mapping)).toEqual([1, 1]);
    expect(gazeCell(140, 80, mapping)).toEqual([10, 5]);
    expect(gazeCell(239.9, 129.9, mapping)).toEqual([19, 9]);
  });

  it('drops points outside the crop and non-numbers', () => {
    expect(gazeCell(39.9, 50, mapping)).toBeUndefined();
    expect(gazeCell(240, 50, mapping)).toBeUndefined();
    expect(gazeCell(100, 29, mapping)).toBeUndefined();
    expect(gazeCell(100, 130, mapping)).toBeUndefined();
    expect(gazeCell(NaN, 50, mapping)).toBeUndefined();
  });

  it('rescales sidecar pixels to the video when the video was resized', () => {
    // Sidecar in a half-size frame: (70, 40) there is (140, 80) in the video.
    expect(gazeCell(70, 40, { ...mapping, scaleX: 2, scaleY: 2 })).toEqual([10, 5]);
  });
});

describe('gazeWindow', () => {
  it('takes the samples within +- the half window, edges included', () => {
    expect(gazeWindow(3600, 30, 10, 0.5)).toEqual({ first: 285, last: 315 });
    expect(gazeWindow(3600, 30, 8 / 30, 0.5)).toEqual({ first: 0, last: 23 });
  });

  it('clips to the samples present', () => {
    expect(gazeWindow(100, 30, 0, 0.5)).toEqual({ first: 0, last: 15 });
    const end = gazeWindow(100, 30, 99 / 30, 0.5);
    expect(end).toEqual({ first: 84, last: 99 });
    const beyond = gazeWindow(100, 30, 10, 0.5);
    expect(beyond.first).toBeGreaterThan(beyond.last);
  });

  it('a zero window is the sample at the frame time', () => {
    expect(gazeWindow(100, 30, 1, 0)).toEqual({ first: 30, last: 30 });
  });
});

describe('rasteriseGaze', () => {
  it('counts samples per cell and lists each fixated cell once, sorted by y then x', () => {
    const xs = [140, 141, 60, 500, null, 142];
    const ys = [80, 82, 120, 80, 80, 81];
    const g = rasteriseGaze(xs, ys, 0, 5, mapping);
    expect(g.samples).toBe(4);
    expect(g.counts[5 * 20 + 10]).toBe(3);
    expect(g.counts[9 * 20 + 2]).toBe(1);
    expect(Array.from(g.fixations)).toEqual([10, 5, 2, 9]);
  });
});

describe('GaussianBlur', () => {
  it('keeps the mass of an interior point, centred and symmetric', () => {
    const blur = new GaussianBlur(21, 21, 2);
    const map = new Float64Array(21 * 21);
    map[10 * 21 + 10] = 1;
    const out = blur.apply(map);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(argmax(out)).toBe(10 * 21 + 10);
    expect(out[10 * 21 + 7]).toBeCloseTo(out[10 * 21 + 13]!, 12);
    expect(out[7 * 21 + 10]).toBeCloseTo(out[10 * 21 + 7]!, 12);
    // One sigma away: exp(-1/2) of the peak.
    expect(out[10 * 21 + 12]! / out[10 * 21 + 10]!).toBeCloseTo(Math.exp(-0.5), 3);
  });
});

describe('quantiseSaliency and fixation bytes', () => {
  it('scales the maximum to 255 and leaves an empty map at zero', () => {
    const q = quantiseSaliency(Float64Array.from([0, 0.5, 2, 1]));
    expect(Array.from(q)).toEqual([0, 64, 255, 128]);
    expect(Array.from(quantiseSaliency(new Float64Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it('round-trips fixations through little-endian uint16 pairs', () => {
    const cells = Int32Array.from([0, 0, 55, 3, 65535, 1]);
    const bytes = encodeFixations(cells);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0, 0, 55, 0, 3, 0]);
    expect(Array.from(decodeFixations(bytes))).toEqual(Array.from(cells));
    expect(() => decodeFixations(new Uint8Array(6))).toThrow(/pairs/);
  });
});

describe('SaliencyMapper', () => {
  const fps = 30;
  // Gaze holds (140, 80) for the first 2 s, then (60, 120) for 2 s, then leaves the crop.
  const xs = Array.from({ length: 180 }, (_, j) => (j < 60 ? 140 : j < 120 ? 60 : 10));
  const ys = Array.from({ length: 180 }, (_, j) => (j < 60 ? 80 : j < 120 ? 120 : 10));
  const mapper = new SaliencyMapper(mapping, { x: xs, y: ys, fps }, 0.5, 1.5);

  it('puts the maximum (255) at the fixated cell', () => {
    const a = mapper.at(1);
    expect(argmax(a.saliency)).toBe(5 * 20 + 10);
    expect(a.saliency[5 * 20 + 10]).toBe(255);
    expect(Array.from(a.fixations)).toEqual([10, 5]);
    expect(a.samples).toBe(31);
    expect(argmax(mapper.at(3).saliency)).toBe(9 * 20 + 2);
  });

  it('weights the map by dwell: across a saccade the longer fixation wins', () => {
    // t = 2.1 s: samples 48..59 (12) at the first point, 60..78 (19) at the second.
    const s = mapper.at(2.1);
    expect(argmax(s.saliency)).toBe(9 * 20 + 2);
    expect(Array.from(s.fixations)).toEqual([10, 5, 2, 9]);
    expect(s.saliency[5 * 20 + 10]).toBeGreaterThan(100);
  });

  it('gives an all-zero map and no fixations when the gaze is outside the crop', () => {
    const s = mapper.at(5);
    expect(s.samples).toBe(0);
    expect(s.fixations.length).toBe(0);
    expect(s.saliency.every((v) => v === 0)).toBe(true);
  });
});
