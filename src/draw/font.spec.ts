import { describe, expect, it } from '@jest/globals';
import { CHAR_ADVANCE, drawText, drawTextGray, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows, LINE_HEIGHT, textHeight, textWidth } from './font.js';
import { RgbImage } from './image.js';

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

function bitCount(rows: number[]): number {
  return rows.reduce((n, r) => n + r.toString(2).split('1').length - 1, 0);
}

function inkPixels(img: RgbImage): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 3) if (img.data[i] !== 0) n++;
  return n;
}

describe('bitmap font', () => {
  it('has ink in every printable glyph but the space, within 5 columns', () => {
    for (const ch of PRINTABLE) {
      const rows = glyphRows(ch);
      expect(rows).toHaveLength(GLYPH_HEIGHT);
      for (const r of rows) expect(r).toBeLessThan(1 << GLYPH_WIDTH);
      if (ch === ' ') expect(bitCount(rows)).toBe(0);
      else expect(bitCount(rows)).toBeGreaterThan(0);
    }
  });

  it('gives every printable character its own bitmap', () => {
    const seen = new Map<string, string>();
    for (const ch of PRINTABLE) {
      const key = glyphRows(ch).join(',');
      expect(seen.get(key)).toBeUndefined();
      seen.set(key, ch);
    }
    expect(seen.size).toBe(95);
  });

  it('keeps capitals above the baseline and drops descenders below it', () => {
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') expect(glyphRows(ch)[7]).toBe(0);
    for (const ch of 'gjpqy') expect(glyphRows(ch)[7]).not.toBe(0);
  });

  it('draws each glyph with exactly its bitmap pixels, scale^2 times as many when scaled', () => {
    for (const ch of PRINTABLE) {
      const bits = bitCount(glyphRows(ch));
      const one = new RgbImage(8, 10);
      drawText(one, 1, 1, ch, [255, 255, 255]);
      expect(inkPixels(one)).toBe(bits);
      const three = new RgbImage(20, 26);
      drawText(three, 1, 1, ch, [255, 255, 255], 3);
      expect(inkPixels(three)).toBe(bits * 9);
    }
  });

  it('renders different strings of the same length differently', () => {
    const a = new RgbImage(60, 10);
    const b = new RgbImage(60, 10);
    drawText(a, 0, 0, '4CH 3VT', [255, 255, 255]);
    drawText(b, 0, 0, 'LVOT 3V', [255, 255, 255]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false);
  });

  it('measures text', () => {
    expect(textWidth('')).toBe(0);
    expect(textWidth('A')).toBe(GLYPH_WIDTH);
    expect(textWidth('abc')).toBe(3 * CHAR_ADVANCE - 1);
    expect(textWidth('abc', 2)).toBe(2 * (3 * CHAR_ADVANCE - 1));
    expect(textWidth('ab\nlonger')).toBe(textWidth('longer'));
    expect(textHeight('x')).toBe(GLYPH_HEIGHT);
    expect(textHeight('x\ny', 2)).toBe(2 * (LINE_HEIGHT + GLYPH_HEIGHT));
  });

  it('stays inside the measured box and returns the end x', () => {
    const img = new RgbImage(80, 30);
    const end = drawText(img, 3, 4, 'Wq|g_', [200, 100, 50]);
    expect(end).toBe(3 + textWidth('Wq|g_'));
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (img.getPixel(x, y)[0] === 0) continue;
        expect(x).toBeGreaterThanOrEqual(3);
        expect(x).toBeLessThan(end);
        expect(y).toBeGreaterThanOrEqual(4);
        expect(y).toBeLessThan(4 + textHeight('Wq|g_'));
      }
    }
  });

  it('draws unknown characters as "?"', () => {
    const a = new RgbImage(8, 10);
    const b = new RgbImage(8, 10);
    drawText(a, 0, 0, '\u00e9', [255, 255, 255]);
    drawText(b, 0, 0, '?', [255, 255, 255]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('burns text into a grey buffer with the given value, clipped at the edges', () => {
    const w = 40;
    const h = 12;
    const buf = new Uint8Array(w * h).fill(10);
    drawTextGray(buf, w, h, 2, 2, 'DEPTH', 233);
    const ink = buf.filter((v) => v === 233).length;
    expect(ink).toBe([...'DEPTH'].reduce((n, ch) => n + bitCount(glyphRows(ch)), 0));
    expect(buf.every((v) => v === 10 || v === 233)).toBe(true);

    const edge = new Uint8Array(w * h);
    expect(() => drawTextGray(edge, w, h, 30, 8, 'EDGE', 255, 2)).not.toThrow();
    expect(() => drawTextGray(edge, w, h, -7, -5, 'EDGE', 255, 2)).not.toThrow();
    expect(edge.some((v) => v === 255)).toBe(true);
    expect(() => drawTextGray(new Uint8Array(10), w, h, 0, 0, 'x', 1)).toThrow(/40x12/);
  });
});
