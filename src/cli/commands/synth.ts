import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { ProgressBars } from '../progress.js';
import { DEFAULT_SYNTH, FPS, scanName } from '../../synth/generate-scan.js';
import { generateScans } from '../../synth/generate-scans.js';
import { positiveInteger, positiveNumber, nonNegativeInteger } from '../validate.js';

export const command = 'synth';
export const describe = 'Generate synthetic narrated ultrasound scans (MP4 + ground-truth JSON sidecars)';

export function builder(yargs: Argv) {
  return yargs
    .option('out', { type: 'string', demandOption: true, describe: 'Folder to write scan-NNN.mp4 and scan-NNN.json into' })
    .option('scans', { type: 'number', default: 6, describe: 'Number of scans', coerce: positiveInteger('--scans') })
    .option('minutes', { type: 'number', default: DEFAULT_SYNTH.minutes, describe: 'Length of each scan in minutes (fractional allowed)', coerce: positiveNumber('--minutes') })
    .option('seed', { type: 'number', default: DEFAULT_SYNTH.seed, describe: 'Random seed: same seed, same scans', coerce: nonNegativeInteger('--seed') })
    .option('width', { type: 'number', default: DEFAULT_SYNTH.width, describe: 'Video width in pixels (even)', coerce: positiveInteger('--width') })
    .option('height', { type: 'number', default: DEFAULT_SYNTH.height, describe: 'Video height in pixels (even)', coerce: positiveInteger('--height') })
    .option('crf', { type: 'number', default: DEFAULT_SYNTH.crf, describe: 'x264 constant rate factor (quality)', coerce: nonNegativeInteger('--crf') })
    .option('concurrency', { type: 'number', default: availableParallelism(), describe: 'Scans generated at once', coerce: positiveInteger('--concurrency') })
    .option('progress', { type: 'boolean', default: true, describe: 'Show progress bars' });
}

export async function handler(argv: {
  out: string;
  scans: number;
  minutes: number;
  seed: number;
  width: number;
  height: number;
  crf: number;
  concurrency: number;
  progress: boolean;
}): Promise<void> {
  if (argv.width % 2 !== 0 || argv.height % 2 !== 0) throw new Error('--width and --height must be even (H.264 4:2:0)');
  const options = { ...DEFAULT_SYNTH, outDir: argv.out, minutes: argv.minutes, seed: argv.seed, width: argv.width, height: argv.height, crf: argv.crf };
  const totalFrames = argv.scans * Math.max(1, Math.round(argv.minutes * 60 * FPS));
  const bars = argv.progress ? new ProgressBars(totalFrames, 'frames') : undefined;
  const started = Date.now();
  try {
    await generateScans(argv.scans, options, argv.concurrency, {
      onStart: (i, frames) => bars?.start(scanName(i), frames),
      onFrames: (i, frame) => bars?.update(scanName(i), frame),
      onDone: (i) => bars?.finish(scanName(i)),
    });
  } finally {
    bars?.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const scanMinutes = argv.scans * argv.minutes;
  console.log(
    `wrote ${argv.scans} scans (${scanMinutes.toFixed(2)} scan-minutes) to ${argv.out} in ${seconds.toFixed(1)} s: ` +
      `${(scanMinutes / seconds).toFixed(2)} scan-minutes per second`,
  );
}
