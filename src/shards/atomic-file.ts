/**
 * Files that appear complete or not at all: content goes to a hidden temp file beside the
 * target, and a rename publishes it. The SHA-256 and size are computed while writing, so
 * committing never re-reads the file.
 */
import { createHash, type Hash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';

export interface CommittedFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface AtomicFileOptions {
  /** fsync the file before the rename and the directory after it (default true). */
  durable?: boolean;
}

let tempCounter = 0;

/** Hidden temp name in the target's directory (same file system, so rename is atomic). */
export function tempPathFor(target: string): string {
  tempCounter += 1;
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${tempCounter}.tmp`);
}

/** True for names made by tempPathFor: leftovers of a crashed writer. */
export function isTempFileName(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

export class AtomicFileWriter {
  private hash: Hash = createHash('sha256');
  private written = 0;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly handle: fsp.FileHandle,
    private readonly durable: boolean,
  ) {}

  static async open(target: string, options: AtomicFileOptions = {}): Promise<AtomicFileWriter> {
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tempPath = tempPathFor(target);
    const handle = await fsp.open(tempPath, 'wx');
    return new AtomicFileWriter(target, tempPath, handle, options.durable ?? true);
  }

  get bytesWritten(): number {
    return this.written;
  }

  /** Appends one chunk or several (written in order with one writev). */
  write(data: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const chunks = (data instanceof Uint8Array ? [data] : data).filter((c) => c.byteLength > 0);
    // Serialise writes so callers that do not await still get their bytes in order.
    const next = this.pending.then(async () => {
      if (this.state !== 'open') throw new Error(`AtomicFileWriter: write after ${this.state}`);
      for (const chunk of chunks) this.hash.update(chunk);
      await writeAll(this.handle, chunks);
      for (const chunk of chunks) this.written += chunk.byteLength;
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Publishes the file under its final name. */
  async commit(): Promise<CommittedFile> {
    await this.pending;
    if (this.state !== 'open') throw new Error(`AtomicFileWriter: commit after ${this.state}`);
    this.state = 'committed';
    try {
      if (this.durable) await this.handle.sync();
      await this.handle.close();
      await fsp.rename(this.tempPath, this.path);
    } catch (error) {
      await fsp.rm(this.tempPath, { force: true });
      throw error;
    }
    if (this.durable) await syncDirectory(path.dirname(this.path));
    return { path: this.path, bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Drops the temp file; the target is left untouched. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.pending;
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.tempPath, { force: true });
  }

  /** A Node stream view for pipeline(); call commit() after the pipeline resolves. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.write(chunk).then(() => callback(), callback);
      },
      writev: (entries, callback) => {
        this.write(entries.map((e) => e.chunk as Buffer)).then(() => callback(), callback);
      },
    });
  }
}

async function writeAll(handle: fsp.FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  // writev may write partially; continue from where it stopped. Batches stay under IOV_MAX.
  let queue = chunks.slice();
  while (queue.length > 0) {
    const batch = queue.slice(0, 512);
    let { bytesWritten } = await handle.writev(batch);
    const rest: Uint8Array[] = [];
    for (const chunk of batch) {
      if (bytesWritten >= chunk.byteLength) {
        bytesWritten -= chunk.byteLength;
      } else {
        rest.push(chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    queue = [...rest, ...queue.slice(batch.length)];
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

export function openAtomicFile(target: string, options?: AtomicFileOptions): Promise<AtomicFileWriter> {
  return AtomicFileWriter.open(target, options);
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options?: AtomicFileOptions,
): Promise<CommittedFile> {
  const file = await AtomicFileWriter.open(target, options);
  try {
    await file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    return await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Removes, below `dir`, the temporary files of a crashed or killed run (never complete by construction). */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await removeStaleTempFiles(full);
    else if (isTempFileName(entry.name)) await fsp.rm(full, { force: true });
  }
}
