/**
 * Numbers and dates by value (issue 11, item 4): dates compared as day, month and year whatever the
 * notation, amounts with their scale and unit, percentages and ordinals; one case per test, and a
 * changed day found in the demo corpus.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { compareNumbers } from '../../server/qa/checks/numbers.js';
import { chineseDates, englishDates, showDate } from '../../server/qa/date-extract.js';
import { pairsFromAlignment, qaConfigFromJson, runChecksOnPairs, DEFAULT_GLOSSARY_PATH } from '../../server/qa/index.js';
import { numberDefaults, pair } from './helpers.js';

const check = (en: string, zh: string) => compareNumbers(pair(en, zh), numberDefaults);
const spans = (en: string, zh: string, f: Finding | undefined) => [
  f?.sourceSpan ? en.slice(f.sourceSpan.start, f.sourceSpan.end) : null,
  f?.targetSpan ? zh.slice(f.targetSpan.start, f.targetSpan.end) : null,
];

describe('dates in every notation', () => {
  it('reads English dates: day month year, month day, ranges, a month of a year', () => {
    expect(englishDates('held on 4 September 2020').map(showDate)).toEqual(['4 September 2020']);
    expect(englishDates('on September 4, 2020').map(showDate)).toEqual(['4 September 2020']);
    expect(englishDates('on 4 September').map(showDate)).toEqual(['4 September']);
    expect(englishDates('September 4').map(showDate)).toEqual(['4 September']);
    expect(englishDates('on 14 and 15 March 2023').map(showDate)).toEqual(['14 March 2023', '15 March 2023']);
    expect(englishDates('from 31 August to 2 September 2020').map(showDate)).toEqual(['31 August 2020', '2 September 2020']);
    expect(englishDates('in December 2022').map(showDate)).toEqual(['December 2022']);
    expect(englishDates('they may 4 times')).toEqual([]);
  });

  it('reads Chinese dates: with and without spaces, Chinese numerals, ranges', () => {
    expect(chineseDates('2020年9月4日').map(showDate)).toEqual(['4 September 2020']);
    expect(chineseDates('2020 年 9 月 4 日').map(showDate)).toEqual(['4 September 2020']);
    expect(chineseDates('9 月 4 日').map(showDate)).toEqual(['4 September']);
    expect(chineseDates('9月4日').map(showDate)).toEqual(['4 September']);
    expect(chineseDates('二〇二〇年九月四日').map(showDate)).toEqual(['4 September 2020']);
    expect(chineseDates('2023年3月14日至15日').map(showDate)).toEqual(['14 March 2023', '15 March 2023']);
    expect(chineseDates('2020 年 8 月 31 日至 9 月 2 日').map(showDate)).toEqual(['31 August 2020', '2 September 2020']);
    expect(chineseDates('2022年12月').map(showDate)).toEqual(['December 2022']);
    expect(chineseDates('每年9月')).toEqual([]);
  });

  it('accepts the same date in any notation', () => {
    expect(check('held on 4 September 2020', '2020年9月4日举行')).toEqual([]);
    expect(check('on 4 September', '于 9 月 4 日')).toEqual([]);
    expect(check('on September 4', '于9月4日')).toEqual([]);
    expect(check('on 4 September 2020', '于二〇二〇年九月四日')).toEqual([]);
    expect(check('met on 14 and 15 March 2023', '于2023年3月14日至15日举行会议')).toEqual([]);
    expect(check('in December 2022', '2022年12月')).toEqual([]);
  });

  it('reports a changed day as one major finding naming both dates: 9 月 4 日', () => {
    const f = check('on 4 September', '于 9 月 5 日');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'major' });
    expect(f[0]?.message).toBe('Date "4 September" (4 September) is "9 月 5 日" (5 September) in the target: the day differs');
    expect(spans('on 4 September', '于 9 月 5 日', f[0])).toEqual(['4 September', '9 月 5 日']);
  });

  it('reports a changed day: 9月4日', () => {
    const f = check('on 4 September 2020', '于2020年9月14日');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain('the day differs');
  });

  it('reports a changed day: 4 September', () => {
    const f = check('The meeting was held on 4 September.', '会议于9月3日举行。');
    expect(f).toHaveLength(1);
    expect(spans('The meeting was held on 4 September.', '会议于9月3日举行。', f[0])).toEqual(['4 September', '9月3日']);
  });

  it('reports a changed day: September 4', () => {
    const f = check('on September 4, 2020', '2020年9月6日');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain('(4 September 2020)');
    expect(f[0]?.message).toContain('(6 September 2020)');
  });

  it('reports day and month swapped, a changed month and a changed year', () => {
    expect(check('on 4 September 2020', '2020年4月9日')[0]?.message).toContain('the day and month are swapped');
    expect(check('on 4 September 2020', '2020年10月4日')[0]?.message).toContain('the month differs');
    expect(check('on 4 September 2020', '2021年9月4日')[0]?.message).toContain('the year differs');
    expect(check('from 31 August to 2 September 2020', '2020 年 8 月 31 日至 9 月 3 日')).toHaveLength(1);
  });

  it('leaves a missing day to the number comparison (the day is what is missing)', () => {
    const f = check('on 23 July 2020', '2020年7月');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain('"23"');
  });
});

describe('amounts with scale and unit, percentages, ordinals', () => {
  it('万: 1.5 million = 150万, 2 900万 = 29 million', () => {
    expect(check('1.5 million people', '150万人')).toEqual([]);
    expect(check('29 million people', '2 900万人')).toEqual([]);
    expect(check('1.5 million people', '15万人')).toHaveLength(2);
  });

  it('亿: USD 10 billion = 100 亿美元; 10 亿 is a billion, not ten', () => {
    expect(check('USD 10 billion', '100 亿美元')).toEqual([]);
    expect(check('EUR 250 million', '2.5亿欧元')).toEqual([]);
    const f = check('USD 10 billion', '10亿美元');
    expect(f.map((x) => x.category).sort()).toEqual(['Accuracy/Addition', 'Accuracy/Mistranslation']);
  });

  it('million and billion: the scale word is part of the value', () => {
    expect(check('USD 4 billion', '40亿美元')).toEqual([]);
    expect(check('11 million tonnes', '1 100万吨')).toEqual([]);
    expect(check('USD 4 billion', '4百万美元')).toHaveLength(2);
  });

  it('an equal amount in another currency is reported', () => {
    const f = check('a contribution of EUR 250 million', '捐款2.5亿美元');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toBe('Amount "250 million" (250,000,000) is in EUR in the source but in USD in the target');
    expect(check('USD 1.6 billion', '16亿美元')).toEqual([]);
    expect(check('US$1.5 billion', '15亿美元')).toEqual([]);
  });

  it('percentages: per cent = % = 百分之; a per cent lost or changed is reported', () => {
    expect(check('20 per cent', '百分之二十')).toEqual([]);
    expect(check('20 per cent', '20%')).toEqual([]);
    expect(check('8-10 per cent', '8%-10%')).toEqual([]);
    expect(check('at least 30 per cent of areas', '至少30的区域')).toHaveLength(1);
    expect(check('20 per cent', '25%')).toHaveLength(2);
  });

  it('ordinals: sixth = 6th = 第六届; a changed ordinal is reported', () => {
    expect(check('the sixth meeting', '第六次会议')).toEqual([]);
    expect(check('the 6th Meeting', '第六届会议')).toEqual([]);
    expect(check('the 75th session', '第 75 届会议')).toEqual([]);
    expect(check('the 6th Meeting', '第七届会议')).toHaveLength(2);
  });
});

describe('a changed day in a real text', () => {
  it('is found in the demo corpus as one date finding in its paragraph, and nothing else changes', async () => {
    const dir = new URL('../../corpus/brics-fm-2020-09-04/', import.meta.url);
    const en = readFileSync(new URL('en.txt', dir), 'utf8');
    const zh = readFileSync(new URL('zh.txt', dir), 'utf8');
    const config = qaConfigFromJson({ glossary: DEFAULT_GLOSSARY_PATH, checks: { omission: { enabled: false } } }, '.');
    const numbers = async (text: string) => {
      const pairs = pairsFromAlignment(await alignTexts(en, text, { aLang: 'en', bLang: 'zh', model: 'length' }), 'a');
      return runChecksOnPairs(pairs, config, { only: ['numbers'] }).map((f) => ({ f, paragraph: pairs.find((p) => p.id === f.beadId)?.paragraph }));
    };
    expect(await numbers(zh)).toEqual([]);
    const changed = zh.replace('1. 2020年9月4日，', '1. 2020年9月5日，');
    expect(changed).not.toBe(zh);
    const found = await numbers(changed);
    expect(found).toHaveLength(1);
    expect(found[0]?.paragraph).toBe('1');
    expect(found[0]?.f.message).toBe('Date "4 September 2020" (4 September 2020) is "2020年9月5日" (5 September 2020) in the target: the day differs');
  }, 30_000);
});
