/**
 * Cuts a stream of chunks into fixed-size frames, carrying the incomplete tail of one chunk
 * over to the next so frames can straddle chunk borders.
 */
export class FrameSplitter {
  private readonly pending: Float32Array;
  private pendingLength = 0;

  constructor(readonly frameSamples: number) {
    if (!Number.isInteger(frameSamples) || frameSamples < 1) throw new Error(`FrameSplitter: bad frame size ${frameSamples}`);
    this.pending = new Float32Array(frameSamples);
  }

  /** Samples waiting for the next frame. */
  get buffered(): number {
    return this.pendingLength;
  }

  /**
   * Calls `onFrame` for every frame completed by `chunk`. The frame array is reused between
   * calls: copy it if it must outlive the callback.
   */
  push(chunk: Float32Array, onFrame: (frame: Float32Array) => void): void {
    const n = this.frameSamples;
    let at = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(n - this.pendingLength, chunk.length);
      this.pending.set(chunk.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      at = take;
      if (this.pendingLength < n) return;
      onFrame(this.pending);
      this.pendingLength = 0;
    }
    for (; at + n <= chunk.length; at += n) onFrame(chunk.subarray(at, at + n));
    if (at < chunk.length) {
      this.pending.set(chunk.subarray(at));
      this.pendingLength = chunk.length - at;
    }
  }

  /** Emits the partial last frame zero-padded, if there is one. */
  flush(onFrame: (frame: Float32Array) => void): void {
    if (this.pendingLength === 0) return;
    this.pending.fill(0, this.pendingLength);
    this.pendingLength = 0;
    onFrame(this.pending);
  }
}
