/**
 * A store's learnt table as the lexical model's LearnedLexicon: for a document, the counts of its
 * words and terms are read (any backend: a function of the words and terms) and weighed (weights.ts).
 * It remembers what the last document used, for the CLI's report.
 */
import type { LearnedCandidate, LearnedLexicon } from '../align/lexical/learned.js';
import type { CountsSlice } from './counts.js';
import { LEARN_DEFAULTS, learnedCandidates, type LearnSettings } from './weights.js';

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
    private readonly counts: (words: readonly string[], terms: readonly string[]) => Promise<CountsSlice>,
    private readonly settings: LearnSettings = LEARN_DEFAULTS,
  ) {}

  async candidates(words: readonly string[], terms: readonly string[]): Promise<Map<string, LearnedCandidate[]>> {
    const slice = await this.counts(words, terms);
    const out = learnedCandidates(slice, words, terms, this.settings);
    let pairs = 0;
    for (const c of out.values()) pairs += c.length;
    this.last = { rows: slice.beads, words: out.size, pairs };
    return out;
  }
}
