import { describe, expect, it } from '@jest/globals';
import { clipSamples, DEFAULT_SAMPLING_CONFIG, resolveSamplingConfig, samplingConfigProblems, snippetSamples } from './config.js';

describe('SamplingConfig', () => {
  it('defaults to the paper: 60-frame clips of 2 s at 30 fps, 0.6 s snippets at 24 kHz, K = 2, D = 5', () => {
    const c = resolveSamplingConfig();
    expect(c).toEqual(DEFAULT_SAMPLING_CONFIG);
    expect(clipSamples(c)).toBe(48_000);
    expect(snippetSamples(c)).toBe(14_400);
    expect([c.groupsPerClip, c.shiftRange, c.affinityThreshold, c.maxOffsetSeconds, c.orderSpacing, c.orderFromAllClips]).toEqual([2, 5, 0.5, 0.5, 8, false]);
  });

  it('lists every problem, and only those involving the parameters in use', () => {
    const bad = { ...DEFAULT_SAMPLING_CONFIG, seed: -1, shiftRange: 1, fps: 29, affinityThreshold: 2, snippetSeconds: 3 };
    expect(samplingConfigProblems(bad)).toEqual([
      'seed must be an integer in [0, 2^32), got -1',
      'affinityThreshold must be in [0, 1], got 2',
      'shiftRange must be an integer >= 2, got 1',
      'a clip of 60 frames at 29 fps is not a whole number of samples at 24000 Hz',
      'snippetSeconds 3 is longer than a clip (2.0689655172413794 s)',
    ]);
    expect(samplingConfigProblems(bad, ['affinityThreshold'])).toEqual(['affinityThreshold must be in [0, 1], got 2']);
    expect(() => resolveSamplingConfig({ orderSpacing: 20 })).toThrow('4 frames 20 apart do not fit a clip of 60 frames');
  });

  it('ignores keys that are not config keys', () => {
    expect(resolveSamplingConfig({ scan: 'x' } as never)).toEqual(DEFAULT_SAMPLING_CONFIG);
  });
});
