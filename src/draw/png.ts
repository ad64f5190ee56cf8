import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { RgbImage } from './image.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/**
 * Scanlines with PNG filter type 0 (None). On previews (flat panels next to speckle and
 * spectrogram noise) the usual adaptive filtering came out ~7% larger and 3x slower.
 */
function unfilteredScanlines(data: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3;
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) out.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return out;
}

/**
 * PNG bytes (8-bit RGB, no alpha) of an image. Encoded here with node:zlib rather than
 * pngjs: same format, but pngjs's per-byte JS loops run ~50x slower inside Jest's VM
 * (global lookups are slow there), which made every preview test take seconds.
 */
export function encodePng(img: RgbImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(img.width, 0);
  header.writeUInt32BE(img.height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const idat = deflateSync(unfilteredScanlines(img.data, img.width, img.height), { level: 6 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** Decodes PNG bytes of any colour type into an RGB image (alpha is dropped, not composited). */
export function decodePng(bytes: Buffer): RgbImage {
  const png = PNG.sync.read(bytes);
  const rgb = new Uint8Array(png.width * png.height * 3);
  const src = png.data;
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = src[i] as number;
    rgb[o + 1] = src[i + 1] as number;
    rgb[o + 2] = src[i + 2] as number;
  }
  return new RgbImage(png.width, png.height, undefined, rgb);
}

let tempCounter = 0;

/**
 * Writes the image as PNG to `path` atomically: the bytes go to a temporary file in the
 * same folder, which is then renamed over `path`, so readers never see a partial file.
 */
export function writePng(path: string, img: RgbImage): void {
  const bytes = encodePng(img);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write PNG '${path}': ${(err as Error).message}`);
  }
}
