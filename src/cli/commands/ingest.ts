import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { readConfigFile, resolveIngestConfig, type IngestConfigOverrides } from '../../../pipelines/ingest-config.js';
import { runIngest, type IngestResult } from '../../../pipelines/ingest.js';
import { unloadSileroModels } from '../../affinity/silero-vad.js';
import { VAD_ENGINE_NAMES, type VadEngineName } from '../../affinity/vad-engine.js';
import { parsePart } from '../../lake/inputs.js';
import { ProgressBars } from '../progress.js';
import { formatScanTable } from '../scan-table.js';
import { nonNegativeInteger, positiveInteger } from '../validate.js';

export const command = 'ingest';
export const describe = 'Turn raw scans into affinity-tagged video-speech pairs and frame-order samples (Arrow + Parquet shards)';

export function builder(yargs: Argv) {
  return yargs
    .option('input', { type: 'string', demandOption: true, describe: 'Folder of raw scans (searched recursively)' })
    .option('lake', { type: 'string', demandOption: true, describe: 'Lake folder: manifest.json and shards are written here' })
    .option('config', { type: 'string', describe: 'JSON file overriding the default ingest configuration' })
    .option('seed', { type: 'number', default: 0, describe: 'Seed of every sampling draw', coerce: nonNegativeInteger('--seed') })
    .option('concurrency', { type: 'number', default: availableParallelism(), describe: 'Scans processed at once (worker threads)', coerce: positiveInteger('--concurrency') })
    .option('in-process', { type: 'boolean', default: false, describe: 'Run every scan on the main thread instead of worker threads (debugging; same output)' })
    .option('shard', { type: 'string', describe: "Process only part i/n of the scans (0-based, e.g. 0/4); merge with 'sonospeech lake merge'" })
    .option('vad', { type: 'string', choices: VAD_ENGINE_NAMES as string[], describe: 'Voice activity detector (default: from the config, energy)' })
    .option('progress', { type: 'boolean', default: true, describe: 'Show progress bars' });
}

export async function handler(argv: {
  input: string;
  lake: string;
  config?: string;
  seed: number;
  concurrency: number;
  inProcess: boolean;
  shard?: string;
  vad?: string;
  progress: boolean;
}): Promise<void> {
  const part = argv.shard !== undefined ? parsePart(argv.shard) : undefined;
  const fromFile: IngestConfigOverrides = argv.config ? await readConfigFile(argv.config) : {};
  const fromFlags: IngestConfigOverrides = argv.vad ? { vad: { engine: argv.vad as VadEngineName } } : {};
  const config = resolveIngestConfig(fromFile, fromFlags);
  let bars: ProgressBars | undefined;
  const started = Date.now();
  let result: IngestResult;
  try {
    result = await runIngest({
      input: argv.input,
      lake: argv.lake,
      config,
      seed: argv.seed,
      concurrency: argv.concurrency,
      inProcess: argv.inProcess,
      ...(part ? { part } : {}),
      progress: {
        onPlan: (scans, skipped) => {
          if (skipped.length > 0) console.log(`${skipped.length} scan(s) already in the lake: skipped`);
          if (argv.progress && scans.length > 0) bars = new ProgressBars(scans.reduce((n, s) => n + s.frames, 0), 'frames');
        },
        onFrames: (id, frames, total) => {
          if (frames <= 30) bars?.start(id, total);
          bars?.update(id, frames);
        },
        onScanDone: (scan) => bars?.finish(scan.id),
      },
    });
  } finally {
    bars?.stop();
    // An in-process Silero engine keeps its model thread alive: release it so the CLI exits.
    await unloadSileroModels();
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(formatScanTable(result.manifest.scans));
  const failed = result.manifest.scans.filter((s) => s.status === 'failed');
  const shards = result.manifest.shards;
  console.log(
    `${result.processed.length} scan(s) ingested, ${result.skipped.length} skipped, ${failed.length} failed in ${seconds.toFixed(1)} s; ` +
      `${shards.length} shards, manifest ${result.manifestPath}`,
  );
  if (failed.length > 0) {
    for (const f of failed) console.error(`failed: ${f.error}`);
    process.exitCode = 1;
  }
}
