import type { Argv } from 'yargs';
import { nonNegativeInteger, positiveInteger } from '../cli/validate.js';
import { DEFAULT_REPLAY_CONFIG, type BatchMix, type LastBatch, type ReplayConfigInput } from './replay-config.js';

export const command = 'replay';
export const describe = 'Replay a data lake as training batches (tfjs tensors): one content digest per batch and the throughput';

export function builder(yargs: Argv) {
  const d = DEFAULT_REPLAY_CONFIG;
  return yargs
    .option('lake', { type: 'string', demandOption: true, describe: 'Lake folder (holds manifest.json)' })
    .option('seed', { type: 'number', demandOption: true, describe: 'Replay seed: same seed and epoch, same batches', coerce: nonNegativeInteger('--seed') })
    .option('epoch', { type: 'number', default: 0, describe: 'Epoch to replay', coerce: nonNegativeInteger('--epoch') })
    .option('position', { type: 'number', default: 0, describe: 'Start after this many batches of the epoch (resume)', coerce: nonNegativeInteger('--position') })
    .option('batches', { type: 'number', describe: 'Stop after this many batches (default: the whole epoch)', coerce: positiveInteger('--batches') })
    .option('digest', { type: 'boolean', default: false, describe: 'Print a sha256 content digest per batch (stdout; compare runs with diff)' })
    .option('rank', { type: 'string', default: '0/1', describe: 'This process r of n trainer processes, as r/n', coerce: parseRank })
    .option('batch-size', { type: 'number', default: d.batchSize, describe: 'Rows per batch', coerce: positiveInteger('--batch-size') })
    .option('shuffle-buffer', { type: 'number', default: d.shuffleBuffer, describe: 'Rows in each kind\'s shuffle buffer', coerce: positiveInteger('--shuffle-buffer') })
    .option('interleave', { type: 'number', default: d.interleave, describe: 'Shards read round robin into the shuffle buffer', coerce: positiveInteger('--interleave') })
    .option('mix', { type: 'string', default: `${d.mix.pairs}:${d.mix.orders}`, describe: 'Weights of pair:order batches', coerce: parseMix })
    .option('last-batch', { choices: ['drop', 'pad'] as const, default: d.lastBatch, describe: 'Last partial batch of a kind: drop it or pad it (mask 0)' })
    .option('prefetch', { type: 'number', default: d.prefetch, describe: 'Batches assembled ahead of the consumer', coerce: nonNegativeInteger('--prefetch') })
    .option('readers', { type: 'number', default: d.readers, describe: 'Shards opened ahead of need, per kind', coerce: nonNegativeInteger('--readers') })
    .option('read-ahead', { type: 'number', default: d.readAhead, describe: 'Record batches read ahead per open shard', coerce: positiveInteger('--read-ahead') })
    .option('verify', { type: 'boolean', default: false, describe: 'Check every shard\'s sha256 before the first batch (default: on first open)' });
}

export interface ReplayArgs {
  lake: string;
  seed: number;
  epoch: number;
  position: number;
  batches?: number;
  digest: boolean;
  rank: { rank: number; ranks: number };
  batchSize: number;
  shuffleBuffer: number;
  interleave: number;
  mix: BatchMix;
  lastBatch: LastBatch;
  prefetch: number;
  readers: number;
  readAhead: number;
  verify: boolean;
}

export interface ReplaySummary {
  batches: number;
  pairRows: number;
  orderRows: number;
  seconds: number;
}

export async function handler(argv: ReplayArgs): Promise<void> {
  await runReplay(argv, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
}

/** The command's work, with its two output streams given (tests capture them). */
export async function runReplay(args: ReplayArgs, out: (line: string) => void, err: (line: string) => void): Promise<ReplaySummary> {
  // tfjs is loaded only when this command runs, not at every CLI start.
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" banner: the cpu backend only carries tensors here
  await tf.setBackend('cpu');
  const { openReplay } = await import('./replay-reader.js');
  const config: ReplayConfigInput = {
    seed: args.seed, rank: args.rank.rank, ranks: args.rank.ranks, batchSize: args.batchSize, shuffleBuffer: args.shuffleBuffer,
    interleave: args.interleave, mix: args.mix, lastBatch: args.lastBatch, prefetch: args.prefetch, readers: args.readers,
    readAhead: args.readAhead, verifyAll: args.verify, digest: args.digest,
  };
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  const reader = await openReplay(args.lake, config);
  const epoch = reader.epoch(args.epoch, args.position);
  const summary: ReplaySummary = { batches: 0, pairRows: 0, orderRows: 0, seconds: 0 };
  for await (const batch of epoch) {
    if (args.digest) out(`${batch.position}\t${batch.kind}\t${batch.size}\t${batch.digest}`);
    if (batch.kind === 'pairs') summary.pairRows += batch.size;
    else summary.orderRows += batch.size;
    batch.dispose();
    if (++summary.batches === args.batches) break;
  }
  summary.seconds = (performance.now() - started) / 1000;
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`replay: ${leaked} tensors left undisposed`);
  const rows = summary.pairRows + summary.orderRows;
  err(
    `replayed ${summary.batches} of ${epoch.length} batches (epoch ${args.epoch}, rank ${args.rank.rank}/${args.rank.ranks}): ` +
      `${summary.pairRows} pair rows + ${summary.orderRows} order rows in ${summary.seconds.toFixed(2)} s, ` +
      `${(rows / summary.seconds).toFixed(0)} rows/s, ${(summary.batches / summary.seconds).toFixed(1)} batches/s`,
  );
  return summary;
}

function parseRank(value: unknown): { rank: number; ranks: number } {
  const match = /^(\d+)\/(\d+)$/.exec(String(value));
  const rank = Number(match?.[1]);
  const ranks = Number(match?.[2]);
  if (!match || !(ranks >= 1) || !(rank < ranks)) throw new Error(`--rank must be r/n with 0 <= r < n, got '${String(value)}'`);
  return { rank, ranks };
}

function parseMix(value: unknown): BatchMix {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(String(value));
  const pairs = Number(match?.[1]);
  const orders = Number(match?.[2]);
  if (!match || pairs + orders <= 0) throw new Error(`--mix must be pairs:orders weights (e.g. 3:1), not both 0, got '${String(value)}'`);
  return { pairs, orders };
}
