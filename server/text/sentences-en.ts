import { CLOSERS, isCjkAt, isSpace } from './chars.js';

/** Abbreviations after which a period never ends a sentence (lower case, without the final dot). */
const NEVER_SPLIT = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'mt', 'ft', 'gen', 'col', 'lt', 'sgt', 'capt', 'cmdr', 'adm', 'rev', 'hon',
  'sen', 'rep', 'gov', 'pres', 'amb', 'messrs', 'mme', 'mlle', 'e.g', 'i.e', 'vs', 'cf', 'viz', 'al', 'approx', 'ca',
  'ibid', 'op', 'dept', 'univ', 'est',
]);
/** Abbreviations that never end a sentence before a number ("No. 5", "Art. 12", "para. 3"). */
const BEFORE_NUMBER = new Set(['no', 'nos', 'art', 'arts', 'para', 'paras', 'p', 'pp', 'vol', 'vols', 'fig', 'figs', 'sec', 'ch', 'chap', 'ed', 'eds', 'res', 'doc', 'op', 'ser']);
/**
 * Abbreviations that can end a sentence ("… in the U.S. The …", "… and so on, etc. They …",
 * "… bought by Apple Inc. The deal …"): a
 * period after them ends the sentence only when a typical sentence opener follows.
 */
const AMBIGUOUS = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'jr', 'sr', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
/** Words that typically open a sentence; used only to decide ambiguous cases like "U.S. The". */
const OPENERS = new Set([
  'the', 'this', 'these', 'that', 'those', 'they', 'there', 'it', 'its', 'in', 'on', 'at', 'as', 'we', 'he', 'she',
  'but', 'however', 'and', 'a', 'an', 'for', 'to', 'if', 'when', 'while', 'after', 'before', 'since', 'with', 'our',
  'their', 'his', 'her', 'all', 'some', 'many', 'most', 'such', 'moreover', 'furthermore', 'also', 'then', 'thus',
  'what', 'who', 'why', 'how', 'where', 'you', 'my', 'no', 'not', 'yet', 'so', 'one', 'both', 'each', 'every',
]);

/**
 * Sentence boundaries of English (or other space-separated) text in [start, end): offsets just after
 * each sentence's final punctuation and closing quotes/brackets. A period is not a boundary after a
 * known abbreviation (Mr., e.g., No. 5), inside a number (2.5), after an initial (J. R. R. Tolkien),
 * after a dotted acronym (U.N., U.S.) unless a sentence opener follows, or after a leading number
 * label ("12. The …"). An ellipsis ends a sentence only before a typical opener ("And so... The").
 * Nothing ends before a lower-case word. Linear in the length of the range.
 */
export function enBoundaries(text: string, start: number, end: number): number[] {
  const cuts: number[] = [];
  let lastCut = start;
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === '.' || c === '!' || c === '?' || c === '…' || c === '。' || c === '！' || c === '？') {
      let j = i + 1;
      while (j < end && (text[j] === '.' || text[j] === '!' || text[j] === '?' || text[j] === '…')) j++;
      while (j < end && CLOSERS.has(text[j]!)) j++;
      if (j < end && !isSpace(text.charCodeAt(j)) && !isCjkAt(text, j) && !isCjkEnder(c)) {
        i = j; // "2.5", "U.S.", "e.g.," — not followed by a space
        continue;
      }
      if (j >= end || isBoundary(text, i, j, end, lastCut)) {
        cuts.push(j);
        lastCut = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return cuts;
}

function isCjkEnder(c: string): boolean {
  return c === '。' || c === '！' || c === '？';
}

/** Decide a candidate boundary: punctuation at `p`, run and closers end at `j`, then space or CJK. */
function isBoundary(text: string, p: number, j: number, end: number, lastCut: number): boolean {
  let k = j;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  if (k >= end) return true;
  const next = text[k]!;
  if (/\p{Ll}/u.test(next)) return false; // "e.g. the", "approx. two", "“Why?” he asked"
  const isDot = text[p] === '.' && j - p === 1 + countClosers(text, p + 1, j);
  if (!isDot) {
    // An ellipsis is mostly a pause ("I... I can't"): it ends a sentence only before a typical opener.
    if (isEllipsisRun(text, p, j)) return opensSentence(text, k, end);
    return true; // ! ? 。 before a capital
  }
  if (!/[\p{Lu}\p{Lt}\p{N}"'“‘([«¿¡]/u.test(next) && !isCjkAt(text, k)) return false;
  const token = tokenBefore(text, p, lastCut);
  if (token === '') return true;
  const lower = token.toLowerCase();
  if (/^\d{1,3}$/.test(token) && onlySpaceBetween(text, lastCut, p - token.length)) return false; // leading "12."
  if (NEVER_SPLIT.has(lower)) return false;
  const nextIsDigit = /\p{N}/u.test(next);
  if (BEFORE_NUMBER.has(lower)) return !nextIsDigit && opensSentence(text, k, end);
  const initialOrAcronym = /^\p{Lu}$/u.test(token) || /^(?:\p{L}\.)+\p{L}$/u.test(token);
  if (initialOrAcronym || AMBIGUOUS.has(lower)) return opensSentence(text, k, end);
  return true;
}

/** Whether the punctuation run from `p` (up to the closers before `j`) is only dots and ellipses. */
function isEllipsisRun(text: string, p: number, j: number): boolean {
  for (let i = p; i < j; i++) {
    const c = text[i]!;
    if (c === '!' || c === '?' || c === '。' || c === '！' || c === '？') return false;
  }
  return true;
}

function countClosers(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (CLOSERS.has(text[i]!)) n++;
  return n;
}

/** The word before the period at `p` (no opening brackets or quotes), at most 40 characters back. */
function tokenBefore(text: string, p: number, floor: number): string {
  let s = p;
  const min = Math.max(floor, p - 40);
  while (s > min && !isSpace(text.charCodeAt(s - 1))) s--;
  let token = text.slice(s, p);
  token = token.replace(/^[("'“‘[«]+/u, '');
  return token;
}

function onlySpaceBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether the word at `k` is a typical sentence opener (or a quotation / CJK starts). */
function opensSentence(text: string, k: number, end: number): boolean {
  if (isCjkAt(text, k) || /["“‘'(]/.test(text[k]!)) return true;
  let e = k;
  while (e < end && e - k < 20 && /\p{L}/u.test(text[e]!)) e++;
  return OPENERS.has(text.slice(k, e).toLowerCase());
}
