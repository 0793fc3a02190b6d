/**
 * Word alignment per bead: which words of the source correspond to which words of the target, with a
 * score, computed once per document and reused by the omission check, the review page's word
 * highlighting and exports.
 *
 *   const words = alignWords(beads, { source: 'en', target: 'zh' });
 *   words.of(beadId)   → BeadWords (tokens of both sides, links, score)
 *
 * A bead is `{ id, source, target }`: its sentences joined as text/lang.ts joins them (a QaPair is
 * one), so token offsets are the offsets QA findings use. The learnt table (IBM Model 1, both
 * directions, from the document's own beads) is trained once per document, on first use.
 */
import { createHash } from 'node:crypto';
import type { Lang } from '../domain.js';
import { trainIbm1 } from '../align/lexical/ibm1.js';
import { LEXICAL_DEFAULTS } from '../align/lexical/model.js';
import { linkWords, type LearntTable, type WordLink } from './link.js';
import { readingOf, tokenize, type WordToken } from './tokens.js';

export { derived, linkWords, type LearntTable, type LinkVia, type WordLink } from './link.js';
export { wireWords, type WireWord, type WireWords } from './wire.js';
export { tokenize, englishTokens, chineseTokens, plainTokens, readingOf, type WordKind, type WordToken, type Reading } from './tokens.js';

export interface BeadText {
  id: string;
  source: string;
  target: string;
}

export interface BeadWords {
  source: readonly WordToken[];
  target: readonly WordToken[];
  links: WordLink[];
  /** Share of the bead's linkable words (both sides) that have a partner, weighted by link strength; 1 for an empty bead. */
  score: number;
}

export interface WordAlignment {
  /** The words of a bead of the document (computed on first request, then kept); undefined for an unknown id. */
  of(beadId: string): BeadWords | undefined;
  readonly langs: { source: Lang; target: Lang };
}

/** Fewer beads than this teach IBM Model 1 chance co-occurrences, not translations. */
const MIN_PAIRS_TO_LEARN = 40;

/**
 * The learnt table of a document (IBM Model 1 both ways on its beads, server/align/lexical/ibm1.ts):
 * from a word of the side read less well (Chinese, or a language without a dictionary) to a term of the other.
 */
export function learnTable(sides: ReadonlyArray<{ source: readonly WordToken[]; target: readonly WordToken[] }>, langs: { source: Lang; target: Lang }): LearntTable {
  const pairs: Array<[string[], string[]]> = [];
  // f: the words whose senses we do not fully know (Chinese, or any language without a dictionary);
  // e: the other side's terms.
  const fIsTarget = readingOf(langs.target) === 'zh' || readingOf(langs.source) !== 'zh';
  for (const b of sides) {
    const f = (fIsTarget ? b.target : b.source).filter((t) => t.kind !== 'function' && t.kind !== 'number').map((t) => t.text);
    const e = (fIsTarget ? b.source : b.target).filter((t) => t.kind !== 'function' && t.kind !== 'number').flatMap((t) => [...t.terms.keys()].slice(0, 1));
    if (f.length && e.length) pairs.push([f, e]);
  }
  if (pairs.length < MIN_PAIRS_TO_LEARN) return new Map();
  // Each word's most probable partner in both directions, and only where the two agree: a document
  // is small data, and a weaker pair is more often a chance co-occurrence than a translation.
  const opts = { iterations: 5, threshold: LEXICAL_DEFAULTS.ibm1Threshold, minCount: 2 };
  const forward = trainIbm1(pairs, opts);
  const backward = trainIbm1(
    pairs.map(([f, e]) => [e, f] as const),
    opts,
  );
  const out = new Map<string, string[]>();
  for (const [f, es] of forward) {
    const e = es[0];
    if (e !== undefined && backward.get(e)?.[0] === f) out.set(f, [e]);
  }
  return out;
}

function beadScore(source: readonly WordToken[], target: readonly WordToken[], links: readonly WordLink[]): number {
  const counted = (ts: readonly WordToken[]) => ts.filter((t) => t.kind !== 'function').length;
  const total = counted(source) + counted(target);
  if (total === 0) return 1;
  const best = (side: 'source' | 'target') => {
    const m = new Map<number, number>();
    for (const l of links) m.set(l[side], Math.max(m.get(l[side]) ?? 0, l.score));
    let sum = 0;
    for (const v of m.values()) sum += v;
    return sum;
  };
  return Math.round(((best('source') + best('target')) / total) * 1000) / 1000;
}

/** Words of one bead against a learnt table (the table from `learnTable`, or none). */
export function beadWords(source: string, target: string, langs: { source: Lang; target: Lang }, learnt: LearntTable = new Map()): BeadWords {
  const s = tokenize(source, langs.source);
  const t = tokenize(target, langs.target);
  const links = linkWords(s, t, learnt);
  return { source: s, target: t, links, score: beadScore(s, t, links) };
}

/** Learnt tables of the documents seen last, by their texts (a check run again on the same document reuses it). */
const tables = new Map<string, LearntTable>();

function cachedTable(beads: readonly BeadText[], langs: { source: Lang; target: Lang }, learn: () => LearntTable): LearntTable {
  const h = createHash('sha256').update(`${langs.source}\u0000${langs.target}`);
  for (const b of beads) h.update(`\u0001${b.source}\u0002${b.target}`);
  const key = h.digest('base64');
  let t = tables.get(key);
  if (!t) {
    t = learn();
    if (tables.size >= 8) tables.delete(tables.keys().next().value ?? '');
    tables.set(key, t);
  }
  return t;
}

/** The word alignment of a document's beads (lazy per bead; the learnt table once). */
export function alignWords(beads: readonly BeadText[], langs: { source: Lang; target: Lang }): WordAlignment {
  const byId = new Map(beads.map((b) => [b.id, b]));
  const tokens = new Map<string, { source: readonly WordToken[]; target: readonly WordToken[] }>();
  const tokensOf = (b: BeadText) => {
    let x = tokens.get(b.id);
    if (!x) {
      x = { source: tokenize(b.source, langs.source), target: tokenize(b.target, langs.target) };
      tokens.set(b.id, x);
    }
    return x;
  };
  let learnt: LearntTable | null = null;
  const done = new Map<string, BeadWords>();
  return {
    langs,
    of(beadId) {
      const hit = done.get(beadId);
      if (hit) return hit;
      const b = byId.get(beadId);
      if (!b) return undefined;
      learnt ??= cachedTable(beads, langs, () => learnTable(beads.filter((x) => x.source.trim() && x.target.trim()).map(tokensOf), langs));
      const { source, target } = tokensOf(b);
      const links = linkWords(source, target, learnt);
      const w = { source, target, links, score: beadScore(source, target, links) };
      done.set(beadId, w);
      return w;
    },
  };
}
