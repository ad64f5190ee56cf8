/**
 * Re-chunks a byte stream (pipe reads of any size) into fixed-size records, e.g. raw video
 * frames. Every record is a fresh copy that owns its memory, never a view into a pipe buffer.
 */
export class FrameChunker {
  private current: Uint8Array;
  private filled = 0;

  constructor(readonly recordBytes: number) {
    if (!Number.isInteger(recordBytes) || recordBytes <= 0) throw new Error(`FrameChunker: bad record size ${recordBytes}`);
    this.current = new Uint8Array(recordBytes);
  }

  /** Bytes of an incomplete record held back. */
  get pendingBytes(): number {
    return this.filled;
  }

  /** Calls `emit` for each record completed by `chunk`. */
  push(chunk: Uint8Array, emit: (record: Uint8Array) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.recordBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.recordBytes) {
        const record = this.current;
        this.current = new Uint8Array(this.recordBytes);
        this.filled = 0;
        emit(record);
      }
    }
  }
}

/**
 * Turns little-endian f32 bytes arriving in arbitrary chunks into Float32Arrays (each a
 * copy), holding back the 0-3 bytes of a sample split across chunks.
 */
export class Float32Chunker {
  private carry = new Uint8Array(4);
  private carried = 0;

  get pendingBytes(): number {
    return this.carried;
  }

  push(chunk: Uint8Array): Float32Array {
    const total = this.carried + chunk.length;
    const count = Math.floor(total / 4);
    const out = new Float32Array(count);
    const bytes = new Uint8Array(out.buffer);
    const fromChunk = count * 4 - this.carried;
    if (count > 0) {
      bytes.set(this.carry.subarray(0, this.carried), 0);
      bytes.set(chunk.subarray(0, fromChunk), this.carried);
      const rest = chunk.length - fromChunk;
      this.carry.set(chunk.subarray(fromChunk), 0);
      this.carried = rest;
    } else {
      this.carry.set(chunk, this.carried);
      this.carried = total;
    }
    return out;
  }
}
