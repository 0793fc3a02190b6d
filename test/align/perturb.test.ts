
import { describe, expect, it } from 'vitest';
import { BITEXT_DIRS, docOf, loadBitexts, perturb, textOf } from '../../scripts/perturb.js';
import { buildSide } from '../../server/text/index.js';

describe('bench:omissions perturbation', () => {
  const docs = loadBitexts(BITEXT_DIRS).map(docOf);

  it('loads the three gold-aligned texts', () => {
    expect(docs.map((d) => d.name)).toEqual(['brics-fm-2020-09-04', 'river-basin-2023', 'school-meals-2022']);
  });

  it('keeps the gold a partition of both sides, makes every kind of event, and rebuilds raw text that splits the same', () => {
    for (const doc of docs) {
      const pool = docs.filter((d) => d !== doc).flatMap((d) => d.zh.map((u) => u.text).filter((t) => /[。！？]$/.test(t)));
      for (const seed of [1, 2, 3]) {
        const { doc: p, events } = perturb(doc, seed, pool);
        const zh = p.gold.flatMap((g) => g.zh).sort((a, b) => a - b);
        const en = p.gold.flatMap((g) => g.en).sort((a, b) => a - b);
        expect(zh).toEqual(p.zh.map((u) => u.id).sort((a, b) => a - b));
        expect(en).toEqual(p.en.map((u) => u.id).sort((a, b) => a - b));
        expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['delete-sentence', 'insert-sentence', 'merge', 'split']));
        for (const e of events.filter((x) => x.orphanEn !== undefined)) expect(p.gold.some((g) => g.zh.length === 0 && g.en[0] === e.orphanEn)).toBe(true);
        expect(buildSide(textOf(p.zh, p.zhLabels, 'zh', false), 'zh').sentences.map((s) => s.text)).toEqual(p.zh.map((u) => u.text));
        expect(buildSide(textOf(p.en, p.enLabels, 'en', false), 'en').sentences.map((s) => s.text)).toEqual(p.en.map((u) => u.text));
        // Deterministic for a seed.
        expect(perturb(doc, seed, pool).doc.zh.map((u) => u.text)).toEqual(p.zh.map((u) => u.text));
      }
    }
  });
});
