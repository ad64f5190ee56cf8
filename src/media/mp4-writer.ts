import { spawn, type ChildProcess } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ffmpegPath } from './ffmpeg-path.js';
import { lastLines } from './run-ffmpeg.js';

export interface Mp4WriterOptions {
  path: string;
  width: number;
  height: number;
  fps: number;
  /** Mono float audio for the whole recording, written to ffmpeg on its own pipe. */
  audio: Float32Array;
  audioRate: number;
  /** Sample rate of the AAC stream in the file. */
  outputAudioRate: number;
  crf: number;
  preset: string;
}

/**
 * Encodes grey frames and a mono soundtrack into an H.264 + AAC MP4 with one ffmpeg process
 * (video on stdin, audio on fd 3). Frames are written with backpressure. Output goes to a
 * temporary name and is renamed into place only when ffmpeg succeeds. Bit-exact flags, no
 * metadata and a fixed x264 thread count make the file a function of its inputs.
 */
export class Mp4Writer {
  private readonly child: ChildProcess;
  private readonly video: Writable;
  private readonly exit: Promise<void>;
  private readonly tmpPath: string;
  private framesWritten = 0;
  private failed: Error | undefined;

  constructor(private readonly options: Mp4WriterOptions) {
    this.tmpPath = join(dirname(options.path), `.${basename(options.path)}.${process.pid}.tmp`);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${options.width}x${options.height}`, '-framerate', String(options.fps), '-i', 'pipe:0',
      '-f', 'f32le', '-ar', String(options.audioRate), '-ac', '1', '-i', 'pipe:3',
      '-map', '0:v', '-map', '1:a',
      '-c:v', 'libx264', '-preset', options.preset, '-crf', String(options.crf), '-pix_fmt', 'yuv420p', '-g', String(2 * options.fps), '-threads', '2',
      '-c:a', 'aac', '-b:a', '64k', '-ar', String(options.outputAudioRate), '-ac', '1',
      '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
      '-movflags', '+faststart', '-f', 'mp4', this.tmpPath,
    ];
    this.child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
    const stderr: Buffer[] = [];
    this.child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    this.video = this.child.stdin as Writable;
    const audio = this.child.stdio[3] as Writable;
    for (const pipe of [this.video, audio]) pipe.on('error', (err) => (this.failed ??= err));
    audio.end(Buffer.from(options.audio.buffer, options.audio.byteOffset, options.audio.byteLength));
    this.exit = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`ffmpeg failed writing ${options.path} (exit ${code}): ${lastLines(Buffer.concat(stderr).toString(), 3)}`));
      });
    });
    this.exit.catch(() => undefined);
  }

  async writeFrame(frame: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    this.framesWritten++;
    if (!this.video.write(frame)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          this.child.off('close', onClose);
          resolve();
        };
        const onClose = (): void => {
          this.video.off('drain', onDrain);
          reject(this.failed ?? new Error(`ffmpeg exited early while writing ${this.options.path}`));
        };
        this.video.once('drain', onDrain);
        this.child.once('close', onClose);
      });
    }
  }

  /** Closes the video pipe, waits for ffmpeg, and renames the file into place. */
  async finish(): Promise<void> {
    this.video.end();
    try {
      await this.exit;
    } catch (err) {
      await rm(this.tmpPath, { force: true });
      throw err;
    }
    await rename(this.tmpPath, this.options.path);
  }

  async abort(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exit.catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }

  get frames(): number {
    return this.framesWritten;
  }
}
