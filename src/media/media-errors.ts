/**
 * Why a media file could not be probed or decoded. The pipeline branches on the code (a scan
 * without audio may be skipped or decoded with silence); the message is one line naming the
 * file and the cause, fit for a log or a CLI error.
 */
export type MediaErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'empty'
  | 'not-media'
  | 'no-video'
  | 'no-audio'
  | 'corrupt'
  | 'decode-failed';

const CAUSE: Record<MediaErrorCode, string> = {
  'not-found': 'file not found',
  unreadable: 'cannot read the file',
  empty: 'file is empty (0 bytes)',
  'not-media': 'not a media file ffmpeg can read',
  'no-video': 'no video stream',
  'no-audio': 'no audio stream',
  corrupt: 'truncated or corrupt media',
  'decode-failed': 'ffmpeg failed while decoding',
};

export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly path: string;

  constructor(path: string, code: MediaErrorCode, detail?: string) {
    super(oneLine(`'${path}': ${CAUSE[code]}${detail ? ` (${detail})` : ''}`));
    this.name = 'MediaError';
    this.code = code;
    this.path = path;
  }
}

/** Collapses whitespace (newlines included) so a message always fits on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Maps a Node fs error (stat/open) to a MediaError; an unexpected errno counts as unreadable. */
export function fsErrorToMediaError(path: string, err: NodeJS.ErrnoException): MediaError {
  switch (err.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new MediaError(path, 'not-found');
    case 'EACCES':
    case 'EPERM':
      return new MediaError(path, 'unreadable', 'permission denied');
    case 'EISDIR':
      return new MediaError(path, 'unreadable', 'it is a directory');
    default:
      return new MediaError(path, 'unreadable', err.code ?? err.message);
  }
}
