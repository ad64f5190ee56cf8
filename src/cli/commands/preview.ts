import type { Argv } from 'yargs';
import { writePreview } from '../../preview/preview.js';

export const command = 'preview <scans..>';
export const describe = 'Write a PNG contact sheet and audio strip for each scan (MP4 with its JSON sidecar)';

export function builder(yargs: Argv) {
  return yargs
    .positional('scans', { type: 'string', array: true, demandOption: true, describe: 'Scan MP4 files' })
    .option('out', { type: 'string', describe: 'Output PNG (only with a single scan); default <scan>.preview.png' });
}

export async function handler(argv: { scans: string[]; out?: string }): Promise<void> {
  if (argv.out !== undefined && argv.scans.length > 1) throw new Error('--out takes a single scan');
  for (const scan of argv.scans) {
    const result = await writePreview(scan, argv.out);
    console.log(`${scan} -> ${result.outPath} (${result.width}x${result.height})`);
  }
}
