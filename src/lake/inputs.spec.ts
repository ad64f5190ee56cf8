import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inPart, listScanInputs, parsePart, scanId } from './inputs.js';

describe('scan inputs', () => {
  it('lists scans recursively, sorted, skipping hidden files, sidecars and previews', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inputs-'));
    await mkdir(join(dir, 'sub'));
    for (const f of ['b.mp4', 'a.mov', 'a.json', 'a.preview.png', '.hidden.mp4', 'sub/c d é.mp4', '-lead.mp4', 'notes.txt']) {
      await writeFile(join(dir, f), 'x');
    }
    const inputs = await listScanInputs(dir);
    expect(inputs.map((i) => i.relPath)).toEqual(['-lead.mp4', 'a.mov', 'b.mp4', 'notes.txt', 'sub/c d é.mp4']);
    expect(inputs.map((i) => i.absPath)[0]).toBe(join(dir, '-lead.mp4'));
  });

  it('makes file-safe, collision-free ids', () => {
    expect(scanId('sub/c d é.mp4')).toMatch(/^sub_c_d__-[0-9a-f]{8}$/);
    expect(scanId('-lead.mp4')).toMatch(/^_lead-[0-9a-f]{8}$/);
    expect(scanId('a.mp4')).not.toBe(scanId('a.mov'));
    expect(scanId('a.mp4')).toBe(scanId('a.mp4'));
  });

  it('splits scans into disjoint, complete parts', () => {
    const ids = Array.from({ length: 200 }, (_, i) => scanId(`scan-${i}.mp4`));
    const parts = [0, 1, 2].map((index) => ids.filter((id) => inPart(id, { index, count: 3 })));
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(200);
    expect(new Set(parts.flat()).size).toBe(200);
    for (const p of parts) expect(p.length).toBeGreaterThan(40);
  });

  it('parses --shard i/n and rejects nonsense', () => {
    expect(parsePart('1/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['4/4', '1', 'a/b', '-1/2', '0/0']) expect(() => parsePart(bad)).toThrow(/--shard/);
  });
});
