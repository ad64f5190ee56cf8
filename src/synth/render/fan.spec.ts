import { describe, expect, it } from '@jest/globals';
import { anatomyToScreen, fanGeometry, fanPixels } from './fan.js';
import { IDENTITY_POSE, screenToWorld, worldToScreen, type ProbePose } from './pose.js';

describe('fan geometry', () => {
  const width = 480;
  const height = 360;
  const fan = fanGeometry(width, height);
  const pixels = fanPixels(fan, width, height);

  it('fits the fan inside the frame with margins for on-screen text', () => {
    expect(fan.box.x).toBeGreaterThan(0.05 * width);
    expect(fan.box.x + fan.box.width).toBeLessThan(0.95 * width);
    expect(fan.box.y).toBeGreaterThan(0);
    expect(fan.box.y + fan.box.height).toBeLessThanOrEqual(height);
  });

  it('lists only pixels inside the sector, with depth increasing away from the probe', () => {
    expect(pixels.count).toBeGreaterThan(0.3 * width * height);
    expect(pixels.count).toBeLessThan(0.7 * width * height);
    const corner = 0; // top-left pixel is outside the fan
    expect(Array.from(pixels.index)).not.toContain(corner);
    const centreTop = pixels.index.indexOf(Math.round(fan.apexY + fan.radiusInner + 2) * width + width / 2);
    const centreBottom = pixels.index.indexOf(Math.round(fan.apexY + fan.radiusOuter - 3) * width + width / 2);
    expect(centreTop).toBeGreaterThanOrEqual(0);
    expect(centreBottom).toBeGreaterThanOrEqual(0);
    expect(pixels.depth[centreTop]).toBeLessThan(0.05);
    expect(pixels.depth[centreBottom]).toBeGreaterThan(0.95);
  });

  it('maps anatomy coordinates back to the pixels they came from', () => {
    const i = Math.floor(pixels.count / 2);
    const p = pixels.index[i] as number;
    const [x, y] = anatomyToScreen(fan, pixels.anatomyX[i] as number, pixels.anatomyY[i] as number);
    expect(x).toBeCloseTo((p % width) + 0.5, 3);
    expect(y).toBeCloseTo(Math.floor(p / width) + 0.5, 3);
  });
});

describe('probe pose', () => {
  it('inverts: world -> screen -> world', () => {
    const pose: ProbePose = { tx: 0.07, ty: -0.03, angle: 0.2, zoom: 1.15 };
    const [a, b, c, d, e, f] = screenToWorld(pose);
    for (const [u, v] of [[0.5, 0.5], [0.1, 0.9], [0.8, 0.2]] as const) {
      const [x, y] = worldToScreen(pose, u, v);
      expect(a * x + b * y + c).toBeCloseTo(u, 6);
      expect(d * x + e * y + f).toBeCloseTo(v, 6);
    }
  });

  it('is the identity at the identity pose', () => {
    expect(screenToWorld(IDENTITY_POSE)).toEqual([1, -0, 0, 0, 1, 0]);
  });
});
