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
  /** Word–term pairs counted, as [index in words, index in terms], sorted, distinct. */
  pairs: Array<readonly [number, number]>;
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
    if (tokens.has(t.word) || !HAN.test(t.word) || t.terms.every((x) => LITERAL_TERM.test(x))) continue;
    tokens.set(t.word, t);
  }
  const termAt = new Map<string, number>();
  for (const e of englishTerms(en)) if (!termAt.has(e) && !LITERAL_TERM.test(e)) termAt.set(e, 0);
  const words = [...tokens.keys()].sort(byCodeUnits);
  const terms = [...termAt.keys()].sort(byCodeUnits);
  terms.forEach((e, j) => {
    termAt.set(e, j);
  });
  const T = terms.length;
  // Pairs as i · T + j: sorting the numbers sorts by word, then term.
  const pairs = new Set<number>();
  const explained = new Uint8Array(T);
  const residueWords: number[] = [];
  words.forEach((w, i) => {
    const t = tokens.get(w)!;
    let linked = false;
    for (const e of t.terms) {
      const j = termAt.get(e);
      if (j === undefined) continue;
      pairs.add(i * T + j);
      // A per-character guess (a word not in CC-CEDICT) explains nothing: names and rare compounds
      // are what the residue is there to learn.
      if (!t.fallback) {
        linked = true;
        explained[j] = 1;
      }
    }
    if (!linked) residueWords.push(i);
  });
  const residueTerms: number[] = [];
  for (let j = 0; j < T; j++) if (!explained[j]) residueTerms.push(j);
  if (residueWords.length > 0 && residueWords.length <= residue && residueTerms.length <= residue) {
    for (const i of residueWords) for (const j of residueTerms) pairs.add(i * T + j);
  }
  const keys = [...pairs].sort((x, y) => x - y);
  return { words, terms, pairs: keys.map((k) => [Math.floor(k / T), k % T] as const) };
}

/**
 * A record of evidence as stored with the row that taught it: words, terms and pairs in three
 * tab-separated fields (words and terms hold no spaces or tabs; pairs as "i.j"). About a third of
 * the size of its JSON.
 */
export function encodeEvidence(ev: BeadEvidence): string {
  return `${ev.words.join(' ')}\t${ev.terms.join(' ')}\t${ev.pairs.map(([i, j]) => `${i}.${j}`).join(' ')}`;
}

export function decodeEvidence(text: string): BeadEvidence {
  const [w = '', t = '', p = ''] = text.split('\t');
  const split = (x: string): string[] => (x ? x.split(' ') : []);
  return {
    words: split(w),
    terms: split(t),
    pairs: split(p).map((x) => {
      const dot = x.indexOf('.');
      return [Number(x.slice(0, dot)), Number(x.slice(dot + 1))] as const;
    }),
  };
}
