import { describe, expect, it } from 'vitest';
import { buildSide, MAX_SENTENCE_CHARS, splitSentences } from '../../server/text/index.js';

const en = (s: string): string[] => splitSentences(s, 'en').map((x) => x.text);
const zh = (s: string): string[] => splitSentences(s, 'zh').map((x) => x.text);

describe('English sentences', () => {
  it('splits at . ! ? before a capital', () => {
    expect(en('The Ministers met. They agreed! Did they? Yes.')).toEqual(['The Ministers met.', 'They agreed!', 'Did they?', 'Yes.']);
  });
  const noSplit: Array<[string, string]> = [
    ['Mr.', 'Mr. Smith met Mrs. Jones and Dr. Brown.'],
    ['U.N.', 'The U.N. Security Council met.'],
    ['U.S.', 'The U.S. President spoke.'],
    ['e.g.', 'Some states, e.g. Brazil, agreed.'],
    ['i.e.', 'The core, i.e. The Treaty, stands.'],
    ['No.', 'See resolution No. 2532 of the Council.'],
    ['Art.', 'Under Art. 5 of the Charter it applies.'],
    ['para.', 'As in para. 12 above.'],
    ['vs.', 'It was Brazil vs. India.'],
    ['etc.', 'Trade, finance, etc. were discussed.'],
    ['decimal', 'Growth was 2.5 per cent this year.'],
    ['initials', 'J. R. R. Tolkien wrote it.'],
    ['Prof.', 'Prof. Li agreed.'],
  ];
  for (const [name, s] of noSplit) {
    it(`does not split after ${name}`, () => {
      expect(en(s)).toEqual([s]);
    });
  }
  it('splits after an acronym or etc. when a sentence opener follows', () => {
    expect(en('They met in the U.S. The talks ended.')).toEqual(['They met in the U.S.', 'The talks ended.']);
    expect(en('Trade, finance, etc. They agreed.')).toEqual(['Trade, finance, etc.', 'They agreed.']);
  });
  it('splits after Inc., Ltd., Co., Corp. when a sentence opener follows, not inside a name', () => {
    expect(en('The shares were bought by Apple Inc. The deal closed in May.')).toEqual(['The shares were bought by Apple Inc.', 'The deal closed in May.']);
    expect(en('Acme Ltd. They said no.')).toEqual(['Acme Ltd.', 'They said no.']);
    expect(en('Huawei Technologies Co. Ltd. Shenzhen signed it.')).toEqual(['Huawei Technologies Co. Ltd. Shenzhen signed it.']);
    expect(en('Acme Inc. is big and Acme Corp. Board members agree.')).toEqual(['Acme Inc. is big and Acme Corp. Board members agree.']);
  });
  it('splits after a number at the end of a sentence', () => {
    expect(en('It was held in 2020. The next one is due.')).toEqual(['It was held in 2020.', 'The next one is due.']);
  });
  it('does not take a leading paragraph number "12." as a sentence', () => {
    const side = buildSide('12. The Ministers met. They agreed.\n', 'en');
    expect(side.sentences.map((s) => s.text)).toEqual(['The Ministers met.', 'They agreed.']);
    expect(side.sentences[0]!.start).toBe(4);
    // A number opening a sentence inside a paragraph is a label too, not a sentence of its own.
    expect(en('They agreed. 2. The next item.')).toEqual(['They agreed.', '2. The next item.']);
  });
  it('keeps closing quotes and brackets with their sentence', () => {
    expect(en('He said "Stop." Then he left. (It ended.) Fine.')).toEqual(['He said "Stop."', 'Then he left.', '(It ended.)', 'Fine.']);
    expect(en('“Why?” he asked.')).toEqual(['“Why?” he asked.']);
  });
  it('does not split at semicolons', () => {
    expect(en('They met; they agreed.')).toEqual(['They met; they agreed.']);
  });
  it('treats an ellipsis as an end only before a sentence opener', () => {
    expect(en('And so... The end.')).toEqual(['And so...', 'The end.']);
    expect(en("I... I can't remember.")).toEqual(["I... I can't remember."]);
  });
});

describe('Chinese sentences', () => {
  it('splits at full-width 。！？ and at … before a closing quote', () => {
    expect(zh('部长们会晤。他们同意！是吗？“是的……”好。')).toEqual(['部长们会晤。', '他们同意！', '是吗？', '“是的……”', '好。']);
  });
  it('does not split at an ellipsis running into more text (a pause)', () => {
    expect(zh('他道：“我叫…… 叫小玄子。”')).toEqual(['他道：“我叫…… 叫小玄子。”']);
  });
  it('keeps stray punctuation with the sentence before it', () => {
    expect(zh('你不会摔交。 ”他笑了。')).toEqual(['你不会摔交。 ”', '他笑了。']);
    expect(zh('传奇中的传奇。”……')).toEqual(['传奇中的传奇。”……']);
  });
  it('splits at half-width ! ? after Chinese, and at . after Chinese', () => {
    expect(zh('他们同意!是吗?是的.好')).toEqual(['他们同意!', '是吗?', '是的.', '好']);
  });
  it('does not split at an inline list number', () => {
    expect(zh('包括：1.加强合作；2.推动发展。')).toEqual(['包括：1.加强合作；2.推动发展。']);
  });
  it('does not split inside numbers or Latin words', () => {
    expect(zh('增长了2.5%，美国(U.S.)和Yahoo!公司都同意。')).toEqual(['增长了2.5%，美国(U.S.)和Yahoo!公司都同意。']);
  });
  it('keeps closing quotes and brackets with their sentence', () => {
    expect(zh('他说：“我们走吧。”然后离开了。（完。）《好！》好')).toEqual(['他说：“我们走吧。”', '然后离开了。', '（完。）', '《好！》', '好']);
    expect(zh('「是嗎？」『對！』')).toEqual(['「是嗎？」', '『對！』']);
  });
  it('does not split at semicolons', () => {
    expect(zh('第一；第二;第三。')).toEqual(['第一；第二;第三。']);
  });
  it('joins a sentence across a page break without a space', () => {
    const side = buildSide('8. 他们对所有\n\n一线卫生工作者表示感谢。部长们重申。\n\n9. 下一段。', 'zh');
    expect(side.sentences.map((s) => s.text)).toEqual(['他们对所有一线卫生工作者表示感谢。', '部长们重申。', '下一段。']);
    expect(side.sentences.map((s) => s.paragraph)).toEqual([0, 0, 1]);
  });
});

describe('long sentences and presplit', () => {
  it('cuts sentences over 1,000 characters at clause punctuation', () => {
    const clause = '外长们强调金砖国家开展科技创新和创业合作对实现经济早日复苏具有重要意义'; // 35 chars
    const long = `${Array.from({ length: 60 }, () => clause).join('，')}。`;
    const parts = zh(long);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    for (const p of parts.slice(0, -1)) expect(p.endsWith('，')).toBe(true);
    expect(parts.join('')).toBe(long);
  });
  it('prefers semicolons over commas, and cuts English at clause marks too', () => {
    const part = 'the Ministers discussed trade, finance and security at length';
    const long = `${Array.from({ length: 30 }, () => part).join('; ')}.`;
    const parts = en(long);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    for (const p of parts.slice(0, -1)) expect(p.endsWith(';')).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });
  it('hard-cuts text without any punctuation or space', () => {
    const parts = zh('字'.repeat(2500));
    expect(parts.map((p) => p.length)).toEqual([1000, 1000, 500]);
  });
  it('presplit: one sentence per non-blank line, one paragraph for the whole text', () => {
    const text = '第一句。第二句。\n\n  Mr. Smith. Went home.  \r\nlast';
    const side = buildSide(text, 'en', { presplit: true });
    expect(side.sentences.map((s) => s.text)).toEqual(['第一句。第二句。', 'Mr. Smith. Went home.', 'last']);
    expect(side.paragraphs).toHaveLength(1);
    expect(side.paragraphs[0]!.kind).toBe('plain');
    expect(side.sentences.every((s) => s.paragraph === 0)).toBe(true);
    expect(splitSentences(side.text, 'en', { presplit: true })).toEqual(side.sentences);
  });
  it('empty text has no paragraphs and no sentences', () => {
    expect(buildSide('', 'zh').sentences).toEqual([]);
    expect(buildSide(' \n\n', 'en', { presplit: true }).paragraphs).toEqual([]);
  });
});
