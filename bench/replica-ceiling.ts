/**
 * What the machine allows data parallelism: N worker replicas each computing the same parts'
 * gradients at the same time with no synchronisation at all (no averaging, no update, no
 * replay), against one replica computing them alone. A data-parallel trainer cannot beat this
 * ratio; on a machine whose cores share a memory bus the kernels saturate, it is well below N.
 * Rounds alternate (one, all, one, all, ...) so that drift in the machine's speed hits both.
 */
import { performance } from 'node:perf_hooks';
import type { ReplicaConfig } from '../src/train/loop/replica.js';
import { ReplicaGroup } from '../src/train/loop/replica-group.js';
import { splitPart, type StepPart } from '../src/train/loop/step-part.js';
import type { BackendPreference } from '../src/train/tfjs/backend.js';

export interface CeilingResult {
  workers: number;
  /** Rows per second of one replica alone, per round. */
  alone: number[];
  /** Rows per second of all replicas together (each computing the same parts), per round. */
  together: number[];
  /** together / alone, per round. */
  ratios: number[];
}

export async function measureReplicaCeiling(
  config: ReplicaConfig,
  backend: BackendPreference,
  workers: number,
  batch: StepPart,
  options: { warmup: number; rounds: number; partsPerRound: number },
): Promise<CeilingResult> {
  const group = await ReplicaGroup.create(config, { workers, backend });
  try {
    const parts = () => splitPart(batch, options.partsPerRound); // fresh copies: each part is transferred
    const rowsPerRound = batch.rows;
    for (let i = 0; i < options.warmup; i++) await Promise.all(group.replicas.map((r) => r.gradients(parts())));
    const result: CeilingResult = { workers, alone: [], together: [], ratios: [] };
    for (let round = 0; round < options.rounds; round++) {
      let start = performance.now();
      await (group.replicas[0] as (typeof group.replicas)[number]).gradients(parts());
      const alone = (rowsPerRound * 1000) / (performance.now() - start);
      start = performance.now();
      await Promise.all(group.replicas.map((r) => r.gradients(parts())));
      const together = (workers * rowsPerRound * 1000) / (performance.now() - start);
      result.alone.push(alone);
      result.together.push(together);
      result.ratios.push(together / alone);
    }
    return result;
  } finally {
    await group.close();
  }
}
