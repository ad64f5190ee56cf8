/**
 * The single, format-neutral definition of every shard column. The Arrow schema
 * (shards.ts), the Parquet schema (parquet.ts), the shard writers and schemas/README.md
 * are all derived from or checked against these lists.
 */

/** Bumped on any change to a column (name, type, order, meaning) or to the metadata keys. */
export const SCHEMA_VERSION = 1;

export type ShardKind = 'pairs' | 'orders';
export const SHARD_KINDS: readonly ShardKind[] = ['pairs', 'orders'];

/** Frames per frame-order sample. */
export const ORDER_FRAMES = 4;
/** Frame-order classes: 4! orders with forward == backward. */
export const ORDER_CLASSES = 12;

/** Sizes and dequantisation shared by every row of a shard; stored as schema metadata. */
export interface ShardLayout {
  /** Grey video frame height and width in pixels (frames are row-major uint8). */
  frameHeight: number;
  frameWidth: number;
  /** Spectrogram frequency bins (rows) and time frames (columns), row-major uint8. */
  specBins: number;
  specFrames: number;
  /** Dequantisation of a spectrogram byte q: dB = q * specDbScale + specDbOffset. */
  specDbScale: number;
  specDbOffset: number;
}

export const DEFAULT_SHARD_LAYOUT: Readonly<ShardLayout> = {
  frameHeight: 224,
  frameWidth: 224,
  specBins: 256,
  specFrames: 256,
  // 256 levels over [-100 dB, +27.5 dB]; the spectrogram stage sets its own values.
  specDbScale: 0.5,
  specDbOffset: -100,
};

export type ColumnType = 'utf8' | 'int8' | 'int32' | 'int64' | 'float32' | 'float64' | 'binary' | 'fixed_binary';

export interface ColumnSpec {
  /** Column name in Arrow, Parquet and SQL. */
  name: string;
  type: ColumnType;
  /** Property of the row object / columnar batch that feeds this column. */
  key: string;
  /**
   * For columns fed from one element of an array-valued property: element `index` of
   * `arity` (row form: row[key][index]; columnar form: columns[key][row * arity + index]).
   */
  element?: { index: number; arity: number };
  /** Bytes per row of binary / fixed_binary columns (binary is variable-size in Arrow, fixed by the layout). */
  bytesPerRow?: number;
  /** This int column must equal orderLabel() of the row's `permutation` (checked on write). */
  orderLabelOf?: 'permutation';
  /** Inclusive numeric bounds checked on write. */
  min?: number;
  max?: number;
  unit?: string;
  /** Array shape of a binary value, outermost first, e.g. [224, 224]. */
  shape?: number[];
  description: string;
}

export function resolveLayout(layout: Partial<ShardLayout> = {}): ShardLayout {
  const full = { ...DEFAULT_SHARD_LAYOUT, ...layout };
  for (const key of ['frameHeight', 'frameWidth', 'specBins', 'specFrames'] as const) {
    const v = full[key];
    if (!Number.isInteger(v) || v <= 0) throw new Error(`shard layout: ${key} must be a positive integer, got ${v}`);
  }
  for (const key of ['specDbScale', 'specDbOffset'] as const) {
    if (!Number.isFinite(full[key])) throw new Error(`shard layout: ${key} must be finite, got ${full[key]}`);
  }
  if (full.specBins * full.specFrames > 2 ** 31 - 1) throw new Error('shard layout: spectrogram too large');
  return full;
}

export function frameBytes(layout: ShardLayout): number {
  return layout.frameHeight * layout.frameWidth;
}

export function spectrogramBytes(layout: ShardLayout): number {
  return layout.specBins * layout.specFrames;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Columns of a video-speech pair row, in file order. */
export function pairColumns(layoutInput: Partial<ShardLayout> = {}): ColumnSpec[] {
  const layout = resolveLayout(layoutInput);
  const frame = [layout.frameHeight, layout.frameWidth];
  const spec = [layout.specBins, layout.specFrames];
  return [
    { name: 'scan_id', type: 'utf8', key: 'scanId', description: 'Scan identifier (manifest scans[].id).' },
    { name: 'clip', type: 'int32', key: 'clip', min: 0, max: INT32_MAX, description: 'Clip index T within the scan.' },
    { name: 'group_k', type: 'int32', key: 'groupK', min: 0, max: INT32_MAX, description: 'Group k (0..K-1) of the clip.' },
    { name: 'frame_index', type: 'int32', key: 'frameIndex', min: 0, max: INT32_MAX, description: 'Index of the video frame v in the decoded scan (after the fps filter).' },
    { name: 'frame', type: 'binary', key: 'frame', bytesPerRow: frameBytes(layout), shape: frame, description: 'Video frame v: fan-cropped grey uint8, row-major frame_height x frame_width.' },
    { name: 'speech_pos', type: 'fixed_binary', key: 'speechPos', bytesPerRow: spectrogramBytes(layout), shape: spec, description: 'Positive speech snippet s (from clip T): quantised log-spectrogram, row-major spec_bins x spec_frames.' },
    { name: 'speech_neg', type: 'fixed_binary', key: 'speechNeg', bytesPerRow: spectrogramBytes(layout), shape: spec, description: "Hard-negative speech snippet s' (from clip T + delta): same encoding as speech_pos." },
    { name: 'speech_pos_time', type: 'float64', key: 'speechPosTime', min: 0, unit: 's', description: 'Start time of the positive snippet in the scan audio, seconds.' },
    { name: 'speech_neg_time', type: 'float64', key: 'speechNegTime', min: 0, unit: 's', description: 'Start time of the negative snippet in the scan audio, seconds.' },
    { name: 'delta', type: 'int32', key: 'delta', min: INT32_MIN, max: INT32_MAX, unit: 'clips', description: 'Clip shift of the negative: it comes from clip (clip + delta).' },
    { name: 'affinity', type: 'float32', key: 'affinity', min: 0, max: 1, description: "Speech fraction of the clip from voice activity detection (the clip's affinity)." },
    { name: 'sample_seed', type: 'int64', key: 'sampleSeed', description: 'Seed of the Rng stream that drew this row (reproduces it).' },
  ];
}

/** Columns of a frame-order row, in file order. */
export function orderColumns(layoutInput: Partial<ShardLayout> = {}): ColumnSpec[] {
  const layout = resolveLayout(layoutInput);
  const indexColumns: ColumnSpec[] = [];
  const permColumns: ColumnSpec[] = [];
  for (let j = 0; j < ORDER_FRAMES; j++) {
    const element = { index: j, arity: ORDER_FRAMES };
    indexColumns.push({
      name: `frame_index_${j}`, type: 'int32', key: 'frameIndices', element, min: 0, max: INT32_MAX,
      description: `Source frame index of frame ${j} in shuffled order.`,
    });
    permColumns.push({
      name: `perm_${j}`, type: 'int8', key: 'permutation', element, min: 0, max: ORDER_FRAMES - 1,
      description: `Temporal rank (0 = earliest) of frame ${j} in shuffled order.`,
    });
  }
  return [
    { name: 'scan_id', type: 'utf8', key: 'scanId', description: 'Scan identifier (manifest scans[].id).' },
    { name: 'clip', type: 'int32', key: 'clip', min: 0, max: INT32_MAX, description: 'Clip index T within the scan.' },
    {
      name: 'frames', type: 'binary', key: 'frames', bytesPerRow: ORDER_FRAMES * frameBytes(layout),
      shape: [ORDER_FRAMES, layout.frameHeight, layout.frameWidth],
      description: 'The 4 frames in shuffled order, concatenated: 4 x frame_height x frame_width grey uint8.',
    },
    ...indexColumns,
    ...permColumns,
    {
      name: 'label', type: 'int8', key: 'label', min: 0, max: ORDER_CLASSES - 1, orderLabelOf: 'permutation',
      description: 'Frame-order class 0..11 of (perm_0..perm_3): orderLabel() in schemas/columns.ts; an order and its reverse share a class.',
    },
    { name: 'sample_seed', type: 'int64', key: 'sampleSeed', description: 'Seed of the Rng stream that drew this row (reproduces it).' },
  ];
}

/**
 * The 12 frame-order classes, each as its lexicographically smaller member of
 * {order, reversed order}; class c is ORDER_CLASS_PERMUTATIONS[c], in lexicographic order.
 */
export const ORDER_CLASS_PERMUTATIONS: readonly (readonly number[])[] = (() => {
  const all: number[][] = [];
  const permute = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) all.push(prefix);
    rest.forEach((v, i) => permute([...prefix, v], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], Array.from({ length: ORDER_FRAMES }, (_, i) => i));
  const key = (p: readonly number[]): string => p.join(',');
  return all.filter((p) => key(p) < key([...p].reverse()));
})();

const ORDER_CLASS_BY_KEY = new Map<string, number>(
  ORDER_CLASS_PERMUTATIONS.flatMap((p, c) => [[p.join(','), c], [[...p].reverse().join(','), c]] as [string, number][]),
);

/**
 * Class 0..11 of a frame order: `permutation[j]` is the temporal rank of the frame shown
 * at shuffled position j. An order and its reverse give the same class. Returns -1 when
 * the input is not a permutation of 0..3.
 */
export function orderLabel(permutation: ArrayLike<number>): number {
  if (permutation.length !== ORDER_FRAMES) return -1;
  return ORDER_CLASS_BY_KEY.get(Array.from(permutation).join(',')) ?? -1;
}

export function columnsFor(kind: ShardKind, layout: Partial<ShardLayout> = {}): ColumnSpec[] {
  return kind === 'pairs' ? pairColumns(layout) : orderColumns(layout);
}
