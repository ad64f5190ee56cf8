import { writeFileAtomic } from '../shards/atomic-file.js';

/** Writes JSON to a temporary name beside `path`, then renames it into place. */
export async function writeJsonAtomic(path: string, value: unknown, indent?: number): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, indent) + '\n', { durable: false });
}
