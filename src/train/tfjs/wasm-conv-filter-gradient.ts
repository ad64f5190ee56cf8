/**
 * Conv2DBackpropFilter on tfjs-backend-wasm's heap with wasm-heap-kernels.ts: for every
 * filter tap, one call accumulates x[shifted pixels] (x) dy over the batch into that tap's
 * [Ci, Co] block of the output, which is the filter gradient in its final [KH, KW, Ci, Co]
 * layout. Strides, dilations and any padding are offsets and steps; positions that fall into
 * the padding are skipped (they contribute zeros). Same sums as conv-backprop-ops.ts's
 * conv2dFilterGradient, without its transposes and packed copies.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapKernels } from './wasm-heap-kernels.js';

const FLOAT = 4;
const MAX_BLOCKED = 8;

function offsetOf(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as unknown as { memoryOffset: number }).memoryOffset;
}

/** The first and one-past-last output index whose input index o * stride + shift lies in [0, size). */
function validRange(outSize: number, stride: number, shift: number, size: number): [number, number] {
  const first = Math.max(0, Math.ceil(-shift / stride));
  const end = Math.min(outSize, Math.floor((size - 1 - shift) / stride) + 1);
  return [first, Math.max(first, end)];
}

/**
 * The filter gradient [KH, KW, Ci, Co] of an NHWC float32 conv, or null when this path does
 * not apply (Co not a multiple of 4, another dtype, or no reachable wasm heap).
 */
export function wasmConv2dFilterGradient(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const kernels = wasmHeapKernels(backend);
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co, filterHeight, filterWidth } = info;
  if (kernels === null || co % 4 !== 0 || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const out = backend.makeOutput([filterHeight, filterWidth, ci, co], 'float32');
  // Offsets after the allocation: it may have grown the heap.
  const outPtr = offsetOf(backend, out);
  new Float32Array(kernels.memory.buffer, outPtr, filterHeight * filterWidth * ci * co).fill(0);
  const xPtr = offsetOf(backend, x);
  const dyPtr = offsetOf(backend, dy);
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  // Narrow operands (up to MAX_BLOCKED channels each side) go through register-held 4 x 4 blocks.
  const blocks = ci % 4 === 0 && ci <= MAX_BLOCKED && co <= MAX_BLOCKED;
  const xPixel = ci * FLOAT;
  const dyPixel = co * FLOAT;
  const outRow = co * FLOAT;
  for (let kh = 0; kh < filterHeight; kh++) {
    const shiftH = kh * dh - padInfo.top;
    const [oh0, oh1] = validRange(outHeight, sh, shiftH, inHeight);
    for (let kw = 0; kw < filterWidth; kw++) {
      const shiftW = kw * dw - padInfo.left;
      const [ow0, ow1] = validRange(outWidth, sw, shiftW, inWidth);
      if (oh1 === oh0 || ow1 === ow0) continue;
      const tapOut = outPtr + (kh * filterWidth + kw) * ci * outRow;
      const xStart = xPtr + ((oh0 * sh + shiftH) * inWidth + ow0 * sw + shiftW) * xPixel;
      const dyStart = dyPtr + (oh0 * outWidth + ow0) * dyPixel;
      const pixels = [sw * xPixel, sh * inWidth * xPixel, dyPixel, outWidth * dyPixel] as const;
      const images = [batchSize, inHeight * inWidth * xPixel, outHeight * outWidth * dyPixel] as const;
      if (blocks) {
        // 4 x 4 blocks, accumulators in registers (each block re-reads its pixels).
        for (let j = 0; j < ci; j += 4) {
          for (let o = 0; o < co; o += 4) {
            kernels.outerProductBlock(
              xStart + j * FLOAT, pixels[0], pixels[1], dyStart + o * FLOAT, pixels[2], pixels[3],
              ow1 - ow0, oh1 - oh0, tapOut + j * outRow + o * FLOAT, outRow, ...images,
            );
          }
        }
      } else {
        kernels.outerProductAccumulate(xStart, pixels[0], pixels[1], dyStart, pixels[2], pixels[3], ow1 - ow0, oh1 - oh0, ci, co, tapOut, outRow, ...images);
      }
    }
  }
  return out;
}

