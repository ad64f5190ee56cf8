import { Worker } from 'node:worker_threads';
import { loadSpeaker } from './audio/index.js';
import { generateScan, type GeneratedScan, type SynthOptions } from './generate-scan.js';

export interface SynthProgress {
  onStart?(index: number, frames: number): void;
  onFrames?(index: number, frame: number, frames: number): void;
  onDone?(index: number, result: GeneratedScan): void;
}

/**
 * Generates scans 0..count-1. With concurrency > 1 (and when running compiled JavaScript)
 * each scan is rendered in a worker thread; the result does not depend on concurrency.
 */
export async function generateScans(
  count: number,
  options: SynthOptions,
  concurrency: number,
  progress: SynthProgress = {},
): Promise<GeneratedScan[]> {
  const results = new Array<GeneratedScan>(count);
  const canUseWorkers = import.meta.url.endsWith('.js');
  if (concurrency <= 1 || count <= 1 || !canUseWorkers) {
    const speaker = await loadSpeaker();
    for (let index = 0; index < count; index++) {
      results[index] = await generateScan(index, options, speaker, (frame, frames) => {
        if (frame === 1) progress.onStart?.(index, frames);
        progress.onFrames?.(index, frame, frames);
      });
      progress.onDone?.(index, results[index] as GeneratedScan);
    }
    return results;
  }
  let next = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./synth-worker.js', import.meta.url), { workerData: options });
      const started = new Set<number>();
      const dispatch = (): void => {
        if (next >= count) {
          worker.postMessage(null);
          return;
        }
        worker.postMessage({ index: next++ });
      };
      worker.on('message', (msg: { type: string; index: number; frame: number; frames: number; result: GeneratedScan; message: string }) => {
        if (msg.type === 'ready') dispatch();
        else if (msg.type === 'progress') {
          if (!started.has(msg.index)) {
            started.add(msg.index);
            progress.onStart?.(msg.index, msg.frames);
          }
          progress.onFrames?.(msg.index, msg.frame, msg.frames);
        } else if (msg.type === 'done') {
          results[msg.index] = msg.result;
          progress.onDone?.(msg.index, msg.result);
          dispatch();
        } else if (msg.type === 'error') {
          void worker.terminate();
          reject(new Error(`scan ${msg.index}: ${msg.message}`));
        }
      });
      worker.on('error', reject);
      worker.on('exit', () => resolve());
    });
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, runWorker));
  return results;
}
