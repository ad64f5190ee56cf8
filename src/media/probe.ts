import { spawn } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MediaInfo } from '../types/ingest.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { fsErrorToMediaError, MediaError, oneLine } from './media-errors.js';

export interface ProbeOptions {
  /** Throw MediaError 'no-video' when the file has no video stream (default true). */
  requireVideo?: boolean;
  /** Throw MediaError 'no-audio' when the file has no audio stream (default true). */
  requireAudio?: boolean;
}

/** What `ffmpeg -i` says about input #0 (first video and first audio stream). */
export interface ParsedInput {
  /** Seconds; 0 when ffmpeg reports `Duration: N/A`. */
  durationSeconds: number;
  video?: { width: number; height: number; fps: number };
  audio?: { rate: number; channels: number };
}

/**
 * Learns duration, video size and rate, and audio rate and channels from the stderr of
 * `ffmpeg -i FILE` (no ffprobe: the bundled one is not executable as shipped).
 * `durationSeconds` is 0 when the container does not state a duration.
 * Throws a one-line MediaError naming the file and the cause.
 */
export async function probeMedia(path: string, options: ProbeOptions = {}): Promise<MediaInfo> {
  const absolute = await assertReadableFile(path);
  const { stderr } = await ffmpegInfo(absolute);
  const parsed = parseInputInfo(stderr);
  if (parsed === undefined) throw probeFailure(path, absolute, stderr);
  if (!parsed.video && options.requireVideo !== false) throw new MediaError(path, 'no-video');
  if (!parsed.audio && options.requireAudio !== false) throw new MediaError(path, 'no-audio');
  return {
    path,
    durationSeconds: parsed.durationSeconds,
    width: parsed.video?.width ?? 0,
    height: parsed.video?.height ?? 0,
    sourceFps: parsed.video?.fps ?? 0,
    sourceAudioRate: parsed.audio?.rate ?? 0,
    sourceAudioChannels: parsed.audio?.channels ?? 0,
    hasVideo: parsed.video !== undefined,
    hasAudio: parsed.audio !== undefined,
  };
}

/**
 * Checks the file exists, is a non-empty regular file and can be opened for reading;
 * returns its absolute path.
 */
export async function assertReadableFile(path: string): Promise<string> {
  const absolute = resolve(path);
  let size: number;
  try {
    const st = await stat(absolute);
    if (st.isDirectory()) throw new MediaError(path, 'unreadable', 'it is a directory');
    if (!st.isFile()) throw new MediaError(path, 'not-media', 'not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof MediaError) throw err;
    throw fsErrorToMediaError(path, err as NodeJS.ErrnoException);
  }
  try {
    const handle = await open(absolute, 'r');
    await handle.close();
  } catch (err) {
    throw fsErrorToMediaError(path, err as NodeJS.ErrnoException);
  }
  if (size === 0) throw new MediaError(path, 'empty');
  return absolute;
}

/**
 * The `file:` prefix stops ffmpeg reading a name as a protocol (`a:b.mp4`) and the absolute
 * path stops a leading '-' being read as an option.
 */
export function ffmpegInputUrl(absolutePath: string): string {
  return `file:${absolutePath}`;
}

const MAX_STDERR_BYTES = 1 << 20;

function ffmpegInfo(absolute: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-i', ffmpegInputUrl(absolute)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      if (bytes < MAX_STDERR_BYTES) chunks.push(chunk);
      bytes += chunk.length;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stderr: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Parses `ffmpeg -i` stderr; undefined when ffmpeg could not open the input. */
export function parseInputInfo(stderr: string): ParsedInput | undefined {
  const lines = stderr.split(/\r?\n/);
  const start = lines.findIndex((l) => /^Input #0, /.test(l));
  if (start < 0) return undefined;
  let durationSeconds = 0;
  let video: ParsedInput['video'];
  let audio: ParsedInput['audio'];
  for (const line of lines.slice(start + 1)) {
    if (/^(Input #[1-9]|Output #|Stream mapping:)/.test(line)) break;
    const duration = /^\s+Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (duration) {
      durationSeconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
      continue;
    }
    const stream = /^\s+Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio): (.*)$/.exec(line);
    if (!stream) continue;
    const parts = splitTopLevel(stream[2] as string);
    if (stream[1] === 'Video' && video === undefined && !/\(attached pic\)/.test(line)) video = parseVideo(parts);
    if (stream[1] === 'Audio' && audio === undefined) audio = parseAudio(parts);
  }
  return { durationSeconds, ...(video ? { video } : {}), ...(audio ? { audio } : {}) };
}

function parseVideo(parts: string[]): ParsedInput['video'] {
  let width = 0;
  let height = 0;
  let fps = 0;
  let tbr = 0;
  for (const part of parts) {
    const size = /^(\d+)x(\d+)(?:\s|$)/.exec(part);
    if (size && width === 0) {
      width = Number(size[1]);
      height = Number(size[2]);
    }
    const rate = /^(\d+(?:\.\d+)?)(k?) (fps|tbr)$/.exec(part);
    if (rate) {
      const value = Number(rate[1]) * (rate[2] === 'k' ? 1000 : 1);
      if (rate[3] === 'fps') fps = value;
      else tbr = value;
    }
  }
  if (width === 0 || height === 0) return undefined;
  return { width, height, fps: fps > 0 ? fps : tbr };
}

const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '3.1': 4,
  '5.0': 5,
  '5.0(side)': 5,
  '4.1': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.0(front)': 6,
  hexagonal: 6,
  '6.1': 7,
  '6.1(back)': 7,
  '6.1(front)': 7,
  '7.0': 7,
  '7.0(front)': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  '7.1(wide-side)': 8,
  octagonal: 8,
  downmix: 2,
};

function parseAudio(parts: string[]): ParsedInput['audio'] {
  let rate = 0;
  let channels = 0;
  for (const part of parts) {
    const hz = /^(\d+) Hz$/.exec(part);
    if (hz) {
      rate = Number(hz[1]);
      continue;
    }
    if (rate > 0 && channels === 0) {
      const count = /^(\d+) channels?\b/.exec(part);
      channels = count ? Number(count[1]) : (LAYOUT_CHANNELS[part] ?? 0);
    }
  }
  if (rate === 0) return undefined;
  return { rate, channels: channels > 0 ? channels : 1 };
}

/** Splits on ", " outside parentheses and brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(text.slice(from).trim());
  return parts;
}

/**
 * Why ffmpeg could not open the input. A demuxer that recognised the container and then
 * failed means a truncated or corrupt file (e.g. an MP4 cut before its moov atom); no
 * demuxer, or one guessed from the extension alone ("misdetection possible"), means the
 * bytes are not media.
 */
export function probeFailure(path: string, absolute: string, stderr: string): MediaError {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^At least one output file must be specified/.test(l));
  const detail = lastCause(lines, absolute);
  if (lines.some((l) => /Permission denied/i.test(l))) return new MediaError(path, 'unreadable', detail);
  if (lines.some((l) => /No such file or directory/i.test(l))) return new MediaError(path, 'not-found', detail);
  const guessedOnly = lines.some((l) => /misdetection possible/i.test(l));
  const demuxerSpoke = lines.some((l) => /^\[[^\]@]+ @ 0x[0-9a-f]+\]/i.test(l));
  if (guessedOnly || !demuxerSpoke) return new MediaError(path, 'not-media', detail);
  return new MediaError(path, 'corrupt', detail);
}

/** The most specific ffmpeg message, with the (long) input name and log prefixes removed. */
export function lastCause(lines: readonly string[], absolute: string): string {
  const cleaned = lines
    .filter((l) => !/misdetection possible/i.test(l))
    .map((l) =>
      l
        .split(`file:${absolute}`)
        .join('input')
        .split(absolute)
        .join('input')
        .replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/i, ''),
    );
  const pick = cleaned.length > 0 ? cleaned.slice(-2).join('; ') : 'ffmpeg gave no reason';
  return oneLine(pick).slice(0, 300);
}
