/**
 * The evaluation's HTML report (../report/): the tables, then figures — pre-training curves,
 * fine-tuning curves, confusion matrices, predicted vs true saliency maps and one affinity
 * timeline per scan — and a per-class F1 table.
 */
import { encodePng } from '../../draw/png.js';
import { drawAffinityTimeline } from '../../plots/affinity-timeline.js';
import { drawConfusionMatrix } from '../../plots/confusion-matrix.js';
import { drawCurvesPanel, type LineChartInput, type LineSeries } from '../../plots/line-chart.js';
import { drawSaliencyPair } from '../../plots/saliency-pair.js';
import { drawTrainingCurves, movingAverage } from '../../train/training-curves.js';
import type { FrameRef, FrameSource } from '../finetune/frame-source.js';
import type { ReportFigure, ReportInput, ReportSection, ReportSummaryItem, ReportTable } from '../report/report-types.js';
import { decodeFloats, type FoldResult } from './fold-job.js';
import { INIT_VARIANTS, initName, pretrainPlan, type InitId } from './init-variants.js';
import type { PretrainedRun } from './pretraining.js';
import { markdownRows, type EvaluationTables, type ResultsByInit } from './tables.js';
import type { ScanTimeline } from './affinity-timelines.js';

export interface ReportContext {
  title: string;
  generatedAt: string;
  intro: string;
  summary: ReportSummaryItem[];
  tables: EvaluationTables;
  /** Notes under the tables (what the numbers are, caveats). */
  tableNote: string;
  results: ResultsByInit;
  runs: readonly PretrainedRun[];
  source: FrameSource;
  timelines: readonly { timeline: ScanTimeline; lakeHighClips: number | null }[];
}

function reportTable(title: string, markdown: string, note?: string): ReportTable {
  const { header, rows } = markdownRows(markdown);
  return { title, header, rows, markdown, ...(note ? { note } : {}) };
}

function meanPerEpoch(results: readonly FoldResult[], pick: (r: FoldResult) => number[]): [number, number][] {
  const epochs = Math.max(0, ...results.map((r) => pick(r).length));
  const points: [number, number][] = [];
  for (let e = 0; e < epochs; e++) {
    const values = results.map((r) => pick(r)[e]).filter((v): v is number => v !== undefined);
    points.push([e + 1, values.reduce((a, v) => a + v, 0) / values.length]);
  }
  return points;
}

function fineTuneCurves(results: ResultsByInit): ReportFigure {
  const chart = (title: string, xLabel: string, yLabel: string, points: (folds: readonly FoldResult[]) => [number, number][]): LineChartInput => {
    const series: LineSeries[] = [];
    for (const v of INIT_VARIANTS) {
      const folds = results.get(v.id);
      if (folds && folds.length > 0) series.push({ name: initName(v.id), points: points(folds) });
    }
    return { series, options: { title, xLabel, yLabel, width: 520, height: 340 } };
  };
  // Per-step losses of fold 0, smoothed: fine-tuning runs may be a single epoch.
  const steps = (pick: (r: FoldResult) => number[] | undefined) => (folds: readonly FoldResult[]): [number, number][] => {
    const losses = pick(folds.find((r) => r.fold === 0) ?? (folds[0] as FoldResult)) ?? [];
    const window = Math.max(1, Math.min(50, Math.floor(losses.length / 25)));
    return movingAverage(losses.map((l, i): [number, number] => [i + 1, l]), window);
  };
  const png = encodePng(
    drawCurvesPanel(
      [
        chart('Plane detection, fine-tuned (fold 0)', 'step', 'weighted cross-entropy', steps((r) => r.finetune.stepLoss)),
        chart('Plane detection, linear probe', 'epoch', 'weighted cross-entropy', (folds) => meanPerEpoch(folds, (r) => r.probe.epochLoss)),
        chart('Saliency, fine-tuned (fold 0)', 'step', 'KL (nats)', steps((r) => r.saliency.stepLoss)),
      ],
      3,
    ),
  );
  return {
    title: 'Downstream training loss',
    caption: "Fine-tuning: each step's training loss on fold 0 (moving average over up to 50 steps); linear probe: each epoch's mean loss, mean over folds.",
    png,
  };
}

function sumMatrices(matrices: readonly number[][][]): number[][] {
  const first = matrices[0];
  if (first === undefined) return [];
  return first.map((row, i) => row.map((_, j) => matrices.reduce((s, m) => s + (m[i]?.[j] ?? 0), 0)));
}

function confusionFigures(results: ResultsByInit, classes: string[]): ReportFigure[] {
  const out: ReportFigure[] = [];
  for (const v of INIT_VARIANTS) {
    const folds = results.get(v.id);
    if (!folds || folds.length === 0) continue;
    const matrix = sumMatrices(folds.map((r) => r.finetune.confusion));
    const title = `${initName(v.id)}: plane detection, fine-tuned`;
    out.push({
      title,
      caption: `Test rows of all ${folds.length} fold(s) summed (${matrix.flat().reduce((a, b) => a + b, 0)} frames); rows are the true class, shade the row share.`,
      png: encodePng(drawConfusionMatrix(matrix, classes, { title })),
    });
  }
  return out;
}

function saliencyFigures(results: ResultsByInit, source: FrameSource): ReportFigure[] {
  const out: ReportFigure[] = [];
  const ids = new Map(source.data.scans.map((s, i) => [s.id, i]));
  const cellsToPixels = (cells: Int32Array): [number, number][] => {
    const pts: [number, number][] = [];
    for (let i = 0; i + 1 < cells.length; i += 2) pts.push([(((cells[i] as number) + 0.5) * source.size) / source.mapWidth, (((cells[i + 1] as number) + 0.5) * source.size) / source.mapHeight]);
    return pts;
  };
  for (const v of INIT_VARIANTS) {
    if (v.mainLabel === null) continue;
    const fold0 = results.get(v.id)?.find((r) => r.fold === 0);
    for (const sample of fold0?.saliency.samples ?? []) {
      const scan = ids.get(sample.scan);
      if (scan === undefined) continue;
      const ref: FrameRef = { scan, row: sample.row };
      const map = (data: Float32Array) => ({ width: source.mapWidth, height: source.mapHeight, data });
      const png = encodePng(drawSaliencyPair(source.greyFrame(ref), map(decodeFloats(sample.predicted)), map(source.saliency([ref])), cellsToPixels(source.fixations(ref))));
      const label = source.data.classes[source.scan(ref).labels[sample.row] as number] ?? '?';
      out.push({
        title: `${initName(v.id)}: ${sample.scan} row ${sample.row}`,
        caption: `Fold 0 test frame (${label}, t = ${source.scan(ref).time[sample.row]?.toFixed(1)} s) as the model sees it (${source.size}x${source.size}); left predicted, right gaze density; dots: fixated cells.`,
        png,
      });
    }
  }
  return out;
}

function perClassF1(results: ResultsByInit, classes: string[]): ReportTable {
  const inits = INIT_VARIANTS.filter((v) => (results.get(v.id)?.length ?? 0) > 0);
  const rows = classes.map((name, c) => [
    name,
    ...inits.map((v) => {
      const folds = results.get(v.id) ?? [];
      const mean = folds.reduce((a, r) => a + (r.finetune.perClassF1[c] ?? 0), 0) / folds.length;
      return (100 * mean).toFixed(1);
    }),
  ]);
  return { title: 'Per-class F1 (%), fine-tuned, mean over folds', header: ['Class', ...inits.map((v) => initName(v.id))], rows };
}

function trainingCurveFigures(runs: readonly PretrainedRun[]): ReportFigure[] {
  return runs.map((run) => {
    const steps = run.metrics.length;
    const c = run.record.config;
    return {
      title: `Pre-training: ${run.variant}`,
      caption: `${pretrainPlan(run.variant).describe}. ${c.epochs} epoch(s), ${steps} step(s), batch ${c.batchSize}, preset ${c.preset}; ${run.origin === 'given' ? `given run ${run.dir}` : run.origin === 'complete' ? 'reused from an earlier evaluation' : `trained now in ${run.seconds.toFixed(0)} s`}.`,
      png: drawTrainingCurves(run.metrics),
    };
  });
}

function timelineFigures(timelines: ReportContext['timelines']): ReportFigure[] {
  return timelines.map(({ timeline, lakeHighClips }) => ({
    title: `Affinity timeline: ${timeline.scanId}`,
    caption: `${timeline.highClips} of ${timeline.clips.length} clips high-affinity with the VAD recomputed here${lakeHighClips === null ? '' : `; the lake's ingest counted ${lakeHighClips}`}.`,
    png: encodePng(drawAffinityTimeline(timeline, { width: 960 })),
  }));
}

export function buildReportInput(ctx: ReportContext): ReportInput {
  const classes = ctx.source.data.classes;
  const { tables } = ctx;
  const sections: ReportSection[] = [
    { title: 'Pre-training curves', intro: 'Training curves of the pre-training runs behind the initialisations (loss terms, accuracies, learning rate, throughput).', figures: trainingCurveFigures(ctx.runs) },
    { title: 'Fine-tuning curves', figures: [fineTuneCurves(ctx.results)] },
    { title: 'Confusion matrices', figures: confusionFigures(ctx.results, classes), tables: [perClassF1(ctx.results, classes)] },
    { title: 'Saliency: predicted vs true', intro: 'Predicted saliency maps (fine-tuned) beside the gaze density for the same test frames, for each initialisation of Tables 1 and 2.', figures: saliencyFigures(ctx.results, ctx.source) },
    {
      title: 'Affinity timelines',
      intro: 'Per scan: ground-truth speech (sidecar), the voice activity decision, and each 2 s clip coloured by affinity with its speech fraction as fill height.',
      figures: timelineFigures(ctx.timelines),
    },
  ];
  return {
    title: ctx.title,
    generatedAt: ctx.generatedAt,
    intro: ctx.intro,
    summary: ctx.summary,
    tables: [
      reportTable(tables.planeFinetune.markdown.split('\n')[0]!.replace(/\*\*/g, ''), tables.planeFinetune.markdown, ctx.tableNote),
      reportTable(tables.planeProbe.markdown.split('\n')[0]!.replace(/\*\*/g, ''), tables.planeProbe.markdown),
      reportTable(tables.saliency.markdown.split('\n')[0]!.replace(/\*\*/g, ''), tables.saliency.markdown),
      reportTable(tables.ablation.markdown.split('\n')[0]!.replace(/\*\*/g, ''), tables.ablation.markdown),
    ],
    sections,
  };
}

/** Initialisations in table order that have results. */
export function evaluatedInits(results: ResultsByInit): InitId[] {
  return INIT_VARIANTS.filter((v) => (results.get(v.id)?.length ?? 0) > 0).map((v) => v.id);
}
