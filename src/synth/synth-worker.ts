import { parentPort, workerData } from 'node:worker_threads';
import { loadSpeaker } from './audio/index.js';
import { generateScan, type SynthOptions } from './generate-scan.js';

/** Worker entry: generates the scans it is sent, one at a time, and reports progress. */
interface Job {
  index: number;
}

const options = workerData as SynthOptions;
const port = parentPort;
if (!port) throw new Error('synth-worker must run in a worker thread');
const speaker = await loadSpeaker();
port.on('message', (job: Job | null) => {
  if (job === null) {
    port.close();
    return;
  }
  let last = 0;
  generateScan(job.index, options, speaker, (frame, frames) => {
    if (frame - last >= 30 || frame === frames) {
      port.postMessage({ type: 'progress', index: job.index, frame, frames });
      last = frame;
    }
  }).then(
    (result) => port.postMessage({ type: 'done', index: job.index, result }),
    (err: Error) => port.postMessage({ type: 'error', index: job.index, message: err.message }),
  );
});
port.postMessage({ type: 'ready' });
