import { describe, expect, it } from 'vitest';
import { findUntranslated, untranslatedCheck } from '../../server/qa/checks/untranslated.js';
import {
  endPunctuationFindings,
  halfWidthFindings,
  punctuationCheck,
  spacingFindings,
  unpairedFindings,
} from '../../server/qa/checks/punctuation.js';
import { doubledWordFindings, enumerationFindings, repetitionCheck } from '../../server/qa/checks/repetition.js';
import { ctx, pair } from './helpers.js';

describe('untranslated', () => {
  const run = (en: string, zh: string) => findUntranslated(pair(en, zh), en, untranslatedCheck.defaults);

  it('flags a stray English word inside Chinese (paragraph 23)', () => {
    const zh = '无论何时、何地 and 由何人所为';
    const f = run('whenever, wherever and by whomsoever committed', zh);
    expect(f).toHaveLength(1);
    expect(f[0]?.category).toBe('Accuracy/Untranslated');
    expect(zh.slice(f[0]!.targetSpan!.start, f[0]!.targetSpan!.end)).toBe('and');
  });

  it('leaves acronyms and names of the English alone (CWC, COVID-19, OPCW)', () => {
    expect(run('the Chemical Weapons Convention (CWC) and the OPCW', '《禁止化学武器公约》(CWC) 保护 CWC 的完整性，禁化武组织 OPCW')).toEqual([]);
    expect(run('to combat the COVID-19 pandemic', '抗击 COVID-19 大流行')).toEqual([]);
  });

  it('flags capitalised function words and reports unknown acronyms only as minor', () => {
    expect(run('The Ministers', 'The 部长们')).toHaveLength(1);
    const unknown = run('the Ministers', '部长们 XYZ 会议');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.severity).toBe('minor');
  });

  it('leaves a name with lowercase particles alone when the English has it, not a stray word', () => {
    expect(run('President Luiz Inácio Lula da Silva', '巴西总统Lula da Silva')).toEqual([]);
    expect(run('the Food and Agriculture Organization', '联合国粮食及农业组织(Food and Agriculture Organization)')).toEqual([]);
    expect(run('food and agriculture', '粮食 and 农业')).toHaveLength(1);
    expect(run('the Food and Agriculture Organization', '粮食 Food and 农业')).toHaveLength(1);
  });

  it('leaves UN document symbols and sub-paragraph labels alone (A/75/123, 第1(b)段)', () => {
    expect(run('as contained in document A/75/123', '载于A/75/123号文件')).toEqual([]);
    expect(run('paragraph 1 (b) of resolution 2231 (2015)', '第2231(2015)号决议第1(b)段')).toEqual([]);
    expect(run('(iv) To strengthen cooperation;', '(iv) 加强合作；')).toEqual([]);
    expect(run('A and B', '甲 A and B 乙')).toHaveLength(1);
  });

  it('leaves units alone', () => {
    expect(run('a wavelength of 7 centimetres', '波长是7cm，重5kg')).toEqual([]);
  });

  it('leaves URLs and e-mail addresses alone', () => {
    expect(run('See the website.', '见 https://www.un.org/zh/about 或 info@un.org 。')).toEqual([]);
    expect(halfWidthFindings(pair('x', '见网站https://example.org/a?b=1,2。'), 'minor')).toEqual([]);
  });

  it('runs document-wide through the check object', () => {
    const pairs = [pair('The OPCW met.', '禁化武组织开会。'), pair('They met.', '他们 OPCW 开会。')];
    expect(untranslatedCheck.run(pairs, ctx(), untranslatedCheck.defaults)).toEqual([]);
  });
});

describe('punctuation', () => {
  it('flags half-width , ( ) next to Chinese, grouped per character with a count', () => {
    const zh = '部长们对马里局势表示关切,强调(非洲)需要,恢复秩序。';
    const f = halfWidthFindings(pair('x', zh), 'minor');
    expect(f.map((x) => x.message.slice(0, 15))).toEqual(['Half-width "," ', 'Half-width "(" ', 'Half-width ")" ']);
    expect(f[0]?.message).toContain('2 times');
    expect(f[0]?.targetSpan).toEqual({ start: 12, end: 13 });
  });

  it('leaves full-width punctuation, numbers, Latin text, labels and UN symbols alone', () => {
    const zh = '16. 部长们表示关切，强调 1,000 人和 10:30 的会议（非洲）。第 2532(2020)号决议 (CWC, OPCW)';
    const f = halfWidthFindings(pair('x', zh), 'minor');
    // Only "(CWC" — opening after Chinese — and ")" at the end are half-width next to Chinese context.
    expect(f.every((x) => /"\(|"\)/.test(x.message))).toBe(true);
    expect(halfWidthFindings(pair('x', '部长们表示关切，强调会议（非洲）。第 2532(2020)号决议'), 'minor')).toEqual([]);
  });

  it('leaves the parentheses of UN symbols and sub-paragraph labels alone, not other ones', () => {
    expect(halfWidthFindings(pair('x', '秘书长的报告(A/75/123)和第1(b)段，(a) 加强合作'), 'minor')).toEqual([]);
    expect(halfWidthFindings(pair('x', '秘书长的报告(草案)'), 'minor')).toHaveLength(2);
  });

  it('leaves a resolution symbol written with spaces alone (第 2532 (2020) 号)', () => {
    expect(halfWidthFindings(pair('x', '安理会第 2532 (2020) 号决议'), 'minor')).toEqual([]);
    expect(halfWidthFindings(pair('x', '安理会决议 (2020年)'), 'minor')).toHaveLength(2);
  });

  it('finds unpaired 《》“”（）', () => {
    expect(unpairedFindings([pair('x', '《联合国宪章》和“阿人主导”')], 'minor')).toEqual([]);
    const f = unpairedFindings([pair('x', '《联合国宪章和“阿人主导')], 'minor');
    expect(f.map((x) => x.targetSpan?.start)).toEqual([0, 7]);
    expect(unpairedFindings([pair('x', '他说：”好。')], 'minor')).toHaveLength(1);
  });

  it('matches a quotation across the sentences of one paragraph, not across paragraphs', () => {
    const quote = [pair('a', '他说：“今天不打了。', { paragraph: '1' }), pair('b', '明天再来。”', { paragraph: '1' })];
    expect(unpairedFindings(quote, 'minor')).toEqual([]);
    const broken = [pair('a', '他说：“今天不打了。', { paragraph: '1' }), pair('b', '明天再来。”', { paragraph: '2' })];
    expect(unpairedFindings(broken, 'minor').map((f) => f.beadId)).toEqual([broken[0]!.id, broken[1]!.id]);
  });

  it('finds missing end punctuation only where the English ends a sentence', () => {
    expect(endPunctuationFindings(pair('They met.', '他们会晤'), 'minor')).toHaveLength(1);
    expect(endPunctuationFindings(pair('They met.', '他们会晤，'), 'minor')[0]?.message).toContain('comma');
    expect(endPunctuationFindings(pair('They met.', '他们会晤。'), 'minor')).toEqual([]);
    expect(endPunctuationFindings(pair('Media Statement', '媒体声明'), 'minor')).toEqual([]);
  });

  it('reports the minority CJK–Latin spacing style of the document', () => {
    const pairs = [pair('a', '在 2020 年 7 月'), pair('b', '在 2030 年'), pair('c', '2019年的会议')];
    const f = spacingFindings(pairs, 'minor', 4);
    expect(f).toHaveLength(1);
    expect(f[0]?.beadId).toBe(pairs[2]!.id);
    expect(f[0]?.category).toBe('Style');
  });

  it('says nothing about spacing when the document is consistent', () => {
    const pairs = [pair('a', '在 2020 年 7 月'), pair('b', '在 2030 年'), pair('c', '在 COVID-19 期间')];
    expect(spacingFindings(pairs, 'minor', 4)).toEqual([]);
    expect(punctuationCheck.run(pairs.map((p) => ({ ...p, source: p.source })), ctx(), punctuationCheck.defaults)).toEqual([]);
  });
});

describe('repetition', () => {
  it('finds the repeated item of an enumeration (公平、公正、包容、公正)', () => {
    const zh = '建立一个更加公平、公正、包容、公正和代表多极国际体系';
    const f = enumerationFindings(pair('x', zh), 'major');
    expect(f).toHaveLength(1);
    expect(zh.slice(f[0]!.targetSpan!.start, f[0]!.targetSpan!.end)).toBe('公正');
    expect(f[0]!.targetSpan!.start).toBe(zh.lastIndexOf('公正'));
  });

  it('finds a repeated middle item and a last item equal to the first', () => {
    expect(enumerationFindings(pair('x', '政治、经济、经济、文化'), 'major')).toHaveLength(1);
    expect(enumerationFindings(pair('x', '加强合作、交流、合作。'), 'major')).toHaveLength(1);
  });

  it('accepts enumerations without repeats', () => {
    expect(enumerationFindings(pair('x', '外长们就政治、安全、经贸、金融、可持续发展等重大问题交换了意见'), 'major')).toEqual([]);
    expect(enumerationFindings(pair('x', '开放、安全、稳定、非歧视、无障碍与和平的环境'), 'major')).toEqual([]);
  });

  it('finds doubled function characters and XYXY words, not reduplication', () => {
    const opts = repetitionCheck.defaults;
    expect(doubledWordFindings(pair('x', '国际社会的的共同努力'), opts)).toHaveLength(1);
    expect(doubledWordFindings(pair('x', '加强合作合作'), opts)).toHaveLength(1);
    expect(doubledWordFindings(pair('x', '恐怖袭击 and and 冲突'), opts)).toHaveLength(1);
    expect(doubledWordFindings(pair('x', '常常讨论，仅仅是，高高兴兴，一步一步，等等'), opts)).toEqual([]);
    expect(doubledWordFindings(pair('x', '这东西现在在哪儿？为了了解情况，可以以此为基础'), opts)).toEqual([]);
    // The second character starts the next word: 和平, 对话, 与会, 是否, 有效.
    expect(doubledWordFindings(pair('x', '促进稳定和和平，加强对对话进程的支持，主席与与会者，问题是是否可行，持有有效护照'), opts)).toEqual([]);
    expect(doubledWordFindings(pair('x', '安全和和发展'), opts)).toHaveLength(1);
  });
});
