import { describe, expect, it } from 'vitest';
import { compareNumbers } from '../../server/qa/checks/numbers.js';
import { chineseNumbers, englishNumbers } from '../../server/qa/number-extract.js';
import { numberDefaults, pair } from './helpers.js';

const values = (xs: { value: number; soft: boolean }[]) => xs.filter((x) => !x.soft).map((x) => x.value);
const check = (en: string, zh: string) => compareNumbers(pair(en, zh), numberDefaults);

describe('number extraction', () => {
  it('reads English digits, scale words, ordinals, month names next to days, number words and Roman numerals', () => {
    expect(values(englishNumbers('USD 10 billion'))).toEqual([1e10]);
    expect(values(englishNumbers('on 23 July 2020'))).toEqual([23, 7, 2020]);
    expect(values(englishNumbers('the 75th session and the 6th Meeting'))).toEqual([75, 6]);
    expect(values(englishNumbers('four loans and three pillars, the fifth meeting'))).toEqual([4, 3, 5]);
    expect(values(englishNumbers('the XII BRICS Summit'))).toEqual([12]);
    expect(values(englishNumbers('1,250 people, 12.5% of them'))).toEqual([1250, 12.5]);
    expect(values(englishNumbers('twenty-five members'))).toEqual([25]);
  });

  it('does not read "may", "one", acronyms, or a paragraph label as required numbers', () => {
    expect(values(englishNumbers('16. They may also help one another. COVID-19 and the CD.'))).toEqual([]);
  });

  it('reads Chinese digits with 万/亿, ordinals, classifiers and percentages', () => {
    expect(values(chineseNumbers('100 亿美元'))).toEqual([1e10]);
    expect(values(chineseNumbers('40亿美元'))).toEqual([4e9]);
    expect(values(chineseNumbers('第六届会议'))).toEqual([6]);
    expect(values(chineseNumbers('第十二次会晤'))).toEqual([12]);
    expect(values(chineseNumbers('三大支柱'))).toEqual([3]);
    expect(values(chineseNumbers('百分之二十'))).toEqual([20]);
    expect(values(chineseNumbers('2020年9月4日'))).toEqual([2020, 9, 4]);
  });

  it('leaves 一 in words, 十分 ("very"), names in the ignore list and paragraph labels alone', () => {
    expect(values(chineseNumbers('23. 一线卫生工作者十分重要，进一步统一', []))).toEqual([]);
    expect(values(chineseNumbers('金砖五国之间', ['金砖五国']))).toEqual([]);
  });
});

describe('numbers check', () => {
  it('accepts value-equal amounts, dates, ordinals and resolution numbers (negative cases from the demo corpus)', () => {
    expect(check('an Emergency Assistance Facility of up to USD 10 billion', '设立 100 亿美元紧急援助基金')).toEqual([]);
    expect(check('four loans totalling USD 4 billion', '批准 4 笔总额为 40 亿美元的贷款')).toEqual([]);
    expect(check('Resolution 2532 (2020)', '联合国安理会第 2532(2020)号决议')).toEqual([]);
    expect(check('of 23 July 2020', '2020年7月23日')).toEqual([]);
    expect(check('4 September 2020', '2020年9月4日')).toEqual([]);
    expect(check('held from 31 August to 2 September 2020', '2020 年 8 月 31 日至 9 月 2 日举行')).toEqual([]);
    expect(check('the 6th Meeting of BRICS Ministers of Environment of 30 July 2020', '2020 年 7 月 30 日第六届金砖国家环境部长会议')).toEqual([]);
    expect(check('the fifth Meeting and the first meetings', '第五届会议及其小组首次会议')).toEqual([]);
    expect(check('the 75th session of the UN General Assembly', '第 75 届联合国大会')).toEqual([]);
    expect(check('the XII BRICS Summit in autumn 2020', '2020 年秋季金砖国家领导人第十二次会晤')).toEqual([]);
    expect(check('under its three pillars', '三大支柱')).toEqual([]);
    expect(check('at both the regional and international levels', '在区域和国际两级')).toEqual([]);
    expect(check('the COVID-19 pandemic', '2019冠状病毒病大流行')).toEqual([]);
  });

  it('matches decimal amounts, currency signs, trillions and 首次 = 1st', () => {
    expect(check('US$1.5 billion', '15亿美元')).toEqual([]);
    expect(check('$10 billion', '100亿美元')).toEqual([]);
    expect(check('USD 1.5 trillion', '1.5万亿美元')).toEqual([]);
    expect(check('the 1st meeting', '首次会议')).toEqual([]);
    expect(check('on September 4, 2020', '2020年9月4日')).toEqual([]);
    expect(check('50 per cent', '百分之五十')).toEqual([]);
  });

  it('reports a missing number, a wrong amount and an extra number', () => {
    const missing = check('on 23 July 2020', '2020年7月');
    expect(missing).toHaveLength(1);
    expect(missing[0]?.message).toContain('"23"');
    expect(missing[0]?.sourceSpan).toEqual({ start: 3, end: 5 });

    const wrong = check('USD 10 billion', '10 亿美元');
    expect(wrong.map((f) => f.category).sort()).toEqual(['Accuracy/Addition', 'Accuracy/Mistranslation']);

    const extra = check('the meeting', '第三次会议');
    expect(extra).toHaveLength(1);
    expect(extra[0]?.targetSpan).toEqual({ start: 0, end: 2 });
  });

  it('reads approximate numbers (十四五, 五六, 三两个, 二十几) as soft: they match, they are not required', () => {
    expect(check('a boy of fourteen or fifteen', '十四五岁的男孩')).toEqual([]);
    expect(check('a child of five or six', '五六岁的孩子')).toEqual([]);
    expect(check('two or three women', '三两个妇人')).toEqual([]);
    expect(check('he won twenty', '他赢了二十几两')).toEqual([]);
    expect(check('some children', '十四五岁的孩子')).toEqual([]);
    expect(check('three taels of silver', '三两银子')).toEqual([]);
  });

  it('treats 第一 like "first": it may match, it is never required', () => {
    expect(check('the primary responsibility', '第一责任')).toEqual([]);
    expect(check('the first meeting', '第一次会议')).toEqual([]);
  });

  it('reports a wrong ordinal and a wrong percentage', () => {
    expect(check('the 6th Meeting', '第五届会议')).toHaveLength(2);
    expect(check('rose by 5%', '增长了百分之六')).toHaveLength(2);
  });
});

describe('numbers in UN-style Chinese (clean translations raise nothing)', () => {
  it('reads space-grouped thousands and 多/余 before 万/亿', () => {
    expect(check('29 million people', '2 900万人')).toEqual([]);
    expect(check('3,000 tonnes', '3 000吨')).toEqual([]);
    expect(check('more than 2.5 million people', '250多万人')).toEqual([]);
    expect(check('29 million people', '2 800万人')).toHaveLength(2);
  });

  it('reads a hyphenated range on the English side ("2015-2020", "8-10 per cent")', () => {
    expect(check('in 2015-2020', '2015—2020年')).toEqual([]);
    expect(check('8-10 per cent', '8%-10%')).toEqual([]);
    expect(check('8-10 per cent', '8%-12%')).toHaveLength(2);
  });

  it('lets a month named alone match N月, without requiring it', () => {
    expect(check('renewed in June', '已于6月延长')).toEqual([]);
    expect(check('renewed in June', '已于7月延长')).toHaveLength(1);
    expect(check('the May meeting', '会议')).toEqual([]);
  });

  it('reads fractions, decimal percentages, decades and centuries', () => {
    expect(check('two thirds of the population', '三分之二的人口')).toEqual([]);
    expect(check('three quarters of them', '其中四分之三')).toEqual([]);
    expect(check('one third', '三分之一')).toEqual([]);
    expect(check('two thirds', '四分之三')).toHaveLength(2);
    expect(check('0.5 per cent', '百分之零点五')).toEqual([]);
    expect(check('the 1990s', '20世纪90年代')).toEqual([]);
    expect(check('in the twenty-first century', '在二十一世纪')).toEqual([]);
    expect(check('the past decade', '过去十年')).toEqual([]);
    expect(check('two decades', '二十年')).toEqual([]);
    expect(check('a three-day meeting', '为期三天的会议')).toEqual([]);
    expect(check('a three-day meeting', '为期四天的会议')).toHaveLength(2);
    expect(check('the second half of 2021', '2021年下半年')).toEqual([]);
  });

  it('reads "the two sides" (双方) as a soft two', () => {
    expect(check('The two sides met on 2 and 3 March 2022', '双方于2022年3月2日和3日会晤')).toEqual([]);
    expect(check('The two sides met on 2 and 3 March 2022', '双方于2022年3月3日会晤')).toHaveLength(1);
  });

  it('reads "one in five" (五分之一 / 每五人中有一人) and "half a million"', () => {
    expect(check('one in five children', '五分之一的儿童')).toEqual([]);
    expect(check('one in five children', '每五名儿童中就有一名')).toEqual([]);
    expect(check('one in five children', '四分之一的儿童')).toHaveLength(1);
    expect(check('half a million people', '50万人')).toEqual([]);
    expect(check('half a million people', '500万人')).toHaveLength(2);
  });

  it('leaves approximate quantities (数十万, 几十) alone', () => {
    expect(check('hundreds of thousands of children', '数十万儿童')).toEqual([]);
    expect(check('dozens of countries', '几十个国家')).toEqual([]);
    expect(check('hundreds of people', '上百人')).toEqual([]);
    expect(check('divided into groups', '分成十个小组')).toHaveLength(1);
  });
});
