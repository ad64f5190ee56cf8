/**
 * A memory arena with one kernel: bytes -> float32 through `f32(f32(q * scale) + offset)`
 * (uint8 normalisation, spectrogram dequantisation). The kernel is a hand-assembled
 * WebAssembly SIMD loop, 2-3x faster than a JavaScript loop; a JavaScript lookup table
 * computes the same bits where SIMD is missing.
 */

export interface AffineArena {
  readonly simd: boolean;
  /** The whole arena. */
  readonly bytes: Uint8Array;
  /** `count` bytes at byte offset `src` -> `count` float32 at byte offset `dst` (a multiple of 4). */
  convert(src: number, dst: number, count: number, scale: number, offset: number): void;
  /** A view of `count` float32 at byte offset `dst`. */
  floats(dst: number, count: number): Float32Array;
}

const PAGE = 65536;
/** 2 GiB: far above any sane replay configuration, far below wasm32's 4 GiB. */
const MAX_ARENA_BYTES = 2 ** 31;

const { fround } = Math;

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmModule { readonly brand?: 'WebAssembly.Module' }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export function createAffineArena(byteLength: number, options: { simd?: boolean } = {}): AffineArena {
  if (!(byteLength > 0 && byteLength <= MAX_ARENA_BYTES)) throw new Error(`replay arena of ${byteLength} bytes: must be 1..${MAX_ARENA_BYTES} (lower shuffleBuffer or batchSize)`);
  const simd = options.simd ?? simdModule() !== undefined;
  return simd ? wasmArena(byteLength) : jsArena(byteLength);
}

function wasmArena(byteLength: number): AffineArena {
  const module = simdModule();
  if (!module) throw new Error('WebAssembly SIMD is not available');
  const memory = new wasm!.Memory({ initial: Math.ceil(byteLength / PAGE) });
  const instance = new wasm!.Instance(module, { env: { memory } });
  const affine = instance.exports.affine as (src: number, dst: number, end: number, scale: number, offset: number) => void;
  const bytes = new Uint8Array(memory.buffer, 0, byteLength);
  const f32 = new Float32Array(memory.buffer);
  return {
    simd: true,
    bytes,
    convert(src, dst, count, scale, offset) {
      checkRange(src, dst, count, byteLength);
      const vectorised = count - (count % 16);
      if (vectorised > 0) affine(src, dst, src + vectorised, scale, offset);
      tail(bytes, f32, src, dst, vectorised, count, scale, offset);
    },
    floats: (dst, count) => new Float32Array(memory.buffer, dst, count),
  };
}

function jsArena(byteLength: number): AffineArena {
  const buffer = new ArrayBuffer(byteLength);
  const bytes = new Uint8Array(buffer);
  const f32 = new Float32Array(buffer, 0, byteLength >>> 2);
  const lut = new Float32Array(256);
  let lutScale = NaN;
  let lutOffset = NaN;
  return {
    simd: false,
    bytes,
    convert(src, dst, count, scale, offset) {
      checkRange(src, dst, count, byteLength);
      if (scale !== lutScale || offset !== lutOffset) {
        for (let q = 0; q < 256; q++) lut[q] = affineValue(q, scale, offset);
        lutScale = scale;
        lutOffset = offset;
      }
      const d = dst >>> 2;
      for (let i = 0; i < count; i++) f32[d + i] = lut[bytes[src + i]!]!;
    },
    floats: (dst, count) => new Float32Array(buffer, dst, count),
  };
}

/** The float32 the kernels produce for byte q (both round after the multiply and after the add). */
export function affineValue(q: number, scale: number, offset: number): number {
  return fround(fround(q * fround(scale)) + fround(offset));
}

function tail(bytes: Uint8Array, f32: Float32Array, src: number, dst: number, from: number, count: number, scale: number, offset: number): void {
  const d = dst >>> 2;
  for (let i = from; i < count; i++) f32[d + i] = affineValue(bytes[src + i]!, scale, offset);
}

function checkRange(src: number, dst: number, count: number, byteLength: number): void {
  if (dst % 4 !== 0 || src < 0 || dst < 0 || src + count > byteLength || dst + 4 * count > byteLength) {
    throw new RangeError(`affine arena: src ${src}, dst ${dst}, count ${count} outside ${byteLength} bytes`);
  }
}

let cachedModule: WasmModule | null | undefined;

function simdModule(): WasmModule | undefined {
  if (cachedModule === undefined) {
    const bytes = affineModuleBytes();
    cachedModule = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return cachedModule ?? undefined;
}

/**
 * (module (import "env" "memory" (memory 1))
 *   (func (export "affine") (param $src i32) (param $dst i32) (param $end i32) (param $scale f32) (param $offset f32)
 *     for (; src < end; src += 16, dst += 64) {
 *       v = v128.load(src); 16 bytes -> 2 x i16x8 (unsigned) -> 4 x i32x4 -> 4 x f32x4
 *       v128.store(dst + 16k, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(part k), splat scale), splat offset))
 *     }))
 */
export function affineModuleBytes(): Uint8Array {
  const I32 = 0x7f;
  const F32 = 0x7d;
  const V128 = 0x7b;
  const [src, dst, end, scale, offset, vScale, vOffset, v, half] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const get = (i: number): number[] => [0x20, i];
  const set = (i: number): number[] => [0x21, i];
  const simd = (op: number): number[] => [0xfd, ...uleb(op)];
  const OP = {
    load: 0x00, store: 0x0b, f32x4Splat: 0x13,
    extendLowI8: 0x89, extendHighI8: 0x8a, extendLowI16: 0xa9, extendHighI16: 0xaa,
    convertU: 0xfb, mul: 0xe6, add: 0xe4,
  };
  // Stack: [dst, i32x4] -> store f32x4(i32x4) * scale + offset at dst + byteOffset.
  const convertStore = (extend: number, byteOffset: number): number[] => [
    ...get(dst), ...get(half), ...simd(extend), ...simd(OP.convertU),
    ...get(vScale), ...simd(OP.mul), ...get(vOffset), ...simd(OP.add),
    ...simd(OP.store), 4, ...uleb(byteOffset),
  ];
  const code = [
    ...vec([[4, V128]]), // locals 5..8: vScale, vOffset, v, half
    ...get(scale), ...simd(OP.f32x4Splat), ...set(vScale),
    ...get(offset), ...simd(OP.f32x4Splat), ...set(vOffset),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(src), ...get(end), 0x4f, 0x0d, 1, // br_if 1 when src >= end (unsigned)
    ...get(src), ...simd(OP.load), 0, 0, ...set(v),
    ...get(v), ...simd(OP.extendLowI8), ...set(half),
    ...convertStore(OP.extendLowI16, 0), ...convertStore(OP.extendHighI16, 16),
    ...get(v), ...simd(OP.extendHighI8), ...set(half),
    ...convertStore(OP.extendLowI16, 32), ...convertStore(OP.extendHighI16, 48),
    ...get(src), 0x41, ...sleb(16), 0x6a, ...set(src), // src += 16
    ...get(dst), 0x41, ...sleb(64), 0x6a, ...set(dst), // dst += 64
    0x0c, 0, 0x0b, 0x0b, 0x0b, // br loop; end loop; end block; end func
  ];
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [F32], [F32]]), 0]])), // type: (i32 i32 i32 f32 f32) -> ()
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // import memory, min 1 page
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(7, vec([[...name('affine'), 0x00, 0]])), // export function 0
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}
