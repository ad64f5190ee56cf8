/**
 * Configuration of the replay reader. The `order` part decides WHICH batches come out
 * (it travels in every resume state); the rest only decides WHEN work happens and how much
 * memory it may take, never what is produced.
 */

export type LastBatch = 'drop' | 'pad';

/** Relative weights of pair and order batches in an epoch's schedule. */
export interface BatchMix {
  pairs: number;
  orders: number;
}

export interface OrderConfig {
  /** Rows per batch (both kinds). */
  batchSize: number;
  /** Rows held by each kind's shuffle buffer. */
  shuffleBuffer: number;
  /** Shards the fill stream draws rows from in round robin (per kind). */
  interleave: number;
  mix: BatchMix;
  /** The last partial batch of a kind: dropped, or padded with zero rows (mask 0). */
  lastBatch: LastBatch;
}

export interface ReplayConfig extends OrderConfig {
  seed: number;
  /** This trainer process (0-based) and the number of them. */
  rank: number;
  ranks: number;
  /** Assembled batches kept ready ahead of the consumer. */
  prefetch: number;
  /** Shards opened (verified, first record batches read) ahead of need, per kind. */
  readers: number;
  /** Record batches read ahead in each open shard. */
  readAhead: number;
  /** Verify every shard's sha256 before the first batch instead of on first open. */
  verifyAll: boolean;
  /** Compute a sha256 content digest of every batch. */
  digest: boolean;
}

export const DEFAULT_REPLAY_CONFIG: Readonly<Omit<ReplayConfig, 'seed'>> = {
  batchSize: 32,
  shuffleBuffer: 256,
  interleave: 4,
  mix: { pairs: 1, orders: 1 },
  lastBatch: 'drop',
  rank: 0,
  ranks: 1,
  prefetch: 2,
  readers: 1,
  readAhead: 1,
  verifyAll: false,
  digest: false,
};

export type ReplayConfigInput = Partial<ReplayConfig> & { seed: number };

export function resolveReplayConfig(input: ReplayConfigInput): ReplayConfig {
  const config: ReplayConfig = { ...DEFAULT_REPLAY_CONFIG, ...input, mix: { ...(input.mix ?? DEFAULT_REPLAY_CONFIG.mix) } };
  const integer = (key: keyof ReplayConfig, min: number): void => {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new Error(`replay config: ${key} must be an integer >= ${min}, got ${String(v)}`);
  };
  integer('seed', 0);
  integer('batchSize', 1);
  integer('shuffleBuffer', 1);
  integer('interleave', 1);
  integer('ranks', 1);
  integer('rank', 0);
  integer('prefetch', 0);
  integer('readers', 0);
  integer('readAhead', 1);
  if (config.rank >= config.ranks) throw new Error(`replay config: rank ${config.rank} outside 0..${config.ranks - 1}`);
  if (config.lastBatch !== 'drop' && config.lastBatch !== 'pad') throw new Error(`replay config: lastBatch must be 'drop' or 'pad', got ${String(config.lastBatch)}`);
  const { pairs, orders } = config.mix;
  if (!(Number.isFinite(pairs) && pairs >= 0 && Number.isFinite(orders) && orders >= 0 && pairs + orders > 0)) {
    throw new Error(`replay config: mix weights must be >= 0 and not both 0, got pairs ${pairs}, orders ${orders}`);
  }
  return config;
}

export function orderConfig(config: OrderConfig): OrderConfig {
  return {
    batchSize: config.batchSize,
    shuffleBuffer: config.shuffleBuffer,
    interleave: config.interleave,
    mix: { pairs: config.mix.pairs, orders: config.mix.orders },
    lastBatch: config.lastBatch,
  };
}

/** Names of the order settings in which `a` and `b` differ. */
export function orderConfigDifferences(a: OrderConfig, b: OrderConfig): string[] {
  const out: string[] = [];
  for (const key of ['batchSize', 'shuffleBuffer', 'interleave', 'lastBatch'] as const) if (a[key] !== b[key]) out.push(`${key} ${a[key]} vs ${b[key]}`);
  if (a.mix.pairs !== b.mix.pairs || a.mix.orders !== b.mix.orders) out.push(`mix ${a.mix.pairs}:${a.mix.orders} vs ${b.mix.pairs}:${b.mix.orders}`);
  return out;
}
