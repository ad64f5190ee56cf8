/**
 * The lakes the pre-training runs read: the method's (ingested here when not given) and the
 * all-clips lake of the ablations and the video-only baseline (see init-variants.ts).
 */
import { join } from 'node:path';
import { readManifest } from '../../lake/manifest-io.js';
import { MANIFEST_FILE_NAME } from '../../../schemas/manifest.js';
import type { IngestConfig } from '../../../pipelines/ingest-config.js';
import { runIngest } from '../../../pipelines/ingest.js';
import { summedUpdates, type TaskProgress } from './task-progress.js';

export interface LakeBuild {
  scans: string;
  dir: string;
  config: IngestConfig;
  seed: number;
  concurrency: number;
  inProcess: boolean;
  /** Names the lake in progress lines. */
  what: string;
  progress: TaskProgress;
}

/** Ingests the scans into `dir` (idempotent: scans already there are skipped); returns `dir`. */
export async function ensureLake(build: LakeBuild): Promise<string> {
  const { progress } = build;
  const task = `ingest ${build.what}`;
  const update = summedUpdates(progress, task);
  const result = await runIngest({
    input: build.scans,
    lake: build.dir,
    config: build.config,
    seed: build.seed,
    concurrency: build.concurrency,
    inProcess: build.inProcess,
    progress: {
      onPlan: (scans) => {
        if (scans.length > 0) progress.start?.(task, scans.reduce((n, s) => n + s.frames, 0), 'frames');
      },
      onFrames: update,
    },
  });
  progress.finish?.(task);
  const failed = result.manifest.scans.filter((s) => s.status === 'failed');
  if (failed.length > 0) progress.log?.(`${task}: ${failed.length} scan(s) failed: ${failed.map((f) => f.error).join('; ')}`);
  progress.log?.(`${task}: ${result.processed.length} scan(s) ingested, ${result.skipped.length} reused (${build.dir})`);
  return build.dir;
}

/**
 * The method lake's ingest configuration with every clip counted as high affinity (pairs from
 * all clips) and order samples taken from every clip.
 */
export function allClipsConfig(base: IngestConfig): IngestConfig {
  return { ...base, sampling: { ...base.sampling, affinityThreshold: 0, orderFromAllClips: true } };
}

/** Builds (or completes) the all-clips lake of the scans behind `methodLake`, with its configuration and seed. */
export async function ensureAllClipsLake(methodLake: string, build: Omit<LakeBuild, 'config' | 'seed' | 'what'>): Promise<string> {
  const manifest = await readManifest(join(methodLake, MANIFEST_FILE_NAME));
  if (!manifest) throw new Error(`${methodLake}: no lake manifest (ingest the scans first, or leave --lake out to build one)`);
  return ensureLake({ ...build, config: allClipsConfig(manifest.config as unknown as IngestConfig), seed: manifest.seed, what: 'lake (all clips)' });
}
