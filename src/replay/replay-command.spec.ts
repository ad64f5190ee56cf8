import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { builder, runReplay, type ReplayArgs } from './replay-command.js';
import { writeTestLake } from './test-lake.js';

let root: string;

async function replay(args: string[]): Promise<{ out: string[]; err: string[] }> {
  const parser = builder(yargs(args)).strict().exitProcess(false).fail((message, error) => {
    throw error ?? new Error(message);
  });
  const argv = (await parser.parseAsync()) as unknown as ReplayArgs;
  const out: string[] = [];
  const err: string[] = [];
  await runReplay(argv, (l) => out.push(l), (l) => err.push(l));
  return { out, err };
}

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'replay-cli-'));
  await writeTestLake({ dir: root, pairShards: [40, 31, 26], orderShards: [20, 14], batchRows: 10 });
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe('sonospeech replay', () => {
  it('prints one digest line per batch, identical across runs and prefetch settings, and the throughput on stderr', async () => {
    const base = ['--lake', root, '--seed', '3', '--digest', '--batch-size', '8', '--shuffle-buffer', '12'];
    const a = await replay(base);
    const b = await replay([...base, '--prefetch', '0', '--readers', '3', '--read-ahead', '2', '--verify']);
    expect(a.out.length).toBe(12 + 4); // floor(97 / 8) pair + floor(34 / 8) order batches
    expect(a.out[0]).toMatch(/^0\t(pairs|orders)\t8\t[0-9a-f]{64}$/);
    expect(b.out).toEqual(a.out);
    expect(a.err.join('\n')).toMatch(/^replayed 16 of 16 batches \(epoch 0, rank 0\/1\): 96 pair rows \+ 32 order rows in [\d.]+ s, \d+ rows\/s/);
    const otherEpoch = await replay([...base, '--epoch', '1']);
    expect(otherEpoch.out).not.toEqual(a.out);
    const resumed = await replay([...base, '--position', '5', '--batches', '3']);
    expect(resumed.out).toEqual(a.out.slice(5, 8));
  });

  it('splits by --rank and rejects a bad rank', async () => {
    const r0 = await replay(['--lake', root, '--seed', '3', '--digest', '--rank', '0/2', '--batch-size', '8']);
    const r1 = await replay(['--lake', root, '--seed', '3', '--digest', '--rank', '1/2', '--batch-size', '8']);
    expect(r0.out.length).toBe(r1.out.length);
    expect(r0.out.length).toBeGreaterThan(0);
    const digests = new Set([...r0.out, ...r1.out].map((l) => l.split('\t')[3]));
    expect(digests.size).toBe(r0.out.length * 2);
    await expect(replay(['--lake', root, '--seed', '3', '--rank', '2/2'])).rejects.toThrow(/--rank must be r\/n/);
  });
});
