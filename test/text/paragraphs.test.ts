import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chineseNumeralValue, paragraphLabel, parseNumberLabel, parseParagraphs, normalizeText, isDateLine, splitSentences } from '../../server/text/index.js';

const corpus = (f: string): string => normalizeText(readFileSync(new URL(`../../corpus/brics-fm-2020-09-04/${f}`, import.meta.url), 'utf8'));

describe('number labels', () => {
  const cases: Array<[string, string, string]> = [
    ['1. The Ministers', '1', '1.'],
    ['12.外长们', '12', '12.'],
    ['3、部长们', '3', '3、'],
    ['(4) text', '4', '(4)'],
    ['（5）文字', '5', '（5）'],
    ['（一）总体要求', '1', '（一）'],
    ['十二、合作', '12', '十二、'],
    ['二十一、合作', '21', '二十一、'],
    ['7) item', '7', '7)'],
    ['０３．全角', '3', '０３．'],
  ];
  for (const [line, value, raw] of cases) {
    it(`reads "${raw}" as ${value}`, () => {
      const label = parseNumberLabel(line, 0);
      expect(label?.value).toBe(value);
      expect(label?.raw).toBe(raw);
    });
  }
  it('does not take decimals, years or plain text for labels', () => {
    expect(parseNumberLabel('2.5 million people', 0)).toBeNull();
    expect(parseNumberLabel('2020. A year', 0)).toBeNull();
    expect(parseNumberLabel('The 1. item', 0)).toBeNull();
    expect(parseNumberLabel('(2015年)', 0)).toBeNull();
    expect(parseNumberLabel('十分重要', 0)).toBeNull();
  });
  it('converts Chinese numerals', () => {
    expect(chineseNumeralValue('十')).toBe(10);
    expect(chineseNumeralValue('一百零五')).toBe(105);
    expect(chineseNumeralValue('二〇二〇')).toBe(2020);
    expect(chineseNumeralValue('abc')).toBeNull();
  });
});

describe('parseParagraphs', () => {
  it('splits blank-line blocks and keeps spans', () => {
    const text = 'First paragraph.\n\nSecond paragraph.\n';
    const ps = parseParagraphs(text, 'en');
    expect(ps.map((p) => p.text)).toEqual(['First paragraph.', 'Second paragraph.']);
    expect(ps.map((p) => text.slice(p.spans[0]!.start, p.spans[0]!.end))).toEqual(['First paragraph.', 'Second paragraph.']);
    expect(ps.map((p) => p.kind)).toEqual(['plain', 'plain']);
  });

  it('treats text without blank lines as one paragraph per line', () => {
    const ps = parseParagraphs('第一段。\n第二段。\n第三段！\n', 'zh');
    expect(ps.map((p) => p.text)).toEqual(['第一段。', '第二段。', '第三段！']);
  });

  it('joins hard-wrapped lines inside a block (space for English, none for Chinese)', () => {
    const en = parseParagraphs('Intro.\n\nThe Ministers met\nin Moscow today.\n', 'en');
    expect(en[1]!.text).toBe('The Ministers met in Moscow today.');
    expect(en[1]!.spans).toHaveLength(1);
    const zh = parseParagraphs('引言。\n\n部长们在莫斯\n科举行会晤。\n', 'zh');
    expect(zh[1]!.text).toBe('部长们在莫斯科举行会晤。');
  });

  it('recognises every numbering style', () => {
    const text = ['1. 一', '2、二', '(3) 三', '（四）四', '五、五'].join('\n');
    const ps = parseParagraphs(text, 'zh');
    expect(ps.map((p) => [p.kind, p.number])).toEqual([
      ['numbered', '1'],
      ['numbered', '2'],
      ['numbered', '3'],
      ['numbered', '4'],
      ['numbered', '5'],
    ]);
    expect(paragraphLabel(text, ps[3]!)?.raw).toBe('（四）');
  });

  it('recognises "1）" and "1)" labels directly followed by Chinese text (no space)', () => {
    const text = '1）加强合作。\n2)促进发展。\n3）“引号”开头。';
    const ps = parseParagraphs(text, 'zh');
    expect(ps.map((p) => [p.kind, p.number])).toEqual([
      ['numbered', '1'],
      ['numbered', '2'],
      ['numbered', '3'],
    ]);
    expect(splitSentences(text, 'zh').map((s) => s.text)).toEqual(['加强合作。', '促进发展。', '“引号”开头。']);
    // Not a label inside Latin text: "3)x".
    expect(parseParagraphs('3)x and more text.', 'en')[0]!.number).toBeNull();
  });

  it('marks title and date lines before the first number', () => {
    const zh = parseParagraphs('媒体声明\n\n2020年9月4日\n\n1. 正文。\n', 'zh');
    expect(zh.map((p) => p.kind)).toEqual(['title', 'date', 'numbered']);
    const en = parseParagraphs('Media Statement\n4 September 2020\n1. Text.\n2. More.\n', 'en');
    expect(en.map((p) => p.kind)).toEqual(['title', 'date', 'numbered', 'numbered']);
  });

  it('recognises date lines', () => {
    for (const d of ['2020年9月4日', '二〇二〇年九月四日', '4 September 2020', 'September 4, 2020', 'Moscow, 4 September 2020', '2020-09-04']) {
      expect(isDateLine(d), d).toBe(true);
    }
    for (const d of ['The meeting was held on 4 September 2020.', '部长们于2020年9月4日举行会晤。', 'Title']) {
      expect(isDateLine(d), d).toBe(false);
    }
  });

  it('joins a page-break continuation to its numbered paragraph', () => {
    const zh = '1. 他们对遇难者表示哀悼，并对所有\n\n一线卫生工作者表示感谢。\n\n2. 第二段。\n';
    const ps = parseParagraphs(zh, 'zh');
    expect(ps).toHaveLength(2);
    expect(ps[0]!.text).toBe('1. 他们对遇难者表示哀悼，并对所有一线卫生工作者表示感谢。');
    expect(ps[0]!.spans).toHaveLength(2);
    expect(zh.slice(ps[0]!.spans[1]!.start, ps[0]!.spans[1]!.end)).toBe('一线卫生工作者表示感谢。');
    const en = parseParagraphs('1. They thanked all\n\nhealth workers.\n\n2. Next.\n', 'en');
    expect(en[0]!.text).toBe('1. They thanked all health workers.');
  });

  it('does not join a block after a paragraph that ends in terminal punctuation', () => {
    for (const end of ['。', '！', '？', '。”', '.', '?"']) {
      const ps = parseParagraphs(`1. 第一段结束${end}\n\n另一段没有编号。\n`, 'zh');
      expect(ps, end).toHaveLength(2);
      expect(ps[1]!.kind).toBe('plain');
    }
  });

  it('takes the next line as the content of a label standing alone', () => {
    const ps = parseParagraphs('1.\nThe Ministers met.\n\n2.\n\nThey agreed.\n', 'en');
    expect(ps.map((p) => [p.number, p.text])).toEqual([
      ['1', '1. The Ministers met.'],
      ['2', '2. They agreed.'],
    ]);
  });

  it('never joins a date line or a numbered line', () => {
    const ps = parseParagraphs('1. Text without end\n\n2. Next.\n\nMoscow, 4 September 2020\n', 'en');
    expect(ps.map((p) => p.number)).toEqual(['1', '2', null]);
  });

  it('demo corpus: 31 numbered paragraphs + title + date on both sides; 8, 16, 25 joined in zh', () => {
    for (const f of ['zh.txt', 'en.txt']) {
      const ps = parseParagraphs(corpus(f), f.slice(0, 2));
      expect(ps.map((p) => p.kind).slice(0, 2), f).toEqual(['title', 'date']);
      const numbered = ps.filter((p) => p.kind === 'numbered');
      expect(ps, f).toHaveLength(33);
      expect(numbered.map((p) => p.number)).toEqual(Array.from({ length: 31 }, (_, i) => String(i + 1)));
    }
    const zh = corpus('zh.txt');
    const ps = parseParagraphs(zh, 'zh');
    const byNumber = (n: string) => ps.find((p) => p.number === n)!;
    for (const n of ['8', '16', '25']) expect(byNumber(n).spans, n).toHaveLength(2);
    expect(ps.filter((p) => p.spans.length > 1).map((p) => p.number)).toEqual(['8', '16', '25']);
    expect(byNumber('8').text).toContain('并对所有一线卫生工作者表示感谢。');
    expect(byNumber('16').text).toContain('(CWC)保护 CWC 的完整性');
    expect(byNumber('25').text).toContain('业务发展,维护国家安全');
  });
});
