/**
 * Frames per second through decodeScan's iterator versus bare ffmpeg runs of the same scan
 * and filters writing to /dev/null (video only, and video + audio like the decoder). Used
 * for the numbers in the decode report; callable from a bench script.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CropBox } from '../types/ingest.js';
import { childCpuSeconds } from '../util/child-cpu.js';
import { decodeArgs, decodeScan, type DecodeOptions } from './decode.js';
import { detectFanCrop } from './fan-crop.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { probeMedia } from './probe.js';

export interface DecodeThroughput {
  crop: CropBox;
  frames: number;
  audioSamples: number;
  iteratorSeconds: number;
  iteratorFps: number;
  bareVideoSeconds: number;
  bareVideoFps: number;
  bareBothSeconds: number;
  bareBothFps: number;
  /** iteratorFps / bareVideoFps and iteratorFps / bareBothFps. */
  ratioToBareVideo: number;
  ratioToBareBoth: number;
  maxBufferedBytes: number;
  /** CPU seconds (user + system) of ffmpeg in each run, and of this Node process during the iterator run. */
  iteratorFfmpegCpu: number;
  iteratorNodeCpu: number;
  bareVideoCpu: number;
  bareBothCpu: number;
}

export async function measureDecodeThroughput(path: string, frameWidth = 224, frameHeight = 224): Promise<DecodeThroughput> {
  const info = await probeMedia(path);
  const { box } = await detectFanCrop(path, info);
  const options: DecodeOptions = { frameWidth, frameHeight, crop: box, info };

  const children0 = childCpuSeconds();
  const node0 = process.cpuUsage();
  const t0 = performance.now();
  const decode = decodeScan(path, options);
  let frames = 0;
  let audioSamples = 0;
  for await (const event of decode) {
    if (event.kind === 'frame') frames++;
    else audioSamples += event.samples.length;
  }
  const iteratorSeconds = (performance.now() - t0) / 1000;
  const nodeCpu = process.cpuUsage(node0);
  const iteratorFfmpegCpu = childCpuSeconds() - children0;

  const absolute = resolve(path);
  const videoOnly = decodeArgs(absolute, options, false);
  const both = decodeArgs(absolute, options, true);
  const bareVideo = await timeToDevNull(videoOnly);
  const bareBoth = await timeToDevNull(both);
  const bareVideoSeconds = bareVideo.seconds;
  const bareBothSeconds = bareBoth.seconds;
  const iteratorFps = frames / iteratorSeconds;
  return {
    crop: box,
    frames,
    audioSamples,
    iteratorSeconds,
    iteratorFps,
    bareVideoSeconds,
    bareVideoFps: frames / bareVideoSeconds,
    bareBothSeconds,
    bareBothFps: frames / bareBothSeconds,
    ratioToBareVideo: iteratorFps / (frames / bareVideoSeconds),
    ratioToBareBoth: iteratorFps / (frames / bareBothSeconds),
    maxBufferedBytes: decode.stats.maxBufferedBytes,
    iteratorFfmpegCpu,
    iteratorNodeCpu: (nodeCpu.user + nodeCpu.system) / 1e6,
    bareVideoCpu: bareVideo.cpu,
    bareBothCpu: bareBoth.cpu,
  };
}

/** Runs ffmpeg with fd 1 and fd 3 on /dev/null; wall seconds to exit and its CPU seconds. */
async function timeToDevNull(args: string[]): Promise<{ seconds: number; cpu: number }> {
  const devNull = openSync('/dev/null', 'w');
  try {
    const cpu0 = childCpuSeconds();
    const t0 = performance.now();
    await new Promise<void>((done, fail) => {
      const child = spawn(ffmpegPath(), args, { stdio: ['ignore', devNull, 'ignore', devNull] });
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? done() : fail(new Error(`ffmpeg exited with ${code}`))));
    });
    return { seconds: (performance.now() - t0) / 1000, cpu: childCpuSeconds() - cpu0 };
  } finally {
    closeSync(devNull);
  }
}
