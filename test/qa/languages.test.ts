import { describe, expect, it } from 'vitest';
import { CHECKS, checkApplies, loadQaConfig, runChecksOnPairs } from '../../server/qa/index.js';
import { pair } from './helpers.js';

describe('checks by language', () => {
  it('runs the checks written for Chinese only on a Chinese target (and English source where they read it); numbers, untranslated text and terminology (with a glossary of the pair) for any pair', () => {
    const applies = (source: string, target: string) => CHECKS.filter((c) => checkApplies(c, { source, target })).map((c) => c.id);
    expect(applies('en', 'zh-CN')).toEqual(CHECKS.map((c) => c.id));
    expect(applies('de', 'fr')).toEqual(['numbers', 'untranslated', 'terminology', 'consistency', 'length-ratio', 'alignment']);
    expect(applies('de', 'zh')).toEqual(['numbers', 'untranslated', 'punctuation', 'repetition', 'terminology', 'consistency', 'length-ratio', 'alignment']);
  });

  it('raises no Chinese-typography or dictionary finding on a German–French pair, only the changed day and the omission', () => {
    const pairs = [pair('Die Minister trafen sich am 4. September 2020 in Moskau.', 'Les ministres se sont réunis à Moscou, le 5 septembre 2020 and and.'), pair('Sie sprachen über Zusammenarbeit.', '')];
    const f = runChecksOnPairs(pairs, loadQaConfig(), { langs: { source: 'de', target: 'fr' } });
    expect(f.map((x) => x.check).sort()).toEqual(['alignment', 'numbers', 'numbers']);
    expect(f.filter((x) => x.check === 'numbers').map((x) => x.message)).toEqual([
      'Number "4" (4) in the source has no counterpart in the target',
      'Number "5" (5) in the target has no counterpart in the source',
    ]);
  });
});
