import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { RecordBatchReader } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { decompress } from 'zstd-napi';
import {
  describeDownstreamShard,
  downstreamArrowSchema,
  downstreamColumns,
  downstreamKeyValueMetadata,
  downstreamParquetSchema,
  type DownstreamRow,
  type DownstreamShardInfo,
} from '../../../schemas/downstream.js';
import { PLANE_CLASSES } from '../../synth/planes.js';
import { binaryCell } from '../../shards/arrow-shard-reader.js';
import { decodeFixations, encodeFixations } from './gaze-map.js';
import { TableShardWriter } from './table-shard-writer.js';

const info: DownstreamShardInfo = { frameHeight: 4, frameWidth: 6, saliencyHeight: 3, saliencyWidth: 2, saliencySigma: 1.5, gazeWindowSeconds: 0.5, classes: PLANE_CLASSES };
const columns = downstreamColumns(info, info.classes.length);

function row(i: number): DownstreamRow {
  const fixations = Int32Array.from({ length: 2 * (i % 3) }, (_, k) => i + k);
  return {
    scanId: 'scan-x',
    frameIndex: 8 * i,
    time: (8 * i) / 30,
    label: i % 14,
    frame: Uint8Array.from({ length: 24 }, (_, k) => (i * 7 + k) & 255),
    saliency: Uint8Array.from({ length: 6 }, (_, k) => (k === i % 6 ? 255 : 0)),
    fixations: encodeFixations(fixations),
    fixationCount: fixations.length / 2,
    gazeSamples: i % 3 === 0 ? 0 : 5,
    hasGaze: i % 3 === 0 ? 0 : 1,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'table-shards-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function writer(format: 'arrow' | 'parquet', sub: string): TableShardWriter {
  const common = { dir: join(dir, sub), baseName: 'scan-x', columns, batchRows: 2, shardRows: 5, durable: false };
  return format === 'arrow'
    ? new TableShardWriter({ ...common, format, schema: downstreamArrowSchema(info) })
    : new TableShardWriter({ ...common, format, schema: downstreamParquetSchema(info), metadata: downstreamKeyValueMetadata(info), zstdLevel: 3 });
}

describe('TableShardWriter', () => {
  it('rolls Arrow shards every shardRows rows, and every value reads back', async () => {
    const w = writer('arrow', 'arrow');
    for (let i = 0; i < 12; i++) await w.append(row(i));
    const shards = await w.close();
    expect(shards.map((s) => s.rows)).toEqual([5, 5, 2]);
    expect(shards.map((s) => s.path.split('/').pop())).toEqual(['scan-x-00000.arrow', 'scan-x-00001.arrow', 'scan-x-00002.arrow']);
    let i = 0;
    for (const shard of shards) {
      const bytes = await readFile(shard.path);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(shard.sha256);
      const reader = RecordBatchReader.from(bytes);
      reader.open();
      expect(describeDownstreamShard(reader.schema.metadata)).toEqual({ ...info, classes: [...PLANE_CLASSES] });
      const batches = [...reader];
      expect(batches.map((b) => b.numRows)).toEqual(shard.rows === 5 ? [2, 2, 1] : [2]);
      for (const batch of batches) {
        for (let r = 0; r < batch.numRows; r++, i++) {
          const want = row(i);
          expect(batch.getChild('frame_index')?.get(r)).toBe(want.frameIndex);
          expect(batch.getChild('label')?.get(r)).toBe(want.label);
          expect(batch.getChild('time')?.get(r)).toBe(want.time);
          expect(Array.from(binaryCell(batch, 'frame', r))).toEqual(Array.from(want.frame));
          expect(Array.from(binaryCell(batch, 'saliency', r))).toEqual(Array.from(want.saliency));
          expect(Array.from(decodeFixations(binaryCell(batch, 'fixations', r)))).toEqual(Array.from(decodeFixations(want.fixations)));
        }
      }
    }
    expect(i).toBe(12);
  });

  it('writes Parquet (zstd) with the same rows and metadata', async () => {
    const w = writer('parquet', 'parquet');
    for (let i = 0; i < 7; i++) await w.append(row(i));
    const shards = await w.close();
    expect(shards.map((s) => s.rows)).toEqual([5, 2]);
    const bytes = await readFile(shards[0]!.path);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 2, 1]);
    expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe('ZSTD');
    expect(describeDownstreamShard(new Map((meta.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ''])))).toMatchObject({ saliencyWidth: 2 });
    const rows = await parquetReadObjects({ file, utf8: false, columns: ['label', 'fixations', 'has_gaze'], compressors: { ZSTD: (input: Uint8Array) => decompress(input) } });
    expect(rows.map((r) => r['label'])).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(rows[2]!['fixations'] as Uint8Array)).toEqual(Array.from(row(2).fixations));
  });

  it('rejects a bad row, fails, and abort() leaves no file behind', async () => {
    const w = writer('arrow', 'bad');
    for (let i = 0; i < 6; i++) await w.append(row(i));
    await expect(w.append({ ...row(6), label: 14 })).rejects.toThrow(/label out of range/);
    await expect(w.append(row(7))).rejects.toThrow(/failed/);
    await w.abort();
    expect(await readdir(join(dir, 'bad'))).toEqual([]);
  });
});
