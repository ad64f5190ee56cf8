import { AsyncByteQueue } from 'apache-arrow';

/**
 * Collects the byte chunks the IPC writer emits instead of queueing them for an async
 * reader, so the caller decides when they are written and can await the disk.
 */
export class ChunkCollector extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];

  override write(value: ArrayBufferView | ArrayBufferLike | string): void {
    const bytes = typeof value === 'string'
      ? Buffer.from(value, 'utf8')
      : ArrayBuffer.isView(value)
        ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
        : new Uint8Array(value);
    if (bytes.byteLength > 0) this.chunks.push(bytes);
  }

  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}
