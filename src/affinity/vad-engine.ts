/**
 * The common shape of the voice activity detectors that decide a clip's affinity
 * (METHOD.md, "Affinity-aware self-paced learning").
 *
 * A session follows one scan: the pipeline feeds the scan's 24 kHz mono audio chunk by
 * chunk (consecutive 2 s clips) and gets back one decision per complete frame. Frame i covers
 * scan time [i * frameSeconds, (i + 1) * frameSeconds); frames may straddle chunk borders,
 * so a chunk can yield one decision more or less than chunkSeconds / frameSeconds. Feeding a
 * signal in chunks or whole gives the same decisions.
 */

export type VadEngineName = 'energy' | 'webrtc' | 'silero';

export const VAD_ENGINE_NAMES: readonly VadEngineName[] = ['energy', 'webrtc', 'silero'];

export interface VadSession {
  /** Per-frame decisions (1 = speech) for the frames completed by this chunk of the scan's audio. */
  process(chunk: Float32Array): Promise<Uint8Array> | Uint8Array;
  /** End of the scan: decisions for the last, partial frame (zero-padded), if any. */
  flush(): Promise<Uint8Array> | Uint8Array;
  /** Releases per-scan state. The session cannot be used afterwards. */
  close(): void;
}

export interface VadEngine {
  readonly name: VadEngineName;
  /** Duration of one decision frame, in seconds of scan time. */
  readonly frameSeconds: number;
  /** Sample rate the sessions expect (24,000 Hz by default). */
  readonly inputSampleRate: number;
  /** Starts a stateful session for one scan. */
  open(): Promise<VadSession> | VadSession;
}

/** Fraction of frames marked as speech (0 for no frames). */
export function speechFraction(decisions: Uint8Array): number {
  if (decisions.length === 0) return 0;
  let speech = 0;
  for (const d of decisions) speech += d !== 0 ? 1 : 0;
  return speech / decisions.length;
}

/**
 * Speech fraction over the scan interval [startSeconds, endSeconds): frames count in
 * proportion to their overlap with the interval. Returns 0 for an interval with no frames.
 */
export function speechFractionInInterval(
  decisions: Uint8Array,
  frameSeconds: number,
  startSeconds: number,
  endSeconds: number,
): number {
  const first = Math.max(0, Math.floor(startSeconds / frameSeconds));
  const last = Math.min(decisions.length - 1, Math.ceil(endSeconds / frameSeconds) - 1);
  let covered = 0;
  let speech = 0;
  for (let i = first; i <= last; i++) {
    const overlap = Math.min(endSeconds, (i + 1) * frameSeconds) - Math.max(startSeconds, i * frameSeconds);
    if (overlap <= 0) continue;
    covered += overlap;
    if (decisions[i] !== 0) speech += overlap;
  }
  return covered > 0 ? speech / covered : 0;
}

/** Concatenates decision arrays. */
export function concatDecisions(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs one session over a whole signal, fed in chunks of `chunkSamples` (default: 2 s at
 * the engine's input rate, as the pipeline does), and returns every frame decision.
 */
export async function detectSpeech(engine: VadEngine, audio: Float32Array, chunkSamples = 2 * engine.inputSampleRate): Promise<Uint8Array> {
  const session = await engine.open();
  try {
    const parts: Uint8Array[] = [];
    for (let at = 0; at < audio.length; at += chunkSamples) {
      parts.push(await session.process(audio.subarray(at, Math.min(audio.length, at + chunkSamples))));
    }
    parts.push(await session.flush());
    return concatDecisions(parts);
  } finally {
    session.close();
  }
}

/** Per-clip speech fractions of consecutive clips of `clipSeconds` covering `totalSeconds`. */
export function clipSpeechFractions(
  decisions: Uint8Array,
  frameSeconds: number,
  clipSeconds: number,
  totalSeconds: number,
): number[] {
  const out: number[] = [];
  const clips = Math.ceil(totalSeconds / clipSeconds - 1e-9);
  for (let c = 0; c < clips; c++) {
    const start = c * clipSeconds;
    out.push(speechFractionInInterval(decisions, frameSeconds, start, Math.min(totalSeconds, start + clipSeconds)));
  }
  return out;
}
