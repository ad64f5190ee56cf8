import { spawn } from 'node:child_process';
import { ffmpegPath } from './ffmpeg-path.js';

export interface FfmpegResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs ffmpeg to completion (no shell) and collects its stdout. For small outputs only
 * (a few frames, a probe); streaming decode belongs to the decode stage.
 */
export function runFfmpeg(args: readonly string[], options: { input?: Buffer } = {}): Promise<FfmpegResult> {
  const bin = ffmpegPath();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-hide_banner', '-nostdin', ...args], {
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new Error(`ffmpeg exited with code ${code}: ${lastLines(stderr, 3)}`));
    });
    if (options.input && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
