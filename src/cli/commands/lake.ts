import type { Argv } from 'yargs';
import { mergeLakeManifests } from '../../lake/manifest-io.js';

export const command = 'lake <action>';
export const describe = 'Manage a lake: merge the manifests of a fanned-out ingest (--shard i/n)';

export function builder(yargs: Argv) {
  return yargs
    .positional('action', { type: 'string', choices: ['merge'], demandOption: true, describe: 'merge: combine manifest.part-*.json into manifest.json' })
    .option('lake', { type: 'string', demandOption: true, describe: 'Lake folder' });
}

export async function handler(argv: { action: string; lake: string }): Promise<void> {
  const { parts, manifest } = await mergeLakeManifests(argv.lake);
  const failed = manifest.scans.filter((s) => s.status === 'failed').length;
  console.log(`merged ${parts.join(', ')} -> manifest.json: ${manifest.scans.length} scans (${failed} failed), ${manifest.shards.length} shards`);
}
