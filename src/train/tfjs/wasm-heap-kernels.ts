/**
 * Hand-assembled WebAssembly SIMD functions that run on tfjs-backend-wasm's own heap (the
 * module imports the backend's WebAssembly.Memory, so tensors are read and written in place;
 * pointers and steps are in bytes):
 *
 * - outerProductAccumulate(x, xStep, xRowStep, dy, dyStep, dyRowStep, count, rows, a, b, out, outRowStep, images, xImageStep, dyImageStep)
 *     for each of `images` x `rows` rows, for each of `count` pixels p: out[j][o] += x[p][j] * dy[p][o]
 *     (j < a, o < b, b a multiple of 4; out rows outRowStep apart). The inner loop of a
 *     convolution's filter gradient, dW[tap][ci][co] = sum over pixels of x[shifted][ci] *
 *     dy[co], read straight from NHWC tensors: no transposes and no packed copy of a
 *     65,536-row operand, which is what XNNPACK's matMul and conv spend most of their time on
 *     for these shapes (wasm-conv-filter-gradient.ts).
 * - outerProductBlock(x, xStep, xRowStep, dy, dyStep, dyRowStep, count, rows, out, outRowStep, images, xImageStep, dyImageStep)
 *     the same for one 4 x 4 block (a = b = 4) with the accumulators in registers;
 * - rowSums(x, y, batch, n, c, out): out[b] = [sum_p x[b][p][:], sum_p x[b][p][:] * y[b][p][:]]
 *     for x, y [batch, n, c] (c a multiple of 4) -> out [batch, 2c], in one pass.
 * - rowAffine(x, scale, shift, batch, n, c, out): out[b][p][:] = x[b][p][:] * scale[b][:] + shift[b][:].
 *   (wasm-row-kernels.ts: GroupNorm and squeeze-excitation statistics and affines.)
 * - permuteRows(in, out, a, b, rowBytes): [a, b, row] -> [b, a, row] for rows of a multiple
 *   of 16 bytes, written in order (wasm-transpose-kernel.ts: tfjs' own kernel takes ~6 ms to
 *   move [65536, 4, 4] this way, a plain copy's cost is under 1 ms).
 *
 * The module is built from bytes here (the build has no wasm toolchain); WebAssembly
 * validates it when it is compiled.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Bytes = number[];

// The WebAssembly API as used here (the project's TypeScript lib has no WebAssembly types).
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function uleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: Bytes): Bytes {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): Bytes {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

const I32 = 0x7f;
const V128 = 0x7b;

// Instructions.
const get = (i: number): Bytes => [0x20, ...uleb(i)];
const set = (i: number): Bytes => [0x21, ...uleb(i)];
const i32 = (v: number): Bytes => [0x41, ...sleb(v)];
const ADD = [0x6a];
const MUL = [0x6c];
const GE_U = [0x4f];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const br = (depth: number): Bytes => [0x0c, ...uleb(depth)];
const brIf = (depth: number): Bytes => [0x0d, ...uleb(depth)];
const F32_LOAD = [0x2a, 2, 0]; // align 2^2, offset 0
const V128_LOAD = [0xfd, ...uleb(0x00), 2, 0]; // align hint 4 bytes
const V128_STORE = [0xfd, ...uleb(0x0b), 2, 0];
const F32X4_SPLAT = [0xfd, ...uleb(0x13)];
const F32X4_ADD = [0xfd, ...uleb(0xe4)];
const F32X4_MUL = [0xfd, ...uleb(0xe6)];
const ZERO_V128 = [0x43, 0, 0, 0, 0, ...F32X4_SPLAT]; // f32.const 0; f32x4.splat

/** `while (counter < limit) { body; counter += step }` with the counter reset to 0 first. */
function countedLoop(counter: number, limit: Bytes, step: Bytes, body: Bytes): Bytes {
  return [
    ...i32(0), ...set(counter),
    ...BLOCK, ...LOOP,
    ...get(counter), ...limit, ...GE_U, ...brIf(1),
    ...body,
    ...get(counter), ...step, ...ADD, ...set(counter),
    ...br(0),
    ...END, ...END,
  ];
}

interface FunctionBody {
  params: number;
  i32Locals: number;
  v128Locals: number;
  code: Bytes;
}

function outerProductFunction(): FunctionBody {
  const X = 0, X_STEP = 1, X_ROW_STEP = 2, DY = 3, DY_STEP = 4, DY_ROW_STEP = 5, COUNT = 6, ROWS = 7, A = 8, B = 9, OUT = 10, OUT_ROW_STEP = 11;
  const IMAGES = 12, X_IMAGE_STEP = 13, DY_IMAGE_STEP = 14;
  const R = 15, P = 16, J = 17, O = 18, XP = 19, DP = 20, OP = 21, XR = 22, DR = 23, X1 = 24, X2 = 25, X3 = 26, D1 = 27, D2 = 28, D3 = 29, I = 30, XI = 31, DI = 32, OP2 = 33;
  const S0 = 34, S1 = 35, S2 = 36, S3 = 37, T0 = 38, T1 = 39, T2 = 40, T3 = 41, V0 = 42, V1 = 43, V2 = 44, V3 = 45; // v128
  const load = (pointer: number): Bytes => [...get(pointer), ...get(O), ...ADD, ...V128_LOAD];
  const splatAt = (pointer: number, target: number, next = 0): Bytes => [
    ...get(pointer), ...get(J), ...i32(4), ...MUL, ...ADD, 0x2a, 2, ...uleb(4 * next), ...F32X4_SPLAT, ...set(target),
  ];
  const outRow = [...get(OUT), ...get(J), ...get(OUT_ROW_STEP), ...MUL, ...ADD, ...set(OP)];
  const bBytes = [...get(B), ...i32(4), ...MUL];
  /** out[row][o..o+3] += splats . V0..V3 (the four pixels' dy vectors, loaded once). */
  const accumulateRow = (row: number, splats: number[]): Bytes => [
    ...get(row), ...get(O), ...ADD,
    ...load(row),
    ...splats.flatMap((splat, k) => [...get(splat), ...get(V0 + k), ...F32X4_MUL, ...F32X4_ADD]),
    ...V128_STORE,
  ];
  const loadDy = [...load(DP), ...set(V0), ...load(D1), ...set(V1), ...load(D2), ...set(V2), ...load(D3), ...set(V3)];
  // Four pixels at a time: out[j][o..o+3] += sum_k splat(x_k[j]) * dy_k[o..o+3], so each
  // accumulator is loaded and stored once per four products; two channels j at a time share
  // the dy loads.
  const fourPixels = [
    ...i32(0), ...set(J),
    ...BLOCK, ...LOOP,
    ...get(J), ...i32(2), ...ADD, ...get(A), ...[0x4b], ...brIf(1), // i32.gt_u: J + 2 > A
    ...splatAt(XP, S0), ...splatAt(X1, S1), ...splatAt(X2, S2), ...splatAt(X3, S3),
    ...splatAt(XP, T0, 1), ...splatAt(X1, T1, 1), ...splatAt(X2, T2, 1), ...splatAt(X3, T3, 1),
    ...outRow,
    ...get(OP), ...get(OUT_ROW_STEP), ...ADD, ...set(OP2),
    ...countedLoop(O, bBytes, i32(16), [...loadDy, ...accumulateRow(OP, [S0, S1, S2, S3]), ...accumulateRow(OP2, [T0, T1, T2, T3])]),
    ...get(J), ...i32(2), ...ADD, ...set(J),
    ...br(0),
    ...END, ...END,
    // an odd last channel
    ...BLOCK,
    ...get(J), ...get(A), ...GE_U, ...brIf(0),
    ...splatAt(XP, S0), ...splatAt(X1, S1), ...splatAt(X2, S2), ...splatAt(X3, S3),
    ...outRow,
    ...countedLoop(O, bBytes, i32(16), [...loadDy, ...accumulateRow(OP, [S0, S1, S2, S3])]),
    ...END,
  ];
  const onePixel = countedLoop(J, get(A), i32(1), [
    ...splatAt(XP, S0),
    ...outRow,
    ...countedLoop(O, bBytes, i32(16), [
      ...get(OP), ...get(O), ...ADD,
      ...load(OP), ...get(S0), ...load(DP), ...F32X4_MUL, ...F32X4_ADD,
      ...V128_STORE,
    ]),
  ]);
  const advance = (pointer: number, step: number, times: number): Bytes => [...get(pointer), ...get(step), ...i32(times), ...MUL, ...ADD];
  // P counts pixels done; the 4-pixel loop runs while P + 4 <= COUNT, then single pixels.
  const pixels = [
    ...i32(0), ...set(P),
    ...BLOCK, ...LOOP,
    ...get(P), ...i32(4), ...ADD, ...get(COUNT), ...[0x4b], ...brIf(1), // i32.gt_u: P + 4 > COUNT
    ...advance(XP, X_STEP, 1), ...set(X1), ...advance(XP, X_STEP, 2), ...set(X2), ...advance(XP, X_STEP, 3), ...set(X3),
    ...advance(DP, DY_STEP, 1), ...set(D1), ...advance(DP, DY_STEP, 2), ...set(D2), ...advance(DP, DY_STEP, 3), ...set(D3),
    ...fourPixels,
    ...advance(XP, X_STEP, 4), ...set(XP),
    ...advance(DP, DY_STEP, 4), ...set(DP),
    ...get(P), ...i32(4), ...ADD, ...set(P),
    ...br(0),
    ...END, ...END,
    ...BLOCK, ...LOOP,
    ...get(P), ...get(COUNT), ...GE_U, ...brIf(1),
    ...onePixel,
    ...get(XP), ...get(X_STEP), ...ADD, ...set(XP),
    ...get(DP), ...get(DY_STEP), ...ADD, ...set(DP),
    ...get(P), ...i32(1), ...ADD, ...set(P),
    ...br(0),
    ...END, ...END,
  ];
  const perRow = countedLoop(R, get(ROWS), i32(1), [
    ...get(XR), ...set(XP),
    ...get(DR), ...set(DP),
    ...pixels,
    ...get(XR), ...get(X_ROW_STEP), ...ADD, ...set(XR),
    ...get(DR), ...get(DY_ROW_STEP), ...ADD, ...set(DR),
  ]);
  const perImage = countedLoop(I, get(IMAGES), i32(1), [
    ...get(XI), ...set(XR),
    ...get(DI), ...set(DR),
    ...perRow,
    ...get(XI), ...get(X_IMAGE_STEP), ...ADD, ...set(XI),
    ...get(DI), ...get(DY_IMAGE_STEP), ...ADD, ...set(DI),
  ]);
  return { params: 15, i32Locals: 19, v128Locals: 12, code: [...get(X), ...set(XI), ...get(DY), ...set(DI), ...perImage] };
}

/**
 * A 4 x 4 block of the same sums with its accumulators in registers: out[j][0..3] +=
 * sum_p x[p][j] * dy[p][0..3] for j < 4. For narrow operands (grouped convs: 4-8 channels per
 * group) the general loop spends most of its time loading and storing accumulators.
 */
function outerProductBlockFunction(): FunctionBody {
  const X = 0, X_STEP = 1, X_ROW_STEP = 2, DY = 3, DY_STEP = 4, DY_ROW_STEP = 5, COUNT = 6, ROWS = 7, OUT = 8, OUT_ROW_STEP = 9;
  const IMAGES = 10, X_IMAGE_STEP = 11, DY_IMAGE_STEP = 12;
  const R = 13, P = 14, XP = 15, DP = 16, XR = 17, DR = 18, I = 19, XI = 20, DI = 21;
  const ACC = [22, 23, 24, 25], DYV = 26; // v128
  const F32_LOAD_AT = (offset: number): Bytes => [0x2a, 2, ...uleb(offset)];
  const accumulate = ACC.flatMap((acc, j) => [
    ...get(acc), ...get(XP), ...F32_LOAD_AT(4 * j), ...F32X4_SPLAT, ...get(DYV), ...F32X4_MUL, ...F32X4_ADD, ...set(acc),
  ]);
  const perPixel = countedLoop(P, get(COUNT), i32(1), [
    ...get(DP), ...V128_LOAD, ...set(DYV),
    ...accumulate,
    ...get(XP), ...get(X_STEP), ...ADD, ...set(XP),
    ...get(DP), ...get(DY_STEP), ...ADD, ...set(DP),
  ]);
  const perRow = countedLoop(R, get(ROWS), i32(1), [
    ...get(XR), ...set(XP),
    ...get(DR), ...set(DP),
    ...perPixel,
    ...get(XR), ...get(X_ROW_STEP), ...ADD, ...set(XR),
    ...get(DR), ...get(DY_ROW_STEP), ...ADD, ...set(DR),
  ]);
  const store = ACC.flatMap((acc, j) => [
    ...get(OUT), ...i32(j), ...get(OUT_ROW_STEP), ...MUL, ...ADD,
    ...get(OUT), ...i32(j), ...get(OUT_ROW_STEP), ...MUL, ...ADD, ...V128_LOAD,
    ...get(acc), ...F32X4_ADD,
    ...V128_STORE,
  ]);
  const perImage = countedLoop(I, get(IMAGES), i32(1), [
    ...get(XI), ...set(XR),
    ...get(DI), ...set(DR),
    ...perRow,
    ...get(XI), ...get(X_IMAGE_STEP), ...ADD, ...set(XI),
    ...get(DI), ...get(DY_IMAGE_STEP), ...ADD, ...set(DI),
  ]);
  const clear = ACC.flatMap((acc) => [...ZERO_V128, ...set(acc)]);
  return { params: 13, i32Locals: 9, v128Locals: 5, code: [...clear, ...get(X), ...set(XI), ...get(DY), ...set(DI), ...perImage, ...store] };
}

function rowSumsFunction(): FunctionBody {
  const X = 0, Y = 1, BATCH = 2, N = 3, C = 4, OUT = 5;
  const BI = 6, P = 7, K = 8, XP = 9, YP = 10, OP = 11, ROW = 12, XV = 13;
  const zero = countedLoop(K, [...get(ROW), ...i32(2), ...MUL], i32(16), [...get(OP), ...get(K), ...ADD, ...ZERO_V128, ...V128_STORE]);
  const perLane = countedLoop(K, get(ROW), i32(16), [
    ...get(XP), ...get(K), ...ADD, ...V128_LOAD, ...set(XV),
    // out[k] += x
    ...get(OP), ...get(K), ...ADD,
    ...get(OP), ...get(K), ...ADD, ...V128_LOAD, ...get(XV), ...F32X4_ADD,
    ...V128_STORE,
    // out[c + k] += x * y
    ...get(OP), ...get(ROW), ...ADD, ...get(K), ...ADD,
    ...get(OP), ...get(ROW), ...ADD, ...get(K), ...ADD, ...V128_LOAD,
    ...get(XV), ...get(YP), ...get(K), ...ADD, ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD,
    ...V128_STORE,
  ]);
  const perPixel = countedLoop(P, get(N), i32(1), [
    ...perLane,
    ...get(XP), ...get(ROW), ...ADD, ...set(XP),
    ...get(YP), ...get(ROW), ...ADD, ...set(YP),
  ]);
  const perSample = countedLoop(BI, get(BATCH), i32(1), [
    ...zero,
    ...perPixel,
    ...get(OP), ...get(ROW), ...i32(2), ...MUL, ...ADD, ...set(OP),
  ]);
  return {
    params: 6,
    i32Locals: 7,
    v128Locals: 1,
    code: [...get(C), ...i32(4), ...MUL, ...set(ROW), ...get(X), ...set(XP), ...get(Y), ...set(YP), ...get(OUT), ...set(OP), ...perSample],
  };
}

function rowAffineFunction(): FunctionBody {
  const X = 0, SCALE = 1, SHIFT = 2, BATCH = 3, N = 4, C = 5, OUT = 6;
  const BI = 7, P = 8, K = 9, XP = 10, OP = 11, SP = 12, TP = 13, ROW = 14;
  const perLane = countedLoop(K, get(ROW), i32(16), [
    ...get(OP), ...get(K), ...ADD,
    ...get(XP), ...get(K), ...ADD, ...V128_LOAD,
    ...get(SP), ...get(K), ...ADD, ...V128_LOAD, ...F32X4_MUL,
    ...get(TP), ...get(K), ...ADD, ...V128_LOAD, ...F32X4_ADD,
    ...V128_STORE,
  ]);
  const perPixel = countedLoop(P, get(N), i32(1), [
    ...perLane,
    ...get(XP), ...get(ROW), ...ADD, ...set(XP),
    ...get(OP), ...get(ROW), ...ADD, ...set(OP),
  ]);
  const perSample = countedLoop(BI, get(BATCH), i32(1), [
    ...perPixel,
    ...get(SP), ...get(ROW), ...ADD, ...set(SP),
    ...get(TP), ...get(ROW), ...ADD, ...set(TP),
  ]);
  return {
    params: 7,
    i32Locals: 8,
    v128Locals: 0,
    code: [
      ...get(C), ...i32(4), ...MUL, ...set(ROW),
      ...get(X), ...set(XP), ...get(OUT), ...set(OP), ...get(SCALE), ...set(SP), ...get(SHIFT), ...set(TP),
      ...perSample,
    ],
  };
}

function permuteRowsFunction(): FunctionBody {
  const IN = 0, OUT = 1, A = 2, B = 3, ROW = 4;
  const BI = 5, AI = 6, K = 7, IP = 8, OP = 9, STRIDE = 10;
  const copyRow = countedLoop(K, get(ROW), i32(16), [...get(OP), ...get(K), ...ADD, ...get(IP), ...get(K), ...ADD, ...V128_LOAD, ...V128_STORE]);
  const perA = countedLoop(AI, get(A), i32(1), [
    ...copyRow,
    ...get(OP), ...get(ROW), ...ADD, ...set(OP),
    ...get(IP), ...get(STRIDE), ...ADD, ...set(IP),
  ]);
  const perB = countedLoop(BI, get(B), i32(1), [
    ...get(IN), ...get(BI), ...get(ROW), ...MUL, ...ADD, ...set(IP),
    ...perA,
  ]);
  return { params: 5, i32Locals: 6, v128Locals: 0, code: [...get(B), ...get(ROW), ...MUL, ...set(STRIDE), ...get(OUT), ...set(OP), ...perB] };
}

const FUNCTIONS: ReadonlyArray<[string, () => FunctionBody]> = [
  ['outerProductAccumulate', outerProductFunction],
  ['outerProductBlock', outerProductBlockFunction],
  ['rowSums', rowSumsFunction],
  ['rowAffine', rowAffineFunction],
  ['permuteRows', permuteRowsFunction],
];

function moduleBytes(sharedMemory: boolean): Uint8Array {
  const bodies = FUNCTIONS.map(([, build]) => build());
  const types = bodies.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const code = bodies.map((f) => {
    const locals: Bytes[] = [];
    if (f.i32Locals > 0) locals.push([...uleb(f.i32Locals), I32]);
    if (f.v128Locals > 0) locals.push([...uleb(f.v128Locals), V128]);
    const body = [...vector(locals), ...f.code, ...END];
    return [...uleb(body.length), ...body];
  });
  const memoryType = sharedMemory ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...memoryType]])),
    ...section(3, vector(bodies.map((_, i) => uleb(i)))),
    ...section(7, vector(FUNCTIONS.map(([exported], i) => [...name(exported), 0x00, ...uleb(i)]))),
    ...section(10, vector(code)),
  ]);
}

export type OuterProductAccumulate = (
  x: number, xStep: number, xRowStep: number,
  dy: number, dyStep: number, dyRowStep: number,
  count: number, rows: number, a: number, b: number,
  out: number, outRowStep: number,
  images: number, xImageStep: number, dyImageStep: number,
) => void;

export type OuterProductBlock = (
  x: number, xStep: number, xRowStep: number,
  dy: number, dyStep: number, dyRowStep: number,
  count: number, rows: number,
  out: number, outRowStep: number,
  images: number, xImageStep: number, dyImageStep: number,
) => void;
export type RowSums = (x: number, y: number, batch: number, n: number, c: number, out: number) => void;
export type RowAffine = (x: number, scale: number, shift: number, batch: number, n: number, c: number, out: number) => void;

export type PermuteRows = (input: number, out: number, a: number, b: number, rowBytes: number) => void;

export interface WasmHeapKernels {
  memory: WasmMemory;
  outerProductAccumulate: OuterProductAccumulate;
  outerProductBlock: OuterProductBlock;
  rowSums: RowSums;
  rowAffine: RowAffine;
  permuteRows: PermuteRows;
}

const instances = new WeakMap<object, WasmHeapKernels | null>();

/** The backend's WebAssembly.Memory (Emscripten exports it from the module as `memory`). */
function backendMemory(backend: BackendWasm): WasmMemory | null {
  const exports = (backend.wasm as unknown as { asm?: Record<string, unknown> }).asm;
  if (exports === undefined) return null;
  const memory = Object.values(exports).find((v): v is WasmMemory => v instanceof WebAssemblyApi.Memory);
  return memory ?? null;
}

/** The kernels bound to this backend's heap, or null when that heap cannot be reached. */
export function wasmHeapKernels(backend: BackendWasm): WasmHeapKernels | null {
  const cached = instances.get(backend);
  if (cached !== undefined) return cached;
  let kernels: WasmHeapKernels | null = null;
  const memory = backendMemory(backend);
  if (memory !== null) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const instance = new WebAssemblyApi.Instance(new WebAssemblyApi.Module(moduleBytes(shared)), { env: { memory } });
      const { exports } = instance;
      kernels = {
        memory,
        outerProductAccumulate: exports.outerProductAccumulate as OuterProductAccumulate,
        outerProductBlock: exports.outerProductBlock as OuterProductBlock,
        rowSums: exports.rowSums as RowSums,
        rowAffine: exports.rowAffine as RowAffine,
        permuteRows: exports.permuteRows as PermuteRows,
      };
    } catch {
      kernels = null; // no SIMD, or a memory this module cannot import: callers fall back
    }
  }
  instances.set(backend, kernels);
  return kernels;
}
