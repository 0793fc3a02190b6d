/**
 * The `lexical` similarity model: a bead's score is the IDF-weighted count of its Chinese words
 * whose CC-CEDICT translations occur among its English terms (numbers, dates and Latin names match
 * literally). Unnormalised on purpose: the DP's merge penalty balances bead size (this beat a
 * Dice-normalised score on MAC-Dev). A bead whose end leaves one side inside a quotation and the other
 * outside, or one side after a question and the other not, loses a fixed amount, and so does one
 * whose sides differ in holding speech or narration (the voice cue; see quotes.ts).
 * `retrain` learns a symmetric IBM Model 1 table from confident 1-1 beads and returns a scorer that
 * also counts the learnt pairs (Moore 2002).
 *
 * Storage is interned and flat (word ids, term ids in typed arrays) so a 10 MB text stays small.
 */
import type { Bead, BeadScorer, Lang, SimilarityModel } from '../../domain.js';
import type { RunScorer } from '../dp.js';
import { loadDictionary, zhTokens, type ZhToken } from './dictionary.js';
import { englishTerms } from './english.js';
import { trainIbm1SymmetricIds } from './ibm1.js';
import type { LearnedCandidate, LearnedLexicon } from './learned.js';
import { Matcher, preferenceTables } from './matcher.js';
import { questionEnds, quoteStates, voices } from './quotes.js';
import { sentenceIdf } from '../idf.js';

export interface LexicalOptions {
  /** Weight of matches that come from the per-character fallback (words not in CC-CEDICT). */
  fallbackWeight?: number;
  /** Weight of matches that only the learnt IBM Model 1 table supports. */
  learntWeight?: number;
  /** Subtracted when a bead ends inside a quotation on one side only. */
  quoteWeight?: number;
  /** Subtracted when a bead ends with a question on one side only. */
  questionWeight?: number;
  /** Self-training keeps word pairs with t(e|f) and t(f|e) both at least this. */
  ibm1Threshold?: number;
  /** A table learnt from confirmed rows (server/learn): its candidates join the dictionary's. */
  learned?: LearnedLexicon;
  /** Support deficits after self-training: which quantile of the share of its words a sentence of a confident 1-1 bead matches … */
  supportMember?: number;
  /** … less which quantile of the share a sentence matches by chance (with a sentence two or three places off). */
  supportChance?: number;
  /** Subtracted for each voice mismatch of a bead: speech on one side only, narration on one side only (see quotes.ts `voices`). */
  voiceWeight?: number;
}

/**
 * Defaults, chosen on MAC-Dev leave-one-chapter-out (see README): a correct 1-1 bead scores about
 * 12, so a quotation mismatch costs most of a bead's evidence, a question mismatch a quarter and
 * each voice mismatch a sixth.
 */
export const LEXICAL_DEFAULTS = { fallbackWeight: 0.7, learntWeight: 0.7, quoteWeight: 8, questionWeight: 3, ibm1Threshold: 0.15, supportMember: 0.05, supportChance: 0.95, voiceWeight: 2 } as const;

/** A scorer that can improve itself from a first alignment. */
export interface TrainableScorer extends RunScorer {
  retrain(beads: readonly Bead[]): BeadScorer;
}

export function isTrainable(s: BeadScorer): s is TrainableScorer {
  return typeof (s as Partial<TrainableScorer>).retrain === 'function';
}

const isZh = (l: Lang): boolean => /^zh/i.test(l);

/**
 * Direct speech is a cue in narrative text: a sentence that quotes someone tends to pair with one
 * that does too. Both sides get the literal term QUOTE when they open or close a quotation
 * (English apostrophes inside words, as in "don't", do not count).
 */
const QUOTE = '<quote>';
const ZH_QUOTE = /[“”「」『』"]/;
const EN_QUOTE = /(?:^|[\s(—–-])['"“‘]|['"”’](?:[\s)—–-]|[.,!?;:]|$)/;

export function createLexicalModel(opts: LexicalOptions = {}): SimilarityModel {
  return {
    name: 'lexical',
    async prepare(a, b, langs) {
      const { learned } = opts;
      if (!learned) return prepareLexical(a, b, langs, opts);
      const s = lexicalSides(a, b, langs, opts);
      const found = await learned.candidates(s.src.wordText, s.tgt.vocab.strings);
      return buildScorer(prepared(s.src, s.tgt, s.swap, found), new Map(), opts);
    },
  };
}

/** Interned string table. */
class Interner {
  readonly ids = new Map<string, number>();
  readonly strings: string[] = [];
  id(s: string): number {
    let x = this.ids.get(s);
    if (x === undefined) {
      x = this.strings.length;
      this.ids.set(s, x);
      this.strings.push(s);
    }
    return x;
  }
}

/** The source-like side: per sentence, the ids of its words; per word, its candidate terms. */
interface SourceSide {
  start: Int32Array;
  words: Int32Array;
  /** Word key (word, or word + literal terms for numbers) → display word, terms, weight. */
  wordText: string[];
  wordTerms: Array<readonly string[]>;
  wordWeight: number[];
  /** Per boundary (0 … n): inside a quotation / after a question (see quotes.ts). */
  quote: Uint8Array;
  question: Uint8Array;
  /** Per sentence: speech, narration, speech tag (see quotes.ts). */
  voice: Uint8Array;
}

/** The target-like side: per sentence, term ids (with repeats). */
interface TargetSide {
  start: Int32Array;
  terms: Int32Array;
  vocab: Interner;
  quote: Uint8Array;
  question: Uint8Array;
  voice: Uint8Array;
}

function sourceSide(sents: readonly string[], lang: Lang, translate: boolean, fallbackWeight: number): SourceSide {
  const keys = new Interner();
  const wordText: string[] = [];
  const wordTerms: Array<readonly string[]> = [];
  const wordWeight: number[] = [];
  const start = new Int32Array(sents.length + 1);
  const words: number[] = [];
  const add = (word: string, terms: readonly string[], weight: number): number => {
    // Numbers and dates carry context-made terms ("9" before 月): key them by their terms too.
    const key = terms.length === 1 && terms[0] === word ? word : `${word}\u0001${terms.join(' ')}`;
    const before = keys.strings.length;
    const id = keys.id(key);
    if (id === before) {
      wordText.push(word);
      wordTerms.push(terms);
      wordWeight.push(weight);
    }
    words.push(id);
    return id;
  };
  // Dictionary words come as shared token objects (see zhTokens): their key is made once.
  const tokenIds = new Map<ZhToken, number>();
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i] ?? '';
    if (ZH_QUOTE.test(s) && isZh(lang)) add('“', [QUOTE], 1);
    else if (EN_QUOTE.test(s) && !isZh(lang)) add(QUOTE, [QUOTE], 1);
    if (isZh(lang)) {
      for (const t of zhTokens(s)) {
        const known = tokenIds.get(t);
        if (known !== undefined) words.push(known);
        else if (translate) tokenIds.set(t, add(t.word, t.terms, t.fallback ? fallbackWeight : 1));
        else add(t.word, [t.word], 1); // zh against zh: words match themselves
      }
    } else {
      for (const t of englishTerms(s)) add(t, [t], 1);
    }
    start[i + 1] = words.length;
  }
  return { start, words: Int32Array.from(words), wordText, wordTerms, wordWeight, quote: quoteStates(sents), question: questionEnds(sents), voice: voices(sents) };
}

function targetSide(sents: readonly string[], lang: Lang, sourceIsZh: boolean): TargetSide {
  const vocab = new Interner();
  const start = new Int32Array(sents.length + 1);
  const terms: number[] = [];
  for (let j = 0; j < sents.length; j++) {
    const s = sents[j] ?? '';
    const ts = isZh(lang) && sourceIsZh ? zhTokens(s).map((t) => t.word) : englishTerms(s);
    if (isZh(lang) ? ZH_QUOTE.test(s) : EN_QUOTE.test(s)) terms.push(vocab.id(QUOTE));
    for (const t of ts) terms.push(vocab.id(t));
    start[j + 1] = terms.length;
  }
  return { start, terms: Int32Array.from(terms), vocab, quote: quoteStates(sents), question: questionEnds(sents), voice: voices(sents) };
}

export function prepareLexical(
  a: readonly string[],
  b: readonly string[],
  langs: { a: Lang; b: Lang },
  opts: LexicalOptions = {},
): TrainableScorer {
  const s = lexicalSides(a, b, langs, opts);
  return buildScorer(prepared(s.src, s.tgt, s.swap), new Map(), opts);
}

function lexicalSides(a: readonly string[], b: readonly string[], langs: { a: Lang; b: Lang }, opts: LexicalOptions): { src: SourceSide; tgt: TargetSide; swap: boolean } {
  loadDictionary();
  // Side "s" carries words with candidate translations; side "t" carries plain terms.
  const swap = isZh(langs.b) && !isZh(langs.a);
  const sLang = swap ? langs.b : langs.a;
  const tLang = swap ? langs.a : langs.b;
  const translate = isZh(sLang) && !isZh(tLang);
  const src = sourceSide(swap ? b : a, sLang, translate, opts.fallbackWeight ?? LEXICAL_DEFAULTS.fallbackWeight);
  const tgt = targetSide(swap ? a : b, tLang, isZh(sLang));
  return { src, tgt, swap };
}

/** What both passes share: the two sides, the IDF, each word's dictionary candidates as term ids. */
interface Prepared {
  src: SourceSide;
  tgt: TargetSide;
  /** True when side a of the beads is the target-like side (English first). */
  swap: boolean;
  idf: Float64Array;
  /** Per word: its dictionary terms found on the target side, as term ids in dictionary order. */
  dictTerms: number[][];
  /** Per word: the id of its display text (words that differ only in their number terms share one). */
  textOf: Int32Array;
  texts: string[];
  /** Per word: the learnt table's candidates (term ids, weights), or null. */
  stored: Array<{ terms: number[]; weights: number[] } | null>;
}

function prepared(src: SourceSide, tgt: TargetSide, swap: boolean, learned?: ReadonlyMap<string, readonly LearnedCandidate[]>): Prepared {
  const V = tgt.vocab.strings.length;
  const idf = sentenceIdf(tgt.start, tgt.terms, V);
  const W = src.wordTerms.length;
  const dictTerms: number[][] = [];
  const textOf = new Int32Array(W);
  const texts = new Interner();
  for (let w = 0; w < W; w++) {
    const ids: number[] = [];
    for (const t of src.wordTerms[w] ?? []) {
      const x = tgt.vocab.ids.get(t);
      if (x !== undefined) ids.push(x);
    }
    dictTerms.push(ids);
    textOf[w] = texts.id(src.wordText[w] ?? '');
  }
  const stored = src.wordText.map((word) => {
    const cands = learned?.get(word);
    if (!cands?.length) return null;
    const out = { terms: [] as number[], weights: [] as number[] };
    for (const c of cands) {
      const x = tgt.vocab.ids.get(c.term);
      if (x === undefined) continue;
      out.terms.push(x);
      out.weights.push(c.weight);
    }
    return out;
  });
  return { src, tgt, swap, idf, dictTerms, textOf, texts: texts.strings, stored };
}

/** The scorer for the dictionary candidates plus `learnt` ones (display text id → term ids). */
function buildScorer(p: Prepared, learnt: ReadonlyMap<number, readonly number[]>, opts: LexicalOptions): LexicalScorer {
  const { src, tgt, idf } = p;
  const learntWeight = opts.learntWeight ?? LEXICAL_DEFAULTS.learntWeight;
  // Per source word: candidate term ids present on the target side, each with its match weight.
  const W = src.wordTerms.length;
  const words: Array<{ terms: number[]; weights: number[] }> = [];
  for (let w = 0; w < W; w++) {
    const dict = p.dictTerms[w] ?? [];
    const weight = src.wordWeight[w] ?? 1;
    const word = { terms: dict.slice(), weights: dict.map((x) => (idf[x] ?? 0) * weight) };
    const stored = p.stored[w];
    if (stored) {
      // The learnt table's weight replaces the dictionary's for a pair it has evidence on.
      stored.terms.forEach((x, k) => {
        const at = word.terms.indexOf(x);
        const v = (idf[x] ?? 0) * (stored.weights[k] ?? 0);
        if (at >= 0) word.weights[at] = v;
        else {
          word.terms.push(x);
          word.weights.push(v);
        }
      });
    }
    for (const x of learnt.get(p.textOf[w] ?? -1) ?? []) {
      if (!word.terms.includes(x)) {
        word.terms.push(x);
        word.weights.push((idf[x] ?? 0) * learntWeight);
      }
    }
    words.push(word);
  }
  const matcher = new Matcher({
    sStart: src.start,
    sWords: src.words,
    ...preferenceTables(words),
    tStart: tgt.start,
    tTerms: tgt.terms,
    vocabSize: tgt.vocab.strings.length,
    sQuote: src.quote,
    tQuote: tgt.quote,
    sQuestion: src.question,
    tQuestion: tgt.question,
    quoteWeight: opts.quoteWeight ?? LEXICAL_DEFAULTS.quoteWeight,
    questionWeight: opts.questionWeight ?? LEXICAL_DEFAULTS.questionWeight,
    sVoice: src.voice,
    tVoice: tgt.voice,
    voiceWeight: opts.voiceWeight ?? LEXICAL_DEFAULTS.voiceWeight,
  });
  return new LexicalScorer(p, matcher, opts);
}


/** Scores with the matcher; learns from a first alignment (IBM Model 1) and returns a new scorer. */
class LexicalScorer implements TrainableScorer {
  private readonly swap: boolean;
  constructor(
    private readonly p: Prepared,
    readonly matcher: Matcher,
    private readonly opts: LexicalOptions,
  ) {
    this.swap = p.swap;
  }

  score(a0: number, a1: number, b0: number, b1: number): number {
    return this.swap ? this.matcher.score(b0, b1, a0, a1) : this.matcher.score(a0, a1, b0, b1);
  }

  scoreRun(a0: number, kMax: number, b0: number, b1: number, out: Float64Array, deficits: Float64Array | null = null): void {
    // The greedy runs over the Chinese words in order, so only a run along the Chinese side shares work.
    if (!this.swap) this.matcher.run(a0, kMax, b0, b1, out, deficits);
    else if (!deficits) for (let k = 1; k <= kMax; k++) out[k - 1] = this.matcher.score(b0, b1, a0, a0 + k);
    else {
      for (let k = 1; k <= kMax; k++) {
        out[k - 1] = this.matcher.scoreWithDeficit(b0, b1, a0, a0 + k);
        deficits[k - 1] = this.matcher.lastDeficit;
      }
    }
  }

  retrain(beads: readonly Bead[]): LexicalScorer {
    const { p, swap, opts } = this;
    const { src, tgt } = p;
    // Confident 1-1 beads as (display text ids, term ids).
    const pairs: Array<readonly [number[], Int32Array]> = [];
    const known: Array<readonly [number, number]> = [];
    for (const bead of beads) {
      if (bead.a.length !== 1 || bead.b.length !== 1 || bead.confidence < 0.6) continue;
      const i = swap ? bead.b[0] : bead.a[0];
      const j = swap ? bead.a[0] : bead.b[0];
      if (i === undefined || j === undefined) continue;
      const f: number[] = [];
      for (let k = src.start[i] ?? 0; k < (src.start[i + 1] ?? 0); k++) f.push(p.textOf[src.words[k] ?? 0] ?? 0);
      pairs.push([f, tgt.terms.subarray(tgt.start[j] ?? 0, tgt.start[j + 1] ?? 0)]);
      known.push([i, j]);
    }
    const table = trainIbm1SymmetricIds(
      pairs,
      { iterations: 5, threshold: opts.ibm1Threshold ?? LEXICAL_DEFAULTS.ibm1Threshold, minCount: 2 },
      { f: (x) => p.texts[x] ?? '', e: (x) => tgt.vocab.strings[x] ?? '' },
    );
    const next = buildScorer(p, table, opts);
    // The same pairs tell what share of its words a true member matches in this document.
    next.matcher.calibrate(known, opts.supportMember ?? LEXICAL_DEFAULTS.supportMember, opts.supportChance ?? LEXICAL_DEFAULTS.supportChance);
    return next;
  }
}
