/**
 * Named float32 tensors <-> one ArrayBuffer, for checkpoints and for shipping gradients
 * between worker threads (an ArrayBuffer is transferable). Layout:
 *   bytes 0-3  "SSW1"
 *   bytes 4-7  header length in bytes (uint32, little endian)
 *   header     UTF-8 JSON {tensors: [{name, shape, offset, length}], meta}
 *   padding    zeros up to a multiple of 4
 *   data       float32 little endian; offset and length count floats from the data start
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamSet } from './param-set.js';

const MAGIC = 'SSW1';

export interface TensorRecord {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface DecodedTensors {
  tensors: Map<string, { shape: number[]; values: Float32Array }>;
  meta: unknown;
}

/** Packs already-read values. */
export function encodeValues(entries: Iterable<[string, { shape: readonly number[]; values: ArrayLike<number> }]>, meta?: unknown): ArrayBuffer {
  const records: TensorRecord[] = [];
  const chunks: ArrayLike<number>[] = [];
  let floats = 0;
  for (const [name, { shape, values }] of entries) {
    const length = shape.reduce((a, b) => a * b, 1);
    if (values.length !== length) throw new Error(`encodeValues: ${name} has ${values.length} values for shape [${shape.join(',')}]`);
    records.push({ name, shape: [...shape], offset: floats, length });
    chunks.push(values);
    floats += length;
  }
  const header = new TextEncoder().encode(JSON.stringify({ tensors: records, meta: meta ?? null }));
  const dataStart = (8 + header.length + 3) & ~3;
  const buffer = new ArrayBuffer(dataStart + floats * 4);
  const bytes = new Uint8Array(buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(buffer).setUint32(4, header.length, true);
  bytes.set(header, 8);
  const data = new Float32Array(buffer, dataStart, floats);
  records.forEach((r, i) => data.set(chunks[i] as ArrayLike<number>, r.offset));
  return buffer;
}

/** Reads the tensors' values (async: works on every backend) and packs them. */
export async function encodeTensors(entries: Iterable<[string, tf.Tensor]>, meta?: unknown): Promise<ArrayBuffer> {
  const list = [...entries];
  const values = await Promise.all(list.map(async ([, t]) => (await t.data()) as Float32Array));
  return encodeValues(
    list.map(([name, t], i) => [name, { shape: t.shape, values: values[i] as Float32Array }]),
    meta,
  );
}

/** Unpacks a buffer from encodeValues/encodeTensors; the value arrays are views into it. */
export function decodeTensors(input: ArrayBuffer | Uint8Array): DecodedTensors {
  // A Node Buffer may start at an unaligned offset of a shared pool: copy it out.
  const buffer = input instanceof Uint8Array ? input.slice().buffer : input;
  if (buffer.byteLength < 8 || new TextDecoder().decode(new Uint8Array(buffer, 0, 4)) !== MAGIC) {
    throw new Error('decodeTensors: not a sonospeech tensor buffer (bad magic)');
  }
  const headerLength = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength))) as { tensors: TensorRecord[]; meta: unknown };
  const dataStart = (8 + headerLength + 3) & ~3;
  const floats = (buffer.byteLength - dataStart) / 4;
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const r of header.tensors) {
    if (r.offset < 0 || r.offset + r.length > floats) throw new Error(`decodeTensors: ${r.name} lies outside the data`);
    tensors.set(r.name, { shape: r.shape, values: new Float32Array(buffer, dataStart + r.offset * 4, r.length) });
  }
  return { tensors, meta: header.meta };
}

/** All parameters (trainable and running statistics) keyed by their stable names. */
export function saveWeights(params: ParamSet, meta?: unknown): Promise<ArrayBuffer> {
  return encodeTensors(params.entries(), meta);
}

/**
 * Assigns every parameter from a buffer of saveWeights. Every parameter must be present with
 * its shape; names the model does not have are an error too (a different architecture).
 */
export function loadWeights(params: ParamSet, buffer: ArrayBuffer | Uint8Array): unknown {
  const { tensors, meta } = decodeTensors(buffer);
  const names = params.names();
  const missing = names.filter((n) => !tensors.has(n));
  const unknown = [...tensors.keys()].filter((n) => !params.has(n));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`loadWeights: missing [${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}], unknown [${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}]`);
  }
  for (const name of names) {
    const { shape } = tensors.get(name) as { shape: number[] };
    const variable = params.get(name);
    if (shape.length !== variable.shape.length || shape.some((d, i) => d !== variable.shape[i])) {
      throw new Error(`loadWeights: ${name} has shape [${shape.join(',')}], the model [${variable.shape.join(',')}]`);
    }
  }
  for (const name of names) {
    const { shape, values } = tensors.get(name) as { shape: number[]; values: Float32Array };
    tf.tidy(() => params.get(name).assign(tf.tensor(values, shape, 'float32')));
  }
  return meta;
}
