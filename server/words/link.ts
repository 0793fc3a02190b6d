/**
 * Links between the words of a bead's two sides, in three passes, each word taken once:
 *
 * 1. Phrases: a multi-word sense of a word (世界银行 "World Bank", 国际海事组织 "International Maritime
 *    Organization") links it to a run of words of the other side that says exactly that, the occurrence
 *    nearest in relative position first, the longest phrases first.
 * 2. Dictionary: competitive linking (Melamed 2000) over pairs of words that share a term — the word's
 *    own sense 1, a sense of a dictionary word inside an unknown word 0.9, another form of the word (a
 *    common stem and a derivational ending: region / regional) 0.8 — strongest first, less half their
 *    distance in relative position (a term repeated in the bead pairs with the occurrence in the same
 *    place).
 * 3. Weaker evidence for what is left: the document's learnt IBM Model 1 table (0.7) and the senses of
 *    single characters of unknown words (0.5).
 *
 * A word may take a second partner in passes 2 and 3 only next to its first one and through another
 * term ("mutual support" ↔ 相互支持), never 周年 ↔ "anniversary … anniversary". Pairs are found through
 * an index of each side's terms, so a bead costs in proportion to the readings its words share.
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
/** Below this a shared term is a character's sense: pass 3. */
const DICTIONARY = 0.8;
const KEY = 5;
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
  for (let n = k; n >= KEY && n >= k - 2; n--) if (SUFFIXES.has(a.slice(n)) && SUFFIXES.has(b.slice(n))) return true;
  return false;
}

interface Hit {
  i: number;
  term: string;
  strength: number;
}

/** One side's linkable words by term (exact) and by the first letters of a term (for derived forms). */
class TermIndex {
  private readonly exact = new Map<string, Hit[]>();
  private readonly byKey = new Map<string, Hit[]>();

  constructor(tokens: readonly WordToken[]) {
    tokens.forEach((t, i) => {
      if (!linkable(t)) return;
      for (const [term, strength] of t.terms) {
        const hit = { i, term, strength };
        push(this.exact, term, hit);
        if (term.length >= KEY && !isLiteral(term)) push(this.byKey, term.slice(0, KEY), hit);
      }
    });
  }

  /** Words with exactly this term. */
  with(term: string): readonly Hit[] {
    return this.exact.get(term) ?? [];
  }

  /** Words with another form of this term. */
  derivedFrom(term: string): Hit[] {
    if (term.length < KEY || isLiteral(term)) return [];
    return (this.byKey.get(term.slice(0, KEY)) ?? []).filter((h) => h.term !== term && derived(h.term, term));
  }

  /** Whether word `i` reads as `term` (itself or another form). */
  reads(i: number, term: string): boolean {
    return this.with(term).some((h) => h.i === i) || this.derivedFrom(term).some((h) => h.i === i);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
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
  private readonly sIndex: TermIndex;
  private readonly tIndex: TermIndex;
  private readonly sLen: number;
  private readonly tLen: number;

  constructor(
    readonly source: readonly WordToken[],
    readonly target: readonly WordToken[],
  ) {
    this.sPos = contentPositions(source);
    this.tPos = contentPositions(target);
    this.sIndex = new TermIndex(source);
    this.tIndex = new TermIndex(target);
    this.sLen = Math.max(1, source.at(-1)?.end ?? 1);
    this.tLen = Math.max(1, target.at(-1)?.end ?? 1);
  }

  distance(s: number, t: number): number {
    const a = this.source[s]!;
    const b = this.target[t]!;
    return Math.abs((a.start + a.end) / 2 / this.sLen - (b.start + b.end) / 2 / this.tLen);
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
    if (jobs.length === 0) return;
    jobs.sort((x, y) => y.terms.length - x.terms.length || y.strength - x.strength || x.i - y.i);
    const byPos = (tokens: readonly WordToken[], pos: Int32Array) => {
      const out: number[] = [];
      tokens.forEach((_, k) => {
        if ((pos[k] ?? -1) >= 0) out[pos[k]!] = k;
      });
      return out;
    };
    const order = { source: byPos(this.source, this.sPos), target: byPos(this.target, this.tPos) };
    for (const job of jobs) {
      const side = job.from === 'source' ? 'target' : 'source';
      const index = side === 'target' ? this.tIndex : this.sIndex;
      const pos = side === 'target' ? this.tPos : this.sPos;
      const taken = side === 'target' ? this.byTarget : this.bySource;
      if ((job.from === 'source' ? this.bySource : this.byTarget).has(job.i)) continue;
      const first = job.terms[0]!;
      const starts = new Set([...index.with(first), ...index.derivedFrom(first)].map((h) => h.i));
      let best: { run: number[]; distance: number } | null = null;
      for (const start of starts) {
        const run: number[] = [];
        for (let r = 0; r < job.terms.length; r++) {
          const k = order[side][(pos[start] ?? 0) + r];
          if (k === undefined || taken.has(k) || !index.reads(k, job.terms[r]!)) break;
          run.push(k);
        }
        if (run.length !== job.terms.length) continue;
        const mid = run[Math.floor(run.length / 2)]!;
        const distance = job.from === 'source' ? this.distance(job.i, mid) : this.distance(mid, job.i);
        if (!best || distance < best.distance) best = { run, distance };
      }
      if (!best) continue;
      best.run.forEach((k, r) => {
        const [s, t] = job.from === 'source' ? [job.i, k] : [k, job.i];
        this.add({ s, t, score: job.strength, via: 'phrase', term: `${job.terms.join(' ')}#${r}`, distance: best.distance });
      });
    }
  }

  /**
   * How far apart two words that share `term` are: by relative position, but a term said several
   * times on both sides pairs its occurrences in order (the second "anniversary" with the second 周年),
   * whatever the lengths of the clauses between them.
   */
  termDistance(s: number, t: number, term: string): number {
    const ss = this.sIndex.with(term);
    const ts = this.tIndex.with(term);
    if (ss.length < 2 || ts.length < 2) return this.distance(s, t);
    const rank = (hits: readonly Hit[], i: number) => hits.findIndex((h) => h.i === i) / (hits.length - 1);
    return Math.abs(rank(ss, s) - rank(ts, t));
  }

  /** Pairs that share a term (pass 2: dictionary senses and derived forms; pass 3: characters' senses), the strongest reading per pair. */
  shared(pass: 'dictionary' | 'weak'): Candidate[] {
    const best = new Map<number, Candidate>();
    const T = this.target.length;
    const offer = (s: number, t: number, score: number, via: LinkVia, term: string) => {
      if (pass === 'dictionary' ? score < DICTIONARY : score >= DICTIONARY) return;
      // A name or an acronym is matched by its own senses only (UN ≠ 不 "un-").
      if (via === 'character' && (this.source[s]!.kind === 'name' || this.target[t]!.kind === 'name')) return;
      const key = s * T + t;
      const cur = best.get(key);
      if (!cur || score > cur.score) best.set(key, { s, t, score, via, term, distance: via === 'stem' ? this.distance(s, t) : this.termDistance(s, t, term) });
    };
    this.source.forEach((a, s) => {
      if (!linkable(a)) return;
      for (const [term, sa] of a.terms) {
        for (const h of this.tIndex.with(term)) {
          const score = Math.min(sa, h.strength);
          offer(s, h.i, score, isLiteral(term) ? 'literal' : score >= DICTIONARY ? 'dictionary' : 'character', term);
        }
        if (pass === 'dictionary') for (const h of this.tIndex.derivedFrom(term)) offer(s, h.i, Math.min(sa, h.strength) * STEM, 'stem', term);
      }
    });
    return [...best.values()];
  }

  /** Pass 3: pairs the learnt table proposes (a word of one side → a term of the other). */
  learnt(table: LearntTable): Candidate[] {
    const out: Candidate[] = [];
    if (table.size === 0) return out;
    this.source.forEach((a, s) => {
      if (!linkable(a)) return;
      for (const term of table.get(a.text) ?? []) for (const h of this.tIndex.with(term)) out.push({ s, t: h.i, score: LEARNT, via: 'learnt', term, distance: this.distance(s, h.i) });
    });
    this.target.forEach((b, t) => {
      if (!linkable(b)) return;
      for (const term of table.get(b.text) ?? []) for (const h of this.sIndex.with(term)) out.push({ s: h.i, t, score: LEARNT, via: 'learnt', term, distance: this.distance(h.i, t) });
    });
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
  l.compete(l.shared('dictionary'));
  l.compete([...l.learnt(learnt), ...l.shared('weak')]);
  return l.out.sort((x, y) => x.source - y.source || x.target - y.target);
}
