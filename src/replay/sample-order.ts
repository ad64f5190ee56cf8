/**
 * The order of samples as a pure function of (manifest row counts, seed, epoch, rank, order
 * config): no file is read here. See README.md in this folder for the scheme.
 */
import type { ShardKind } from '../../schemas/columns.js';
import { Rng } from '../util/rng.js';
import type { LakeShard } from './lake.js';
import type { BatchMix, OrderConfig } from './replay-config.js';

const { floor } = Math;

/**
 * The fill stream: rows enter the shuffle buffer round robin from `lanes` shards at a time,
 * each read front to back; a lane whose shard runs out takes the next shard of the plan.
 */
export class FillOrder {
  /** Row (within its shard) of the sample the last next() returned. */
  row = -1;
  private readonly lanePos: Int32Array;
  private readonly laneRow: Int32Array;
  private shardsStarted = 0;
  private cursor = 0;
  private active = 0;

  constructor(private readonly rows: ArrayLike<number>, lanes: number) {
    this.lanePos = new Int32Array(lanes).fill(-1);
    this.laneRow = new Int32Array(lanes);
    for (let lane = 0; lane < lanes; lane++) this.startLane(lane);
  }

  /** Plan position of the shard of the next sample (its row in `row`), or -1 when every row has entered. */
  next(): number {
    if (this.active === 0) return -1;
    const lanes = this.lanePos.length;
    while (this.lanePos[this.cursor]! < 0) this.cursor = (this.cursor + 1) % lanes;
    const lane = this.cursor;
    const pos = this.lanePos[lane]!;
    this.row = this.laneRow[lane]!;
    this.laneRow[lane] = this.row + 1;
    if (this.row + 1 >= this.rows[pos]!) {
      this.active--;
      this.startLane(lane);
    }
    this.cursor = (lane + 1) % lanes;
    return pos;
  }

  /** Plan positions below this one have been started by a lane. */
  get nextShard(): number {
    return this.shardsStarted;
  }

  private startLane(lane: number): void {
    while (this.shardsStarted < this.rows.length && this.rows[this.shardsStarted] === 0) this.shardsStarted++;
    if (this.shardsStarted >= this.rows.length) {
      this.lanePos[lane] = -1;
      return;
    }
    this.lanePos[lane] = this.shardsStarted++;
    this.laneRow[lane] = 0;
    this.active++;
  }
}

/**
 * A shuffle buffer simulated over row references: the first `capacity` rows of the fill
 * stream fill slots 0..capacity-1; each step emits a uniformly drawn entry and puts the
 * next fill row in the same slot; once the fill stream is dry, the buffer drains
 * (the last entry moves into the emptied place). The data side mirrors the slots.
 */
export class ShuffleOrder {
  readonly slots: number;
  filled = 0;
  readonly slotOf: Int32Array;
  readonly posOf: Int32Array;
  readonly rowOf: Int32Array;
  /** The last step: emitted slot and sample, and the sample to load into that slot (loadPos -1: none). */
  emittedSlot = -1;
  emittedPos = -1;
  emittedRow = -1;
  loadPos = -1;
  loadRow = -1;

  constructor(private readonly fill: FillOrder, capacity: number, totalRows: number, private readonly rng: Rng) {
    this.slots = Math.max(0, Math.min(capacity, totalRows));
    this.slotOf = new Int32Array(this.slots);
    this.posOf = new Int32Array(this.slots);
    this.rowOf = new Int32Array(this.slots);
    while (this.filled < this.slots) {
      const pos = fill.next();
      if (pos < 0) break;
      this.slotOf[this.filled] = this.filled;
      this.posOf[this.filled] = pos;
      this.rowOf[this.filled] = fill.row;
      this.filled++;
    }
  }

  /** Emits one sample; false when the buffer is empty. */
  step(): boolean {
    if (this.filled === 0) return false;
    const j = floor(this.rng.next() * this.filled);
    this.emittedSlot = this.slotOf[j]!;
    this.emittedPos = this.posOf[j]!;
    this.emittedRow = this.rowOf[j]!;
    const pos = this.fill.next();
    if (pos >= 0) {
      this.posOf[j] = pos;
      this.rowOf[j] = this.fill.row;
      this.loadPos = pos;
      this.loadRow = this.fill.row;
    } else {
      const last = --this.filled;
      this.slotOf[j] = this.slotOf[last]!;
      this.posOf[j] = this.posOf[last]!;
      this.rowOf[j] = this.rowOf[last]!;
      this.loadPos = -1;
    }
    return true;
  }

  get nextShard(): number {
    return this.fill.nextShard;
  }
}

export interface KindPlan {
  kind: ShardKind;
  /** This rank's shards, in fill-plan order. */
  shards: LakeShard[];
  /** Rows of this rank's shards. */
  rows: number;
  /** Rows of every rank's shards (index = rank). */
  rankRows: number[];
  /** Batches of this kind per rank (the same for every rank). */
  batches: number;
  /** Samples this rank emits: min(rows, batches * batchSize). */
  samples: number;
}

export interface EpochPlan {
  seed: number;
  epoch: number;
  rank: number;
  ranks: number;
  order: OrderConfig;
  kinds: Record<ShardKind, KindPlan>;
  /** Kind of every batch of the epoch: 0 pairs, 1 orders. */
  schedule: Uint8Array;
}

export const KIND_CODES: readonly ShardKind[] = ['pairs', 'orders'];

/** Root of an epoch's random streams; every draw of the replay order forks from it. */
export function epochRng(seed: number, epoch: number): Rng {
  return new Rng(seed).fork('replay').fork(`epoch ${epoch}`);
}

/** The shuffle-buffer stream of one kind on one rank. */
export function bufferRng(seed: number, epoch: number, kind: ShardKind, rank: number, ranks: number): Rng {
  return epochRng(seed, epoch).fork(`buffer ${kind} rank ${rank}/${ranks}`);
}

/**
 * This epoch's shards of a kind, permuted, dealt to ranks: each shard in permuted order goes
 * to the rank holding the fewest rows so far (lowest rank on ties). Empty shards are skipped.
 */
export function assignShards(shards: readonly LakeShard[], seed: number, epoch: number, kind: ShardKind, ranks: number): { perRank: LakeShard[][]; rankRows: number[] } {
  const permuted = epochRng(seed, epoch).fork(`shards ${kind}`).shuffle([...shards]);
  const perRank: LakeShard[][] = Array.from({ length: ranks }, () => []);
  const rankRows = new Array<number>(ranks).fill(0);
  for (const shard of permuted) {
    if (shard.rows === 0) continue;
    let best = 0;
    for (let r = 1; r < ranks; r++) if (rankRows[r]! < rankRows[best]!) best = r;
    perRank[best]!.push(shard);
    rankRows[best]! += shard.rows;
  }
  return { perRank, rankRows };
}

export function planEpoch(shards: Record<ShardKind, readonly LakeShard[]>, seed: number, epoch: number, rank: number, ranks: number, order: OrderConfig): EpochPlan {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer, got ${epoch}`);
  const kindPlan = (kind: ShardKind): KindPlan => {
    const { perRank, rankRows } = assignShards(shards[kind], seed, epoch, kind, ranks);
    const perRankBatches = rankRows.map((rows) => (order.lastBatch === 'drop' ? floor(rows / order.batchSize) : Math.ceil(rows / order.batchSize)));
    const batches = order.mix[kind] > 0 ? Math.min(...perRankBatches) : 0;
    const rows = rankRows[rank]!;
    return { kind, shards: perRank[rank]!, rows, rankRows, batches, samples: Math.min(rows, batches * order.batchSize) };
  };
  const kinds = { pairs: kindPlan('pairs'), orders: kindPlan('orders') };
  return { seed, epoch, rank, ranks, order, kinds, schedule: batchSchedule(kinds.pairs.batches, kinds.orders.batches, order.mix) };
}

/**
 * Smooth weighted round robin over the kinds that still have batches: each turn every such
 * kind gains its weight, the richest (pairs on ties) is served and pays the turn's total.
 */
export function batchSchedule(pairBatches: number, orderBatches: number, mix: BatchMix): Uint8Array {
  const remaining = [pairBatches, orderBatches];
  const weights = [mix.pairs, mix.orders];
  const credit = [0, 0];
  const schedule = new Uint8Array(pairBatches + orderBatches);
  for (let t = 0; t < schedule.length; t++) {
    let total = 0;
    let pick = -1;
    for (let k = 0; k < 2; k++) {
      if (remaining[k]! <= 0) continue;
      credit[k]! += weights[k]!;
      total += weights[k]!;
      if (pick < 0 || credit[k]! > credit[pick]!) pick = k;
    }
    credit[pick]! -= total;
    remaining[pick]!--;
    schedule[t] = pick;
  }
  return schedule;
}

/** Batches of each kind among the first `position` batches of a schedule. */
export function kindPositions(schedule: Uint8Array, position: number): Record<ShardKind, number> {
  let orders = 0;
  const end = Math.min(position, schedule.length);
  for (let t = 0; t < end; t++) orders += schedule[t]!;
  return { pairs: end - orders, orders };
}

/** The shuffle simulation of one kind on this rank, before any sample is emitted. */
export function kindShuffle(plan: EpochPlan, kind: ShardKind): ShuffleOrder {
  const kp = plan.kinds[kind];
  const fill = new FillOrder(kp.shards.map((s) => s.rows), plan.order.interleave);
  return new ShuffleOrder(fill, plan.order.shuffleBuffer, kp.rows, bufferRng(plan.seed, plan.epoch, kind, plan.rank, plan.ranks));
}

/** Every sample a rank emits for `kind` this epoch, in order, as `<shard path>#<row>` (for tests and tools). */
export function kindSampleOrder(plan: EpochPlan, kind: ShardKind): string[] {
  const kp = plan.kinds[kind];
  const order = kindShuffle(plan, kind);
  const out: string[] = [];
  while (out.length < kp.samples && order.step()) out.push(sampleId(kp.shards[order.emittedPos]!, order.emittedRow));
  return out;
}

export function sampleId(shard: Pick<LakeShard, 'path'>, row: number): string {
  return `${shard.path}#${row}`;
}
