/**
 * The words of one side of a bead, with their offsets, what kind of word each is, and the English
 * terms it stands for (the currency the linker compares): English words by their stems (the
 * aligner's english.ts), Chinese words by their CC-CEDICT senses (dictionary.ts: jieba's words,
 * numbers with 万/亿, Latin literals), any other language by its lower-cased words and numbers.
 * Offsets index the text given (a bead's sentences joined as text/lang.ts joins them).
 */
import type { Lang } from '../domain.js';
import { loadDictionary, zhTokens, type Dictionary } from '../align/lexical/dictionary.js';
import { englishTerms, monthTerm, stem } from '../align/lexical/english.js';
import { loadLexicon } from '../align/lexical/lexicon-cache.js';
import { chineseNumbers, numberTerm } from '../align/lexical/numbers.js';
import { cutWords } from '../align/lexical/segment.js';
import { primaryLanguage } from '../text/lang.js';
import { parseChineseNumber } from '../text/numerals.js';
import { cognateKey } from '../align/generic/cognates.js';
import { monthValue, numberWordValue } from '../align/generic/numbers.js';

/**
 * Cognates across languages in the same script (ministres / Ministers, Genève / Geneva, régional /
 * regional): the first five letters after folding accents and spelling correspondences (as Hunalign and
 * Moore's aligner compare prefixes), a term of every word of five letters or more in English and the
 * languages without a dictionary here. Chinese words have none, so zh–en links do not change; it comes
 * last among a word's terms (IBM-1 reads only the first).
 */
const COGNATE_PREFIX = 5;
const COGNATE = 0.85;
function cognateTerm(word: string): string | null {
  const k = cognateKey(word);
  return k.length >= COGNATE_PREFIX && /^\p{L}+$/u.test(k) ? `~${k.slice(0, COGNATE_PREFIX)}` : null;
}

/** function: carries no content (the, of, 的, 了); number: numbers, dates, ordinals; name: names, acronyms. */
export type WordKind = 'content' | 'function' | 'number' | 'name';

export interface WordToken {
  /** The word as written. */
  text: string;
  start: number;
  end: number;
  kind: WordKind;
  /** Terms with the strength of each (1 = the word's own dictionary senses; less for weaker readings). */
  terms: ReadonlyMap<string, number>;
  /**
   * Multi-word senses as term sequences, with their strength (Chinese words: 世界银行 → [world, bank],
   * 国际海事组织 → [international, maritim, organization]): the linker matches them against runs of words.
   */
  phrases?: ReadonlyArray<{ terms: readonly string[]; strength: number }>;
}

/** How the linker reads a language: Chinese and English through CC-CEDICT, others by their words. */
export type Reading = 'zh' | 'en' | 'plain';

export function readingOf(lang: Lang): Reading {
  const p = primaryLanguage(lang);
  return p === 'zh' ? 'zh' : p === 'en' ? 'en' : 'plain';
}

/** Tokens of texts already read (a document is checked again after every edit; most of its beads are unchanged). */
const cache = new Map<string, readonly WordToken[]>();
const CACHE_LIMIT = 50_000;

/** The words of `text` (read once per process and text; the tokens must not be changed). */
export function tokenize(text: string, lang: Lang): readonly WordToken[] {
  const r = readingOf(lang);
  const key = `${r}\u0000${text}`;
  let out = cache.get(key);
  if (!out) {
    out = r === 'zh' ? chineseTokens(text) : r === 'en' ? englishTokens(text) : plainTokens(text, lang);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, out);
  }
  return out;
}

const isLiteral = (t: string): boolean => t.startsWith('#') || t.startsWith('month:');

/** What a word's dictionary reading gives, kept per word: the same words come back in every bead. */
function memo<T>(fn: (word: string) => T): (word: string) => T {
  const seen = new Map<string, T>();
  return (word) => {
    let v = seen.get(word);
    if (v === undefined) {
      v = fn(word);
      if (seen.size >= 100_000) seen.clear();
      seen.set(word, v);
    }
    return v;
  };
}

/** englishTerms of one word (a pure function of the word). */
const termsOfWord = memo((word: string) => englishTerms(word));

// ───────────────────────────── English ─────────────────────────────

/**
 * The aligner's English word shape (english.ts), plus codes with digits (COVID-19, G20) and digits
 * with a scale word after them (10 billion).
 */
const EN_WORD = /[A-Za-z]+-?\d+[A-Za-z0-9]*|[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|s)?(?:\s+(?:thousand|million|billion|trillion)\b)?/g;

/**
 * The stemmer (english.ts) keeps some inflections apart from their base ("families" → family, but
 * "family" → fami): the base forms' terms are added, so the text meets the glosses whatever the form.
 */
function baseForms(word: string): string[] {
  const w = word.toLowerCase();
  const out: string[] = [];
  if (/ies$/.test(w)) out.push(`${w.slice(0, -3)}y`);
  else if (/(?:ch|sh|x|ss)es$/.test(w)) out.push(w.slice(0, -2));
  else if (/[^s]s$/.test(w)) out.push(w.slice(0, -1));
  if (/ied$/.test(w)) out.push(`${w.slice(0, -3)}y`);
  else if (/ed$/.test(w)) out.push(w.slice(0, -1), w.slice(0, -2));
  if (/ing$/.test(w) && w.length > 5) out.push(w.slice(0, -3), `${w.slice(0, -3)}e`);
  return out;
}

/** Codes Chinese writes otherwise: COVID-19 = 2019冠状病毒病 (新冠肺炎), USD = 美元. */
const ALIASES: Record<string, string[]> = {
  'covid-19': ['#2019', 'coronavirus'],
  covid19: ['#2019', 'coronavirus'],
  usd: ['dollar'],
  eur: ['euro'],
  rmb: ['yuan', 'renminbi'],
  tonne: ['ton'],
  tonnes: ['ton'],
  cny: ['yuan', 'renminbi'],
};
const SENTENCE_START = /(?:^|[.!?:;]["'”’)\]]*\s+|["“‘([]\s*|^\s*(?:\d{1,3}[.)]|\(\w{1,4}\))\s+)$/;

/** Function words english.ts does not list (its stop words serve the aligner's scores). */
const MORE_FUNCTION_WORDS = new Set('whenever wherever whoever whomever whomsoever whatever whichever however wherein whereas whether'.split(' '));

export function englishTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(EN_WORD)) {
    const start = m.index ?? 0;
    let word = m[0];
    // "1,000," — a trailing comma is punctuation.
    word = word.replace(/,+$/, '');
    const end = start + word.length;
    const terms = MORE_FUNCTION_WORDS.has(word.toLowerCase()) ? [] : termsOfWord(word);
    const all = new Map(terms.map((t) => [t, 1]));
    if (terms.length > 0 && !terms.every(isLiteral)) for (const b of baseForms(word)) for (const t of termsOfWord(b)) if (!all.has(t)) all.set(t, 1);
    for (const t of ALIASES[word.toLowerCase()] ?? []) all.set(t, 1);
    let kind: WordKind;
    if (terms.length === 0) kind = 'function';
    else if (terms.every(isLiteral)) kind = 'number';
    else if (/^[A-Z]{2,}s?$/.test(word) || (/^[A-Z]/.test(word) && !SENTENCE_START.test(text.slice(Math.max(0, start - 12), start)))) kind = 'name';
    else kind = 'content';
    const cognate = kind === 'content' || kind === 'name' ? cognateTerm(word) : null;
    if (cognate && !all.has(cognate)) all.set(cognate, COGNATE);
    out.push({ text: word, start, end, kind, terms: all });
  }
  return out;
}

// ───────────────────────────── Chinese ─────────────────────────────

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN_ONLY = /^[A-Za-z0-9.,+#&_%-]+$/;
/** Senses of a word absent from CC-CEDICT that its parts give: dictionary sub-words, then characters. */
const SUBWORD = 0.9;
const CHARACTER = 0.5;

/** Dictionary words inside an unknown word, longest first from the left (联合国大会 → 联合国 + 大会). */
function subWords(word: string, d: Dictionary): string[] {
  const chars = [...word];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let n = Math.min(6, chars.length - i);
    while (n > 1 && !d.has(chars.slice(i, i + n).join(''))) n--;
    out.push(chars.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

/** "United Nations" also reads as "UN": the initials of capitalised multi-word glosses. */
const initialsOf = memo((word: string): string[] => {
  const d = loadDictionary();
  const out: string[] = [];
  for (const g of d.glosses(word)) {
    const caps = g.split(/\s+/).filter((w) => /^[A-Z]/.test(w));
    if (caps.length >= 2 && caps.length === g.split(/\s+/).length) out.push(caps.map((w) => w[0] ?? '').join('').toLowerCase());
  }
  return out;
});

/** Senses of a part of an unknown word: its terms, else (a long gloss: 联合国大会) every term of its glosses. */
const partTerms = memo((part: string): string[] => {
  const d = loadDictionary();
  const t = d.terms(part);
  if (t.length > 0 || [...part].length === 1) return [...t];
  const set = new Set<string>();
  for (const g of d.glosses(part)) for (const x of englishTerms(g)) set.add(x);
  return [...set];
});

/** The multi-word glosses of a word (or of the dictionary words inside an unknown one) as term sequences. */
function readPhrases(word: string, fallback: boolean): { terms: string[]; strength: number }[] {
  const d = loadDictionary();
  const out: { terms: string[]; strength: number }[] = [];
  const seen = new Set<string>();
  const parts = fallback ? subWords(word, d).filter((p) => [...p].length > 1) : [word];
  for (const part of parts) {
    for (const g of d.glosses(part)) {
      const terms = englishTerms(g);
      const k = terms.join(' ');
      if (terms.length < 2 || terms.length > 8 || seen.has(k)) continue;
      seen.add(k);
      out.push({ terms, strength: fallback ? SUBWORD : 1 });
    }
  }
  return out;
}

const phrasesWhole = memo((word: string) => readPhrases(word, false));
const phrasesParts = memo((word: string) => readPhrases(word, true));
const phrasesOf = (word: string, fallback: boolean) => (fallback ? phrasesParts(word) : phrasesWhole(word));

/** A word CC-CEDICT glosses with function words only (他们 "they", 我们 "we", 其 "its"). */
const glossedAsFunctionWord = memo((word: string): boolean => {
  const d = loadDictionary();
  const g = d.glosses(word);
  return g.length > 0 && g.every((x) => englishTerms(x).length === 0);
});

/** Characters that belong to the number before them: 9月, 75届, 2020年, 第六次. */
const NUMBER_SUFFIX = new Set([...'年月日号届次个名位项岁周期']);
const ORDINAL_INSIDE = /第([一二两三四五六七八九十百]+)/u;

/**
 * A word CC-CEDICT lacks (jieba's HMM cut it, or its glosses are all definitions): the senses of the
 * dictionary words inside it, the characters' own senses when a character stands alone (weak, and
 * no short terms: 不 reads "un-"), the literal terms zhTokens found, and its pinyin for a name
 * (清扬 → "qingyang").
 */
function fallbackTerms(word: string, read: ReadonlySet<string>, d: Dictionary, terms: Map<string, number>): void {
  for (const part of subWords(word, d)) {
    const single = [...part].length === 1;
    for (const t of partTerms(part)) {
      const strength = single ? CHARACTER : SUBWORD;
      if (single && t.length < 4) continue;
      if ((terms.get(t) ?? 0) < strength) terms.set(t, strength);
    }
    for (const t of initialsOf(part)) terms.set(t, SUBWORD);
  }
  for (const t of read) if (isLiteral(t)) terms.set(t, 1);
  const py = d.pinyin(word);
  if (py && py.length >= 4 && HAN.test(word)) terms.set(stem(py), SUBWORD);
}

/**
 * The reading of one word as the aligner reads it (zhTokens of the word alone: CC-CEDICT senses, the
 * per-character fallback for unknown words, Chinese numerals, Latin literals), turned into terms with
 * their strengths and multi-word senses; kept per word, since the same words come back in every bead.
 */
const readWord = memo((word: string): { terms: ReadonlyMap<string, number>; phrases: ReadonlyArray<{ terms: readonly string[]; strength: number }> } => {
  const d = loadDictionary();
  const parts = zhTokens(word, d);
  // A word that jieba cut in context but splits when alone (不应 → 不 | 应) is not a headword: its
  // parts' senses are a fallback reading.
  const fallback = parts.some((t) => t.fallback) || (parts.length > 1 && HAN.test(word) && !d.has(word));
  const read = new Set(parts.flatMap((t) => t.terms));
  const terms = new Map<string, number>();
  const han = HAN.test(word);
  if (!fallback) for (const t of read) terms.set(t, 1);
  else if (!(han && glossedAsFunctionWord(word))) fallbackTerms(word, read, d, terms);
  if (!fallback && han) for (const t of initialsOf(word)) terms.set(t, 1);
  // 第二次世界大战 is also "Second".
  const ord = han ? ORDINAL_INSIDE.exec(word) : null;
  const ordValue = ord?.[1] ? chineseNumbers(`第${ord[1]}`)[0] : undefined;
  if (ordValue !== undefined && terms.size > 0) terms.set(`#${ordValue}`, 1);
  const plain = [...terms.keys()];
  const phrases = han && plain.length > 0 && !plain.every(isLiteral) ? phrasesOf(word, fallback) : [];
  return { terms, phrases };
});

const SCALE_START = /^[万亿]+/;

export function chineseTokens(text: string): WordToken[] {
  const d = loadDictionary();
  // jieba's words cover the text exactly: each with its offset.
  const words: { text: string; start: number }[] = [];
  let at = 0;
  for (const w of cutWords(loadLexicon(), text)) {
    words.push({ text: w, start: at });
    at += w.length;
  }
  const out: WordToken[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (!/[\p{L}\p{N}]/u.test(w.text)) continue;
    const start = w.start;
    let end = start + w.text.length;
    let terms: Map<string, number>;
    let phrases: ReadonlyArray<{ terms: readonly string[]; strength: number }> = [];
    // Arabic numbers read in context: "100 亿" (the scale may open the next word, 亿美元) and "9 月".
    if (/^\d+(?:[.,]\d+)*$/.test(w.text)) {
      let value = Number(w.text.replace(/,/g, ''));
      let n = k + 1;
      while (n < words.length && /^\s+$/.test(words[n]!.text)) n++;
      const next = words[n];
      const scale = next ? SCALE_START.exec(next.text) : null;
      if (next && scale) {
        for (const c of scale[0]) value *= c === '亿' ? 1e8 : 1e4;
        end = next.start + scale[0].length;
        // The rest of that word (美元 of 亿美元) is a word of its own.
        const rest = next.text.slice(scale[0].length);
        words.splice(n, 1, ...(rest ? [{ text: rest, start: end }] : []));
      }
      terms = new Map([[numberTerm(Math.round(value * 1e6) / 1e6), 1]]);
      if (next && !scale && next.text.startsWith('月') && value >= 1 && value <= 12) terms.set(monthTerm(value), 1);
    } else {
      const r = readWord(w.text);
      terms = new Map(r.terms);
      phrases = r.phrases;
    }
    const raw = text.slice(start, end);
    let kind: WordKind;
    if (terms.size === 0) kind = 'function';
    else if ([...terms.keys()].every(isLiteral)) kind = 'number';
    else if (LATIN_ONLY.test(raw) && /[A-Za-z]/.test(raw)) kind = 'name';
    else kind = 'content';
    out.push(phrases.length && kind === 'content' ? { text: raw, start, end, kind, terms, phrases } : { text: raw, start, end, kind, terms });
  }
  crossingWords(out, text, d);
  return mergeNumbers(out, text);
}

/**
 * Dictionary words jieba cut through (冠状病毒病大流行 → … 病大 | 流行, where 大流行 is "pandemic"):
 * each word of three or four characters that spans two or more content tokens lends its senses to
 * them, a little weaker than their own, so the linker can still find the pandemic. (Two-character
 * words across a boundary are mostly chance: 与|其他 is no 与其.)
 */
function crossingWords(tokens: WordToken[], text: string, d: Dictionary): void {
  const at = new Int32Array(text.length).fill(-1);
  tokens.forEach((t, k) => {
    for (let i = t.start; i < t.end; i++) at[i] = k;
  });
  for (let i = 0; i < text.length; i++) {
    if (!HAN.test(text[i] ?? '')) continue;
    for (let n = 3; n <= 4 && i + n <= text.length; n++) {
      const first = at[i] ?? -1;
      const last = at[i + n - 1] ?? -1;
      if (first < 0 || first === last || !HAN.test(text[i + n - 1] ?? '')) continue;
      const w = text.slice(i, i + n);
      if (!d.has(w)) continue;
      const senses = d.terms(w).filter((x) => !isLiteral(x));
      if (senses.length === 0) continue;
      for (let k = first; k <= last; k++) {
        const t = tokens[k];
        if (t?.kind !== 'content') continue;
        const terms = t.terms as Map<string, number>;
        for (const x of senses) if ((terms.get(x) ?? 0) < SUBWORD) terms.set(x, SUBWORD);
      }
    }
  }
}

/** 第 before a number and 年/月/日/届 … right after it are part of it: one token (第75届, 9月, 2020年). */
function mergeNumbers(tokens: readonly WordToken[], text: string): WordToken[] {
  const out: WordToken[] = [];
  for (let k = 0; k < tokens.length; k++) {
    let t = tokens[k]!;
    if (t.kind === 'number') {
      // UN Chinese groups thousands with spaces: "1 100万" is 11 million, "3 000吨" 3,000 tonnes.
      let next = tokens[k + 1];
      while (next?.kind === 'number' && /^\d{1,3}$/.test(text.slice(t.start, t.end).replace(/\s/g, '').replace(/^.*?(\d+)$/, '$1')) && /^[ \u00a0\u2009\u202f]$/.test(text.slice(t.end, next.start)) && /^\d{3}(?!\d)/.test(next.text)) {
        const value = parseChineseNumber(text.slice(t.start, next.end).replace(/[\s\u00a0\u2009\u202f]/g, ''));
        t = { ...t, end: next.end, terms: value === null ? next.terms : new Map([[numberTerm(value), 1]]) };
        k++;
        next = tokens[k + 1];
      }
      const before = out.at(-1);
      if (before && before.text === '第' && /^\s*$/.test(text.slice(before.end, t.start))) {
        out.pop();
        t = { ...t, start: before.start };
      }
      const after = tokens[k + 1];
      if (after && /^\s*$/.test(text.slice(t.end, after.start)) && NUMBER_SUFFIX.has(after.text)) {
        t = { ...t, end: after.end };
        k++;
      }
      t = { ...t, text: text.slice(t.start, t.end) };
    }
    out.push(t);
  }
  return out;
}

// ───────────────────────────── any other language ─────────────────────────────

const PLAIN_WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*|\p{N}+(?:[.,]\p{N}+)*/gu;

/**
 * Words of a language the linker has no dictionary for: identical names and numbers only (and IBM-1).
 * Words of three letters or fewer count as function words: a crude guess, there is no list per language.
 */
export function plainTokens(text: string, lang: Lang = 'und'): WordToken[] {
  const out: WordToken[] = [];
  const digits = /\d/.test(text);
  for (const m of text.matchAll(PLAIN_WORD)) {
    const start = m.index ?? 0;
    const word = m[0];
    const number = /^\p{N}/u.test(word);
    const key = number ? `#${word.replace(/[.,](?=\d{3}\b)/g, '').replace(',', '.')}` : word.toLowerCase();
    let kind: WordKind = number ? 'number' : /^\p{Lu}/u.test(word) && start > 0 ? 'name' : word.length <= 3 ? 'function' : 'content';
    const terms = new Map([[key, 1]]);
    if (!number) {
      // Month names and number words of the languages the generic aligner knows ("mars" = March, "douze" = 12).
      const month = monthValue(key, lang, digits);
      const value = numberWordValue(key, lang);
      if (month !== null) terms.set(monthTerm(month), 1);
      if (value !== null) terms.set(numberTerm(value), 1);
      if (month !== null || value !== null) kind = 'number';
      const cognate = kind === 'content' || kind === 'name' ? cognateTerm(word) : null;
      if (cognate) terms.set(cognate, COGNATE);
    }
    out.push({ text: word, start, end: start + word.length, kind, terms });
  }
  return out;
}
