import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { formatEta } from '../format-eta.js';
import type { Argv } from 'yargs';
import { MODEL_PRESETS, type ModelPresetName } from '../../train/model/model-config.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from '../validate.js';
import type { TrainConfigInput } from '../../train/loop/train-config.js';

export const command = 'train';
export const describe = 'Pre-train the two-stream model on a lake (replayed shards), with checkpoints and exact --resume';

const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

export function builder(yargs: Argv) {
  return yargs
    .option('lake', { type: 'string', demandOption: true, describe: 'Lake folder (manifest.json + shards) made by sonospeech ingest' })
    .option('run', { type: 'string', demandOption: true, describe: 'Run folder: config, metrics.jsonl, checkpoints, curves.png, weights.ssw' })
    .option('config', { type: 'string', describe: 'JSON file overriding the default training configuration (see src/train/README.md)' })
    .option('preset', { type: 'string', choices: MODEL_PRESETS as unknown as string[], describe: 'Model preset (default tiny)' })
    .option('backend', { type: 'string', choices: BACKENDS as unknown as string[], default: 'auto', describe: 'tfjs backend; auto: tensorflow > webgpu (hardware) > wasm' })
    .option('workers', { type: 'number', describe: 'Worker threads, one model replica each (data parallel); 0 = train in this thread. Default: cores for wasm/cpu, 0 otherwise', coerce: nonNegativeInteger('--workers') })
    .option('epochs', { type: 'number', describe: 'Epochs (default 80)', coerce: positiveInteger('--epochs') })
    .option('batch-size', { type: 'number', describe: 'Rows per step (default 32)', coerce: positiveInteger('--batch-size') })
    .option('micro-batch', { type: 'number', describe: 'Rows per forward/backward pass (gradient accumulation; default the batch size)', coerce: positiveInteger('--micro-batch') })
    .option('lr', { type: 'number', describe: 'Initial learning rate (default 1e-3, divided by 10 every 20 epochs)', coerce: positiveNumber('--lr') })
    .option('seed', { type: 'number', describe: 'Seed of the initial weights and of the replay order (default 0)', coerce: nonNegativeInteger('--seed') })
    .option('checkpoint-every', { type: 'number', describe: 'Also checkpoint every N steps (default: epoch ends only)', coerce: nonNegativeInteger('--checkpoint-every') })
    .option('no-contrastive', { type: 'boolean', describe: 'Ablation: no contrastive loss L_cont' })
    .option('no-affinity', { type: 'boolean', describe: 'Ablation: no frame-order task (use a lake whose pairs come from all clips)' })
    .option('resume', { type: 'boolean', default: false, describe: "Continue the run in --run from its latest checkpoint (more --epochs allowed)" })
    .option('progress', { type: 'boolean', default: true, describe: 'Show a progress bar' });
}

interface TrainArgs {
  lake: string;
  run: string;
  config?: string;
  preset?: string;
  backend: string;
  workers?: number;
  epochs?: number;
  batchSize?: number;
  microBatch?: number;
  lr?: number;
  seed?: number;
  checkpointEvery?: number;
  contrastive?: boolean;
  affinity?: boolean;
  resume: boolean;
  progress: boolean;
}

function flagsConfig(argv: TrainArgs): TrainConfigInput {
  const input: TrainConfigInput = {};
  if (argv.preset !== undefined) input.preset = argv.preset as ModelPresetName;
  if (argv.epochs !== undefined) input.epochs = argv.epochs;
  if (argv.batchSize !== undefined) input.batchSize = argv.batchSize;
  if (argv.microBatch !== undefined) input.microBatch = argv.microBatch;
  if (argv.seed !== undefined) input.seed = argv.seed;
  if (argv.checkpointEvery !== undefined) input.checkpointEvery = argv.checkpointEvery;
  if (argv.lr !== undefined) input.optimizer = { learningRate: argv.lr };
  // yargs turns --no-contrastive into contrastive: false.
  if (argv.contrastive === false || argv.affinity === false) {
    input.loss = { ...(argv.contrastive === false ? { noContrastive: true } : {}), ...(argv.affinity === false ? { noAffinity: true } : {}) };
  }
  return input;
}

/**
 * Worker threads pay off on the single-threaded CPU backends; a GPU or libtensorflow (which
 * uses every core itself) trains best in this thread.
 */
async function defaultWorkers(backend: (typeof BACKENDS)[number]): Promise<number> {
  if (backend === 'wasm' || backend === 'cpu') return availableParallelism();
  if (backend !== 'auto') return 0;
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(name);
      return 0;
    } catch {
      // absent: auto falls through
    }
  }
  const { probeWebGpuAdapter } = await import('../../train/tfjs/backend.js');
  const adapter = await probeWebGpuAdapter();
  return adapter !== null && !adapter.software ? 0 : availableParallelism();
}

export async function handler(argv: TrainArgs): Promise<void> {
  const { resolveTrainConfig } = await import('../../train/loop/train-config.js');
  const { runTraining } = await import('../../train/loop/train-run.js');
  const { drawTrainingCurves } = await import('../../train/training-curves.js');
  const tf = await import('@tensorflow/tfjs-core');
  tf.env().set('PROD', true);
  const fromFile = argv.config ? (JSON.parse(await readFile(argv.config, 'utf8')) as TrainConfigInput) : {};
  const config = resolveTrainConfig(fromFile, flagsConfig(argv));
  const backend = argv.backend as (typeof BACKENDS)[number];
  const workers = argv.workers ?? (await defaultWorkers(backend));
  let bar: cliProgress.SingleBar | undefined;
  let lossAverage: number | undefined;
  const started = Date.now();
  const result = await runTraining({
    lake: argv.lake,
    run: argv.run,
    config,
    backend,
    workers,
    resume: argv.resume,
    drawCurves: drawTrainingCurves,
    progress: {
      onStart: (info) => {
        console.log(`backend: ${info.device}`);
        console.log(`model: ${config.preset} (${info.params.toLocaleString('en-US')} parameters), ${info.epochLength} steps per epoch, ${config.epochs} epochs, batch ${config.batchSize}`);
        if (info.resumedFrom) console.log(`resuming at step ${info.startStep} from ${info.resumedFrom}`);
        if (argv.progress) {
          bar = new cliProgress.SingleBar(
            {
              format: 'train |{bar}| {value}/{total} steps | epoch {epoch} | loss {loss} | {rate} samples/s | ETA {eta_formatted}',
              barCompleteChar: '#',
              barIncompleteChar: '.',
              noTTYOutput: true,
              notTTYSchedule: 10_000,
              stream: process.stderr,
              etaBuffer: 20,
              formatTime: formatEta,
            },
            cliProgress.Presets.legacy,
          );
          bar.start(info.totalSteps, info.startStep, { epoch: '-', loss: '-', rate: '-' });
        }
      },
      onStep: (line) => {
        lossAverage = lossAverage === undefined ? line.loss : 0.9 * lossAverage + 0.1 * line.loss;
        bar?.update(line.step, { epoch: line.epoch + 1, loss: lossAverage.toFixed(3), rate: line.samplesPerSecond.toFixed(1) });
      },
      onEpoch: (epoch, lines) => {
        const mean = (pick: (l: (typeof lines)[number]) => number | undefined) => {
          const values = lines.map(pick).filter((v): v is number => v !== undefined);
          return values.length > 0 ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(3) : '-';
        };
        bar?.stop();
        console.log(`epoch ${epoch + 1}: loss ${mean((l) => l.loss)}, L_cls ${mean((l) => l.cls)}, L_cont ${mean((l) => l.cont)}, L_ord ${mean((l) => l.ord)}, pair acc ${mean((l) => l.pairAccuracy)}, order acc ${mean((l) => l.orderAccuracy)}`);
        if (epoch + 1 < config.epochs) bar?.start(bar.getTotal(), lines[lines.length - 1]?.step ?? 0, { epoch: epoch + 1, loss: lossAverage?.toFixed(3) ?? '-', rate: '-' });
      },
    },
  });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${result.stopped ? 'stopped' : 'done'}: ${result.steps} steps, ${result.epochs} epochs in ${seconds.toFixed(1)} s; ` +
      `${result.samplesPerSecond.toFixed(1)} samples/s, data wait ${(100 * result.dataWaitShare).toFixed(1)}% of step time; ` +
      `final epoch loss ${result.finalLoss?.toFixed(4) ?? '-'}; run ${result.runDir} (curves.png, weights.ssw)`,
  );
}
