/**
 * From counts to the weights the aligner gives word pairs: the Dice coefficient of the pair in the
 * confirmed rows, with CC-CEDICT as its prior, worth `prior` beads of evidence:
 *
 *     w(f, e) = (n(f, e) + prior · d(f, e)) / ((n(f) + n(e)) / 2 + prior)
 *
 * where d is the dictionary's weight of the pair (1 for a CC-CEDICT sense, the per-character
 * fallback's weight for a word not in CC-CEDICT, 0 otherwise). A word seen in a few confirmed rows
 * keeps nearly its dictionary weights (a small corpus cannot drown the dictionary); one seen in many
 * more rows than `prior` gets the weights its rows show (a large corpus dominates): a sense the
 * translators never use fades, a rendering the dictionary lacks reaches the weight of a dictionary
 * match when the two always come together. Dice (not a conditional probability) so that a term found
 * in every other row ("say") is no one's translation.
 */
import { zhWordToken } from '../align/lexical/dictionary.js';
import type { LearnedCandidate } from '../align/lexical/learned.js';
import { LEXICAL_DEFAULTS } from '../align/lexical/model.js';
import { MIN_PAIR_COUNT, type Marginals, type PairCounts, type PairsQuery } from './counts.js';

export interface LearnSettings {
  /** How many beads of evidence the dictionary's word of a pair is worth. */
  prior: number;
  /** Pairs the dictionary lacks are left out below this weight (noise, and longer candidate lists). */
  floor: number;
  /** Weight of a match by a per-character sense (word not in CC-CEDICT): the aligner's own. */
  fallbackWeight: number;
}

export const LEARN_DEFAULTS: LearnSettings = { prior: 8, floor: 0.1, fallbackWeight: LEXICAL_DEFAULTS.fallbackWeight };

const byWeightThenTerm = (x: LearnedCandidate, y: LearnedCandidate): number => y.weight - x.weight || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0);

/**
 * Which pair counts can matter for these words: each word's dictionary senses among `terms`, and
 * its other pairs only from the count at which one could reach the floor (the Dice of a pair counted
 * n times is at most n / ((n(f) + n) / 2 + prior), since n(e) ≥ n). A word in a fifth of 10,000
 * rows needs a pair counted over 100 times; reading only those keeps a large table cheap.
 */
export function pairsQuery(m: Marginals, words: readonly string[], terms: readonly string[], settings: LearnSettings = LEARN_DEFAULTS): PairsQuery {
  const asked = new Set(terms);
  const minCount = new Map<string, number>();
  const pairs: Array<readonly [string, string]> = [];
  const { floor, prior } = settings;
  for (const f of new Set(words)) {
    const nf = m.words.get(f);
    if (!nf) continue;
    minCount.set(f, Math.max(MIN_PAIR_COUNT, Math.ceil((floor * (nf / 2 + prior)) / (1 - floor / 2) - 1e-9)));
    for (const e of new Set(zhWordToken(f).terms)) if (asked.has(e)) pairs.push([f, e]);
  }
  return { minCount, terms, pairs };
}

/** Per word of `words` the table has seen: its candidates among `terms`, heaviest first. */
export function learnedCandidates(
  m: Marginals,
  counts: PairCounts,
  words: readonly string[],
  terms: readonly string[],
  settings: LearnSettings = LEARN_DEFAULTS,
): Map<string, LearnedCandidate[]> {
  const out = new Map<string, LearnedCandidate[]>();
  const asked = new Set(terms);
  const { prior, floor } = settings;
  for (const f of new Set(words)) {
    const nf = m.words.get(f) ?? 0;
    if (nf === 0) continue;
    const tok = zhWordToken(f);
    const d = tok.fallback ? settings.fallbackWeight : 1;
    const row = counts.get(f);
    const cands: LearnedCandidate[] = [];
    const seen = new Set<string>();
    const weigh = (e: string, prio: number): void => {
      if (seen.has(e)) return;
      seen.add(e);
      const ne = m.terms.get(e) ?? 0;
      const nfe = row?.get(e) ?? 0;
      const w = (nfe + prior * prio) / ((nf + ne) / 2 + prior);
      if (prio > 0 || (nfe >= MIN_PAIR_COUNT && w >= floor)) cands.push({ term: e, weight: w });
    };
    for (const e of tok.terms) if (asked.has(e)) weigh(e, d);
    if (row) for (const e of row.keys()) if (asked.has(e)) weigh(e, 0);
    if (cands.length) out.set(f, cands.sort(byWeightThenTerm));
  }
  return out;
}
