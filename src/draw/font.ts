import type { Rgb, RgbImage } from './image.js';

// Math's functions as module constants: under Jest's VM each global lookup (Math) in a
// per-pixel loop is slow.
const { max, min, round } = Math;

/** Glyph bitmap size: 5 columns x 8 rows (rows 0..6 above the baseline, row 7 the descender). */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 8;
/** Horizontal distance between glyph origins, and between text lines, at scale 1. */
export const CHAR_ADVANCE = 6;
export const LINE_HEIGHT = 10;

const FIRST_CHAR = 32;
const LAST_CHAR = 126;

/**
 * Printable ASCII 32..126, one glyph per entry: 8 rows of 2 hex digits, top row first;
 * bit 4 (0x10) is the leftmost of the 5 columns.
 */
const GLYPH_HEX: readonly string[] = [
    '0000000000000000', // space
    '0404040404000400', // !
    '0a0a0a0000000000', // "
    '0a0a1f0a1f0a0a00', // #
    '040f140e051e0400', // $
    '1819020408130300', // %
    '0c12140815120d00', // &
    '0404080000000000', // '
    '0204080808040200', // (
    '0804020202040800', // )
    '0004150e15040000', // *
    '0004041f04040000', // +
    '0000000000060408', // ,
    '0000001f00000000', // -
    '00000000000c0c00', // .
    '0001020408100000', // /
    '0e11131519110e00', // 0
    '040c040404040e00', // 1
    '0e11010204081f00', // 2
    '1f02040201110e00', // 3
    '02060a121f020200', // 4
    '1f101e0101110e00', // 5
    '0608101e11110e00', // 6
    '1f01020408080800', // 7
    '0e11110e11110e00', // 8
    '0e11110f01020c00', // 9
    '000c0c000c0c0000', // :
    '000c0c000c040800', // ;
    '0204081008040200', // <
    '00001f001f000000', // =
    '0804020102040800', // >
    '0e11010204000400', // ?
    '0e11010d15150e00', // @
    '0e11111f11111100', // A
    '1e11111e11111e00', // B
    '0e11101010110e00', // C
    '1c12111111121c00', // D
    '1f10101e10101f00', // E
    '1f10101e10101000', // F
    '0e11101711110f00', // G
    '1111111f11111100', // H
    '0e04040404040e00', // I
    '0702020202120c00', // J
    '1112141814121100', // K
    '1010101010101f00', // L
    '111b151511111100', // M
    '1111191513111100', // N
    '0e11111111110e00', // O
    '1e11111e10101000', // P
    '0e11111115120d00', // Q
    '1e11111e14121100', // R
    '0f10100e01011e00', // S
    '1f04040404040400', // T
    '1111111111110e00', // U
    '11111111110a0400', // V
    '1111111515150a00', // W
    '11110a040a111100', // X
    '11110a0404040400', // Y
    '1f01020408101f00', // Z
    '0e08080808080e00', // [
    '0010080402010000', // backslash
    '0e02020202020e00', // ]
    '040a110000000000', // ^
    '000000000000001f', // _
    '0804020000000000', // `
    '00000e010f110f00', // a
    '1010161911111e00', // b
    '00000e1010110e00', // c
    '01010d1311110f00', // d
    '00000e111f100e00', // e
    '0609081c08080800', // f
    '00000f11110f010e', // g
    '1010161911111100', // h
    '04000c0404040e00', // i
    '020006020202120c', // j
    '1010121418141200', // k
    '0c04040404040e00', // l
    '00001a1515111100', // m
    '0000161911111100', // n
    '00000e1111110e00', // o
    '00001e11111e1010', // p
    '00000f11110f0101', // q
    '0000161910101000', // r
    '00000f100e011e00', // s
    '08081c0808090600', // t
    '0000111111130d00', // u
    '00001111110a0400', // v
    '0000111115150a00', // w
    '0000110a040a1100', // x
    '00001111110f010e', // y
    '00001f0204081f00', // z
    '0204040804040200', // {
    '0404040404040400', // |
    '0804040204040800', // }
    '0000081502000000', // ~
];

const GLYPH_ROWS: Uint8Array = (() => {
  const rows = new Uint8Array(GLYPH_HEX.length * GLYPH_HEIGHT);
  GLYPH_HEX.forEach((hex, g) => {
    for (let r = 0; r < GLYPH_HEIGHT; r++) rows[g * GLYPH_HEIGHT + r] = parseInt(hex.slice(2 * r, 2 * r + 2), 16);
  });
  return rows;
})();

const FALLBACK_GLYPH = '?'.charCodeAt(0) - FIRST_CHAR;

function glyphIndex(code: number): number {
  return code >= FIRST_CHAR && code <= LAST_CHAR ? code - FIRST_CHAR : FALLBACK_GLYPH;
}

/** The 8 row bitmasks of a character's glyph (unknown characters draw as '?'). */
export function glyphRows(char: string): number[] {
  const g = glyphIndex(char.charCodeAt(0));
  return Array.from(GLYPH_ROWS.subarray(g * GLYPH_HEIGHT, (g + 1) * GLYPH_HEIGHT));
}

/** Width in pixels of the widest line of `text` (lines split at '\n'), without trailing spacing. */
export function textWidth(text: string, scale = 1): number {
  let widest = 0;
  for (const line of text.split('\n')) widest = max(widest, line.length);
  return widest === 0 ? 0 : (widest * CHAR_ADVANCE - 1) * scale;
}

/** Height in pixels of `text`, descenders included. */
export function textHeight(text: string, scale = 1): number {
  const lines = text.split('\n').length;
  return ((lines - 1) * LINE_HEIGHT + GLYPH_HEIGHT) * scale;
}

/** Calls `plot` for the top-left corner of every scale x scale ink cell of `text` at (x, y). */
function forEachInk(x: number, y: number, text: string, scale: number, plot: (px: number, py: number) => void): void {
  const s = max(1, round(scale));
  const ox = round(x);
  let cy = round(y);
  let cx = ox;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code === 10) {
      cx = ox;
      cy += LINE_HEIGHT * s;
      continue;
    }
    const base = glyphIndex(code) * GLYPH_HEIGHT;
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      const bits = GLYPH_ROWS[base + r] as number;
      if (bits === 0) continue;
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (bits & (0x10 >> c)) plot(cx + c * s, cy + r * s);
      }
    }
    cx += CHAR_ADVANCE * s;
  }
}

/**
 * Draws `text` with its top-left corner at (x, y); `scale` is an integer pixel size.
 * Returns the x just right of the last glyph.
 */
export function drawText(img: RgbImage, x: number, y: number, text: string, color: Rgb, scale = 1): number {
  const s = max(1, round(scale));
  forEachInk(x, y, text, s, (px, py) => img.fillRect(px, py, s, s, color));
  return round(x) + textWidth(text, s);
}

/** Same as drawText, into a single-channel buffer (width x height bytes), writing `value`. */
export function drawTextGray(
  buf: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  text: string,
  value: number,
  scale = 1,
): void {
  if (buf.length < width * height) throw new Error(`drawTextGray: ${buf.length} bytes for a ${width}x${height} image`);
  const s = max(1, round(scale));
  const v = max(0, min(255, round(value)));
  forEachInk(x, y, text, s, (px, py) => {
    for (let yy = max(0, py); yy < min(height, py + s); yy++) {
      for (let xx = max(0, px); xx < min(width, px + s); xx++) buf[yy * width + xx] = v;
    }
  });
}
