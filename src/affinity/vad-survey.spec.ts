import { afterAll, describe, expect, it } from '@jest/globals';
import { Rng } from '../util/rng.js';
import { unloadSileroModels } from './silero-vad.js';
import { formatSurvey, surveyConditions, surveyVadEngines } from './vad-survey.js';

afterAll(unloadSileroModels);

describe('VAD survey: speech vs room noises', () => {
  it('measures every engine on every condition and reproduces the known differences', async () => {
    const conditions = await surveyConditions(new Rng(7), 24_000, 6);
    const result = await surveyVadEngines(conditions);
    console.log(formatSurvey(result));
    const fraction = (engine: string, condition: string): number => {
      const row = result.rows.find((r) => r.engine === engine && r.condition === condition);
      if (!row) throw new Error(`no row ${engine}/${condition}`);
      return row.speechFraction;
    };
    expect(result.rows).toHaveLength(3 * conditions.length);
    for (const engine of ['energy', 'webrtc', 'silero']) {
      expect(fraction(engine, 'speech')).toBeGreaterThan(0.8);
      expect(fraction(engine, 'digital zeros')).toBe(0);
      expect(fraction(engine, 'silence -60dB after speech')).toBeLessThan(0.05);
      expect(result.realTimeFactor[engine as 'energy']).toBeGreaterThan(5);
    }
    // Silero rejects all the noises; WebRTC calls a steady hum speech (FINDINGS.md).
    for (const c of conditions.filter((c) => !c.isSpeech)) expect(fraction('silero', c.name)).toBeLessThan(0.1);
    expect(fraction('webrtc', 'hum')).toBeGreaterThan(0.9);
  });
});
