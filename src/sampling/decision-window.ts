/**
 * The VAD decisions a clip windower still needs: a contiguous run of frame decisions
 * [start, end), appended in frame order and trimmed from the front as clips are emitted.
 */
export class DecisionWindow {
  private data = new Uint8Array(1024);
  /** Frame index of data[0]. */
  private start = 0;
  private length = 0;
  /** Frame index the next appended decision must have. */
  private expected = 0;

  /** Index one past the last decision held (every frame below it is decided or trimmed). */
  get end(): number {
    return this.start + this.length;
  }

  /** Decisions held (bounded by what the pending clips need). */
  get size(): number {
    return this.length;
  }

  append(firstFrame: number, decisions: Uint8Array): void {
    if (firstFrame !== this.expected) {
      throw new Error(`VAD decisions are not contiguous: expected frame ${this.expected}, got ${firstFrame}`);
    }
    this.expected += decisions.length;
    // Decisions for frames already trimmed (their clip was dropped) are skipped.
    const skip = Math.min(decisions.length, Math.max(0, this.start - firstFrame));
    const keep = decisions.length - skip;
    if (keep === 0) return;
    if (this.length + keep > this.data.length) {
      const grown = new Uint8Array(Math.max(2 * this.data.length, this.length + keep));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(decisions.subarray(skip), this.length);
    this.length += keep;
  }

  /** Forgets every decision below `frame`. */
  trimBelow(frame: number): void {
    if (frame <= this.start) return;
    const drop = Math.min(this.length, frame - this.start);
    this.data.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.start = frame;
  }

  /** A copy of the decisions of frames [from, to) that are held (fewer when `to` > end). */
  slice(from: number, to: number): Uint8Array {
    const a = Math.max(0, from - this.start);
    const b = Math.max(a, Math.min(this.length, to - this.start));
    return this.data.slice(a, b);
  }
}
