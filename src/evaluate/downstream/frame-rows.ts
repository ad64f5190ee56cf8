import { filter, map, type OperatorFunction } from 'rxjs';
import type { DownstreamRow } from '../../../schemas/downstream.js';
import type { FrameEvent, MediaEvent } from '../../types/ingest.js';
import { encodeFixations, type GazeMapping, SaliencyMapper } from './gaze-map.js';
import { PlaneLabeler } from './plane-labels.js';
import type { LabelledSidecar } from './read-labelled-sidecar.js';

export interface FrameRowOptions {
  scanId: string;
  /** Decode frame rate: frame i is at time i / fps. */
  fps: number;
  /** Keep frames whose index is a multiple of this. */
  stride: number;
  mapping: GazeMapping;
  gazeWindowSeconds: number;
  sigmaCells: number;
}

/** Labels a decoded frame and draws its saliency map from the scan's sidecar. */
export class FrameRowBuilder {
  private readonly labeler: PlaneLabeler;
  private readonly saliency: SaliencyMapper;

  constructor(
    private readonly sidecar: LabelledSidecar,
    private readonly options: FrameRowOptions,
  ) {
    this.labeler = new PlaneLabeler(sidecar.planes);
    this.saliency = new SaliencyMapper(options.mapping, { x: sidecar.gazeX, y: sidecar.gazeY, fps: sidecar.media.fps }, options.gazeWindowSeconds, options.sigmaCells);
  }

  row(frame: FrameEvent): DownstreamRow {
    const time = frame.index / this.options.fps;
    const { saliency, fixations, samples } = this.saliency.at(time);
    return {
      scanId: this.options.scanId,
      frameIndex: frame.index,
      time,
      label: this.labeler.labelAt(time),
      frame: frame.pixels,
      saliency,
      fixations: encodeFixations(fixations),
      fixationCount: fixations.length / 2,
      gazeSamples: samples,
      hasGaze: samples > 0 ? 1 : 0,
    };
  }
}

/** Decoded media events -> one row per stride-th frame (audio events are dropped). */
export function frameRows(builder: FrameRowBuilder, stride: number): OperatorFunction<MediaEvent, DownstreamRow> {
  return (events) =>
    events.pipe(
      filter((e): e is FrameEvent => e.kind === 'frame' && e.index % stride === 0),
      map((frame) => builder.row(frame)),
    );
}
