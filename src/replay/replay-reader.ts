/**
 * The replay reader: an epoch of batches as a pure function of (manifest, seed, epoch,
 * rank, order config), served pull-based as an async iterator or a demand-driven RxJS
 * stream, resumable from any batch boundary.
 */
import type { Observable } from 'rxjs';
import type { ShardKind } from '../../schemas/columns.js';
import { pullOnDemand } from '../streams/pull.js';
import { KindAssembler, type PreparedBatch } from './kind-assembler.js';
import { openLake, shardFilePath, type Lake, type LakeShard } from './lake.js';
import { readAhead, type ReadAheadStats } from './read-ahead.js';
import { toReplayBatch, type ReplayBatch, type ReplayState } from './replay-batch.js';
import { orderConfig, orderConfigDifferences, resolveReplayConfig, type ReplayConfig, type ReplayConfigInput } from './replay-config.js';
import { KIND_CODES, kindPositions, planEpoch, type EpochPlan } from './sample-order.js';
import { ShardFile } from './shard-file.js';
import { verifyShardFile } from './shard-integrity.js';

export class ReplayReader {
  private readonly verified = new Map<string, Promise<void>>();

  private constructor(readonly lake: Lake, readonly config: ReplayConfig) {}

  /** Opens the lake; with `verifyAll`, checks every shard's size and sha256 before returning. */
  static async open(lakeDir: string, config: ReplayConfigInput): Promise<ReplayReader> {
    const reader = new ReplayReader(await openLake(lakeDir), resolveReplayConfig(config));
    if (reader.config.verifyAll) await reader.verifyAll();
    return reader;
  }

  get manifestSha256(): string {
    return this.lake.manifestSha256;
  }

  plan(epoch: number): EpochPlan {
    const c = this.config;
    return planEpoch(this.lake.shards, c.seed, epoch, c.rank, c.ranks, orderConfig(c));
  }

  /** The batches of `epoch` on this rank, from batch `position` on. */
  epoch(epoch: number, position = 0): EpochReplay {
    const plan = this.plan(epoch);
    if (!Number.isSafeInteger(position) || position < 0 || position > plan.schedule.length) {
      throw new Error(`replay: position ${position} outside 0..${plan.schedule.length} (epoch ${epoch} has ${plan.schedule.length} batches on rank ${plan.rank}/${plan.ranks})`);
    }
    return new EpochReplay(this, plan, position);
  }

  /** The replay that continues after the batch whose `state` a checkpoint carried. */
  resume(state: ReplayState): EpochReplay {
    if (state.manifestSha256 !== this.lake.manifestSha256) {
      throw new Error(`replay: cannot resume: the checkpoint was taken on manifest ${state.manifestSha256.slice(0, 12)}…, this lake's is ${this.lake.manifestSha256.slice(0, 12)}…`);
    }
    const c = this.config;
    const problems = orderConfigDifferences(state.order, orderConfig(c));
    if (state.seed !== c.seed) problems.push(`seed ${state.seed} vs ${c.seed}`);
    if (state.rank !== c.rank || state.ranks !== c.ranks) problems.push(`rank ${state.rank}/${state.ranks} vs ${c.rank}/${c.ranks}`);
    if (problems.length > 0) throw new Error(`replay: cannot resume: checkpoint vs this reader: ${problems.join(', ')}`);
    return this.epoch(state.epoch, state.position);
  }

  /** Checks every Arrow shard of the lake (size, sha256), `readers` (at least 1) at a time. */
  async verifyAll(): Promise<void> {
    const all = [...this.lake.shards.pairs, ...this.lake.shards.orders];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < all.length) await this.verify(all[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.config.readers) }, worker));
  }

  /** Verified (once per reader) and opened shard file. */
  readonly openShard = async (shard: LakeShard): Promise<ShardFile> => {
    await this.verify(shard);
    return ShardFile.open(shardFilePath(this.lake, shard), shard, shard.kind);
  };

  private verify(shard: LakeShard): Promise<void> {
    let check = this.verified.get(shard.path);
    if (!check) {
      check = verifyShardFile(shardFilePath(this.lake, shard), shard);
      this.verified.set(shard.path, check);
      // A failed check is not cached: a repaired file can be read on the next open.
      check.catch(() => this.verified.delete(shard.path));
    }
    return check;
  }
}

export class EpochReplay implements AsyncIterable<ReplayBatch> {
  private lastStats: ReadAheadStats = { pulled: 0, taken: 0, maxHeld: 0 };

  constructor(private readonly reader: ReplayReader, readonly plan: EpochPlan, readonly startPosition: number) {}

  /** Batches in the whole epoch on this rank. */
  get length(): number {
    return this.plan.schedule.length;
  }

  /** Prefetch statistics of the most recent iteration. */
  get prefetchStats(): ReadAheadStats {
    return this.lastStats;
  }

  /** The state a checkpoint stores after `position` batches of this epoch. */
  stateAt(position: number): ReplayState {
    const c = this.reader.config;
    return {
      manifestSha256: this.reader.manifestSha256,
      seed: c.seed,
      epoch: this.plan.epoch,
      position,
      rank: c.rank,
      ranks: c.ranks,
      order: orderConfig(c),
    };
  }

  /** Each iteration starts again at `startPosition`; breaking out of it releases the shards. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ReplayBatch> {
    const prepared = readAhead(this.assemble(), this.reader.config.prefetch, { discard: (batch) => batch.region?.release() });
    const source = prepared[Symbol.asyncIterator]();
    this.lastStats = prepared.stats;
    const iterator: AsyncIterableIterator<ReplayBatch> = {
      next: async () => {
        const step = await source.next();
        if (step.done) return { done: true, value: undefined };
        return { done: false, value: toReplayBatch(step.value, this.stateAt(step.value.position + 1)) };
      },
      return: async () => {
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * The same batches as a demand-driven stream: each `n` that `demand$` emits lets n more
   * batches out (the trainer sends 1 after each step); nothing is emitted without demand,
   * and at most `prefetch` batches are assembled ahead.
   */
  batches$(demand$: Observable<number>): Observable<ReplayBatch> {
    return pullOnDemand(this, demand$);
  }

  private async *assemble(): AsyncGenerator<PreparedBatch> {
    const { plan, startPosition } = this;
    const options = {
      openShard: this.reader.openShard,
      readers: this.reader.config.readers,
      readAhead: this.reader.config.readAhead,
      digest: this.reader.config.digest,
      // Assembled ahead, being assembled, held by the consumer, and one more it may keep.
      regions: this.reader.config.prefetch + 3,
    };
    const done = kindPositions(plan.schedule, startPosition);
    const assemblers: Partial<Record<ShardKind, KindAssembler>> = {};
    try {
      for (let position = startPosition; position < plan.schedule.length; position++) {
        const kind = KIND_CODES[plan.schedule[position]!]!;
        const assembler = assemblers[kind] ?? (assemblers[kind] = await KindAssembler.start(plan, kind, done[kind], options));
        yield await assembler.next(position);
      }
    } finally {
      assemblers.pairs?.close();
      assemblers.orders?.close();
    }
  }
}

/** Opens a lake for replay (see ReplayReader.open). */
export function openReplay(lakeDir: string, config: ReplayConfigInput): Promise<ReplayReader> {
  return ReplayReader.open(lakeDir, config);
}
