import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rgb, RgbImage } from '../draw/image.js';
import { decodePng } from '../draw/png.js';
import { runFfmpeg } from '../media/run-ffmpeg.js';
import { PLANE_CLASSES } from '../synth/planes.js';
import { SIDECAR_SCHEMA, SIDECAR_VERSION, type ScanSidecar } from '../synth/sidecar.js';
import { classColor, GAZE_COLOR } from './colors.js';
import type { Rect } from './contact-sheet.js';
import { decodeGrayFrames } from './decode-frames.js';
import { buildPreview, defaultPreviewPath, evenFrameIndices, writePreview } from './preview.js';

const W = 320;
const H = 240;
const FPS = 30;
const SECONDS = 4;
const FRAMES = FPS * SECONDS;
/** The soundtrack holds a 440 Hz tone during the two utterances and faint noise elsewhere. */
const SPEECH = [
  { start: 0.6, end: 1.6, kind: 'anatomy' as const, text: "that's the four chamber view", cls: '4CH' as const },
  { start: 2.2, end: 3.2, kind: 'chatter' as const, text: 'are you comfortable?' },
];

let dir: string;
let scan: string;

function sidecarFor(file: string): ScanSidecar {
  const cls = (name: (typeof PLANE_CLASSES)[number]): number => PLANE_CLASSES.indexOf(name);
  const label = Array.from({ length: FRAMES }, (_, i) => (i < 40 ? cls('4CH') : i < 80 ? cls('background') : cls('femur')));
  return {
    schema: SIDECAR_SCHEMA,
    version: SIDECAR_VERSION,
    generator: { name: 'preview-test', version: '0' },
    seed: 5,
    scanIndex: 0,
    media: { file, width: W, height: H, fps: FPS, frames: FRAMES, duration: SECONDS, audioRate: 48000, audioChannels: 1, videoCodec: 'h264', audioCodec: 'aac' },
    fan: { apexX: 160, apexY: -30, radiusInner: 40, radiusOuter: 260, halfAngleDeg: 35, box: { x: 10, y: 0, width: 300, height: 240 } },
    classes: [...PLANE_CLASSES],
    frames: {
      label,
      gazeX: label.map((_, i) => 40 + 2 * i),
      gazeY: label.map((_, i) => 60 + i),
    },
    planes: [
      { cls: '4CH', start: 0, end: 1.5, stableStart: 0.2, stableEnd: 1.33 },
      { cls: 'background', start: 1.5, end: 2.5, stableStart: 1.5, stableEnd: 2.5 },
      { cls: 'femur', start: 2.5, end: 4, stableStart: 2.67, stableEnd: 4 },
    ],
    speech: SPEECH.map((s) => ({ ...s, voice: 'en', words: [] })),
    noise: [
      { start: 1.0, end: 1.005, kind: 'click', level: 0.3 },
      { start: 0, end: 4, kind: 'hum', level: 0.01 },
    ],
    voices: ['en'],
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preview-'));
  scan = join(dir, 'scan-000.mp4');
  const tone = SPEECH.map((s) => `between(t\\,${s.start}\\,${s.end})`).join('+');
  await runFfmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=${FPS}`,
    '-f', 'lavfi', '-i', `aevalsrc=0.4*sin(2*PI*440*t)*(${tone})+0.003*(random(0)-0.5):s=48000:d=${SECONDS}`,
    '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-ac', '1', '-y', scan,
  ]);
  writeFileSync(join(dir, 'scan-000.json'), JSON.stringify(sidecarFor('scan-000.mp4')));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pixelAt(img: RgbImage, x: number, y: number): Rgb {
  return img.getPixel(x, y);
}

// Pixel loops index the data directly: Jest runs tests in a VM context where per-pixel
// calls over whole images are slow.
function countColor(img: RgbImage, rect: Rect, color: Rgb): number {
  const d = img.data;
  let n = 0;
  for (let y = Math.max(0, rect.y); y < Math.min(img.height, rect.y + rect.height); y++) {
    for (let x = Math.max(0, rect.x); x < Math.min(img.width, rect.x + rect.width); x++) {
      const i = (y * img.width + x) * 3;
      if (d[i] === color[0] && d[i + 1] === color[1] && d[i + 2] === color[2]) n++;
    }
  }
  return n;
}

function meanLevel(img: RgbImage, rect: Rect, x0: number, x1: number): number {
  const d = img.data;
  let sum = 0;
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 3;
      sum += (d[i] as number) + (d[i + 1] as number) + (d[i + 2] as number);
      n++;
    }
  }
  return sum / n;
}

describe('decodeGrayFrames', () => {
  it('returns exactly the asked frames, the same whether it seeks or decodes everything', async () => {
    const indices = [0, 29, 30, 61, 119];
    const size = { width: 160, height: 120 };
    const opts = { indices, fps: FPS, totalFrames: FRAMES, ...size };
    const seek = await decodeGrayFrames(scan, { ...opts, strategy: 'seek' });
    const sequential = await decodeGrayFrames(scan, { ...opts, strategy: 'sequential' });
    const all = (await runFfmpeg(['-i', scan, '-vf', 'format=gray,scale=160:120:flags=area', '-vsync', 'passthrough', '-f', 'rawvideo', 'pipe:1'])).stdout;
    const bytes = size.width * size.height;
    expect(all.length).toBe(FRAMES * bytes);
    indices.forEach((frame, k) => {
      const truth = all.subarray(frame * bytes, (frame + 1) * bytes);
      expect(Buffer.from(seek[k] as Uint8Array).equals(truth)).toBe(true);
      expect(Buffer.from(sequential[k] as Uint8Array).equals(truth)).toBe(true);
    });
    expect(Buffer.from(seek[0] as Uint8Array).equals(Buffer.from(seek[1] as Uint8Array))).toBe(false);
  });

  it('says so when the video has fewer frames than asked for', async () => {
    const opts = { indices: [10, 150], fps: FPS, totalFrames: 200, width: 80, height: 60 };
    await expect(decodeGrayFrames(scan, { ...opts, strategy: 'seek' })).rejects.toThrow(/decoded 1 of 2 frames/);
    await expect(decodeGrayFrames(scan, { ...opts, strategy: 'sequential' })).rejects.toThrow(/decoded 1 of 2 frames/);
  });
});

describe('evenFrameIndices', () => {
  it('spreads frames evenly and never repeats one', () => {
    expect(evenFrameIndices(120, 4)).toEqual([15, 45, 75, 105]);
    expect(evenFrameIndices(3, 24)).toEqual([0, 1, 2]);
  });
});

describe('writePreview', () => {
  it('writes a PNG of the reported size beside the scan by default', async () => {
    const result = await writePreview(scan);
    expect(result.outPath).toBe(defaultPreviewPath(scan));
    expect(result.outPath).toBe(join(dir, 'scan-000.preview.png'));
    // Size from the IHDR chunk: decoding a full-size PNG inside Jest's VM takes seconds.
    const bytes = readFileSync(result.outPath);
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([result.width, result.height]);
    expect(result.width).toBe(14 + 6 * 246 + 5 * 8 + 14);
  });

  it('writes what it renders: the gaze colour and a varied picture survive the PNG round trip', async () => {
    const out = join(dir, 'small.png');
    const result = await writePreview(scan, out, { frames: 4, columns: 4, tileWidth: 100 });
    expect(result.outPath).toBe(out);
    const png = decodePng(readFileSync(out));
    expect([png.width, png.height]).toEqual([result.width, result.height]);
    expect(countColor(png, { x: 0, y: 0, width: png.width, height: png.height }, GAZE_COLOR)).toBeGreaterThan(4 * 10);
    const colors = new Set<number>();
    for (let i = 0; i < png.data.length; i += 3 * 7) colors.add(((png.data[i] as number) << 16) | ((png.data[i + 1] as number) << 8) | (png.data[i + 2] as number));
    expect(colors.size).toBeGreaterThan(100);
  });

  it('draws each thumbnail framed in its class colour with the gaze marker at the gaze point', async () => {
    const { image, layout } = await buildPreview(scan, { frames: 6, columns: 3, tileWidth: 200 });
    expect(layout.tiles).toHaveLength(6);
    const sidecar = sidecarFor('scan-000.mp4');
    const indices = evenFrameIndices(FRAMES, 6);
    layout.tiles.forEach((rect, k) => {
      const frame = indices[k] as number;
      expect(rect.width).toBe(200);
      expect(rect.height).toBe(150);
      const border = pixelAt(image, rect.x - 1, rect.y + 20);
      expect(border).toEqual(classColor(sidecar.classes[sidecar.frames.label[frame] as number] as string));
      const gx = Math.round(rect.x + ((sidecar.frames.gazeX[frame] as number) * 200) / W);
      const gy = Math.round(rect.y + ((sidecar.frames.gazeY[frame] as number) * 150) / H);
      expect(countColor(image, { x: gx - 12, y: gy - 12, width: 25, height: 25 }, GAZE_COLOR)).toBeGreaterThan(10);
      expect(pixelAt(image, gx, gy)).toEqual(GAZE_COLOR);
    });
  });

  it('shows the sound in the waveform and spectrogram where the tone plays', async () => {
    const { image, layout } = await buildPreview(scan, { frames: 4 });
    const { spectrogram, waveform, plot, duration } = layout.strip;
    const x = (t: number): number => Math.round(plot.x + (t / duration) * plot.width);
    const toneSpec = meanLevel(image, spectrogram, x(0.8), x(1.4));
    const quietSpec = meanLevel(image, spectrogram, x(1.8), x(2.0));
    expect(toneSpec).toBeGreaterThan(quietSpec + 5);
    const levels = new Set<string>();
    for (let y = spectrogram.y; y < spectrogram.y + spectrogram.height; y++) levels.add(pixelAt(image, x(1), y).join(','));
    expect(levels.size).toBeGreaterThan(5);
    expect(meanLevel(image, waveform, x(0.8), x(1.4))).toBeGreaterThan(meanLevel(image, waveform, x(1.8), x(2.0)) + 20);
  });
});

describe('preview errors', () => {
  it('names the missing sidecar', async () => {
    const lonely = join(dir, 'lonely.mp4');
    copyFileSync(scan, lonely);
    await expect(writePreview(lonely)).rejects.toThrow(join(dir, 'lonely.json'));
    expect(existsSync(join(dir, 'lonely.preview.png'))).toBe(false);
  });

  it('names the missing scan', async () => {
    const missing = join(dir, 'missing.mp4');
    await expect(writePreview(missing)).rejects.toThrow(`scan '${missing}'`);
  });

  it('names a sidecar that is not JSON or not a scan sidecar', async () => {
    const broken = join(dir, 'broken.mp4');
    copyFileSync(scan, broken);
    writeFileSync(join(dir, 'broken.json'), '{"schema": ');
    await expect(writePreview(broken)).rejects.toThrow(`sidecar '${join(dir, 'broken.json')}' is not valid JSON`);
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...sidecarFor('broken.mp4'), frames: { label: [1], gazeX: [], gazeY: [] } }));
    await expect(writePreview(broken)).rejects.toThrow(/broken\.json' is not a scan sidecar: frames.label, gazeX and gazeY differ/);
  });
});
