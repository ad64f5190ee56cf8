import { describe, expect, it } from '@jest/globals';
import { decimalsOf, formatLogTick, formatMinSec, formatTick, linearTicks, logTicks, niceDomain, niceStep, timeStep } from './ticks.js';

describe('nice ticks', () => {
  it('picks 1, 2 or 5 times a power of ten close to span / count', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(3, 6)).toBe(0.5);
    expect(niceStep(2400, 6)).toBe(500);
    expect(niceStep(0.0031, 5)).toBeCloseTo(0.0005, 12);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('lists multiples of the step without floating-point noise', () => {
    expect(linearTicks(0, 1, 0.2)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.15, 0.71, 0.1)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(linearTicks(-3, 3, 2)).toEqual([-2, 0, 2]);
    expect(niceDomain(0.13, 2.71, 0.5)).toEqual([0, 3]);
  });

  it('labels with exactly the precision of the step', () => {
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(20)).toBe(0);
    expect(decimalsOf(1e-7)).toBe(7);
    expect(formatTick(0.25, 0.25)).toBe('0.25');
    expect(formatTick(0.5, 0.1)).toBe('0.5');
    expect(formatTick(1500, 500)).toBe('1500');
    expect(formatTick(0, 0.1)).toBe('0');
    expect(formatTick(-0.4, 0.2)).toBe('-0.4');
    expect(formatTick(1e-5, 1e-5)).toBe('1e-5');
    expect(formatTick(2.5e-5, 5e-6)).toBe('2.5e-5');
    expect(formatTick(200000, 100000)).toBe('2e5');
  });

  it('puts log ticks on decades, with 2x and 5x on short ranges', () => {
    const short = logTicks(0.01, 1, 5);
    expect(short.filter((t) => t.major).map((t) => t.value)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(short.filter((t) => !t.major)).toHaveLength(12);
    const long = logTicks(1e-8, 1, 3);
    const majors = long.filter((t) => t.major).map((t) => t.value);
    expect(majors.length).toBeLessThanOrEqual(4);
    expect(majors[0]).toBe(1e-8);
    expect(formatLogTick(0.001)).toBe('0.001');
    expect(formatLogTick(1e-6)).toBe('1e-6');
    expect(formatLogTick(5e-7)).toBe('5e-7');
    expect(formatLogTick(100)).toBe('100');
  });

  it('formats times as m:ss and picks readable time steps', () => {
    expect(formatMinSec(0)).toBe('0:00');
    expect(formatMinSec(75)).toBe('1:15');
    expect(formatMinSec(3725)).toBe('1:02:05');
    expect(formatMinSec(1.5, 0.5)).toBe('0:01.5');
    expect(timeStep(600, 800, 60)).toBe(60);
    expect(timeStep(10, 800, 60)).toBe(1);
  });
});
