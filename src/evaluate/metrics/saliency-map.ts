/**
 * Saliency maps and fixation maps as the metric functions take them: row-major, `data[y * width + x]`.
 */

/** A real-valued 2-D map (prediction or ground-truth density). */
export interface SaliencyMap {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** A binary fixation map: a pixel is fixated when its value is > 0 (the MIT benchmark's `F > 0`). */
export interface FixationMap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Float32Array;
}

/** An integer pixel coordinate: column `x` in [0, width), row `y` in [0, height). */
export interface PixelPoint {
  readonly x: number;
  readonly y: number;
}

export function saliencyMap(width: number, height: number, values: ArrayLike<number>): SaliencyMap {
  const map = { width, height, data: Float32Array.from(values) };
  checkMap(map, 'saliencyMap');
  return map;
}

/** Binary fixation map from points; repeated points collapse into one fixated pixel, as in the benchmark. */
export function pointsToFixationMap(points: readonly PixelPoint[], width: number, height: number): FixationMap {
  checkSize(width, height, 'pointsToFixationMap');
  const data = new Uint8Array(width * height);
  for (const p of points) data[pixelIndex(p, width, height, 'pointsToFixationMap')] = 1;
  return { width, height, data };
}

export function pixelIndex(p: PixelPoint, width: number, height: number, caller: string): number {
  if (!Number.isInteger(p.x) || !Number.isInteger(p.y) || p.x < 0 || p.y < 0 || p.x >= width || p.y >= height) {
    throw new Error(`${caller}: point (${p.x}, ${p.y}) is not an integer pixel of a ${width}x${height} map`);
  }
  return p.y * width + p.x;
}

export function checkSize(width: number, height: number, caller: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${caller}: map size ${width}x${height} must be positive integers`);
  }
}

/** Size, length and finiteness of a map; throws with the caller's name on the first problem. */
export function checkMap(map: { width: number; height: number; data: ArrayLike<number> }, caller: string): void {
  checkSize(map.width, map.height, caller);
  if (map.data.length !== map.width * map.height) {
    throw new Error(`${caller}: ${map.width}x${map.height} map has ${map.data.length} values`);
  }
  const data = map.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) throw new Error(`${caller}: map value ${data[i]} at index ${i} is not finite`);
  }
}

export function checkSameSize(a: { width: number; height: number }, b: { width: number; height: number }, caller: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    // The MATLAB reference imresizes the prediction; here resizing is the caller's job, so a mismatch is a bug.
    throw new Error(`${caller}: prediction is ${a.width}x${a.height} but the ground truth is ${b.width}x${b.height}`);
  }
}
