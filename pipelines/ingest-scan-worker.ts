/**
 * Worker-thread entry of `runIngest` (see ingest-worker-pool.ts for the messages): opens its
 * own VAD engine, since native and onnx sessions belong to the thread that uses them, then
 * ingests the scans it is sent one at a time, reporting decoded frames and each outcome.
 * An exception that escapes ingestScan is not caught here: the worker dies and the main
 * thread records the scan as failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createVad } from '../src/affinity/create-vad.js';
import { unloadSileroModels } from '../src/affinity/silero-vad.js';
import { ingestScan } from './ingest-scan.js';
import type { WorkerReport, WorkerRequest, WorkerSetup } from './ingest-worker-pool.js';

const port = parentPort;
if (!port) throw new Error('ingest-scan-worker.js runs in a worker thread started by runIngest');
const { lake, config } = workerData as WorkerSetup;
const post = (report: WorkerReport): void => port.postMessage(report);

const vad = await createVad(config.vad.engine, config.vad[config.vad.engine] as never);

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'stop') {
    void unloadSileroModels().finally(() => port.close());
    return;
  }
  const { id } = request.input;
  void ingestScan(request.input, lake, config, vad, (frames, total) => post({ type: 'frames', id, frames, total })).then((outcome) =>
    post({ type: 'done', id, outcome }),
  );
});
post({ type: 'ready' });
