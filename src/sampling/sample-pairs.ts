/**
 * TaggedClip -> PairSample (METHOD.md, "Training pairs"). For each high-affinity clip T,
 * K groups, each with its own Rng (sample-seed.ts), drawn in this order:
 *  1. frame v_i uniform among the clip's frames that admit a positive (all of them unless
 *     maxOffsetSeconds < 0.3 s - 1/(2 fps)); time(v_i) = middle of the frame, (i + 0.5) / fps;
 *  2. hard positive s_j: start sample uniform such that the snippet lies inside T and
 *     |centre(s_j) - time(v_i)| <= maxOffsetSeconds (perturbed alignment);
 *  3. delta: magnitude m uniform in [1, D) among the magnitudes with a clip at T + m or T - m;
 *     forward T' = T + m when that clip exists, else backward T' = T - m (delta = -m: the
 *     scan end). A group with no such clip (a 1-clip scan) gives no pair and is counted;
 *  4. hard negative s_t': start sample uniform inside T'.
 * Low-affinity clips give no pair but their audio serves as negatives of their neighbours.
 *
 * Lookahead: the groups of T are emitted once a clip >= T + D - 1 has arrived (every
 * forward candidate is known) or the stream completed. State: the audio of clips
 * [T_pending_min - (D - 1), latest] and, per pending high clip, its K frames and positives:
 * never more than 2(D - 1) clips of audio (stats.maxHeldAudioClips) and no lookahead frames.
 *
 * Clips must arrive in increasing index order per scan; a new scan id ends the previous scan.
 * Samples reference the clips' buffers (frame and audio views): do not mutate them.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { PairSample, TaggedClip } from '../types/ingest.js';
import type { Rng } from '../util/rng.js';
import { clipSamples, resolveSamplingConfig, snippetSamples, type SamplingConfig } from './config.js';
import { sampleRng, sampleSeed } from './sample-seed.js';

export interface PairSamplingStats {
  clips: number;
  highClips: number;
  pairs: number;
  /** Pairs whose negative was taken backwards (T' = T - |delta|) at the scan end. */
  backwardPairs: number;
  /** Groups with no clip within D of T (no pair emitted). */
  unpairedGroups: number;
  /** Most clips whose audio was held between two input clips (bounded by 2(D - 1)). */
  maxHeldAudioClips: number;
}

export interface SamplePairsOptions extends Partial<SamplingConfig> {
  /** Called once at completion (not on error) with totals over every scan. */
  onStats?: (stats: PairSamplingStats) => void;
}

interface ClipAudio {
  firstFrame: number;
  audio: Float32Array;
}

interface DrawnGroup {
  group: number;
  seed: bigint;
  rng: Rng;
  frameIndex: number;
  frame: Uint8Array;
  positiveStart: number;
  positiveAudio: Float32Array;
}

interface PendingClip {
  scan: string;
  index: number;
  speechFraction: number;
  groups: DrawnGroup[];
}

class PairSampler {
  private readonly fps: number;
  private readonly rate: number;
  private readonly clipSamples: number;
  private readonly snippet: number;
  private readonly shifts: number;
  private scan: string | undefined;
  private latest = -1;
  private readonly audio = new Map<number, ClipAudio>();
  private pending: PendingClip[] = [];
  readonly stats: PairSamplingStats = { clips: 0, highClips: 0, pairs: 0, backwardPairs: 0, unpairedGroups: 0, maxHeldAudioClips: 0 };

  constructor(private readonly config: SamplingConfig) {
    this.fps = config.fps;
    this.rate = config.sampleRate;
    this.clipSamples = clipSamples(config);
    this.snippet = snippetSamples(config);
    this.shifts = config.shiftRange - 1;
  }

  push(clip: TaggedClip, out: PairSample[]): void {
    if (clip.scan !== this.scan) {
      this.finish(out);
      this.scan = clip.scan;
      this.latest = -1;
      this.audio.clear();
    }
    if (!(clip.index > this.latest)) throw new Error(`samplePairs(${clip.scan}): clip ${clip.index} after clip ${this.latest}`);
    if (clip.audio.length !== this.clipSamples || clip.frames.length !== this.config.framesPerClip) {
      throw new Error(`samplePairs(${clip.scan}): clip ${clip.index} has ${clip.frames.length} frames and ${clip.audio.length} samples, expected ${this.config.framesPerClip} and ${this.clipSamples}`);
    }
    this.stats.clips++;
    this.latest = clip.index;
    this.audio.set(clip.index, { firstFrame: clip.firstFrame, audio: clip.audio });
    if (clip.affinity === 'high') {
      this.stats.highClips++;
      this.pending.push(this.drawPositives(clip));
    }
    while (this.pending.length > 0 && (this.pending[0] as PendingClip).index + this.shifts <= this.latest) {
      this.complete(this.pending.shift() as PendingClip, out);
    }
    this.forgetAudio();
    this.stats.maxHeldAudioClips = Math.max(this.stats.maxHeldAudioClips, this.audio.size);
  }

  /** End of the current scan: every pending clip is completed with the clips that exist. */
  finish(out: PairSample[]): void {
    for (const clip of this.pending) this.complete(clip, out);
    this.pending = [];
  }

  private drawPositives(clip: TaggedClip): PendingClip {
    const n = this.snippet;
    const clipStart = this.startSample(clip.firstFrame);
    const maxOffset = this.config.maxOffsetSeconds * this.rate;
    // Start-sample range of a snippet inside the clip whose centre is within maxOffset of t.
    const range = (frame: number): [number, number] => {
      const t = ((frame + 0.5) * this.rate) / this.fps;
      return [
        Math.max(clipStart, Math.ceil(t - maxOffset - n / 2 - 1e-9)),
        Math.min(clipStart + this.clipSamples - n, Math.floor(t + maxOffset - n / 2 + 1e-9)),
      ];
    };
    const feasible: number[] = [];
    for (let i = 0; i < clip.frames.length; i++) {
      const [lo, hi] = range(clip.firstFrame + i);
      if (lo <= hi) feasible.push(i);
    }
    if (feasible.length === 0) throw new Error(`samplePairs: no frame of a clip admits a snippet within ${this.config.maxOffsetSeconds} s`);
    const groups: DrawnGroup[] = [];
    for (let group = 0; group < this.config.groupsPerClip; group++) {
      const seed = sampleSeed(this.config.seed, clip.scan, clip.index, group, 'pair');
      const rng = sampleRng(seed);
      const i = rng.pick(feasible);
      const [lo, hi] = range(clip.firstFrame + i);
      const positiveStart = rng.int(lo, hi);
      const at = positiveStart - clipStart;
      groups.push({
        group,
        seed,
        rng,
        frameIndex: clip.firstFrame + i,
        frame: clip.frames[i] as Uint8Array,
        positiveStart,
        positiveAudio: clip.audio.subarray(at, at + n),
      });
    }
    return { scan: clip.scan, index: clip.index, speechFraction: clip.speechFraction, groups };
  }

  private complete(clip: PendingClip, out: PairSample[]): void {
    const magnitudes: number[] = [];
    for (let m = 1; m <= this.shifts; m++) {
      if (this.audio.has(clip.index + m) || this.audio.has(clip.index - m)) magnitudes.push(m);
    }
    for (const g of clip.groups) {
      if (magnitudes.length === 0) {
        this.stats.unpairedGroups++;
        continue;
      }
      const m = g.rng.pick(magnitudes);
      const delta = this.audio.has(clip.index + m) ? m : -m;
      const other = this.audio.get(clip.index + delta) as ClipAudio;
      const offset = g.rng.int(0, this.clipSamples - this.snippet);
      const negativeStart = this.startSample(other.firstFrame) + offset;
      if (delta < 0) this.stats.backwardPairs++;
      this.stats.pairs++;
      out.push({
        kind: 'pair',
        scan: clip.scan,
        clip: clip.index,
        group: g.group,
        frameIndex: g.frameIndex,
        frame: g.frame,
        positiveTime: g.positiveStart / this.rate,
        negativeTime: negativeStart / this.rate,
        positiveAudio: g.positiveAudio,
        negativeAudio: other.audio.subarray(offset, offset + this.snippet),
        delta,
        speechFraction: clip.speechFraction,
        sampleSeed: g.seed,
      });
    }
  }

  /** Keeps the audio of clips that a pending or future high clip may take a negative from. */
  private forgetAudio(): void {
    const oldestNeeded = Math.min(this.pending[0]?.index ?? Infinity, this.latest + 1) - this.shifts;
    for (const index of this.audio.keys()) if (index < oldestNeeded) this.audio.delete(index);
  }

  private startSample(frame: number): number {
    return Math.round((frame * this.rate) / this.fps);
  }
}

export function samplePairs(options: SamplePairsOptions = {}): OperatorFunction<TaggedClip, PairSample> {
  const config = resolveSamplingConfig(options, ['seed', 'framesPerClip', 'fps', 'sampleRate', 'snippetSeconds', 'groupsPerClip', 'shiftRange', 'maxOffsetSeconds']);
  return (source) =>
    new Observable<PairSample>((subscriber) => {
      const sampler = new PairSampler(config);
      const run = (step: (out: PairSample[]) => void): boolean => {
        const out: PairSample[] = [];
        try {
          step(out);
        } catch (error) {
          subscriber.error(error);
          return false;
        }
        for (const sample of out) subscriber.next(sample);
        return true;
      };
      return source.subscribe({
        next: (clip) => void run((out) => sampler.push(clip, out)),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (!run((out) => sampler.finish(out))) return;
          options.onStats?.({ ...sampler.stats });
          subscriber.complete();
        },
      });
    });
}
