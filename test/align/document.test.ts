import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlignmentResult } from '../../server/domain.js';
import { AlignInputError, alignDocument, alignTexts, getModel } from '../../server/align/index.js';
import { createLengthModel } from '../../server/align/length.js';
import { buildSide } from '../../server/text/index.js';

const corpus = resolve(import.meta.dirname, '..', '..', 'corpus', 'brics-fm-2020-09-04');

function expectEverySentenceOnce(r: AlignmentResult): void {
  const count = (n: number, ids: number[]): number[] => {
    const c = new Array<number>(n).fill(0);
    for (const i of ids) c[i] = (c[i] ?? 0) + 1;
    return c;
  };
  expect(count(r.a.sentences.length, r.beads.flatMap((b) => b.a)).every((x) => x === 1)).toBe(true);
  expect(count(r.b.sentences.length, r.beads.flatMap((b) => b.b)).every((x) => x === 1)).toBe(true);
}

describe('alignTexts on the demo corpus', () => {
  const zh = readFileSync(join(corpus, 'zh.txt'), 'utf8');
  const en = readFileSync(join(corpus, 'en.txt'), 'utf8');

  it('pairs title, date and all 31 numbered paragraphs, and covers every sentence once', async () => {
    const r = await alignTexts(zh, en, { model: 'lexical' });
    expect(r.model).toBe('lexical');
    expect([r.a.lang, r.b.lang]).toEqual(['zh', 'en']);
    const pairs = r.paragraphPairs.filter((p) => p.a.length > 0 && p.b.length > 0);
    expect(pairs.length).toBe(33);
    expect(pairs.every((p) => p.a.length === 1 && p.b.length === 1)).toBe(true);
    expect(r.unpaired).toEqual({ a: [], b: [] });
    const numbers = pairs.map((p) => r.a.paragraphs[p.a[0] ?? -1]?.number).filter((n) => n !== null);
    expect(numbers).toEqual(Array.from({ length: 31 }, (_, i) => String(i + 1)));
    // Paragraphs 8, 16 and 25 were broken by page breaks: each is one Chinese paragraph.
    for (const n of ['8', '16', '25']) expect(r.a.paragraphs.filter((p) => p.number === n).length).toBe(1);
    expectEverySentenceOnce(r);
    // Beads never cross a paragraph pair.
    for (const b of r.beads) {
      const pa = new Set(b.a.map((i) => r.a.sentences[i]?.paragraph));
      const pb = new Set(b.b.map((j) => r.b.sentences[j]?.paragraph));
      expect(pa.size).toBeLessThanOrEqual(1);
      expect(pb.size).toBeLessThanOrEqual(1);
    }
  });

  it('gives a Chinese sentence deleted inside a paragraph an empty-counterpart row (its English sentence alone)', async () => {
    const cut = '部长们还呼吁坚决反对纳粹的复兴意识形态、种族主义和仇外心理以及对历史的歪曲。';
    expect(zh).toContain(cut);
    const r = await alignTexts(zh.replace(cut, ''), en, { model: 'lexical' });
    const j = r.b.sentences.findIndex((s) => s.text.startsWith('The Ministers further called for a resolute stand'));
    expect(r.beads.some((b) => b.a.length === 0 && b.b.length === 1 && b.b[0] === j)).toBe(true);
    expectEverySentenceOnce(r);
    // Sentence by sentence (every third one inside a paragraph, the corpus being 1-1): most deletions
    // come out as empty-counterpart rows (all 33 such deletions: 28 found; 12 before the support deficits).
    const side = buildSide(zh, 'zh');
    const inner = side.sentences.filter((s) => {
      const para = side.sentences.filter((x) => x.paragraph === s.paragraph);
      return para.length >= 3 && para[0] !== s && para[para.length - 1] !== s;
    });
    const sample = inner.filter((_, k) => k % 3 === 0);
    let found = 0;
    for (const s of sample) {
      const cutOne = await alignTexts(zh.replace(s.text, ''), en, { model: 'lexical' });
      if (cutOne.beads.some((b) => b.a.length === 0 && b.b.length === 1 && b.b[0] === s.index)) found++;
    }
    expect(sample.length).toBe(11);
    expect(found).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it('works with the files in either order', async () => {
    const r = await alignTexts(en, zh, { model: 'lexical' });
    expect([r.a.lang, r.b.lang]).toEqual(['en', 'zh']);
    expect(r.paragraphPairs.filter((p) => p.method === 'number').length).toBeGreaterThanOrEqual(31);
    expectEverySentenceOnce(r);
  });

  it('refuses two texts in the same language unless the languages are given', async () => {
    await expect(alignTexts(en, en)).rejects.toThrow(AlignInputError);
    const r = await alignTexts(en, en, { aLang: 'en', bLang: 'en', model: 'length' });
    expect(r.model).toBe('length');
    expect(r.beads.every((b) => b.a.length === 1 && b.b.length === 1 && b.a[0] === b.b[0])).toBe(true);
  });
});

describe('alignDocument', () => {
  it('keeps sentences of unpaired paragraphs as 1-0 / 0-1 beads', async () => {
    const a = buildSide('1. The cat sat.\n\n2. It looked at the dog.\n\n3. An extra paragraph here. With two sentences.\n\n4. The end.', 'en');
    const b = buildSide('1. 猫坐着。\n\n2. 它看着狗。\n\n4. 结束。', 'zh');
    const r = await alignDocument(a, b, createLengthModel());
    expectEverySentenceOnce(r);
    const extra = r.beads.filter((x) => x.b.length === 0);
    expect(extra.map((x) => x.a)).toEqual([[2], [3]]);
  });

  it('aligns a presplit text as one sequence', async () => {
    const r = await alignTexts('猫坐在垫子上。\n它看着狗。\n', 'The cat sat on the mat.\nIt looked at the dog.\n', { presplit: true, model: 'lexical' });
    expect(r.beads.map((b) => [b.a, b.b])).toEqual([
      [[0], [0]],
      [[1], [1]],
    ]);
  });
});

describe('getModel', () => {
  it('returns models by name and rejects unknown names', async () => {
    expect((await getModel('lexical', { a: 'zh', b: 'en' })).name).toBe('lexical');
    expect((await getModel('length', { a: 'zh', b: 'en' })).name).toBe('length');
    await expect(getModel('magic', { a: 'zh', b: 'en' })).rejects.toThrow(/unknown model "magic"/);
  });
});
