/**
 * Turns one kind's sample order into batches of float32 arrays. The shuffle buffer's slots
 * are real: slot j of the simulation is row bytes at `j * rowBytes` in the arena. A step
 * converts the emitted slot into the batch (normalised / dequantised floats), then copies
 * the next fill row from its record batch (a zero-copy view) into the same slot. Memory:
 * slots * row bytes + one batch of floats, whatever the size of the lake.
 */
import { createHash } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import { frameBytes, ORDER_FRAMES, spectrogramBytes, type ShardKind, type ShardLayout } from '../../schemas/columns.js';
import { binaryCell } from '../shards/arrow-shard-reader.js';
import { hashString } from '../util/rng.js';
import { createAffineArena, type AffineArena } from './affine-arena.js';
import { kindShuffle, sampleId, type EpochPlan, type KindPlan, type ShuffleOrder } from './sample-order.js';
import type { ShardFile } from './shard-file.js';
import { ShardError } from './shard-integrity.js';
import { KindShardReaders, type OpenShard } from './shard-readers.js';

/**
 * One batch's worth of float outputs inside the arena. Tensors are made straight over it
 * (no copy); it is reused once nothing holds it: never turned into tensors (discarded), or
 * every tensor made from it released by the backend, however the consumer disposed them.
 */
export class OutputRegion {
  private inUse = false;
  private stillHeld: (() => boolean) | undefined;

  constructor(readonly offset: number) {}

  get free(): boolean {
    if (this.inUse && this.stillHeld && !this.stillHeld()) this.release();
    return !this.inUse;
  }

  take(): void {
    this.inUse = true;
    this.stillHeld = undefined;
  }

  /** The region stays taken while `stillHeld` answers true. */
  heldBy(stillHeld: () => boolean): void {
    this.stillHeld = stillHeld;
  }

  release(): void {
    this.inUse = false;
    this.stillHeld = undefined;
  }
}

/** A batch before it becomes tensors. Its arrays are views of `region`, or fresh copies when there is none. */
export interface PreparedBatch {
  kind: ShardKind;
  /** Position of the batch in the epoch schedule. */
  position: number;
  /** Rows that are samples; the rest (pad mode) are zeros with mask 0. */
  size: number;
  batchSize: number;
  layout: ShardLayout;
  /** Pairs: frames [B,H,W], speechPos/speechNeg [B,bins,frames], affinity [B]. Orders: frames [B,4,H,W], labels [B]. */
  frames: Float32Array;
  speechPos?: Float32Array;
  speechNeg?: Float32Array;
  affinity?: Float32Array;
  labels?: Int32Array;
  /** Pairs: an int32 id of each row's clip (hash of scan id and clip index); padding rows get distinct negative ids. */
  clipKeys?: Int32Array;
  mask: Float32Array;
  /** `<shard path>#<row>` of each sample row. */
  samples: string[];
  /** sha256 of the batch content (kind + every array), when asked for. */
  digest?: string;
  region?: OutputRegion;
}

/** A non-negative int32 id of (scan, clip); distinct clips collide with probability ~2^-31 per pair. */
export function clipKey(scanId: string, clip: number): number {
  return hashString(`${scanId}#${clip}`) & 0x7fffffff;
}

interface Field {
  /** Column the bytes come from. */
  column: string;
  /** Byte offset of the field inside a slot. */
  slotOffset: number;
  length: number;
  scale: number;
  offset: number;
  /** Byte offset of the field's [batchSize, length] float output within an output region. */
  out: number;
}

export interface AssemblerOptions {
  openShard: OpenShard;
  readers: number;
  readAhead: number;
  digest: boolean;
  /** Output regions to rotate (batches assembled ahead + handed out and not yet disposed); more are copied out. */
  regions: number;
  /** Force the JavaScript kernel (tests). */
  simd?: boolean;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export class KindAssembler {
  private readonly kp: KindPlan;
  private readonly order: ShuffleOrder;
  private readonly readers: KindShardReaders;
  private layout: ShardLayout | undefined;
  private arena: AffineArena | undefined;
  private fields: Field[] = [];
  private regions: OutputRegion[] = [];
  /** Where a batch is assembled when every region is held; it is then copied out. */
  private scratch: OutputRegion | undefined;
  private rowBytes = 0;
  private slotScalar: Float32Array | Int32Array = new Float32Array(0);
  private slotClip = new Int32Array(0);
  private readonly checkedFiles = new WeakSet<ShardFile>();
  private emitted = 0;

  private constructor(private readonly plan: EpochPlan, readonly kind: ShardKind, private readonly options: AssemblerOptions) {
    this.kp = plan.kinds[kind];
    this.order = kindShuffle(plan, kind);
    this.readers = new KindShardReaders(this.kp.shards, options.openShard, options.readers, options.readAhead);
  }

  /** An assembler positioned after `batchesDone` batches of this kind. */
  static async start(plan: EpochPlan, kind: ShardKind, batchesDone: number, options: AssemblerOptions): Promise<KindAssembler> {
    const assembler = new KindAssembler(plan, kind, options);
    try {
      if (batchesDone === 0) await assembler.fillFresh();
      else await assembler.resumeAt(batchesDone);
    } catch (error) {
      assembler.close();
      throw error;
    }
    return assembler;
  }

  /** The next batch of this kind; `position` is its place in the epoch schedule. */
  async next(position: number): Promise<PreparedBatch> {
    const batchSize = this.plan.order.batchSize;
    const size = Math.min(batchSize, this.kp.samples - this.emitted);
    if (size <= 0) throw new Error(`replay: no ${this.kind} samples left for batch ${position}`);
    const arena = this.arena!;
    const region = this.regions.find((r) => r.free);
    region?.take();
    const out = (region ?? this.scratch!).offset;
    const mask = new Float32Array(batchSize);
    const scalars = this.kind === 'pairs' ? new Float32Array(batchSize) : new Int32Array(batchSize);
    const clipKeys = this.kind === 'pairs' ? Int32Array.from({ length: batchSize }, (_, b) => -1 - b) : undefined;
    const samples: string[] = [];
    for (let b = 0; b < size; b++) {
      if (!this.order.step()) throw new Error(`replay: ${this.kind} sample order ran dry at batch ${position}`);
      const slot = this.order.emittedSlot;
      const base = slot * this.rowBytes;
      for (const f of this.fields) arena.convert(base + f.slotOffset, out + f.out + b * f.length * 4, f.length, f.scale, f.offset);
      scalars[b] = this.slotScalar[slot]!;
      if (clipKeys) clipKeys[b] = this.slotClip[slot]!;
      mask[b] = 1;
      samples.push(sampleId(this.kp.shards[this.order.emittedPos]!, this.order.emittedRow));
      if (this.order.loadPos >= 0) await this.load(this.order.loadPos, this.order.loadRow, slot);
      this.readers.lookAhead(this.order.nextShard);
    }
    this.emitted += size;
    const outputs = this.fields.map((f) => {
      const floats = arena.floats(out + f.out, batchSize * f.length);
      if (size < batchSize) floats.fill(0, size * f.length);
      return region ? floats : floats.slice();
    });
    const batch: PreparedBatch = {
      kind: this.kind, position, size, batchSize, layout: this.layout!, ...(region ? { region } : {}),
      frames: outputs[0]!, mask, samples,
      ...(this.kind === 'pairs'
        ? { speechPos: outputs[1]!, speechNeg: outputs[2]!, affinity: scalars as Float32Array, clipKeys: clipKeys! }
        : { labels: scalars as Int32Array }),
    };
    if (this.options.digest) batch.digest = batchDigest(batch);
    return batch;
  }

  close(): void {
    this.readers.close();
  }

  /** Initial fill in fill order, through the sequential readers. */
  private async fillFresh(): Promise<void> {
    this.readers.lookAhead(this.order.nextShard);
    for (let j = 0; j < this.order.filled; j++) await this.load(this.order.posOf[j]!, this.order.rowOf[j]!, this.order.slotOf[j]!);
  }

  /** Replays the order without data up to the resume point, then reads the rows the buffer holds there. */
  private async resumeAt(batchesDone: number): Promise<void> {
    const skip = Math.min(this.kp.samples, batchesDone * this.plan.order.batchSize);
    // Only the order is replayed: shards whose rows have all left the buffer are never read.
    let skipped = 0;
    while (skipped < skip && this.order.step()) skipped++;
    this.emitted = skipped;
    const byShard = new Map<number, number[]>();
    for (let j = 0; j < this.order.filled; j++) {
      const pos = this.order.posOf[j]!;
      const list = byShard.get(pos) ?? [];
      list.push(j);
      byShard.set(pos, list);
    }
    for (const [pos, entries] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
      const file = await this.options.openShard(this.kp.shards[pos]!);
      try {
        entries.sort((a, b) => this.order.rowOf[a]! - this.order.rowOf[b]!);
        let batchIndex = -1;
        let batch: RecordBatch | undefined;
        for (const j of entries) {
          const row = this.order.rowOf[j]!;
          const index = file.batchOfRow(row);
          if (index !== batchIndex) {
            batch = await file.readBatch(index);
            batchIndex = index;
          }
          this.copyRow(file, batch!, row - file.batchStarts[index]!, this.order.slotOf[j]!);
        }
      } finally {
        await file.close();
      }
    }
    this.readers.lookAhead(this.order.nextShard);
  }

  private async load(pos: number, row: number, slot: number): Promise<void> {
    const location = await this.readers.row(pos, row);
    this.copyRow(location.file, location.batch, location.index, slot);
    if (row === this.kp.shards[pos]!.rows - 1) this.readers.release(pos);
  }

  private copyRow(file: ShardFile, batch: RecordBatch, index: number, slot: number): void {
    if (!this.checkedFiles.has(file)) this.adopt(file);
    const bytes = this.arena!.bytes;
    const base = slot * this.rowBytes;
    for (const f of this.fields) {
      const cell = binaryCell(batch, f.column, index);
      if (cell.byteLength !== f.length) throw new ShardError(file.shard.path, `${f.column} cell of ${cell.byteLength} bytes, the layout needs ${f.length}`);
      bytes.set(cell, base + f.slotOffset);
    }
    const column = this.kind === 'pairs' ? 'affinity' : 'label';
    this.slotScalar[slot] = Number(batch.getChild(column)!.get(index));
    if (this.kind === 'pairs') this.slotClip[slot] = clipKey(String(batch.getChild('scan_id')!.get(index)), Number(batch.getChild('clip')!.get(index)));
  }

  /** The first file fixes the layout and allocates the arena; later files must match it. */
  private adopt(file: ShardFile): void {
    const layout = file.description.layout;
    if (!this.layout) this.allocate(layout);
    else if (!sameLayout(layout, this.layout)) {
      throw new ShardError(file.shard.path, `layout ${describeLayout(layout)} differs from the other ${this.kind} shards' ${describeLayout(this.layout)}`);
    }
    this.checkedFiles.add(file);
  }

  private allocate(layout: ShardLayout): void {
    this.layout = layout;
    const frame = frameBytes(layout);
    const spec = spectrogramBytes(layout);
    const pixel = { scale: 1 / 255, offset: 0 };
    const db = { scale: layout.specDbScale, offset: layout.specDbOffset };
    const specs: Omit<Field, 'out'>[] = this.kind === 'pairs'
      ? [
        { column: 'frame', slotOffset: 0, length: frame, ...pixel },
        { column: 'speech_pos', slotOffset: frame, length: spec, ...db },
        { column: 'speech_neg', slotOffset: frame + spec, length: spec, ...db },
      ]
      : [{ column: 'frames', slotOffset: 0, length: ORDER_FRAMES * frame, ...pixel }];
    this.rowBytes = specs.reduce((sum, f) => sum + f.length, 0);
    const slots = this.order.slots;
    let regionBytes = 0;
    this.fields = specs.map((f) => {
      const field = { ...f, out: regionBytes };
      regionBytes = align16(regionBytes + 4 * this.plan.order.batchSize * f.length);
      return field;
    });
    const first = align16(slots * this.rowBytes);
    const offsets = Array.from({ length: this.options.regions + 1 }, (_, i) => first + i * regionBytes);
    this.regions = offsets.slice(1).map((offset) => new OutputRegion(offset));
    this.scratch = new OutputRegion(offsets[0]!);
    this.arena = createAffineArena(first + offsets.length * regionBytes, this.options.simd === undefined ? {} : { simd: this.options.simd });
    this.slotScalar = this.kind === 'pairs' ? new Float32Array(slots) : new Int32Array(slots);
    this.slotClip = new Int32Array(this.kind === 'pairs' ? slots : 0);
  }
}

function sameLayout(a: ShardLayout, b: ShardLayout): boolean {
  return a.frameHeight === b.frameHeight && a.frameWidth === b.frameWidth && a.specBins === b.specBins
    && a.specFrames === b.specFrames && a.specDbScale === b.specDbScale && a.specDbOffset === b.specDbOffset;
}

function describeLayout(l: ShardLayout): string {
  return `${l.frameHeight}x${l.frameWidth} frames, ${l.specBins}x${l.specFrames} spectrograms (dB = q*${l.specDbScale}${l.specDbOffset >= 0 ? '+' : ''}${l.specDbOffset})`;
}

/** sha256 of the kind and every array of the batch, in a fixed order. */
export function batchDigest(batch: PreparedBatch): string {
  const hash = createHash('sha256').update(batch.kind);
  const arrays = [batch.frames, batch.speechPos, batch.speechNeg, batch.affinity, batch.labels, batch.mask];
  for (const a of arrays) if (a) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
}
