/**
 * Reads a lake's Parquet shards with DuckDB and compares the row counts per scan with the
 * manifest. Usage: node dist/bench/duckdb-check.js LAKE
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join, resolve } from 'node:path';
import { readManifest } from '../src/lake/manifest-io.js';

const lake = resolve(process.argv[2] ?? 'data-lake/lake/demo');
const manifest = await readManifest(join(lake, 'manifest.json'));
if (!manifest) throw new Error(`${lake}: no manifest.json`);
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
let mismatches = 0;
for (const kind of ['pairs', 'orders'] as const) {
  const reader = await conn.runAndReadAll(
    `SELECT scan_id, count(*)::INTEGER AS n FROM read_parquet('${join(lake, 'parquet', kind)}/*.parquet') GROUP BY scan_id`,
  );
  const counts = new Map(reader.getRowObjects().map((r) => [String(r['scan_id']), Number(r['n'])]));
  let total = 0;
  for (const scan of manifest.scans.filter((s) => s.status === 'ok')) {
    const expected = kind === 'pairs' ? scan.pairs : scan.orderSamples;
    const got = counts.get(scan.id) ?? 0;
    total += got;
    if (got !== expected) {
      mismatches++;
      console.log(`MISMATCH ${kind} ${scan.id}: duckdb ${got}, manifest ${expected}`);
    }
  }
  console.log(`${kind}: DuckDB reads ${total} rows over ${counts.size} scans`);
}
conn.closeSync();
console.log(mismatches === 0 ? 'DuckDB counts match the manifest' : `${mismatches} mismatches`);
process.exitCode = mismatches === 0 ? 0 : 1;
