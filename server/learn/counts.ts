/**
 * The learnt table's sufficient statistics: how many beads taught it, in how many of them each
 * Chinese word and each English term occurs, and how many times each word–term pair was counted
 * (evidence.ts). Integers only, so adding a bead and taking it back leaves every count exactly as it
 * was, in any order. The store keeps these per language pair and project (server/store); `Counts`
 * holds them in memory (the benchmark, tests), `CountsBuilder` sums them for a rebuild. The aligner
 * reads them through a `CountsReader`: the counts of one document's words and terms, then the few
 * pair counts that can matter.
 */
import type { BeadEvidence } from './evidence.js';

/**
 * Pairs the dictionary lacks are read only when counted at least this often (one co-occurrence is
 * no evidence): most pairs are counted once. The store's partial index learnt_pairs_read
 * (migration 6) holds the same condition.
 */
export const MIN_PAIR_COUNT = 2;

/** How many rows taught the table, and hold each of some words and terms. */
export interface Marginals {
  beads: number;
  /** n(word): rows holding the word (words never seen are absent). */
  words: ReadonlyMap<string, number>;
  /** n(term): rows holding the term. */
  terms: ReadonlyMap<string, number>;
}

/** Which pair counts to read: few of them, so a large table costs a document little. */
export interface PairsQuery {
  /** Per word: its pairs counted at least this many times (never fewer than MIN_PAIR_COUNT) … */
  minCount: ReadonlyMap<string, number>;
  /** … with one of these terms; */
  terms: readonly string[];
  /** and these pairs whatever their count (the dictionary's senses). */
  pairs: ReadonlyArray<readonly [string, string]>;
}

/** n(word, term) by word, then term. */
export type PairCounts = Map<string, Map<string, number>>;

/** Where the learnt counts are read: a store's table (summed over a scope's projects) or counts in memory. */
export interface CountsReader {
  marginals(words: readonly string[], terms: readonly string[]): Promise<Marginals>;
  pairs(q: PairsQuery): Promise<PairCounts>;
}

/** A pair of the table with the counts of its two sides. */
export interface CountedPair {
  word: string;
  term: string;
  /** Rows that counted the pair; rows holding the word; rows holding the term. */
  n: number;
  nWord: number;
  nTerm: number;
}

/** A confirmed row that taught a pair, with its texts as reviewed. */
export interface ExampleRow {
  docId: string;
  docName: string;
  beadId: string;
  sourceLang: string;
  targetLang: string;
  source: string;
  target: string;
}

/** Adds n to the count of `term` under `word`. */
export function addPairCount(m: PairCounts, word: string, term: string, n: number): void {
  let row = m.get(word);
  if (!row) {
    row = new Map();
    m.set(word, row);
  }
  row.set(term, (row.get(term) ?? 0) + n);
}

/** A change of counts: +1 per taught bead, −1 per retracted one, summed (zero entries dropped). */
export class CountsDelta {
  beads = 0;
  readonly words = new Map<string, number>();
  readonly terms = new Map<string, number>();
  /** `word \0 term` → change. */
  readonly pairs = new Map<string, number>();

  add(ev: BeadEvidence, sign: 1 | -1): void {
    this.beads += sign;
    for (const w of ev.words) bump(this.words, w, sign);
    for (const e of ev.terms) bump(this.terms, e, sign);
    for (const [i, j] of ev.pairs) bump(this.pairs, pairKey(ev.words[i]!, ev.terms[j]!), sign);
  }

  get empty(): boolean {
    return this.beads === 0 && this.words.size === 0 && this.terms.size === 0 && this.pairs.size === 0;
  }
}

export const pairKey = (w: string, e: string): string => `${w}\u0000${e}`;

export function splitPairKey(k: string): [string, string] {
  const at = k.indexOf('\u0000');
  return [k.slice(0, at), k.slice(at + 1)];
}

function bump(m: Map<string, number>, k: string, by: number): void {
  const v = (m.get(k) ?? 0) + by;
  if (v === 0) m.delete(k);
  else m.set(k, v);
}

/** All counts of one table, in memory. */
export class Counts {
  beads = 0;
  readonly words = new Map<string, number>();
  readonly terms = new Map<string, number>();
  readonly pairs = new Map<string, Map<string, number>>();

  add(ev: BeadEvidence, sign: 1 | -1 = 1): void {
    this.beads += sign;
    for (const w of ev.words) bump(this.words, w, sign);
    for (const e of ev.terms) bump(this.terms, e, sign);
    for (const [i, j] of ev.pairs) {
      const w = ev.words[i]!;
      let row = this.pairs.get(w);
      if (!row) {
        row = new Map();
        this.pairs.set(w, row);
      }
      bump(row, ev.terms[j]!, sign);
      if (row.size === 0) this.pairs.delete(w);
    }
  }

  /** These counts as a reader (the benchmark's and the tests' table in memory). */
  reader(): CountsReader {
    return {
      marginals: async (words, terms) => {
        const pick = (m: Map<string, number>, keys: readonly string[]): Map<string, number> => {
          const out = new Map<string, number>();
          for (const k of keys) {
            const n = m.get(k);
            if (n) out.set(k, n);
          }
          return out;
        };
        return { beads: this.beads, words: pick(this.words, words), terms: pick(this.terms, terms) };
      },
      pairs: async (q) => {
        const out: PairCounts = new Map();
        const terms = new Set(q.terms);
        for (const [w, min] of q.minCount) {
          for (const [e, n] of this.pairs.get(w) ?? []) if (n >= Math.max(min, MIN_PAIR_COUNT) && terms.has(e)) addPairCount(out, w, e, n);
        }
        for (const [w, e] of q.pairs) {
          const n = this.pairs.get(w)?.get(e);
          if (n && out.get(w)?.get(e) === undefined) addPairCount(out, w, e, n);
        }
        return out;
      },
    };
  }

}

/**
 * Counts summed fast for a rebuild (100,000 rows): words and terms interned as numbers, a pair as
 * one number (word id · 2^21 + term id), and everything handed out sorted by text, the order of the
 * store's keys.
 */
export class CountsBuilder {
  beads = 0;
  private readonly wordIds = new Map<string, number>();
  private readonly termIds = new Map<string, number>();
  private wordN: number[] = [];
  private termN: number[] = [];
  private readonly pairN = new Map<number, number>();

  add(ev: BeadEvidence): void {
    this.beads++;
    const w = ev.words.map((x) => intern(this.wordIds, this.wordN, x));
    const t = ev.terms.map((x) => intern(this.termIds, this.termN, x));
    for (const i of w) this.wordN[i]!++;
    for (const j of t) this.termN[j]!++;
    for (const [i, j] of ev.pairs) {
      const k = w[i]! * TERM_SPACE + t[j]!;
      this.pairN.set(k, (this.pairN.get(k) ?? 0) + 1);
    }
  }

  /** Words and terms with their counts, and pairs, each sorted by text (code units). */
  sorted(): { words: Array<[string, number]>; terms: Array<[string, number]>; pairs: Array<[string, string, number]> } {
    const byText = (ids: Map<string, number>): string[] => [...ids.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const words = byText(this.wordIds);
    const terms = byText(this.termIds);
    // Ranks in text order, so sorting pair numbers by rank sorts them by word, then term.
    const wordRank = new Int32Array(words.length);
    words.forEach((x, r) => {
      wordRank[this.wordIds.get(x)!] = r;
    });
    const termRank = new Int32Array(terms.length);
    terms.forEach((x, r) => {
      termRank[this.termIds.get(x)!] = r;
    });
    const keys = new Float64Array(this.pairN.size);
    let q = 0;
    for (const k of this.pairN.keys()) keys[q++] = wordRank[Math.floor(k / TERM_SPACE)]! * TERM_SPACE + termRank[k % TERM_SPACE]!;
    keys.sort();
    const pairs: Array<[string, string, number]> = new Array(keys.length);
    q = 0;
    for (const k of keys) {
      const word = words[Math.floor(k / TERM_SPACE)]!;
      const term = terms[k % TERM_SPACE]!;
      pairs[q++] = [word, term, this.pairN.get(this.wordIds.get(word)! * TERM_SPACE + this.termIds.get(term)!)!];
    }
    return {
      words: words.map((x) => [x, this.wordN[this.wordIds.get(x)!]!]),
      terms: terms.map((x) => [x, this.termN[this.termIds.get(x)!]!]),
      pairs,
    };
  }
}

/** Term ids stay below this (2^21 distinct English terms); word ids times it stay exact in a double. */
const TERM_SPACE = 2 ** 21;

function intern(ids: Map<string, number>, counts: number[], x: string): number {
  let i = ids.get(x);
  if (i === undefined) {
    i = counts.length;
    if (i >= 2 ** 31) throw new RangeError('too many distinct words');
    ids.set(x, i);
    counts.push(0);
  }
  return i;
}
