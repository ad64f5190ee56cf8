import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export class FfmpegNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FfmpegNotFoundError';
  }
}

/**
 * Where ffmpeg is: `FFMPEG_PATH` when set (it must exist and be executable), else the
 * binary shipped by @ffmpeg-installer/ffmpeg. Throws FfmpegNotFoundError naming the cause.
 */
export function ffmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['FFMPEG_PATH'];
  if (override !== undefined && override !== '') {
    assertExecutable(override, 'FFMPEG_PATH');
    return override;
  }
  let bundled: string;
  try {
    const require = createRequire(import.meta.url);
    bundled = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (err) {
    throw new FfmpegNotFoundError(
      `ffmpeg not found: @ffmpeg-installer/ffmpeg is not installed (${(err as Error).message}); run 'npm ci' or set FFMPEG_PATH`,
    );
  }
  assertExecutable(bundled, '@ffmpeg-installer/ffmpeg');
  return bundled;
}

function assertExecutable(path: string, source: string): void {
  if (!existsSync(path)) {
    throw new FfmpegNotFoundError(`ffmpeg not found: ${source} points to '${path}', which does not exist`);
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new FfmpegNotFoundError(`ffmpeg not usable: ${source} points to '${path}', which is not executable`);
  }
}
