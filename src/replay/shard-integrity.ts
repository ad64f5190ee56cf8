/**
 * Integrity of a shard file against its manifest entry: present, of the recorded size, of
 * the recorded sha256. Every failure is one line naming the shard. The hash runs in a
 * worker thread so that it overlaps with batch assembly on the main thread.
 */
import { promises as fsp } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ManifestShard } from '../../schemas/manifest.js';

/** A shard that cannot be replayed; the message is one line starting with `shard <path>:`. */
export class ShardError extends Error {
  constructor(readonly shardPath: string, problem: string) {
    super(`shard ${shardPath}: ${problem.replace(/\s*\n\s*/g, ' ')}`);
    this.name = 'ShardError';
  }
}

export function shardError(shard: Pick<ManifestShard, 'path'>, error: unknown): ShardError {
  if (error instanceof ShardError) return error;
  return new ShardError(shard.path, error instanceof Error ? error.message : String(error));
}

// Plain CommonJS: evaluated by the worker, outside any TypeScript or Jest transform.
const HASH_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
parentPort.on('message', ({ id, file }) => {
  const hash = createHash('sha256');
  let bytes = 0;
  createReadStream(file, { highWaterMark: 1 << 20 })
    .on('data', (chunk) => { hash.update(chunk); bytes += chunk.length; })
    .on('error', (error) => parentPort.postMessage({ id, error: error.message }))
    .on('end', () => parentPort.postMessage({ id, sha256: hash.digest('hex'), bytes }));
});
`;

interface HashReply {
  id: number;
  sha256?: string;
  bytes?: number;
  error?: string;
}

interface HashRequest {
  resolve: (digest: { sha256: string; bytes: number }) => void;
  reject: (error: Error) => void;
}

/**
 * One hashing thread per process, started on first use. It keeps the process alive only
 * while a hash is pending (a worker start costs ~0.1 s, so it is not started per shard).
 */
class HashThread {
  private readonly worker = new Worker(HASH_WORKER, { eval: true });
  private readonly pending = new Map<number, HashRequest>();
  private nextId = 0;

  constructor(onGone: () => void) {
    this.worker.unref();
    this.worker.on('message', (reply: HashReply) => {
      const request = this.pending.get(reply.id);
      if (!request) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error !== undefined) request.reject(new Error(reply.error));
      else request.resolve({ sha256: reply.sha256!, bytes: reply.bytes! });
    });
    const fail = (error: Error): void => {
      onGone();
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
  }

  hash(file: string): Promise<{ sha256: string; bytes: number }> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, file });
    });
  }
}

let hashThread: HashThread | undefined;

/** sha256 and size of a file, hashed off the main thread. */
export function sha256InWorker(file: string): Promise<{ sha256: string; bytes: number }> {
  hashThread ??= new HashThread(() => {
    hashThread = undefined;
  });
  return hashThread.hash(file);
}

/** Throws a ShardError unless `file` has the size and sha256 of `shard`. */
export async function verifyShardFile(file: string, shard: Pick<ManifestShard, 'path' | 'bytes' | 'sha256'>): Promise<void> {
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShardError(shard.path, code === 'ENOENT' ? `missing (no file at ${file})` : `cannot be read (${code ?? String(error)})`);
  }
  if (size < shard.bytes) throw new ShardError(shard.path, `truncated: ${size} of ${shard.bytes} bytes`);
  if (size > shard.bytes) throw new ShardError(shard.path, `${size} bytes, the manifest says ${shard.bytes}`);
  let digest: { sha256: string; bytes: number };
  try {
    digest = await sha256InWorker(file);
  } catch (error) {
    throw shardError(shard, error);
  }
  if (digest.sha256 !== shard.sha256) {
    throw new ShardError(shard.path, `corrupted: sha256 ${digest.sha256}, the manifest says ${shard.sha256}`);
  }
}
