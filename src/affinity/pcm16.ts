const { round } = Math; // local binding: fast under Jest's VM context too

/** A reusable 16-bit PCM frame: `samples` and `bytes` share memory, in native byte order (what the native VAD reads). */
export class Pcm16Frame {
  readonly samples: Int16Array;
  readonly bytes: Buffer;

  constructor(length: number) {
    this.samples = new Int16Array(length);
    this.bytes = Buffer.from(this.samples.buffer, this.samples.byteOffset, this.samples.byteLength);
  }

  /** Writes float samples in [-1, 1] (clipped, rounded) and returns the bytes. */
  fill(values: Float32Array): Buffer {
    if (values.length !== this.samples.length) throw new Error(`Pcm16Frame: ${values.length} samples for a frame of ${this.samples.length}`);
    const out = this.samples;
    for (let i = 0; i < values.length; i++) {
      const v = round((values[i] as number) * 32767);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return this.bytes;
  }
}
