/**
 * What one confirmed bead teaches: the Chinese words and English terms it holds, and the word pairs
 * it counts for. A pure function of the two texts (and the dictionary), so taking a bead back
 * subtracts exactly what confirming it added, and a rebuild from the confirmed rows gives the same
 * counts as every confirmation and retraction done one by one.
 *
 * Pairs counted:
 * - dictionary links: a word and each of its CC-CEDICT terms that the English holds (which sense
 *   the translators use, and how often);
 * - the residue: the words no dictionary term of the bead explains, against the English terms no
 *   word explains, when both are few (at most RESIDUE on each side). A co-occurrence in a small
 *   residue is evidence that the two translate each other; in a long one (a freely translated
 *   paragraph) it is mostly chance, and counting every pair would fill the table with noise (some
 *   180 pairs per MAC-Dev bead against about 11 counted this way).
 */
import { englishTerms } from '../align/lexical/english.js';
import { loadDictionary, zhTokens } from '../align/lexical/dictionary.js';

/**
 * The learner's version: bump it when what a bead teaches changes meaning, so that stores rebuild
 * their counts from the confirmed rows when they are next opened.
 */
export const LEARNER_VERSION = 1;

/** At most this many unexplained words on each side for the residue's pairs to count. */
export const RESIDUE = 6;

export interface BeadEvidence {
  /** Distinct Chinese content words (as the aligner reads them), sorted. */
  words: string[];
  /** Distinct English content terms (the aligner's stems), sorted. */
  terms: string[];
  /** Word–term pairs counted, sorted by word then term, distinct. */
  pairs: Array<readonly [string, string]>;
}

/** A term that stands for a number or a date ("#6", "month:9"): matched literally, nothing to learn. */
const LITERAL_TERM = /^(?:#|month:)/;
const HAN = /[\u3400-\u9fff]/u;

const byCodeUnits = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** The evidence of one bead: its Chinese text and its English text (sentences joined). */
export function beadEvidence(zh: string, en: string, residue = RESIDUE): BeadEvidence {
  loadDictionary();
  const tokens = new Map<string, { terms: readonly string[]; fallback: boolean }>();
  for (const t of zhTokens(zh)) {
    if (!HAN.test(t.word) || t.terms.every((x) => LITERAL_TERM.test(x))) continue;
    if (!tokens.has(t.word)) tokens.set(t.word, t);
  }
  const termSet = new Set<string>();
  for (const e of englishTerms(en)) if (!LITERAL_TERM.test(e)) termSet.add(e);
  const words = [...tokens.keys()].sort(byCodeUnits);
  const terms = [...termSet].sort(byCodeUnits);
  const pairs: Array<readonly [string, string]> = [];
  const explainedTerms = new Set<string>();
  const residueWords: string[] = [];
  for (const w of words) {
    const t = tokens.get(w)!;
    let linked = false;
    for (const e of new Set(t.terms)) {
      if (!termSet.has(e)) continue;
      pairs.push([w, e]);
      // A per-character guess (a word not in CC-CEDICT) explains nothing: names and rare compounds
      // are what the residue is there to learn.
      if (!t.fallback) {
        linked = true;
        explainedTerms.add(e);
      }
    }
    if (!linked) residueWords.push(w);
  }
  const residueTerms = terms.filter((e) => !explainedTerms.has(e));
  if (residueWords.length > 0 && residueWords.length <= residue && residueTerms.length <= residue) {
    const have = new Set(pairs.map(([w, e]) => `${w}\u0000${e}`));
    for (const w of residueWords) for (const e of residueTerms) if (!have.has(`${w}\u0000${e}`)) pairs.push([w, e]);
  }
  pairs.sort((x, y) => byCodeUnits(x[0], y[0]) || byCodeUnits(x[1], y[1]));
  return { words, terms, pairs };
}
