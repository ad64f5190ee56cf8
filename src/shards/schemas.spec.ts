// Tests of schemas/ (Jest only collects specs under src/, so they live here).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FixedSizeBinary } from 'apache-arrow';
import { ORDER_CLASS_PERMUTATIONS, orderColumns, orderLabel, pairColumns, resolveLayout, SCHEMA_VERSION } from '../../schemas/columns.js';
import type { LakeManifest } from '../../schemas/manifest.js';
import { parquetSchema } from '../../schemas/parquet.js';
import { describeShard, FIELD_META, orderSchema, pairSchema, SHARD_META, shardMetadata } from '../../schemas/shards.js';
import { manifestShardEntry } from './written-shard.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonSchema = { [key: string]: Json };

/** The JSON Schema keywords manifest.v1.schema.json uses; unknown keywords fail loudly. */
function validate(schema: JsonSchema, value: Json, root: JsonSchema, at = '$'): string[] {
  const known = new Set(['$schema', '$id', 'title', 'description', '$defs', '$ref', 'const', 'enum', 'type', 'properties',
    'required', 'additionalProperties', 'items', 'minimum', 'maximum', 'minLength', 'pattern', 'oneOf', 'if', 'then', 'else']);
  for (const key of Object.keys(schema)) if (!known.has(key)) throw new Error(`validator: unsupported keyword ${key}`);
  const errors: string[] = [];
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = ref.replace(/^#\//, '').split('/').reduce<Json>((node, part) => (node as JsonSchema)[part]!, root);
    errors.push(...validate(target as JsonSchema, value, root, at));
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) errors.push(`${at}: const`);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value as string)) errors.push(`${at}: enum`);
  if (schema['type'] !== undefined) {
    const types = ([] as Json[]).concat(schema['type']);
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && Number.isInteger(value)));
    if (!ok) errors.push(`${at}: type ${actual}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${at}: minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${at}: maximum`);
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errors.push(`${at}: minLength`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${at}: pattern`);
  }
  if (Array.isArray(value) && schema['items']) {
    value.forEach((item, i) => errors.push(...validate(schema['items'] as JsonSchema, item, root, `${at}[${i}]`)));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in value)) errors.push(`${at}: missing ${key}`);
    for (const [key, item] of Object.entries(value)) {
      if (properties[key]) errors.push(...validate(properties[key], item, root, `${at}.${key}`));
      else if (schema['additionalProperties'] === false) errors.push(`${at}: extra ${key}`);
    }
  }
  if (Array.isArray(schema['oneOf'])) {
    const passing = schema['oneOf'].filter((s) => validate(s as JsonSchema, value, root, at).length === 0).length;
    if (passing !== 1) errors.push(`${at}: oneOf matched ${passing}`);
  }
  if (schema['if']) {
    const branch = validate(schema['if'] as JsonSchema, value, root, at).length === 0 ? schema['then'] : schema['else'];
    if (branch) errors.push(...validate(branch as JsonSchema, value, root, at));
  }
  return errors;
}

const manifestSchema = JSON.parse(
  readFileSync(path.join(process.cwd(), 'schemas', 'manifest.v1.schema.json'), 'utf8'),
) as JsonSchema;

const hex = (c: string): string => c.repeat(64);

function sampleManifest(): LakeManifest {
  return {
    schema: 'sonospeech.lake-manifest',
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'sonospeech', version: '0.1.0' },
    config: { clipFrames: 60, groups: 2, nested: { list: [1, 'a', null] } },
    seed: 1234,
    inputs: [{ path: '/data/scan-0001.mp4', size: 1024, sha256: hex('a') }],
    shards: [
      manifestShardEntry({ path: '/lake/pairs/pairs-00000.arrow', format: 'arrow', kind: 'pairs', rows: 1000, bytes: 5, sha256: hex('b') }, '/lake'),
      { path: 'orders/orders-00000.parquet', format: 'parquet', kind: 'orders', rows: 12, bytes: 7, sha256: hex('c') },
    ],
    scans: [
      {
        id: 'scan-0001', status: 'ok', error: null, duration: 12.5, clips: 30, highAffinity: 20, lowAffinity: 10,
        pairs: 80, orderSamples: 10, droppedTailFrames: 17, crop: { x: 100, y: 40, width: 224, height: 224 },
      },
      {
        id: 'scan-0002', status: 'failed', error: 'ffmpeg exited with 1', duration: 0.4, clips: 0, highAffinity: 0,
        lowAffinity: 0, pairs: 0, orderSamples: 0, droppedTailFrames: 0, crop: null,
      },
    ],
  };
}

describe('shard schemas', () => {
  it('Arrow and Parquet schemas come from the same column list', () => {
    for (const [arrow, parquet, columns] of [
      [pairSchema(), parquetSchema('pairs'), pairColumns()],
      [orderSchema(), parquetSchema('orders'), orderColumns()],
    ] as const) {
      const names = columns.map((c) => c.name);
      expect(arrow.fields.map((f) => f.name)).toEqual(names);
      expect(parquet.slice(1).map((e) => e.name)).toEqual(names);
      expect(parquet[0]).toEqual({ name: 'root', num_children: names.length });
      expect(arrow.fields.every((f) => !f.nullable && f.metadata.get(FIELD_META.description))).toBe(true);
      expect(parquet.slice(1).every((e) => e.repetition_type === 'REQUIRED')).toBe(true);
    }
    expect(pairSchema().fields.map((f) => f.name)).toEqual([
      'scan_id', 'clip', 'group_k', 'frame_index', 'frame', 'speech_pos', 'speech_neg',
      'speech_pos_time', 'speech_neg_time', 'delta', 'affinity', 'sample_seed',
    ]);
  });

  it('puts sizes and dequantisation into the metadata', () => {
    const schema = pairSchema({ frameHeight: 64, frameWidth: 32, specBins: 128, specFrames: 100, specDbScale: 0.25 });
    const spec = schema.fields.find((f) => f.name === 'speech_pos')!;
    expect((spec.type as FixedSizeBinary).byteWidth).toBe(12_800);
    expect(spec.metadata.get(FIELD_META.shape)).toBe('128,100');
    expect(schema.fields.find((f) => f.name === 'frame')!.metadata.get(FIELD_META.shape)).toBe('64,32');
    expect(schema.metadata.get(SHARD_META.version)).toBe('1');
    expect(describeShard(schema.metadata)).toEqual({
      kind: 'pairs',
      version: 1,
      layout: { frameHeight: 64, frameWidth: 32, specBins: 128, specFrames: 100, specDbScale: 0.25, specDbOffset: -100 },
    });
    const parquetOrders = parquetSchema('orders', { frameHeight: 8, frameWidth: 8 });
    expect(parquetOrders.find((e) => e.name === 'label')).toMatchObject({ type: 'INT32', converted_type: 'INT_8' });
    expect(parquetOrders.find((e) => e.name === 'sample_seed')).toMatchObject({ type: 'INT64' });
  });

  it('defines 12 frame-order classes, an order sharing its class with its reverse', () => {
    expect(ORDER_CLASS_PERMUTATIONS).toHaveLength(12);
    expect(orderLabel([0, 1, 2, 3])).toBe(0);
    expect(orderLabel([3, 2, 1, 0])).toBe(0);
    expect(orderLabel([0, 1, 3, 2])).toBe(1);
    expect(orderLabel([2, 3, 1, 0])).toBe(1);
    const counts = new Array<number>(12).fill(0);
    for (const p of ORDER_CLASS_PERMUTATIONS) {
      for (const q of [p, [...p].reverse()]) counts[orderLabel(q)]! += 1;
    }
    expect(counts).toEqual(new Array<number>(12).fill(2));
    expect(orderLabel([0, 1, 1, 3])).toBe(-1);
    expect(orderLabel([0, 1, 2])).toBe(-1);
  });

  it('refuses other schema versions and foreign files', () => {
    const meta = shardMetadata('orders', resolveLayout());
    expect(describeShard(meta).kind).toBe('orders');
    expect(() => describeShard(new Map([...meta, [SHARD_META.version, '2']]))).toThrow(/schema version 2/);
    expect(() => describeShard(new Map([...meta, [SHARD_META.schema, 'other']]))).toThrow(/not a sonospeech shard/);
    expect(() => describeShard(new Map([...meta, [SHARD_META.frameWidth, '0']]))).toThrow(/frameWidth/);
  });
});

describe('manifest JSON Schema', () => {
  it('accepts a manifest built from the TypeScript types', () => {
    expect(validate(manifestSchema, sampleManifest() as unknown as Json, manifestSchema)).toEqual([]);
  });

  it('lists exactly the properties of the TypeScript types, all required', () => {
    const sample = sampleManifest();
    const defs = manifestSchema['$defs'] as Record<string, JsonSchema>;
    const keysOf = (s: JsonSchema): string[] => Object.keys(s['properties'] as object).sort();
    const objects: [JsonSchema, object][] = [
      [manifestSchema, sample],
      [(manifestSchema['properties'] as Record<string, JsonSchema>)['tool']!, sample.tool],
      [defs['input']!, sample.inputs[0]!],
      [defs['shard']!, sample.shards[0]!],
      [defs['scan']!, sample.scans[0]!],
      [defs['crop']!, sample.scans[0]!.crop!],
    ];
    for (const [schema, value] of objects) {
      expect(keysOf(schema)).toEqual(Object.keys(value).sort());
      expect([...(schema['required'] as string[])].sort()).toEqual(Object.keys(value).sort());
    }
  });

  it('rejects broken manifests', () => {
    const broken: [string, (m: LakeManifest) => void][] = [
      ['missing seed', (m) => delete (m as Partial<LakeManifest>).seed],
      ['bad sha', (m) => { m.inputs[0]!.sha256 = 'ABC'; }],
      ['absolute shard path', (m) => { m.shards[0]!.path = '/lake/pairs-00000.arrow'; }],
      ['escaping shard path', (m) => { m.shards[0]!.path = 'pairs/../../x.arrow'; }],
      ['unknown format', (m) => { (m.shards[0] as { format: string }).format = 'csv'; }],
      ['failed without error', (m) => { m.scans[1]!.error = null; }],
      ['ok with error', (m) => { m.scans[0]!.error = 'boom'; }],
      ['negative count', (m) => { m.scans[0]!.pairs = -1; }],
      ['extra field', (m) => { (m.scans[0] as unknown as Record<string, unknown>)['extra'] = 1; }],
      ['other version', (m) => { (m as { schemaVersion: number }).schemaVersion = 2; }],
    ];
    for (const [name, breakIt] of broken) {
      const manifest = sampleManifest();
      breakIt(manifest);
      expect([name, validate(manifestSchema, manifest as unknown as Json, manifestSchema).length > 0]).toEqual([name, true]);
    }
  });

  it('makes shard paths relative to the lake root', () => {
    const shard = { path: path.join('/lake', 'pairs', 'pairs-00001.arrow'), format: 'arrow', kind: 'pairs', rows: 1, bytes: 1, sha256: hex('d') } as const;
    expect(manifestShardEntry(shard, '/lake').path).toBe('pairs/pairs-00001.arrow');
    expect(() => manifestShardEntry(shard, '/elsewhere')).toThrow(/not inside the lake root/);
  });
});
