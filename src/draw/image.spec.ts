import { describe, expect, it } from '@jest/globals';
import { MAGMA } from './colormap.js';
import { RgbImage, type Rgb } from './image.js';

const RED: Rgb = [255, 0, 0];

function count(img: RgbImage, color: Rgb): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 3) {
    if (img.data[i] === color[0] && img.data[i + 1] === color[1] && img.data[i + 2] === color[2]) n++;
  }
  return n;
}

describe('RgbImage', () => {
  it('starts filled with the background and rejects bad sizes or data', () => {
    const img = new RgbImage(3, 2, [1, 2, 3]);
    expect(img.getPixel(2, 1)).toEqual([1, 2, 3]);
    expect(() => new RgbImage(0, 5)).toThrow(/invalid size/);
    expect(() => new RgbImage(2, 2, undefined, new Uint8Array(5))).toThrow(/12/);
  });

  it('fills rectangles clipped to the image, and blends with alpha', () => {
    const img = new RgbImage(10, 10);
    img.fillRect(-5, 8, 8, 10, RED);
    expect(count(img, RED)).toBe(3 * 2);
    img.fillRect(0, 0, 1, 1, [200, 100, 0], 0.5);
    expect(img.getPixel(0, 0)).toEqual([100, 50, 0]);
    img.strokeRect(2, 2, 5, 4, [0, 255, 0], 1);
    expect(count(img, [0, 255, 0])).toBe(2 * 5 + 2 * 2);
  });

  it('draws horizontal, vertical and diagonal lines end to end', () => {
    const img = new RgbImage(20, 20);
    img.hline(15, 2, 3, RED);
    expect(count(img, RED)).toBe(14);
    img.fill([0, 0, 0]);
    img.vline(4, 0, 19, RED);
    expect(count(img, RED)).toBe(20);
    img.fill([0, 0, 0]);
    img.line(0, 0, 9, 9, RED);
    expect(count(img, RED)).toBe(10);
    for (let i = 0; i < 10; i++) expect(img.getPixel(i, i)).toEqual([255, 0, 0]);
  });

  it('draws thick lines as wide as asked', () => {
    const img = new RgbImage(40, 20);
    img.line(5, 10, 34, 10, RED, 5);
    for (let y = 8; y <= 12; y++) expect(img.getPixel(20, y)).toEqual([255, 0, 0]);
    expect(img.getPixel(20, 6)).toEqual([0, 0, 0]);
    expect(img.getPixel(20, 14)).toEqual([0, 0, 0]);
  });

  it('draws crosses, rings and markers around their centre', () => {
    const img = new RgbImage(31, 31);
    img.drawCross(15, 15, 5, RED);
    expect(count(img, RED)).toBe(21);
    img.fill([0, 0, 0]);
    img.circle(15, 15, 8, RED);
    expect(img.getPixel(23, 15)).toEqual([255, 0, 0]);
    expect(img.getPixel(15, 7)).toEqual([255, 0, 0]);
    expect(img.getPixel(15, 15)).toEqual([0, 0, 0]);
    img.fill([90, 90, 90]);
    img.drawMarker(15, 15, 6, [255, 0, 255]);
    expect(img.getPixel(15, 15)).toEqual([255, 0, 255]);
    expect(img.getPixel(21, 15)).toEqual([255, 0, 255]);
    expect(count(img, [0, 0, 0])).toBeGreaterThan(0);
  });

  it('blits grey images unscaled, enlarged (nearest) and shrunk (box average)', () => {
    const gray = Uint8Array.from([0, 100, 200, 50]);
    const img = new RgbImage(6, 6, [7, 7, 7]);
    img.blitGray(gray, 2, 2, 1, 1);
    expect(img.getPixel(2, 1)).toEqual([100, 100, 100]);
    expect(img.getPixel(1, 2)).toEqual([200, 200, 200]);
    img.blitGray(gray, 2, 2, 2, 2, 2);
    expect(img.getPixel(2, 2)).toEqual([0, 0, 0]);
    expect(img.getPixel(3, 3)).toEqual([0, 0, 0]);
    expect(img.getPixel(4, 2)).toEqual([100, 100, 100]);
    expect(img.getPixel(5, 5)).toEqual([50, 50, 50]);
    expect(img.getPixel(0, 0)).toEqual([7, 7, 7]);
    img.blitGray(gray, 2, 2, 0, 0, 0.5);
    expect(img.getPixel(0, 0)).toEqual([88, 88, 88]);
    expect(() => img.blitGray(gray, 3, 3, 0, 0)).toThrow(/3x3/);
  });

  it('blits colour-table indices and other images, clipped', () => {
    const img = new RgbImage(4, 4);
    img.blitColormap(Uint8Array.from([0, 255, 128, 64]), 2, 2, 3, 3, MAGMA);
    expect(img.getPixel(3, 3)).toEqual([MAGMA[0], MAGMA[1], MAGMA[2]]);
    const src = new RgbImage(3, 3, [9, 8, 7]);
    img.blit(src, -1, -1);
    expect(img.getPixel(1, 1)).toEqual([9, 8, 7]);
    expect(img.getPixel(2, 2)).toEqual([0, 0, 0]);
  });
});
