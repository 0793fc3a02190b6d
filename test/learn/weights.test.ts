import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Counts, type Marginals, type PairCounts } from '../../server/learn/counts.js';
import { beadEvidence } from '../../server/learn/evidence.js';
import { LEARN_DEFAULTS, learnedCandidates as candidates, pairsQuery } from '../../server/learn/weights.js';

/** Marginals and pair counts from (word, n), (term, n) and (word, term, n) lists. */
function slice(beads: number, words: Array<[string, number]>, terms: Array<[string, number]>, pairs: Array<[string, string, number]>): { m: Marginals; p: PairCounts } {
  const p: PairCounts = new Map();
  for (const [w, e, n] of pairs) p.set(w, new Map([...(p.get(w) ?? []), [e, n]]));
  return { m: { beads, words: new Map(words), terms: new Map(terms) }, p };
}

const learnedCandidates = (s: { m: Marginals; p: PairCounts }, words: string[], terms: string[]) => candidates(s.m, s.p, words, terms);

/** Candidates through a reader, reading only the pairs the query asks for. */
async function viaReader(c: Counts, words: string[], terms: string[]) {
  const r = c.reader();
  const m = await r.marginals(words, terms);
  return candidates(m, await r.pairs(pairsQuery(m, words, terms)), words, terms);
}

const weightOf = (m: Map<string, Array<{ term: string; weight: number }>>, w: string, e: string): number | undefined => m.get(w)?.find((c) => c.term === e)?.weight;

describe('learnt weights: Dice with the dictionary as a prior worth a few rows', () => {
  it('a small corpus cannot drown the dictionary: a sense not seen in 3 rows keeps most of its weight', () => {
    const m = learnedCandidates(slice(3, [['说', 3]], [['say', 3]], [['说', 'say', 3]]), ['说'], ['say', 'speak']);
    expect(weightOf(m, '说', 'say')).toBeCloseTo(1, 10);
    expect(weightOf(m, '说', 'speak')).toBeGreaterThan(0.8);
  });

  it('a large corpus dominates: a sense never used in 300 rows fades, the one always used stays at the dictionary weight', () => {
    const m = learnedCandidates(slice(1000, [['说', 300]], [['say', 300], ['speak', 40]], [['说', 'say', 300]]), ['说'], ['say', 'speak']);
    expect(weightOf(m, '说', 'say')).toBeCloseTo(1, 10);
    expect(weightOf(m, '说', 'speak')).toBeLessThan(0.1);
  });

  it('a rendering the dictionary lacks grows with its evidence up to about a dictionary match', () => {
    const small = learnedCandidates(slice(10, [['天一亮', 2]], [['dawn', 2]], [['天一亮', 'dawn', 2]]), ['天一亮'], ['dawn']);
    const large = learnedCandidates(slice(5000, [['天一亮', 200]], [['dawn', 210]], [['天一亮', 'dawn', 190]]), ['天一亮'], ['dawn']);
    expect(weightOf(small, '天一亮', 'dawn')).toBeCloseTo(2 / (2 + LEARN_DEFAULTS.prior), 10);
    expect(weightOf(large, '天一亮', 'dawn')).toBeGreaterThan(0.85);
  });

  it('one co-occurrence is no evidence (not read); a term found in most rows is no one’s translation', async () => {
    const c = new Counts();
    c.add(beadEvidence('天一亮，我们出发。', 'At dawn we set out.'));
    expect(c.pairs.get('天一亮')?.get('dawn')).toBe(1);
    const once = await viaReader(c, ['天一亮'], ['dawn']);
    expect(weightOf(once, '天一亮', 'dawn')).toBeUndefined();
    c.add(beadEvidence('天一亮他就醒了。', 'He woke at dawn.'));
    expect(weightOf(await viaReader(c, ['天一亮'], ['dawn']), '天一亮', 'dawn')).toBeCloseTo(2 / (2 + LEARN_DEFAULTS.prior), 10);
    const common = learnedCandidates(slice(2000, [['渔夫', 20]], [['old', 1000]], [['渔夫', 'old', 20]]), ['渔夫'], ['old']);
    expect(weightOf(common, '渔夫', 'old')).toBeUndefined();
  });

  it('only the asked terms, heaviest first, the same every time; unknown words get nothing', () => {
    const s = slice(50, [['渔夫', 20]], [['fisherman', 18], ['boat', 15], ['fish', 16]], [['渔夫', 'fisherman', 18], ['渔夫', 'boat', 12], ['渔夫', 'fish', 12]]);
    const m = learnedCandidates(s, ['渔夫', '港口'], ['fisherman', 'boat']);
    expect([...m.keys()]).toEqual(['渔夫']);
    expect(m.get('渔夫')!.map((c) => c.term)).toEqual(['fisherman', 'boat']);
    expect(learnedCandidates(s, ['渔夫', '港口'], ['fisherman', 'boat'])).toEqual(m);
  });

  it('reading only the pairs the query asks for gives the candidates of reading them all (the bound on the count is exact)', () => {
    const words = ['渔夫', '港口', '说', '天一亮'];
    const terms = ['fisherman', 'harbour', 'say', 'dawn', 'boat', 'old'];
    const counts = fc.record({
      beads: fc.integer({ min: 50, max: 5000 }),
      nw: fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: words.length, maxLength: words.length }),
      nt: fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: terms.length, maxLength: terms.length }),
      np: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: words.length * terms.length, maxLength: words.length * terms.length }),
    });
    fc.assert(
      fc.property(counts, ({ beads, nw, nt, np }) => {
        const m: Marginals = { beads, words: new Map(words.map((w, i) => [w, nw[i]!])), terms: new Map(terms.map((e, j) => [e, nt[j]!])) };
        const all: PairCounts = new Map();
        words.forEach((w, i) => {
          terms.forEach((e, j) => {
            const n = Math.min(np[i * terms.length + j]!, nw[i]!, nt[j]!);
            if (n > 0) all.set(w, new Map([...(all.get(w) ?? []), [e, n]]));
          });
        });
        const q = pairsQuery(m, words, terms);
        const read: PairCounts = new Map();
        for (const [w, row] of all) {
          for (const [e, n] of row) {
            const asked = (n >= (q.minCount.get(w) ?? Infinity) && q.terms.includes(e)) || q.pairs.some(([x, y]) => x === w && y === e);
            if (asked) read.set(w, new Map([...(read.get(w) ?? []), [e, n]]));
          }
        }
        expect(candidates(m, read, words, terms)).toEqual(candidates(m, all, words, terms));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
