import path from 'node:path';
import type { ShardKind } from '../../schemas/columns.js';
import type { ManifestShard, ShardFormat } from '../../schemas/manifest.js';

/** A complete shard file as a writer reports it; `path` is the file path the writer used. */
export interface WrittenShard {
  path: string;
  format: ShardFormat;
  kind: ShardKind;
  rows: number;
  bytes: number;
  sha256: string;
}

/** The manifest entry of a shard: its path relative to the lake root, '/'-separated. */
export function manifestShardEntry(shard: WrittenShard, lakeRoot: string): ManifestShard {
  const relative = path.relative(path.resolve(lakeRoot), path.resolve(shard.path));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`shard ${shard.path} is not inside the lake root ${lakeRoot}`);
  }
  return { ...shard, path: relative.split(path.sep).join('/') };
}

/** File name of shard number `index` (zero-based): `<baseName>-00000.<ext>`. */
export function shardFileName(baseName: string, index: number, extension: string): string {
  return `${baseName}-${String(index).padStart(5, '0')}.${extension}`;
}
