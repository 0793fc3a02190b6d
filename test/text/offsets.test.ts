import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TextSide } from '../../server/domain.js';
import { buildSide, collapseWhitespace, paragraphContentStart } from '../../server/text/index.js';

const raw = (f: string): string => readFileSync(new URL(`../../corpus/brics-fm-2020-09-04/${f}`, import.meta.url), 'utf8');

/**
 * Marks every character of the normalised text as label, sentence or whitespace and checks nothing
 * else remains: no content is lost and no character belongs to two sentences.
 */
function checkCoverage(side: TextSide): void {
  const { text } = side;
  const owner = new Int32Array(text.length).fill(-1); // -2 = label, >= 0 = sentence index
  for (const p of side.paragraphs) {
    const cs = paragraphContentStart(text, p);
    for (let i = p.spans[0]!.start; i < cs; i++) owner[i] = -2;
  }
  let prevEnd = 0;
  for (const s of side.sentences) {
    expect(s.start).toBeGreaterThanOrEqual(prevEnd); // in order, no overlap
    expect(s.end).toBeGreaterThan(s.start);
    expect(collapseWhitespace(text.slice(s.start, s.end))).toBe(s.text);
    expect(/\s/.test(text[s.start]!) || /\s/.test(text[s.end - 1]!)).toBe(false);
    for (let i = s.start; i < s.end; i++) {
      if (owner[i] !== -1) throw new Error(`character ${i} is in two places (sentence ${s.index})`);
      owner[i] = s.index;
    }
    prevEnd = s.end;
  }
  for (let i = 0; i < text.length; i++) {
    if (owner[i] === -1 && !/\s/.test(text[i]!)) throw new Error(`character ${i} (${text[i]}) is in no sentence or label`);
  }
  // Rebuild: labels + sentences + the whitespace between them give back the normalised text.
  let rebuilt = '';
  let pos = 0;
  for (const s of side.sentences) {
    rebuilt += text.slice(pos, s.start) + text.slice(s.start, s.end);
    pos = s.end;
  }
  rebuilt += text.slice(pos);
  expect(rebuilt).toBe(text);
  expect(side.sentences.map((s) => s.index)).toEqual(side.sentences.map((_, i) => i));
}

describe('offsets', () => {
  it('demo corpus: every non-label character is in exactly one sentence, sentences match their slices', () => {
    const zh = buildSide(raw('zh.txt'), 'zh');
    const en = buildSide(raw('en.txt'), 'en');
    checkCoverage(zh);
    checkCoverage(en);
    expect(zh.sentences.length).toBeGreaterThan(80);
    expect(en.sentences.length).toBeGreaterThan(80);
    // Paragraph numbers are not part of any sentence.
    expect(zh.sentences.some((s) => /^\d+\./.test(s.text))).toBe(false);
    expect(en.sentences.some((s) => /^\d+\./.test(s.text))).toBe(false);
  });

  it('offsets refer to the normalised text (CRLF, BOM, NBSP, U+3000)', () => {
    const side = buildSide('\ufeff标题\r\n\r\n1.\u3000第一句。第二\u00a0句！\r\n', 'zh');
    expect(side.text).toBe('标题\n\n1. 第一句。第二 句！\n');
    checkCoverage(side);
    expect(side.sentences.map((s) => side.text.slice(s.start, s.end))).toEqual(['标题', '第一句。', '第二 句！']);
  });

  it('a sentence of CJK Extension B characters (surrogate pairs) is a sentence, not punctuation', () => {
    const side = buildSide('第一句。𠀀𠀁。𪚥！', 'zh');
    checkCoverage(side);
    expect(side.sentences.map((s) => s.text)).toEqual(['第一句。', '𠀀𠀁。', '𪚥！']);
  });

  it('a word hyphenated at a line end is rejoined without a space (hyphen kept, offsets intact)', () => {
    const side = buildSide('1. A well-\nknown hyphen-\n\nated word. Years 1990-\n2000 stay apart.', 'en');
    checkCoverage(side);
    expect(side.sentences.map((s) => s.text)).toEqual(['A well-known hyphen-ated word.', 'Years 1990- 2000 stay apart.']);
  });

  it('a BOM in the middle (files joined with cat) is dropped: the next paragraph keeps its number', () => {
    const side = buildSide('\ufeff1. 第一段。\n\n\ufeff2. 第二段。\n\n3. Next\ufeffword.', 'zh');
    expect(side.text).toBe('1. 第一段。\n\n2. 第二段。\n\n3. Nextword.');
    checkCoverage(side);
    expect(side.paragraphs.map((p) => p.number)).toEqual(['1', '2', '3']);
    expect(side.sentences.map((s) => s.text)).toEqual(['第一段。', '第二段。', 'Nextword.']);
  });

  it('presplit offsets cover every line', () => {
    const side = buildSide('a b.\n  c  d \n\ne', 'en', { presplit: true });
    checkCoverage(side);
    expect(side.sentences.map((s) => s.text)).toEqual(['a b.', 'c d', 'e']);
  });
});

describe('performance', () => {
  it('handles 1 MB on one line quickly (no quadratic segmentation)', () => {
    const unit = 'The Ministers met in Moscow on 4 September 2020, e.g. Mr. Lavrov; they agreed. 部长们会晤。';
    const big = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const t0 = performance.now();
    const side = buildSide(big, 'en');
    const ms = performance.now() - t0;
    expect(side.sentences.length).toBeGreaterThan(20_000);
    expect(side.sentences[side.sentences.length - 1]!.end).toBe(side.text.length);
    // Linear work takes well under a second here; a quadratic segmenter would take minutes.
    expect(ms).toBeLessThan(5000);
  });

  it('cuts a long line of Extension B characters at 1,000 units, never inside a surrogate pair, in linear time', () => {
    const t0 = performance.now();
    const side = buildSide('𠀀'.repeat(100_000), 'zh'); // 200,000 UTF-16 units
    expect(performance.now() - t0).toBeLessThan(5000);
    checkCoverage(side);
    expect(side.sentences).toHaveLength(200);
    for (const s of side.sentences) {
      expect(s.end - s.start).toBeLessThanOrEqual(1000);
      expect(s.text.codePointAt(0)).toBe(0x20000); // starts on a whole character
    }
  });

  it('runs of punctuation-only pieces are merged in linear time and stay within 1,000 characters', () => {
    for (const [text, lang] of [['！ '.repeat(100_000), 'zh'], ['! '.repeat(100_000), 'en']] as const) {
      const t0 = performance.now();
      const side = buildSide(text, lang);
      expect(performance.now() - t0).toBeLessThan(5000);
      checkCoverage(side);
      expect(Math.max(...side.sentences.map((s) => s.end - s.start))).toBeLessThanOrEqual(1000);
    }
  });

  it('cuts a long line without punctuation into sentences of at most 1,000 characters', () => {
    const side = buildSide('字'.repeat(300_000), 'zh');
    expect(side.sentences).toHaveLength(300);
    expect(side.paragraphs).toHaveLength(1);
  });
});
