/** Small character-class helpers shared by the checks. */
import type { Span } from '../domain.js';

/** Han ideographs (CJK unified, extension A, compatibility). */
export const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
/** Full-width CJK punctuation and brackets that count as "Chinese context" for half-width checks. */
export const CJK_PUNCT = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]/u;

export function isHan(ch: string | undefined): boolean {
  return ch !== undefined && HAN.test(ch);
}

export function isCjkContext(ch: string | undefined): boolean {
  return ch !== undefined && (HAN.test(ch) || CJK_PUNCT.test(ch));
}

/** Full-width ASCII variants (Ａ, ０, （) → ASCII, one code unit for one, so offsets are kept. */
export function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** A text without whitespace plus the map from its offsets back to the original's. */
export interface Squeezed {
  text: string;
  /** map[i] = offset in the original of squeezed character i; map[text.length] = original length. */
  map: number[];
}

export function squeeze(s: string): Squeezed {
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (/\s/.test(c)) continue;
    text += c;
    map.push(i);
  }
  map.push(s.length);
  return { text, map };
}

/** Maps a span of the squeezed text back onto the original text. */
export function unsqueezeSpan(sq: Squeezed, start: number, end: number): Span {
  const s = sq.map[start] ?? 0;
  const lastChar = sq.map[end - 1];
  return { start: s, end: lastChar === undefined ? s : lastChar + 1 };
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** All indices where `needle` occurs in `hay` (non-overlapping). */
export function indicesOf(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  let i = hay.indexOf(needle);
  while (i >= 0) {
    out.push(i);
    i = hay.indexOf(needle, i + needle.length);
  }
  return out;
}

/** Short quoted excerpt of a text for messages. */
export function excerpt(s: string, max = 30): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const URL_LIKE = /\b(?:https?:\/\/|www\.)[^\s\u3000-\u303f\uff01-\uff5e\u4e00-\u9fff]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** URLs and e-mail addresses blanked out (same length, so offsets stay): they are not text. */
export function maskUrls(s: string): string {
  return s.replace(URL_LIKE, (m) => ' '.repeat(m.length));
}

/**
 * UN document symbols (A/75/123, S/RES/2532(2020), E/CN.6/2021/1) and sub-paragraph labels ((a),
 * (iv)) as written inside UN Chinese text: codes, not untranslated words.
 */
const UN_SYMBOL = /(?<![A-Za-z0-9])[A-Z]{1,6}(?:\/[A-Za-z0-9.-]+)+(?:\(\d{4}\))?/g;
const SUB_LABEL = /(?<=\()(?:[a-z]|[ivxl]{1,5})(?=\))/g;

/** UN symbols and (a)/(iv) labels blanked out (same length, offsets stay). */
export function maskSymbols(s: string): string {
  return s.replace(UN_SYMBOL, (m) => ' '.repeat(m.length)).replace(SUB_LABEL, (m) => ' '.repeat(m.length));
}

/** True when `s` is a UN symbol or a sub-paragraph label as a whole. */
export function isSymbolOrLabel(s: string): boolean {
  return /^(?:[A-Z]{1,6}(?:\/[A-Za-z0-9.-]+)+|[a-z]|[ivxl]{1,5})$/.test(s.trim());
}
