import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isTempFileName, openAtomicFile, tempPathFor, writeFileAtomic } from './atomic-file.js';
import { sha256File } from './sha256-file.js';

let root: string;

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'atomic-file-'));
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const sha = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

describe('atomic files', () => {
  it('writeFileAtomic publishes the file with its size and sha256, leaving no temp file', async () => {
    const target = path.join(root, 'nested', 'dir', 'manifest.json');
    const text = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
    const committed = await writeFileAtomic(target, text);
    expect(committed).toEqual({ path: target, bytes: Buffer.byteLength(text), sha256: sha(text) });
    expect(await fsp.readFile(target, 'utf8')).toBe(text);
    expect(await fsp.readdir(path.dirname(target))).toEqual(['manifest.json']);
  });

  it('streams chunks, hashes while writing and matches sha256File', async () => {
    const target = path.join(root, 'chunks.bin');
    const file = await openAtomicFile(target, { durable: false });
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70_000).fill(9), new Uint8Array([4])];
    // Not awaited one by one: writes must still land in order.
    const pending = [file.write(parts[0]!), file.write([parts[1]!, parts[2]!]), file.write(parts[3]!)];
    await Promise.all(pending);
    await expect(fsp.access(target)).rejects.toThrow();
    const committed = await file.commit();
    const all = Buffer.concat(parts);
    expect(committed.sha256).toBe(sha(all));
    expect(await sha256File(target)).toEqual({ bytes: all.byteLength, sha256: sha(all) });
    await expect(file.write(parts[0]!)).rejects.toThrow(/after committed/);
  });

  it('abort removes the temp file and leaves an existing target untouched', async () => {
    const target = path.join(root, 'keep.txt');
    await writeFileAtomic(target, 'old content', { durable: false });
    const file = await openAtomicFile(target);
    await file.write(Buffer.from('new content that never lands'));
    expect(await fsp.readdir(root)).toContain(path.basename(file.tempPath));
    await file.abort();
    await file.abort();
    expect(await fsp.readFile(target, 'utf8')).toBe('old content');
    expect((await fsp.readdir(root)).filter(isTempFileName)).toEqual([]);
  });

  it('offers a Node Writable for pipeline()', async () => {
    const target = path.join(root, 'piped.txt');
    const file = await openAtomicFile(target, { durable: false });
    await pipeline(Readable.from(['a', 'bc', 'def'].map((s) => Buffer.from(s))), file.writable());
    const committed = await file.commit();
    expect(committed.bytes).toBe(6);
    expect(await fsp.readFile(target, 'utf8')).toBe('abcdef');
  });

  it('names temp files so that leftovers can be recognised', () => {
    const a = tempPathFor('/lake/pairs-00000.arrow');
    const b = tempPathFor('/lake/pairs-00000.arrow');
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe('/lake');
    expect(isTempFileName(path.basename(a))).toBe(true);
    expect(isTempFileName('pairs-00000.arrow')).toBe(false);
  });
});
