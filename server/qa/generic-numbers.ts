/**
 * Numbers of a text in any language, for the numbers check of pairs other than English–Chinese:
 * digits by value, whatever the separators ("1,500", "1.500", "1 500", "4,2" and "4.2"; an ambiguous
 * "1.500" may be 1500 or 1.5), with a following scale word ("4.2 million", "4,2 millions",
 * "350 millones", "530 миллионов") as a second reading; number words ("douze", "двенадцать") and
 * codes ("COVID-19", "G20") as soft mentions, which may match but are never required.
 */
import type { Lang, Span } from '../domain.js';
import { DIGIT_NUMBER, digitValues, numberWordValue } from '../align/generic/numbers.js';
import { labelLength } from './number-extract.js';

export interface GenericMention {
  /** Every value the mention may stand for (one for most numbers). */
  values: number[];
  span: Span;
  text: string;
  soft: boolean;
}

/** Scale words after a number (the largest first: "mil millones" is 1e9), by their first letters (inflected endings follow), in the languages of generic/numbers.ts. */
const SCALES: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\s*(?:billion|milliard|mil millones|bilhão|bilhões|miliardo|miliardi|миллиард|млрд)/iu, 1e9],
  [/^\s*(?:million|millón|millones|milhão|milhões|milion|миллион|млн)/iu, 1e6],
  [/^\s*(?:thousand|mille|mil(?!l)|tausend|тысяч)/iu, 1e3],
];

const WORD = /[\p{L}\p{M}]+/gu;

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** The numbers of `text`, written in `lang`, in order of appearance (a paragraph label at the start left out). */
export function genericNumbers(text: string, lang: Lang): GenericMention[] {
  const out: GenericMention[] = [];
  const skip = labelLength(text);
  for (const m of text.matchAll(DIGIT_NUMBER)) {
    const start = m.index ?? 0;
    if (start < skip) continue;
    const end = start + m[0].length;
    const values = digitValues(m[0]);
    const scale = SCALES.find(([re]) => re.test(text.slice(end, end + 16)))?.[1];
    if (scale) for (const v of [...values]) values.push(round(v * scale));
    // A code ("COVID-19", "G20", "A320") is a name more than a number.
    const code = /[\p{L}][-‑]?$/u.test(text.slice(Math.max(0, start - 2), start)) || /^[\p{L}]/u.test(text.slice(end));
    out.push({ values, span: { start, end }, text: m[0], soft: code });
  }
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    if (start < skip) continue;
    const v = numberWordValue(m[0].toLowerCase(), lang);
    if (v !== null) out.push({ values: [v], span: { start, end: start + m[0].length }, text: m[0], soft: true });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

const shares = (a: GenericMention, b: GenericMention) => a.values.some((x) => b.values.some((y) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x))));

/**
 * Source and target numbers paired by value (hard source mentions first); answers what is left
 * unpaired on each side (soft mentions never are).
 */
export function unpairedNumbers(source: readonly GenericMention[], target: readonly GenericMention[]): { source: GenericMention[]; target: GenericMention[] } {
  const usedS = new Set<number>();
  const extra: GenericMention[] = [];
  for (const t of target) {
    let k = source.findIndex((s, i) => !usedS.has(i) && !s.soft && shares(s, t));
    if (k < 0) k = source.findIndex((s, i) => !usedS.has(i) && shares(s, t));
    if (k >= 0) usedS.add(k);
    else if (!t.soft) extra.push(t);
  }
  return { source: source.filter((s, i) => !usedS.has(i) && !s.soft), target: extra };
}
