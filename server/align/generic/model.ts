/**
 * The pair-generic lexical model: for any two languages, a bead's score is the IDF-weighted count of
 * side-a terms that find a counterpart among the bead's side-b terms, through
 *   - identical words (names, acronyms, codes, URLs) and equal literals (numbers and dates by value,
 *     punctuation cues),
 *   - cognates (same script only: cognates.ts),
 *   - a bilingual dictionary when one is installed (PairLexicon: FreeDict, by stem),
 *   - after a first pass, an IBM Model 1 table learnt from the document's own confident 1-1 beads
 *     (both directions, intersected; lexical/ibm1.ts), as for zh–en.
 * Each side-b occurrence counts once. Boundary cues as in the zh–en model: a bead whose end leaves
 * one side inside a quotation or after a question and the other not loses a fixed amount.
 * Unnormalised, like the zh–en model: the DP's merge penalty balances bead size.
 */
import type { Bead, BeadScorer, Lang, SimilarityModel } from '../../domain.js';
import { trainIbm1Symmetric } from '../lexical/ibm1.js';
import { cognateKey, COGNATE_MIN_LENGTH, foldWord, lcsr } from './cognates.js';
import { boundaryCues } from './cues.js';
import { stemmerFor } from './stem.js';
import { sentenceTerms } from './tokens.js';
import { sentenceIdf } from '../idf.js';

/** A bilingual dictionary for one document's pair, looked up by lower-case word. */
export interface PairLexicon {
  /** Shown in the model name and its reason, e.g. "freedict deu-fra+fra-deu". */
  readonly name: string;
  /** For words of side a: the stems (side b's stemmer) of their translations. */
  translateA(words: readonly string[]): Map<string, ReadonlySet<string>>;
  /** For words of side b: the stems (side a's stemmer) of their translations. */
  translateB(words: readonly string[]): Map<string, ReadonlySet<string>>;
}

export interface GenericOptions {
  /** Dictionary for the pair, or none (dictionary-free signals only). */
  lexicon?: PairLexicon | null;
  /** Cognates need this LCS ratio (0 … 1). */
  cognateMin?: number;
  /** Weight of a cognate match (an identical word or a dictionary match weighs 1). */
  cognateWeight?: number;
  /** Weight of equal numbers, dates and punctuation cues. */
  literalWeight?: number;
  /** Weight of matches that only the learnt IBM Model 1 table supports. */
  learntWeight?: number;
  /** Subtracted when a bead ends inside a quotation on one side only. */
  quoteWeight?: number;
  /** Subtracted when a bead ends with a question on one side only. */
  questionWeight?: number;
  /** Self-training keeps word pairs with t(e|f) and t(f|e) both at least this. */
  ibm1Threshold?: number;
  /** Self-training learns from 1-1 beads of at least this confidence. */
  trainConfidence?: number;
  /** IDF: 'log1p' = log(1 + N/df), 'log' = log(N/df) (a term in every sentence counts nothing). */
  idf?: 'log1p' | 'log';
  /**
   * Dictionary links skip words found in more than this share of a side's sentences: their
   * translations ("und" → "et", "der" → "le") are in almost every bead and only add noise.
   */
  dictMaxShare?: number;
  /** Score as the matched share of both sides' IDF mass (0 … 1) instead of the matched mass. */
  normalise?: boolean;
}

/** Defaults: chosen leave-one-file-out on Text+Berg de–fr (scripts/tune-generic.ts, see README). */
export const GENERIC_DEFAULTS = {
  cognateMin: 0.7,
  cognateWeight: 0.5,
  literalWeight: 1,
  learntWeight: 0.7,
  quoteWeight: 0,
  questionWeight: 3,
  ibm1Threshold: 0.05,
  trainConfidence: 0.6,
  idf: 'log',
  normalise: false,
  dictMaxShare: 0.1,
} satisfies Required<Omit<GenericOptions, 'lexicon'>>;

/** A scorer that can improve itself from a first alignment (document.ts's self-training pass). */
export interface TrainableScorer extends BeadScorer {
  retrain(beads: readonly Bead[]): BeadScorer;
}

/** The model's name: `generic` alone, `generic+LEXICON` with a dictionary. */
export function genericModelName(lexicon: PairLexicon | null | undefined): string {
  return lexicon ? `generic+${lexicon.name.replace(/\s+/g, ':')}` : 'generic';
}

export function createGenericModel(opts: GenericOptions = {}): SimilarityModel {
  return {
    name: genericModelName(opts.lexicon),
    async prepare(a, b, langs) {
      return prepareGeneric(a, b, langs, opts);
    },
  };
}

/** One side: per sentence the type ids of its terms; per type its key, stem and whether it is a word. */
interface Side {
  start: Int32Array;
  terms: Int32Array;
  keys: string[];
  ids: Map<string, number>;
  isWord: Uint8Array;
  /** Share of the side's sentences that hold each type. */
  share: Float64Array;
  stems: string[];
  quote: Uint8Array;
  question: Uint8Array;
}

function buildSide(sents: readonly string[], lang: Lang): Side {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const word: number[] = [];
  const start = new Int32Array(sents.length + 1);
  const terms: number[] = [];
  for (let i = 0; i < sents.length; i++) {
    for (const t of sentenceTerms(sents[i] ?? '', lang)) {
      let id = ids.get(t.key);
      if (id === undefined) {
        id = keys.length;
        ids.set(t.key, id);
        keys.push(t.key);
        word.push(t.kind === 'word' ? 1 : 0);
      }
      terms.push(id);
    }
    start[i + 1] = terms.length;
  }
  const stem = stemmerFor(lang);
  const isWord = Uint8Array.from(word);
  const stems = keys.map((k, i) => (isWord[i] ? stem(k) : k));
  const { quote, question } = boundaryCues(sents);
  const share = new Float64Array(keys.length);
  const seen = new Int32Array(keys.length).fill(-1);
  for (let i = 0; i < sents.length; i++) {
    for (let q = start[i] ?? 0; q < (start[i + 1] ?? 0); q++) {
      const t = terms[q] ?? 0;
      if (seen[t] !== i) {
        seen[t] = i;
        share[t] = (share[t] ?? 0) + 1 / Math.max(1, sents.length);
      }
    }
  }
  return { start, terms: Int32Array.from(terms), keys, ids, isWord, share, stems, quote, question };
}

/** Links from side-a types to side-b types with a weight; the best weight of a pair wins. */
class Links {
  readonly map = new Map<number, Map<number, number>>();
  add(a: number, b: number, w: number): void {
    let row = this.map.get(a);
    if (!row) {
      row = new Map();
      this.map.set(a, row);
    }
    if ((row.get(b) ?? 0) < w) row.set(b, w);
  }
}

/** Identical words and literals, and cognates of words that are long enough. */
function surfaceLinks(A: Side, B: Side, links: Links, opts: Required<Omit<GenericOptions, 'lexicon'>>): void {
  const byFold = new Map<string, number[]>();
  const byPrefix = new Map<string, Array<[number, string]>>();
  for (let b = 0; b < B.keys.length; b++) {
    const key = B.keys[b] ?? '';
    if (!B.isWord[b]) continue;
    const f = foldWord(key);
    let l = byFold.get(f);
    if (!l) {
      l = [];
      byFold.set(f, l);
    }
    l.push(b);
    const ck = cognateKey(key);
    if (ck.length >= COGNATE_MIN_LENGTH) {
      const p = ck.slice(0, 2);
      let q = byPrefix.get(p);
      if (!q) {
        q = [];
        byPrefix.set(p, q);
      }
      q.push([b, ck]);
    }
  }
  for (let a = 0; a < A.keys.length; a++) {
    const key = A.keys[a] ?? '';
    if (!A.isWord[a]) {
      const b = B.ids.get(key);
      if (b !== undefined && !B.isWord[b]) links.add(a, b, opts.literalWeight);
      continue;
    }
    const f = foldWord(key);
    for (const b of byFold.get(f) ?? []) links.add(a, b, 1);
    if (opts.cognateWeight <= 0) continue;
    const ck = cognateKey(key);
    if (ck.length < COGNATE_MIN_LENGTH) continue;
    for (const [b, bk] of byPrefix.get(ck.slice(0, 2)) ?? []) {
      if (bk === ck) {
        links.add(a, b, 1);
        continue;
      }
      // The LCS ratio cannot reach the threshold when the lengths differ too much.
      if (Math.min(ck.length, bk.length) < opts.cognateMin * Math.max(ck.length, bk.length)) continue;
      const r = lcsr(ck, bk);
      if (r >= opts.cognateMin) links.add(a, b, opts.cognateWeight);
    }
  }
}

/** Sentences a word must be in, at least, to count as a function word (short texts have few). */
const MIN_COMMON = 3;

/** Dictionary links: a word of one side whose translations' stems include the stem of a word of the other. */
function dictionaryLinks(A: Side, B: Side, lexicon: PairLexicon, links: Links, maxShare: number): void {
  // A function word: in more than maxShare of the sentences, and in more than a few (short texts).
  const common = (side: Side, t: number): boolean => {
    const n = side.start.length - 1;
    return (side.share[t] ?? 0) * n > Math.max(MIN_COMMON, maxShare * n);
  };
  const bByStem = new Map<string, number[]>();
  for (let b = 0; b < B.keys.length; b++) {
    if (!B.isWord[b] || common(B, b)) continue;
    const s = B.stems[b] ?? '';
    let l = bByStem.get(s);
    if (!l) {
      l = [];
      bByStem.set(s, l);
    }
    l.push(b);
  }
  const aByStem = new Map<string, number[]>();
  for (let a = 0; a < A.keys.length; a++) {
    if (!A.isWord[a] || common(A, a)) continue;
    const s = A.stems[a] ?? '';
    let l = aByStem.get(s);
    if (!l) {
      l = [];
      aByStem.set(s, l);
    }
    l.push(a);
  }
  const aWords = A.keys.filter((_, i) => A.isWord[i] && !common(A, i));
  const bWords = B.keys.filter((_, i) => B.isWord[i] && !common(B, i));
  for (const [w, stems] of lexicon.translateA(aWords)) {
    const a = A.ids.get(w);
    if (a === undefined) continue;
    for (const s of stems) for (const b of bByStem.get(s) ?? []) links.add(a, b, 1);
  }
  for (const [w, stems] of lexicon.translateB(bWords)) {
    const b = B.ids.get(w);
    if (b === undefined) continue;
    for (const s of stems) for (const a of aByStem.get(s) ?? []) links.add(a, b, 1);
  }
}

export function prepareGeneric(a: readonly string[], b: readonly string[], langs: { a: Lang; b: Lang }, opts: GenericOptions = {}): TrainableScorer {
  const o = { ...GENERIC_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<Omit<GenericOptions, 'lexicon'>>;
  const A = buildSide(a, langs.a);
  const B = buildSide(b, langs.b);
  const links = new Links();
  surfaceLinks(A, B, links, o);
  if (opts.lexicon) dictionaryLinks(A, B, opts.lexicon, links, o.dictMaxShare);
  return buildScorer(A, B, links, o);
}

function buildScorer(A: Side, B: Side, links: Links, o: Required<Omit<GenericOptions, 'lexicon'>>): TrainableScorer {
  const VB = B.keys.length;
  const nB = Math.max(1, B.start.length - 1);
  const df = new Float64Array(VB);
  const seen = new Int32Array(VB).fill(-1);
  for (let j = 0; j < nB; j++) {
    for (let q = B.start[j] ?? 0; q < (B.start[j + 1] ?? 0); q++) {
      const t = B.terms[q] ?? 0;
      if (seen[t] !== j) {
        seen[t] = j;
        df[t] = (df[t] ?? 0) + 1;
      }
    }
  }
  const idfA = sentenceIdf(A.start, A.terms, A.keys.length, o.idf);
  const idf = new Float64Array(VB);
  for (let t = 0; t < VB; t++) idf[t] = o.idf === 'log' ? Math.log(nB / Math.max(1, df[t] ?? 1)) : Math.log(1 + nB / Math.max(1, df[t] ?? 1));
  // Flat candidate lists per side-a type: side-b type and match weight × IDF.
  const VA = A.keys.length;
  const candStart = new Int32Array(VA + 1);
  const ct: number[] = [];
  const cw: number[] = [];
  for (let x = 0; x < VA; x++) {
    for (const [y, w] of links.map.get(x) ?? []) {
      ct.push(y);
      cw.push(w * (idf[y] ?? 0));
    }
    candStart[x + 1] = ct.length;
  }
  const candT = Int32Array.from(ct);
  const candW = Float64Array.from(cw);
  const stamp = new Int32Array(VB);
  const avail = new Int32Array(VB);
  let cur = 0;
  const { start: aStart, terms: aTerms } = A;
  const { start: bStart, terms: bTerms } = B;

  const score = (a0: number, a1: number, b0: number, b1: number): number => {
    cur++;
    const q1 = bStart[b1] ?? 0;
    let massB = 0;
    for (let q = bStart[b0] ?? 0; q < q1; q++) {
      const t = bTerms[q] ?? 0;
      massB += idf[t] ?? 0;
      if (stamp[t] !== cur) {
        stamp[t] = cur;
        avail[t] = 1;
      } else avail[t] = (avail[t] ?? 0) + 1;
    }
    let sum = 0;
    let massA = 0;
    const k1 = aStart[a1] ?? 0;
    for (let k = aStart[a0] ?? 0; k < k1; k++) {
      const x = aTerms[k] ?? 0;
      massA += idfA[x] ?? 0;
      let best = -1;
      let bestW = 0;
      const r1 = candStart[x + 1] ?? 0;
      for (let r = candStart[x] ?? 0; r < r1; r++) {
        const y = candT[r] ?? 0;
        if (stamp[y] === cur && (avail[y] ?? 0) > 0) {
          const w = candW[r] ?? 0;
          if (w > bestW) {
            bestW = w;
            best = y;
          }
        }
      }
      if (best >= 0) {
        avail[best] = (avail[best] ?? 0) - 1;
        sum += bestW;
      }
    }
    if (o.normalise) sum = (2 * sum) / Math.max(1, massA + massB);
    if (A.quote[a1] !== B.quote[b1]) sum -= o.quoteWeight;
    if (A.question[a1] !== B.question[b1]) sum -= o.questionWeight;
    return sum;
  };

  return {
    score,
    retrain(beads) {
      const pairs: Array<[string[], string[]]> = [];
      for (const bead of beads) {
        if (bead.a.length !== 1 || bead.b.length !== 1 || bead.confidence < o.trainConfidence) continue;
        const i = bead.a[0] ?? 0;
        const j = bead.b[0] ?? 0;
        pairs.push([wordStems(A, i), wordStems(B, j)]);
      }
      const table = trainIbm1Symmetric(pairs, { iterations: 5, threshold: o.ibm1Threshold, minCount: 2 });
      const learnt = new Links();
      for (const [x, row] of links.map) for (const [y, w] of row) learnt.add(x, y, w);
      const bByStem = new Map<string, number[]>();
      for (let y = 0; y < B.keys.length; y++) {
        if (!B.isWord[y]) continue;
        const s = B.stems[y] ?? '';
        let l = bByStem.get(s);
        if (!l) {
          l = [];
          bByStem.set(s, l);
        }
        l.push(y);
      }
      for (let x = 0; x < A.keys.length; x++) {
        if (!A.isWord[x]) continue;
        for (const s of table.get(A.stems[x] ?? '') ?? []) for (const y of bByStem.get(s) ?? []) learnt.add(x, y, o.learntWeight);
      }
      return buildScorer(A, B, learnt, o);
    },
  };
}

function wordStems(side: Side, i: number): string[] {
  const out: string[] = [];
  for (let q = side.start[i] ?? 0; q < (side.start[i + 1] ?? 0); q++) {
    const t = side.terms[q] ?? 0;
    if (side.isWord[t]) out.push(side.stems[t] ?? '');
  }
  return out;
}
