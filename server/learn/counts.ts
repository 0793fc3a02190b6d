/**
 * The learnt table's sufficient statistics: how many beads taught it, in how many of them each
 * Chinese word and each English term occurs, and how many times each word–term pair was counted
 * (evidence.ts). Integers only, so adding a bead and taking it back leaves every count exactly as it
 * was, in any order. The store keeps these per language pair and project (server/store); `Counts`
 * holds them in memory (a rebuild, the benchmark, tests). The aligner reads a `CountsSlice`: the
 * counts of one document's words and terms.
 */
import type { BeadEvidence } from './evidence.js';

/**
 * Pairs counted fewer times than this are not read (one co-occurrence is no evidence): most pairs
 * are counted once, so the aligner reads a sixth of them. The store's partial index
 * (learnt_pairs_read, migration 4) holds the same condition.
 */
export const MIN_PAIR_COUNT = 2;

/** The counts of some words and terms (those asked for). */
export interface CountsSlice {
  beads: number;
  /** n(word): beads holding the word. */
  words: ReadonlyMap<string, number>;
  /** n(term): beads holding the term. */
  terms: ReadonlyMap<string, number>;
  /** n(word, term) of the asked words and terms, for pairs counted at least MIN_PAIR_COUNT times (in one project's table). */
  pairs: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** One side of the marginals, as stored: 'zh' words, 'en' terms. */
export type CountSide = 'zh' | 'en';

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

  apply(d: CountsDelta): void {
    this.beads += d.beads;
    for (const [w, n] of d.words) bump(this.words, w, n);
    for (const [e, n] of d.terms) bump(this.terms, e, n);
    for (const [k, n] of d.pairs) {
      const [w, e] = splitPairKey(k);
      let row = this.pairs.get(w);
      if (!row) {
        row = new Map();
        this.pairs.set(w, row);
      }
      bump(row, e, n);
      if (row.size === 0) this.pairs.delete(w);
    }
  }

  slice(words: readonly string[], terms: readonly string[]): CountsSlice {
    const termSet = new Set(terms);
    const w = new Map<string, number>();
    const p = new Map<string, Map<string, number>>();
    for (const f of words) {
      const n = this.words.get(f);
      if (!n) continue;
      w.set(f, n);
      const row = this.pairs.get(f);
      if (!row) continue;
      const kept = new Map<string, number>();
      for (const [e, c] of row) if (c >= MIN_PAIR_COUNT && termSet.has(e)) kept.set(e, c);
      if (kept.size) p.set(f, kept);
    }
    const t = new Map<string, number>();
    for (const e of terms) {
      const n = this.terms.get(e);
      if (n) t.set(e, n);
    }
    return { beads: this.beads, words: w, terms: t, pairs: p };
  }

  /** Number of distinct word–term pairs. */
  get pairCount(): number {
    let n = 0;
    for (const row of this.pairs.values()) n += row.size;
    return n;
  }
}
