/**
 * Links between the words of a bead's two sides, in three passes, each word taken once:
 *
 * 1. Phrases: a multi-word sense of a word (世界银行 "World Bank", 国际海事组织 "International Maritime
 *    Organization") links it to a run of words of the other side that says exactly that, the occurrence
 *    nearest in relative position first, the longest phrases first.
 * 2. Dictionary: competitive linking (Melamed 2000) over pairs of words that share a term — the word's
 *    own sense 1, a sense of a dictionary word inside an unknown word 0.9, another form of the word (a
 *    common stem and a derivational ending: region / regional) 0.8 — strongest first, less half their distance in relative position (a term repeated in
 *    the bead pairs with the occurrence in the same place).
 * 3. Weaker evidence for what is left: the document's learnt IBM Model 1 table (0.7) and the senses of
 *    single characters of unknown words (0.5).
 *
 * A word may take a second partner in passes 2 and 3 only next to its first one and through another
 * term ("mutual support" ↔ 相互支持), never 周年 ↔ "anniversary … anniversary".
 */
import type { WordToken } from './tokens.js';

export type LinkVia = 'phrase' | 'dictionary' | 'literal' | 'stem' | 'learnt' | 'character';

export interface WordLink {
  /** Index into the source tokens. */
  source: number;
  /** Index into the target tokens. */
  target: number;
  /** Strength in (0, 1]. */
  score: number;
  via: LinkVia;
}

/** Learnt word pairs: a word of one side (its text) → terms of the other side. */
export type LearntTable = ReadonlyMap<string, readonly string[]>;

const LEARNT = 0.7;
const STEM = 0.8;
const PREFIX = 5;
/** Priority lost per unit of relative-position distance (0 = same place, 1 = opposite ends). */
const DISTANCE_COST = 0.5;

interface Candidate {
  s: number;
  t: number;
  score: number;
  via: LinkVia;
  term: string;
  distance: number;
}

const isLiteral = (t: string) => t.startsWith('#') || t.startsWith('month:');
const linkable = (t: WordToken): boolean => t.kind !== 'function';

/** Whether a word reads as `term`: the term itself, or another form of it (`derived`). */
function reads(t: WordToken, term: string): boolean {
  if (t.terms.has(term)) return true;
  if (term.length < PREFIX || isLiteral(term)) return false;
  for (const x of t.terms.keys()) if (derived(x, term)) return true;
  return false;
}

/** The strongest reading two words share (pass 2), or null. */
function dictionaryMatch(a: WordToken, b: WordToken): Omit<Candidate, 's' | 't' | 'distance'> | null {
  let best: Omit<Candidate, 's' | 't' | 'distance'> | null = null;
  const offer = (score: number, via: LinkVia, term: string) => {
    if (score >= 0.8 && (!best || score > best.score)) best = { score, via, term };
  };
  for (const [term, sa] of a.terms) {
    const sb = b.terms.get(term);
    if (sb !== undefined) offer(Math.min(sa, sb), isLiteral(term) ? 'literal' : 'dictionary', term);
  }
  // Derivations the light stemmer keeps apart: cooperat / cooperation, econom(y) / economic.
  for (const [term, sa] of a.terms) {
    if (term.length < PREFIX || isLiteral(term)) continue;
    const key = term.slice(0, PREFIX);
    for (const [other, sb] of b.terms) {
      if (other !== term && other.startsWith(key) && derived(term, other)) offer(Math.min(sa, sb) * STEM, 'stem', term);
    }
  }
  return best;
}

/** Endings that make one word of another (region / regional, develop / development, econom-y / -ic). */
const SUFFIXES = new Set(
  (
    '- e y s es ed ing er ers or ors al ally ial ic ics ical ly ive ively ity ities ion ions ation ations ition ' +
    'ment ments ness ance ence ant ants ent ents at ate abl able ability ary ory atory ative ist ism ise ize isation ization ful tic tics'
  )
    .split(' ')
    .map((x) => (x === '-' ? '' : x)),
);

/** Two stems of one word: a common stem of five letters or more, and an ending from SUFFIXES after it on each side. */
export function derived(a: string, b: string): boolean {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  // The stem may end before the last common letter: participat-e / particip-ant.
  for (let n = k; n >= 5 && n >= k - 2; n--) if (SUFFIXES.has(a.slice(n)) && SUFFIXES.has(b.slice(n))) return true;
  return false;
}

/** Pass 3: the learnt table, then single characters' senses. */
function weakMatch(a: WordToken, b: WordToken, learnt: LearntTable): Omit<Candidate, 's' | 't' | 'distance'> | null {
  for (const t of learnt.get(a.text) ?? []) if (b.terms.has(t)) return { score: LEARNT, via: 'learnt', term: t };
  for (const t of learnt.get(b.text) ?? []) if (a.terms.has(t)) return { score: LEARNT, via: 'learnt', term: t };
  // A name or an acronym is matched by its own senses only (UN ≠ 不 "un-").
  if (a.kind === 'name' || b.kind === 'name') return null;
  let best: Omit<Candidate, 's' | 't' | 'distance'> | null = null;
  for (const [term, sa] of a.terms) {
    const sb = b.terms.get(term);
    if (sb !== undefined && (!best || Math.min(sa, sb) > best.score)) best = { score: Math.min(sa, sb), via: 'character', term };
  }
  return best;
}

/** Positions among the linkable words, so "Charter of the United Nations" counts Charter and United as neighbours. */
function contentPositions(tokens: readonly WordToken[]): Int32Array {
  const pos = new Int32Array(tokens.length).fill(-1);
  let k = 0;
  tokens.forEach((tok, i) => {
    if (linkable(tok)) pos[i] = k++;
  });
  return pos;
}

class Linker {
  readonly out: WordLink[] = [];
  readonly bySource = new Map<number, Candidate[]>();
  readonly byTarget = new Map<number, Candidate[]>();
  private readonly sPos: Int32Array;
  private readonly tPos: Int32Array;

  constructor(
    readonly source: readonly WordToken[],
    readonly target: readonly WordToken[],
  ) {
    this.sPos = contentPositions(source);
    this.tPos = contentPositions(target);
  }

  distance(s: number, t: number): number {
    const a = this.source[s]!;
    const b = this.target[t]!;
    const sLen = Math.max(1, this.source.at(-1)?.end ?? 1);
    const tLen = Math.max(1, this.target.at(-1)?.end ?? 1);
    return Math.abs((a.start + a.end) / 2 / sLen - (b.start + b.end) / 2 / tLen);
  }

  add(c: Candidate): void {
    this.bySource.set(c.s, [...(this.bySource.get(c.s) ?? []), c]);
    this.byTarget.set(c.t, [...(this.byTarget.get(c.t) ?? []), c]);
    this.out.push({ source: c.s, target: c.t, score: Math.round(c.score * 100) / 100, via: c.via });
  }

  /** Competitive linking over candidates (strongest first, less distance). */
  compete(cands: Candidate[]): void {
    const priority = (c: Candidate) => c.score - DISTANCE_COST * c.distance;
    cands.sort((x, y) => priority(y) - priority(x) || x.s - y.s || x.t - y.t);
    const adjacent = (pos: Int32Array, i: number, others: readonly number[]) => others.some((j) => Math.abs((pos[i] ?? -9) - (pos[j] ?? -99)) === 1);
    for (const c of cands) {
      const ls = this.bySource.get(c.s);
      const lt = this.byTarget.get(c.t);
      if (ls && lt) continue;
      // A word with a partner takes a second one only beside the first, through another term.
      if (lt && (!adjacent(this.sPos, c.s, lt.map((x) => x.s)) || lt.some((x) => x.term === c.term))) continue;
      if (ls && (!adjacent(this.tPos, c.t, ls.map((x) => x.t)) || ls.some((x) => x.term === c.term))) continue;
      this.add(c);
    }
  }

  /** Pass 1: phrase senses of either side's words against runs of the other side's words. */
  phrases(): void {
    type Job = { from: 'source' | 'target'; i: number; terms: readonly string[]; strength: number };
    const jobs: Job[] = [];
    this.source.forEach((t, i) => {
      for (const p of t.phrases ?? []) jobs.push({ from: 'source', i, terms: p.terms, strength: p.strength });
    });
    this.target.forEach((t, i) => {
      for (const p of t.phrases ?? []) jobs.push({ from: 'target', i, terms: p.terms, strength: p.strength });
    });
    jobs.sort((x, y) => y.terms.length - x.terms.length || y.strength - x.strength || x.i - y.i);
    for (const job of jobs) {
      const other = job.from === 'source' ? this.target : this.source;
      const taken = job.from === 'source' ? this.byTarget : this.bySource;
      if ((job.from === 'source' ? this.bySource : this.byTarget).has(job.i)) continue;
      const words = other.map((t, k) => ({ t, k })).filter((x) => linkable(x.t));
      let best: { run: number[]; distance: number } | null = null;
      for (let q = 0; q + job.terms.length <= words.length; q++) {
        const run = job.terms.map((_, r) => words[q + r]!);
        if (run.some((x, r) => taken.has(x.k) || !reads(x.t, job.terms[r]!))) continue;
        const mid = run[Math.floor(run.length / 2)]!.k;
        const distance = job.from === 'source' ? this.distance(job.i, mid) : this.distance(mid, job.i);
        if (!best || distance < best.distance) best = { run: run.map((x) => x.k), distance };
      }
      if (!best) continue;
      best.run.forEach((k, r) => {
        const [s, t] = job.from === 'source' ? [job.i, k] : [k, job.i];
        this.add({ s, t, score: job.strength, via: 'phrase', term: `${job.terms.join(' ')}#${r}`, distance: best.distance });
      });
    }
  }

  candidates(match: (a: WordToken, b: WordToken) => Omit<Candidate, 's' | 't' | 'distance'> | null): Candidate[] {
    const out: Candidate[] = [];
    for (let s = 0; s < this.source.length; s++) {
      const a = this.source[s]!;
      if (!linkable(a)) continue;
      for (let t = 0; t < this.target.length; t++) {
        const b = this.target[t]!;
        if (!linkable(b)) continue;
        const m = match(a, b);
        if (m) out.push({ s, t, ...m, distance: this.distance(s, t) });
      }
    }
    return out;
  }
}

/**
 * Links of one bead. `learnt` maps a word of either side (its text) to terms of the other side
 * (see learnTable in index.ts).
 */
export function linkWords(source: readonly WordToken[], target: readonly WordToken[], learnt: LearntTable = new Map()): WordLink[] {
  const l = new Linker(source, target);
  l.phrases();
  l.compete(l.candidates(dictionaryMatch));
  l.compete(l.candidates((a, b) => weakMatch(a, b, learnt)));
  return l.out.sort((x, y) => x.source - y.source || x.target - y.target);
}
