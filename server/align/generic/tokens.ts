/**
 * Sentences of any language as the generic model's terms: words (lower case; URLs and e-mail
 * addresses whole), number and date values (numbers.ts) and punctuation cues (cues.ts). Scripts
 * written without spaces (Han, kana, Thai …) give one term per character: enough for identical
 * names and numbers, which is all the generic signals use there.
 */
import type { Lang } from '../../domain.js';
import { punctuationTerms } from './cues.js';
import { digitValues, monthTerm, monthValue, numberTerm, numberWordValue } from './numbers.js';

export type TermKind = 'word' | 'literal';

export interface Term {
  /** Lower-case word, or a literal such as `#1988`, `month:9`, `<?>`. */
  key: string;
  kind: TermKind;
}

const URL_OR_MAIL = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** A word: letters and marks, with inner apostrophes split off (d'environ → d' + environ). */
const WORD = /[\p{L}\p{M}]+/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Terms of one sentence of language `lang`, in order of appearance (words), then literals. */
export function sentenceTerms(s: string, lang: Lang): Term[] {
  const out: Term[] = [];
  let rest = s;
  for (const m of s.matchAll(URL_OR_MAIL)) out.push({ key: m[0].toLowerCase().replace(/[.,;:!?)]+$/, ''), kind: 'literal' });
  if (out.length > 0) rest = s.replace(URL_OR_MAIL, ' ');
  const digits = /\d/.test(rest);
  const words: string[] = [];
  for (const m of rest.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    if (UNSPACED.test(w)) {
      for (const ch of w) out.push({ key: ch, kind: 'word' });
      continue;
    }
    words.push(w);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    out.push({ key: w, kind: 'word' });
    const nv = numberWordValue(w, lang);
    if (nv !== null) out.push({ key: numberTerm(nv), kind: 'literal' });
    const mv = monthValue(w, lang, digits);
    if (mv !== null) out.push({ key: monthTerm(mv), kind: 'literal' });
  }
  if (digits) for (const v of digitValues(rest)) out.push({ key: numberTerm(v), kind: 'literal' });
  for (const p of punctuationTerms(s)) out.push({ key: p, kind: 'literal' });
  return out;
}
