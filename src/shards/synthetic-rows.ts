/**
 * Seeded random shard rows in columnar form, for tests and throughput measurements.
 * The contents are noise; only the shapes and value ranges follow the schema.
 */
import { createCipheriv } from 'node:crypto';
import { frameBytes, ORDER_FRAMES, orderLabel, resolveLayout, spectrogramBytes, type ShardLayout } from '../../schemas/columns.js';
import type { OrderColumns, OrderRow, PairColumns, PairRow } from '../../schemas/rows.js';
import type { Rng } from '../util/rng.js';

/**
 * `length` pseudo-random bytes: an AES-128-CTR keystream keyed by draws from `rng`, so the
 * bytes are reproducible from the seed yet come at native speed (a JS loop over
 * rng.nextUint32() runs ~15x slower under Jest's VM modules).
 */
export function randomBytes(rng: Rng, length: number): Uint8Array {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) bytes.writeUInt32LE(rng.nextUint32(), i * 4);
  const cipher = createCipheriv('aes-128-ctr', bytes.subarray(0, 16), bytes.subarray(16, 32));
  const out = cipher.update(new Uint8Array(length));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function syntheticPairColumns(rng: Rng, length: number, layoutInput: Partial<ShardLayout> = {}, scanId = 'scan-0000'): PairColumns {
  const layout = resolveLayout(layoutInput);
  const clip = new Int32Array(length);
  const groupK = new Int32Array(length);
  const frameIndex = new Int32Array(length);
  const speechPosTime = new Float64Array(length);
  const speechNegTime = new Float64Array(length);
  const delta = new Int32Array(length);
  const affinity = new Float32Array(length);
  const sampleSeed = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    clip[i] = Math.floor(i / 2);
    groupK[i] = i % 2;
    frameIndex[i] = clip[i]! * 60 + rng.int(0, 59);
    speechPosTime[i] = clip[i]! * 2 + rng.uniform(0, 1.4);
    delta[i] = rng.pick([-4, -3, -2, -1, 1, 2, 3, 4]);
    speechNegTime[i] = Math.max(0, (clip[i]! + delta[i]!) * 2 + rng.uniform(0, 1.4));
    affinity[i] = rng.uniform(0.5, 1);
    // Spread over the whole int64 range, sign included.
    sampleSeed[i] = BigInt.asIntN(64, (BigInt(rng.nextUint32()) << 32n) | BigInt(rng.nextUint32()));
  }
  return {
    length,
    scanId,
    clip,
    groupK,
    frameIndex,
    frame: randomBytes(rng, length * frameBytes(layout)),
    speechPos: randomBytes(rng, length * spectrogramBytes(layout)),
    speechNeg: randomBytes(rng, length * spectrogramBytes(layout)),
    speechPosTime,
    speechNegTime,
    delta,
    affinity,
    sampleSeed,
  };
}

/** Row `i` of a pair batch; binary fields are views into the batch buffers. */
export function pairRowAt(columns: PairColumns, i: number): PairRow {
  const frame = columns.frame.byteLength / columns.length;
  const spec = columns.speechPos.byteLength / columns.length;
  return {
    scanId: typeof columns.scanId === 'string' ? columns.scanId : columns.scanId[i]!,
    clip: columns.clip[i]!,
    groupK: columns.groupK[i]!,
    frameIndex: columns.frameIndex[i]!,
    frame: columns.frame.subarray(i * frame, (i + 1) * frame),
    speechPos: columns.speechPos.subarray(i * spec, (i + 1) * spec),
    speechNeg: columns.speechNeg.subarray(i * spec, (i + 1) * spec),
    speechPosTime: columns.speechPosTime[i]!,
    speechNegTime: columns.speechNegTime[i]!,
    delta: columns.delta[i]!,
    affinity: columns.affinity[i]!,
    sampleSeed: columns.sampleSeed[i]!,
  };
}

export function syntheticOrderColumns(rng: Rng, length: number, layoutInput: Partial<ShardLayout> = {}, scanId = 'scan-0000'): OrderColumns {
  const layout = resolveLayout(layoutInput);
  const clip = new Int32Array(length);
  const frameIndices = new Int32Array(length * ORDER_FRAMES);
  const permutation = new Int8Array(length * ORDER_FRAMES);
  const label = new Int8Array(length);
  const sampleSeed = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    clip[i] = i;
    const sorted = [0, 1, 2, 3].map((j) => i * 60 + j * 15 + rng.int(0, 14));
    const perm = rng.shuffle([0, 1, 2, 3]);
    for (let j = 0; j < ORDER_FRAMES; j++) {
      permutation[i * ORDER_FRAMES + j] = perm[j]!;
      frameIndices[i * ORDER_FRAMES + j] = sorted[perm[j]!]!;
    }
    label[i] = orderLabel(perm);
    sampleSeed[i] = BigInt(rng.nextUint32());
  }
  return {
    length,
    scanId,
    clip,
    frames: randomBytes(rng, length * ORDER_FRAMES * frameBytes(layout)),
    frameIndices,
    permutation,
    label,
    sampleSeed,
  };
}

/** Row `i` of an order batch; `frames` is a view into the batch buffer. */
export function orderRowAt(columns: OrderColumns, i: number): OrderRow {
  const frames = columns.frames.byteLength / columns.length;
  return {
    scanId: typeof columns.scanId === 'string' ? columns.scanId : columns.scanId[i]!,
    clip: columns.clip[i]!,
    frames: columns.frames.subarray(i * frames, (i + 1) * frames),
    frameIndices: Array.from({ length: ORDER_FRAMES }, (_, j) => columns.frameIndices[i * ORDER_FRAMES + j]!),
    permutation: Array.from({ length: ORDER_FRAMES }, (_, j) => columns.permutation[i * ORDER_FRAMES + j]!),
    label: columns.label[i]!,
    sampleSeed: columns.sampleSeed[i]!,
  };
}
