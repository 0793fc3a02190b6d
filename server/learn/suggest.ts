/**
 * Glossary entries suggested from the learnt table: an English term that the confirmed rows render
 * consistently by one Chinese word, with how often and example rows, for a terminologist to accept.
 *
 * 1. `termCandidates`: pairs counted at least `minCount` times where most rows holding the English
 *    term hold the word (`share`) and the word is mostly used for it (`wordShare`): a rendering,
 *    not a co-occurrence. Words of one character and short terms are left out (too ambiguous for a
 *    glossary), as is what the glossary already has.
 * 2. `suggestTerms`: with example rows of each pair, the English as the rows write it (the table
 *    keeps stems: "harbour", not "harbor" or "harbours"), and terms of one word that stand side by
 *    side in the rows joined into one entry (李明 → "Li Ming").
 */
import { englishTerms } from '../align/lexical/english.js';
import { primaryLanguage } from '../text/lang.js';
import { type CountedPair, type ExampleRow, pairKey } from './counts.js';
import type { LearntScope } from './teach.js';

export interface SuggestSettings {
  /** Rows a pair must be counted in. */
  minCount: number;
  /** Of the rows holding the English term, the share that holds the word … */
  share: number;
  /** … and of the rows holding the word, the share that holds the term. */
  wordShare: number;
  /** Suggestions returned, most frequent first. */
  limit: number;
  /** Example rows per suggestion. */
  examples: number;
}

export const SUGGEST_DEFAULTS: SuggestSettings = { minCount: 3, share: 0.6, wordShare: 0.4, limit: 30, examples: 3 };

/** What the glossary already has: English variants (lower-cased) and accepted Chinese terms. */
export interface KnownTerms {
  english: ReadonlySet<string>;
  chinese: ReadonlySet<string>;
}

export interface SuggestedTerm {
  /** The English term as the rows write it (one word, or several side by side). */
  english: string;
  chinese: string;
  /** Confirmed rows holding both. */
  rows: number;
  /** Of the rows holding the English term, the share rendering it so (0–1). */
  share: number;
  examples: ExampleRow[];
}

const byCount = (x: CountedPair, y: CountedPair): number => y.n - x.n || (x.word < y.word ? -1 : x.word > y.word ? 1 : x.term < y.term ? -1 : x.term > y.term ? 1 : 0);

/** The pairs that could be glossary entries, most frequent first (at most 3 × limit). */
export function termCandidates(counted: readonly CountedPair[], known: KnownTerms, s: SuggestSettings = SUGGEST_DEFAULTS): CountedPair[] {
  return counted
    .filter(
      (p) =>
        p.n >= s.minCount &&
        p.n / p.nTerm >= s.share &&
        p.n / p.nWord >= s.wordShare &&
        [...p.word].length >= 2 &&
        p.term.length >= 3 &&
        !known.chinese.has(p.word),
    )
    .sort(byCount)
    .slice(0, 3 * s.limit);
}

/** Words, without a possessive ending ("boy's" → "boy"). */
const WORD = /[A-Za-z](?:[A-Za-z-]|['’](?![sS]\b))*/g;
/** What may stand before a word that starts a sentence: nothing, or an end of sentence, quotes, brackets. */
const SENTENCE_START = /(?:^|[.!?…。！？]["'”’)\]]*)[\s"“'‘([]*$/;

/** The English side of a row. */
const englishOf = (r: ExampleRow): string => (primaryLanguage(r.sourceLang) === 'en' ? r.source : primaryLanguage(r.targetLang) === 'en' ? r.target : '');

interface Token {
  text: string;
  start: number;
  end: number;
  terms: readonly string[];
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) out.push({ text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, terms: englishTerms(m[0]) });
  return out;
}

/**
 * The English the rows write for these terms: the most frequent run of adjacent words (only spaces
 * or hyphens between) holding them, as written when it is capitalised inside the sentence (a name),
 * else in lower case; null when the rows never show them.
 */
function surface(terms: ReadonlySet<string>, rows: readonly ExampleRow[]): { text: string; terms: number } | null {
  const seen = new Map<string, { n: number; terms: number; inside: number; capital: number; written: string }>();
  for (const r of rows) {
    const text = englishOf(r);
    const ts = tokens(text);
    for (let a = 0; a < ts.length; a++) {
      if (!ts[a]!.terms.some((t) => terms.has(t))) continue;
      let b = a;
      while (b + 1 < ts.length && ts[b + 1]!.terms.some((t) => terms.has(t)) && /^[\s-]+$/.test(text.slice(ts[b]!.end, ts[b + 1]!.start))) b++;
      const run = ts.slice(a, b + 1);
      const covered = new Set(run.flatMap((t) => t.terms.filter((x) => terms.has(x)))).size;
      const written = text.slice(run[0]!.start, run[run.length - 1]!.end);
      const key = written.toLowerCase();
      const e = seen.get(key) ?? { n: 0, terms: covered, inside: 0, capital: 0, written };
      e.n++;
      // Capitals tell a name only where a word does not start a sentence.
      run.forEach((t, k) => {
        if (k === 0 && SENTENCE_START.test(text.slice(0, t.start))) return;
        e.inside++;
        if (/^[A-Z]/.test(t.text)) {
          e.capital++;
          e.written = written;
        }
      });
      seen.set(key, e);
      a = b;
    }
  }
  let best: [string, { n: number; terms: number; inside: number; capital: number; written: string }] | null = null;
  for (const x of seen) {
    if (!best || x[1].terms > best[1].terms || (x[1].terms === best[1].terms && (x[1].n > best[1].n || (x[1].n === best[1].n && x[0] < best[0])))) best = x;
  }
  if (!best) return null;
  const [key, e] = best;
  // A name (capitalised inside sentences at least half the time): as written there.
  return { text: e.inside > 0 && 2 * e.capital >= e.inside ? e.written : key, terms: e.terms };
}

/** The suggestions, from the candidates and their example rows (keyed by pairKey). */
export function suggestTerms(
  candidates: readonly CountedPair[],
  examples: ReadonlyMap<string, readonly ExampleRow[]>,
  known: KnownTerms,
  s: SuggestSettings = SUGGEST_DEFAULTS,
): SuggestedTerm[] {
  // A word's terms together: 李明 with "li" and "ming" is one entry, "Li Ming".
  const byWord = new Map<string, CountedPair[]>();
  for (const c of candidates) byWord.set(c.word, [...(byWord.get(c.word) ?? []), c]);
  const out: SuggestedTerm[] = [];
  const taken = new Set<string>();
  for (const c of candidates) {
    if (taken.has(pairKey(c.word, c.term))) continue;
    const group = byWord.get(c.word) ?? [c];
    const rows = examples.get(pairKey(c.word, c.term)) ?? [];
    const found = surface(new Set(group.map((g) => g.term)), rows);
    const alone = found && found.terms > 1 ? found : surface(new Set([c.term]), rows);
    if (!alone) continue;
    const joined = alone.terms > 1 ? group.filter((g) => englishTerms(alone.text).includes(g.term)) : [c];
    for (const g of joined) taken.add(pairKey(g.word, g.term));
    if (known.english.has(alone.text.toLowerCase())) continue;
    // A joined entry is as frequent and as consistent as its least part.
    const rowsOf = Math.min(...joined.map((g) => g.n));
    const share = Math.min(...joined.map((g) => g.n / g.nTerm));
    out.push({ english: alone.text, chinese: c.word, rows: rowsOf, share, examples: rows.slice(0, s.examples) });
    if (out.length >= s.limit) break;
  }
  return out;
}

/** What a store offers for suggestions (the Store interface has these). */
export interface SuggestionSource {
  learntPairsCounted(scope: LearntScope, minCount: number): Promise<CountedPair[]>;
  learntExamples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Promise<Map<string, ExampleRow[]>>;
}

/** The glossary's entries as known terms. */
export function knownTerms(entries: ReadonlyArray<{ english: readonly string[]; accepted: readonly string[] }>): KnownTerms {
  return {
    english: new Set(entries.flatMap((e) => e.english.map((x) => x.toLowerCase()))),
    chinese: new Set(entries.flatMap((e) => e.accepted)),
  };
}

/** Suggested glossary entries from a store's learnt table in a scope. */
export async function glossarySuggestions(source: SuggestionSource, scope: LearntScope, known: KnownTerms, s: SuggestSettings = SUGGEST_DEFAULTS): Promise<SuggestedTerm[]> {
  const candidates = termCandidates(await source.learntPairsCounted(scope, s.minCount), known, s);
  if (candidates.length === 0) return [];
  // More rows than are shown, so the English is read from enough of them.
  const examples = await source.learntExamples(
    scope,
    candidates.map((c) => [c.word, c.term] as const),
    Math.max(s.examples, 8),
  );
  return suggestTerms(candidates, examples, known, s);
}
