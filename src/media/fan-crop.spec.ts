import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { FanGeometry } from '../synth/sidecar.js';
import { Rng } from '../util/rng.js';
import { detectFanCrop, findFanCrop, type PixelStatistics } from './fan-crop.js';
import { probeMedia } from './probe.js';
import {
  cachedSyntheticScan,
  fanPixelCount,
  insideFan,
  makeLavfiClip,
  makeTempDir,
  pixelsOutsideFan,
  removeDir,
  type SyntheticScan,
  writeTruncated,
} from './test-fixtures.js';

const area = (b: { width: number; height: number }): number => b.width * b.height;

/** A 320x240 layout like the synthetic scanner's: a sector hanging from an apex above the frame. */
const FAN: FanGeometry = {
  apexX: 160,
  apexY: -19.5,
  radiusInner: 43.5,
  radiusOuter: 217.8,
  halfAngleDeg: 36,
  box: { x: 32, y: 15, width: 256, height: 184 },
};

/**
 * Statistics as a scan would give them: speckle varies inside the fan (with a static dark
 * cyst and a shadow reaching the fan's bottom edge), static bright text and a changing
 * clock outside, black elsewhere.
 */
function scannerStatistics(rng: Rng): PixelStatistics {
  const width = 320;
  const height = 240;
  const mean = new Float32Array(width * height);
  const std = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (insideFan(FAN, x, y)) {
        const cyst = Math.hypot(x - 130, y - 120) < 15;
        const shadow = Math.abs(x - 200) < 2 && y > 150;
        const quiet = cyst || shadow;
        mean[i] = quiet ? 2 : rng.uniform(40, 160);
        std[i] = quiet ? rng.uniform(0, 2) : rng.uniform(12, 50);
      } else if (y >= 4 && y < 12 && x < 200 && x % 3 !== 0) {
        mean[i] = 200; // header text
        std[i] = rng.uniform(0, 3); // codec noise
      } else if (y >= 4 && y < 12 && x >= 260) {
        mean[i] = 120; // clock
        std[i] = 60;
      } else {
        std[i] = rng.chance(0.001) ? 8 : 0;
      }
    }
  }
  return { width, height, mean, std };
}

describe('findFanCrop on synthetic statistics', () => {
  it('finds the fan and an inner box with no fan border in it', () => {
    const result = findFanCrop(scannerStatistics(new Rng(3).fork('stats')));
    expect(result.method).toBe('auto');
    expect(Math.abs(result.fanBox.x - FAN.box.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.fanBox.y - FAN.box.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.fanBox.width - FAN.box.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.fanBox.height - FAN.box.height)).toBeLessThanOrEqual(2);
    expect(pixelsOutsideFan(FAN, result.box)).toBe(0);
    expect(area(result.box)).toBeGreaterThanOrEqual(0.4 * fanPixelCount(FAN, 320, 240));
  });

  it('falls back to the full frame when nothing varies, when a bright picture surrounds the motion, or when everything moves', () => {
    const width = 100;
    const height = 80;
    const still: PixelStatistics = { width, height, mean: new Float32Array(width * height).fill(90), std: new Float32Array(width * height) };
    const stillResult = findFanCrop(still);
    expect(stillResult).toMatchObject({ method: 'full-frame', box: { x: 0, y: 0, width, height } });
    expect(stillResult.note).toMatch(/no ultrasound fan found/);

    const bright: PixelStatistics = { ...still, std: new Float32Array(width * height) };
    for (let y = 20; y < 60; y++) for (let x = 30; x < 70; x++) bright.std[y * width + x] = 30;
    expect(findFanCrop(bright).note).toMatch(/is dark/);

    const moving: PixelStatistics = { ...still, std: new Float32Array(width * height).fill(25) };
    expect(findFanCrop(moving)).toMatchObject({ method: 'full-frame' });
    expect(findFanCrop(moving).note).toMatch(/no fan border/);
  });
});

describe('detectFanCrop on decoded media', () => {
  let dir: string;
  let scans: SyntheticScan[];

  beforeAll(async () => {
    dir = await makeTempDir('fan');
    scans = [
      await cachedSyntheticScan({ seed: 21, seconds: 3.5, width: 320, height: 240 }),
      await cachedSyntheticScan({ seed: 22, seconds: 3.5, width: 400, height: 300 }),
    ];
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it('puts the inner box inside the true fan and covers a good share of it', async () => {
    for (const scan of scans) {
      const { fan, media } = scan.sidecar;
      const info = await probeMedia(scan.mediaPath);
      const result = await detectFanCrop(scan.mediaPath, info);
      expect(result.method).toBe('auto');
      expect(pixelsOutsideFan(fan, result.box)).toBe(0);
      const share = area(result.box) / fanPixelCount(fan, media.width, media.height);
      expect(share).toBeGreaterThanOrEqual(0.4);
      // The detected fan's bounds match the true ones to a pixel or two.
      expect(Math.abs(result.fanBox.x - fan.box.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(result.fanBox.y - fan.box.y)).toBeLessThanOrEqual(2);
      expect(Math.abs(result.fanBox.x + result.fanBox.width - (fan.box.x + fan.box.width))).toBeLessThanOrEqual(2);
      expect(Math.abs(result.fanBox.y + result.fanBox.height - (fan.box.y + fan.box.height))).toBeLessThanOrEqual(2);
    }
  });

  it('takes a fixed box from the config without decoding', async () => {
    const scan = scans[0] as SyntheticScan;
    const info = await probeMedia(scan.mediaPath);
    const box = { x: 10, y: 20, width: 100, height: 90 };
    expect(await detectFanCrop(scan.mediaPath, info, { fixedBox: box })).toMatchObject({ box, fanBox: box, method: 'fixed' });
    await expect(detectFanCrop(scan.mediaPath, info, { fixedBox: { x: 400, y: 0, width: 10, height: 10 } })).rejects.toThrow(/outside/);
  });

  it('names the file when the detection decode fails', async () => {
    const good = await makeLavfiClip(join(dir, 'good.mp4'), { seconds: 1, width: 64, height: 48, fps: 25 });
    const cut = await writeTruncated(good, join(dir, 'cut.mp4'), 0.5);
    const info = { ...(await probeMedia(good)), path: cut };
    await expect(detectFanCrop(cut, info)).rejects.toThrow(new RegExp(`^'${cut}': ffmpeg failed while decoding \\(fan detection decode, exit 1: moov atom not found`));
  });

  it('falls back to the full frame, with a note, for a video without a fan', async () => {
    const path = await makeLavfiClip(join(dir, 'testsrc.mp4'), { seconds: 2, width: 160, height: 120, fps: 25 });
    const info = await probeMedia(path);
    const result = await detectFanCrop(path, info, { detectSeconds: 2 });
    expect(result).toMatchObject({ method: 'full-frame', box: { x: 0, y: 0, width: 160, height: 120 } });
    expect(result.note).toMatch(/no ultrasound fan found.*full frame/);
  });
});
