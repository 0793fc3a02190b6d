import { CLOSERS, isCjkAt, isSpace } from './chars.js';
import { ENGLISH_RULES, type SplitRules } from './sentence-rules.js';

/**
 * Sentence boundaries of English (or other space-separated) text in [start, end): offsets just after
 * each sentence's final punctuation and closing quotes/brackets. A period is not a boundary after a
 * known abbreviation (Mr., e.g., No. 5), inside a number (2.5), after an initial (J. R. R. Tolkien),
 * after a dotted acronym (U.N., U.S.) unless a sentence opener follows, or after a leading number
 * label ("12. The …"). An ellipsis ends a sentence only before a typical opener ("And so... The").
 * Nothing ends before a lower-case word. Linear in the length of the range. Other languages pass
 * their own abbreviations, openers, spaced abbreviations ("z. B.") and ordinal dots (sentence-rules.ts).
 */
export function enBoundaries(text: string, start: number, end: number, rules: SplitRules = ENGLISH_RULES): number[] {
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
      if (j >= end || isBoundary(text, i, j, end, lastCut, rules)) {
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
function isBoundary(text: string, p: number, j: number, end: number, lastCut: number, rules: SplitRules): boolean {
  let k = j;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  if (k >= end) return true;
  const next = text[k]!;
  if (/\p{Ll}/u.test(next)) return false; // "e.g. the", "approx. two", "“Why?” he asked"
  const isDot = text[p] === '.' && j - p === 1 + countClosers(text, p + 1, j);
  if (!isDot) {
    // An ellipsis is mostly a pause ("I... I can't"): it ends a sentence only before a typical opener.
    if (isEllipsisRun(text, p, j)) return opensSentence(text, k, end, rules);
    return true; // ! ? 。 before a capital
  }
  if (!/[\p{Lu}\p{Lt}\p{N}"'“‘([«¿¡]/u.test(next) && !isCjkAt(text, k)) return false;
  const token = tokenBefore(text, p, lastCut);
  if (token === '') return true;
  const lower = token.toLowerCase();
  if (/^\d{1,3}$/.test(token) && onlySpaceBetween(text, lastCut, p - token.length)) return false; // leading "12."
  // "z. B.", "p. ex.", "т. е.": the first part before its second, the second after its first.
  const prev = tokenBefore(text, p - token.length - 1, lastCut).toLowerCase().replace(/\.$/, '');
  const nextWord = wordAt(text, k, end).toLowerCase();
  const pairAfter = `${prev} ${lower}`;
  if (rules.spaced.has(`${lower} ${nextWord}`) || rules.spacedAmbiguous.has(`${lower} ${nextWord}`) || rules.spaced.has(pairAfter)) return false;
  if (rules.spacedAmbiguous.has(pairAfter)) return opensSentence(text, k, end, rules);
  if (rules.never.has(lower)) return false;
  const nextIsDigit = /\p{N}/u.test(next);
  if (rules.beforeNumber.has(lower)) return !nextIsDigit && opensSentence(text, k, end, rules);
  if (rules.ordinalDot && /^\d{1,3}$/.test(token)) return opensSentence(text, k, end, rules); // "am 9. September"
  const initialOrAcronym = /^\p{Lu}$/u.test(token) || /^(?:\p{L}\.)+\p{L}$/u.test(token);
  if (initialOrAcronym || rules.ambiguous.has(lower)) return opensSentence(text, k, end, rules);
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
function opensSentence(text: string, k: number, end: number, rules: SplitRules): boolean {
  if (isCjkAt(text, k) || /["“‘'(«„¿¡]/.test(text[k]!)) return true;
  return rules.openers.has(wordAt(text, k, end).toLowerCase());
}

/** The letters starting at `k` (at most 20). */
function wordAt(text: string, k: number, end: number): string {
  let e = k;
  while (e < end && e - k < 20 && /\p{L}/u.test(text[e]!)) e++;
  return text.slice(k, e);
}
