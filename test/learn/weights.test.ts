import { describe, expect, it } from 'vitest';
import { Counts, type CountsSlice } from '../../server/learn/counts.js';
import { beadEvidence } from '../../server/learn/evidence.js';
import { LEARN_DEFAULTS, learnedCandidates } from '../../server/learn/weights.js';

/** A slice from (word, n), (term, n) and (word, term, n) lists. */
function slice(beads: number, words: Array<[string, number]>, terms: Array<[string, number]>, pairs: Array<[string, string, number]>): CountsSlice {
  const p = new Map<string, Map<string, number>>();
  for (const [w, e, n] of pairs) p.set(w, new Map([...(p.get(w) ?? []), [e, n]]));
  return { beads, words: new Map(words), terms: new Map(terms), pairs: p };
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

  it('one co-occurrence is no evidence (not read); a term found in most rows is no one’s translation', () => {
    const c = new Counts();
    c.add(beadEvidence('天一亮，我们出发。', 'At dawn we set out.'));
    expect(c.pairs.get('天一亮')?.get('dawn')).toBe(1);
    const once = learnedCandidates(c.slice(['天一亮'], ['dawn']), ['天一亮'], ['dawn']);
    expect(weightOf(once, '天一亮', 'dawn')).toBeUndefined();
    c.add(beadEvidence('天一亮他就醒了。', 'He woke at dawn.'));
    expect(weightOf(learnedCandidates(c.slice(['天一亮'], ['dawn']), ['天一亮'], ['dawn']), '天一亮', 'dawn')).toBeCloseTo(2 / (2 + LEARN_DEFAULTS.prior), 10);
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
});
