import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Paragraph, ParagraphKind, TextSide } from '../../server/domain.js';
import { buildSide, pairParagraphs } from '../../server/text/index.js';

const raw = (f: string): string => readFileSync(new URL(`../../corpus/brics-fm-2020-09-04/${f}`, import.meta.url), 'utf8');

/** A side made of paragraphs of the given lengths (and optional numbers / kinds); sentences are not needed here. */
function side(lang: string, specs: Array<number | [number, string | null, ParagraphKind?]>): TextSide {
  const paragraphs: Paragraph[] = specs.map((spec, index) => {
    const [len, number, kind] = typeof spec === 'number' ? [spec, null, undefined] : spec;
    const ch = lang === 'zh' ? '字' : 'w';
    return { index, kind: kind ?? (number === null ? 'plain' : 'numbered'), number, text: ch.repeat(len), spans: [{ start: 0, end: len }] };
  });
  return { lang, text: '', paragraphs, sentences: [] };
}

const shape = (r: ReturnType<typeof pairParagraphs>): string => r.pairs.map((p) => `${p.a.join('+')}:${p.b.join('+')}`).join(' ');

describe('pairParagraphs by number', () => {
  it('pairs the demo corpus by title, date and all 31 numbers', () => {
    const zh = buildSide(raw('zh.txt'), 'zh');
    const en = buildSide(raw('en.txt'), 'en');
    const r = pairParagraphs(zh, en);
    expect(r.pairs).toHaveLength(33);
    expect(r.pairs.every((p) => p.method === 'number' && p.a.length === 1 && p.b.length === 1)).toBe(true);
    for (const p of r.pairs) expect(zh.paragraphs[p.a[0]!]!.number).toBe(en.paragraphs[p.b[0]!]!.number);
    expect(r.unpaired).toEqual({ a: [], b: [] });
  });

  it('leaves numbers present on one side only unpaired, but keeps them as 1-0 / 0-1', () => {
    const a = side('zh', [[100, '1'], [100, '2'], [100, '3'], [100, '4']]);
    const b = side('en', [[300, '1'], [300, '3'], [300, '4'], [300, '5']]);
    const r = pairParagraphs(a, b);
    expect(shape(r)).toBe('0:0 1: 2:1 3:2 :3');
    expect(r.unpaired).toEqual({ a: [1], b: [3] });
  });

  it('does not pair two numbered paragraphs with different numbers even when lengths agree', () => {
    const a = side('zh', [[100, '1'], [100, '2'], [100, '4']]);
    const b = side('en', [[300, '1'], [300, '3'], [300, '4']]);
    expect(shape(pairParagraphs(a, b))).toBe('0:0 1: :1 2:2');
  });

  it('numbered anchors with DP for unnumbered paragraphs between them', () => {
    const a = side('zh', [[20, null, 'title'], [100, '1'], 150, 50, 50, [100, '2']]);
    const b = side('en', [[60, null, 'title'], [300, '1'], 450, 300, [300, '2']]);
    const r = pairParagraphs(a, b);
    expect(shape(r)).toBe('0:0 1:1 2:2 3+4:3 5:4');
    expect(r.pairs.map((p) => p.method)).toEqual(['number', 'number', 'dp', 'dp', 'number']);
  });
});

describe('pairParagraphs by DP (lengths calibrated, zh ≈ 1/3 of en)', () => {
  it('1-1', () => {
    const r = pairParagraphs(side('zh', [100, 200, 50, 400]), side('en', [300, 600, 150, 1200]));
    expect(shape(r)).toBe('0:0 1:1 2:2 3:3');
    expect(r.pairs.every((p) => p.method === 'dp')).toBe(true);
  });
  it('calibrates the ratio instead of assuming 1:1', () => {
    // At 1:1 the pairing would be 0+1:0 1… ; at the texts' own 1:3 ratio it is 1-1 throughout.
    expect(shape(pairParagraphs(side('zh', [100, 100, 300]), side('en', [300, 300, 900])))).toBe('0:0 1:1 2:2');
  });
  it('1-0 (a paragraph missing from the translation)', () => {
    // The omission also skews the total-length ratio (3450:1000); pairing recalibrates on the 1-1 pairs.
    const r = pairParagraphs(side('en', [900, 600, 450, 1200, 300]), side('zh', [300, 200, 400, 100]));
    expect(shape(r)).toBe('0:0 1:1 2: 3:2 4:3');
    expect(r.unpaired.a).toEqual([2]);
    expect(r.unpaired.b).toEqual([]);
  });
  it('0-1 (an added paragraph)', () => {
    const r = pairParagraphs(side('zh', [300, 300, 300]), side('en', [900, 900, 900, 900]));
    expect(r.pairs).toHaveLength(4);
    expect(r.unpaired.a).toEqual([]);
    expect(r.unpaired.b).toHaveLength(1);
  });
  it('1-2 and 2-1', () => {
    expect(shape(pairParagraphs(side('zh', [100, 200, 100]), side('en', [300, 300, 300, 300])))).toBe('0:0 1:1+2 2:3');
    expect(shape(pairParagraphs(side('zh', [100, 100, 100, 100]), side('en', [300, 600, 300])))).toBe('0:0 1+2:1 3:2');
  });
  it('uses the similarity callback to settle what lengths cannot', () => {
    // Equal lengths: only the score says that a[1] belongs to b[2] (b[1] is an insertion).
    const a = side('zh', [100, 100, 100]);
    const b = side('en', [300, 300, 300, 300]);
    const score = (ai: number[], bi: number[]): number => {
      if (ai.length !== 1 || bi.length !== 1) return 0;
      const [x, y] = [ai[0]!, bi[0]!];
      return (x === 0 && y === 0) || (x >= 1 && y === x + 1) ? 1 : 0;
    };
    const r = pairParagraphs(a, b, { score });
    expect(shape(r)).toBe('0:0 :1 1:2 2:3');
    expect(r.unpaired.b).toEqual([1]);
  });
  it('pairs a single-paragraph side (presplit) whole', () => {
    const r = pairParagraphs(side('zh', [500]), side('en', [300, 300, 900]));
    expect(r.pairs).toEqual([{ a: [0], b: [0, 1, 2], method: 'whole' }]);
  });
  it('keeps everything when one side is empty', () => {
    const r = pairParagraphs(side('zh', []), side('en', [300, 300]));
    expect(shape(r)).toBe(':0 :1');
    expect(r.unpaired).toEqual({ a: [], b: [0, 1] });
  });
  it('stays linear on long unnumbered documents (banded DP)', () => {
    const n = 2100; // (n+1)² cells exceed the full-DP limit: the band is used
    const lens = Array.from({ length: n }, (_, i) => 50 + ((i * 37) % 200));
    const r = pairParagraphs(side('zh', lens), side('en', lens.map((l) => l * 3)));
    expect(r.pairs).toHaveLength(n);
    expect(r.pairs.every((p, i) => p.a[0] === i && p.b[0] === i)).toBe(true);
  });
});
