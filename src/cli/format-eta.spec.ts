import { describe, expect, it } from '@jest/globals';
import { formatEta } from './format-eta.js';

describe('formatEta', () => {
  it('carries rounded minutes and seconds into the next unit instead of printing 60', () => {
    expect(formatEta(4 * 3600 + 59 * 60 + 50)).toBe('5h00m');
    expect(formatEta(3599)).toBe('1h00m');
    expect(formatEta(3 * 60 + 58)).toBe('4m00s');
    expect(formatEta(3723)).toBe('1h02m');
    expect(formatEta(247)).toBe('4m05s');
  });

  it('prints short and unknown remainders plainly', () => {
    expect(formatEta(12.4)).toBe('12s');
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(Infinity)).toBe('--');
    expect(formatEta(NaN)).toBe('--');
  });
});
