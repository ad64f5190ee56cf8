import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { Rng } from '../util/rng.js';
import { RgbImage } from './image.js';
import { decodePng, encodePng, writePng } from './png.js';

function testImage(): RgbImage {
  const img = new RgbImage(37, 23);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) img.setPixel(x, y, [(x * 7) & 255, (y * 11) & 255, (x * y) & 255]);
  }
  return img;
}

describe('PNG', () => {
  it('round-trips every pixel through pngjs', () => {
    const img = testImage();
    const png = PNG.sync.read(encodePng(img));
    expect([png.width, png.height]).toEqual([37, 23]);
    for (let p = 0; p < img.width * img.height; p++) {
      expect([png.data[4 * p], png.data[4 * p + 1], png.data[4 * p + 2], png.data[4 * p + 3]]).toEqual([
        img.data[3 * p],
        img.data[3 * p + 1],
        img.data[3 * p + 2],
        255,
      ]);
    }
    expect(Buffer.from(decodePng(encodePng(img)).data).equals(Buffer.from(img.data))).toBe(true);
  });

  it('round-trips noisy, flat and gradient rows alike', () => {
    const rng = new Rng(42);
    const img = new RgbImage(64, 48);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const band = Math.floor(y / 12);
        const v = band === 0 ? rng.int(0, 255) : band === 1 ? 77 : band === 2 ? (x * 4) & 255 : (x * y) & 255;
        img.setPixel(x, y, [v, (v + 60 * band) & 255, rng.chance(0.05) ? 255 : v >> 1]);
      }
    }
    const png = PNG.sync.read(encodePng(img));
    const rgb = new Uint8Array(img.data.length);
    for (let p = 0; p < img.width * img.height; p++) rgb.set(png.data.subarray(4 * p, 4 * p + 3), 3 * p);
    expect(Buffer.from(rgb).equals(Buffer.from(img.data))).toBe(true);
  });

  it('writes the file atomically, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'png-'));
    const path = join(dir, 'out.png');
    writePng(path, testImage());
    writePng(path, new RgbImage(5, 4, [1, 2, 3]));
    expect(readdirSync(dir)).toEqual(['out.png']);
    const back = decodePng(readFileSync(path));
    expect([back.width, back.height]).toEqual([5, 4]);
    expect(back.getPixel(4, 3)).toEqual([1, 2, 3]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the path when it cannot write', () => {
    const path = join(tmpdir(), 'no-such-dir-for-png-test', 'x.png');
    expect(() => writePng(path, testImage())).toThrow(path);
  });
});
