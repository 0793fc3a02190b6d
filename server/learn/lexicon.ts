/**
 * A store's learnt table as the lexical model's LearnedLexicon: for a document, the counts of its
 * words and terms are read (any backend: a CountsReader), then the pair counts that can matter, and
 * weighed (weights.ts).
 * It remembers what the last document used, for the CLI's report.
 */
import type { LearnedCandidate, LearnedLexicon } from '../align/lexical/learned.js';
import type { CountsReader, Marginals, PairCounts, PairsQuery } from './counts.js';
import type { LearntScope } from './teach.js';
import { LEARN_DEFAULTS, learnedCandidates, pairsQuery, type LearnSettings } from './weights.js';

export interface LearnedUse {
  /** Confirmed rows the table learnt from. */
  rows: number;
  /** Words of the document the table knows, and the candidate pairs it gave them. */
  words: number;
  pairs: number;
}

export class CountsLexicon implements LearnedLexicon {
  /** What the last document asked for used (null before the first). */
  last: LearnedUse | null = null;

  constructor(
    private readonly counts: CountsReader,
    private readonly settings: LearnSettings = LEARN_DEFAULTS,
  ) {}

  async candidates(words: readonly string[], terms: readonly string[]): Promise<Map<string, LearnedCandidate[]>> {
    const m = await this.counts.marginals(words, terms);
    const counts = m.words.size ? await this.counts.pairs(pairsQuery(m, words, terms, this.settings)) : new Map();
    const out = learnedCandidates(m, counts, words, terms, this.settings);
    let pairs = 0;
    for (const c of out.values()) pairs += c.length;
    this.last = { rows: m.beads, words: out.size, pairs };
    return out;
  }
}

/** What a store offers of its learnt table (the Store interface has these). */
export interface LearntSource {
  learntMarginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Promise<Marginals>;
  learntPairs(scope: LearntScope, query: PairsQuery): Promise<PairCounts>;
}

/** A store's table in one scope, as a reader. */
export function scopedReader(source: LearntSource | (() => Promise<LearntSource>), scope: LearntScope): CountsReader {
  const get = typeof source === 'function' ? source : async () => source;
  return {
    marginals: async (words, terms) => (await get()).learntMarginals(scope, words, terms),
    pairs: async (q) => (await get()).learntPairs(scope, q),
  };
}
