import type { ManifestScan } from '../../schemas/manifest.js';

/** The per-scan summary printed at the end of an ingest run. */
export function formatScanTable(scans: readonly ManifestScan[]): string {
  const header = ['scan', 'status', 'seconds', 'clips', 'high', 'low', 'pairs', 'orders', 'tail', 'crop'];
  const rows = scans.map((s) => [
    s.id,
    s.status,
    s.duration.toFixed(1),
    String(s.clips),
    String(s.highAffinity),
    String(s.lowAffinity),
    String(s.pairs),
    String(s.orderSamples),
    String(s.droppedTailFrames),
    s.crop ? `${s.crop.width}x${s.crop.height}+${s.crop.x}+${s.crop.y}` : '-',
  ]);
  const total = ['total', `${scans.filter((s) => s.status === 'ok').length} ok`, sum(scans, (s) => s.duration).toFixed(1), ...(['clips', 'highAffinity', 'lowAffinity', 'pairs', 'orderSamples', 'droppedTailFrames'] as const).map((k) => String(sum(scans, (s) => s[k]))), ''];
  const table = [header, ...rows, total];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, c) => (c < 2 || c === 9 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), line(total)].join('\n');
}

function sum(scans: readonly ManifestScan[], f: (s: ManifestScan) => number): number {
  return scans.reduce((n, s) => n + f(s), 0);
}
