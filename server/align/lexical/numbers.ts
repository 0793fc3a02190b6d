/**
 * Numbers as literal terms, so "100 亿" meets "10 billion" and "第六届" meets "6th"/"sixth".
 * Both sides produce the same key: `#<value>` with the value written in plain decimal.
 */

import { parseChineseNumber } from '../../text/numerals.js';

export function numberTerm(value: number): string {
  return `#${Number.isInteger(value) ? value.toFixed(0) : String(value)}`;
}

const NUMERAL_RUN = /[0-9０-９][0-9０-９.,]*(?:[万亿]+)?|[零〇一二两三四五六七八九十百千万亿]+/gu;

/**
 * Numbers in a Chinese word or phrase. A lone 一 or 两 is left alone ("一个人" = "a person")
 * unless it is an ordinal (第一) — it would otherwise match every "one" and "a".
 */
export function chineseNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMERAL_RUN)) {
    const run = m[0];
    const at = m.index ?? 0;
    const ordinal = text[at - 1] === '第';
    if (!ordinal && /^[一两]$/.test(run)) continue;
    // 万/亿 alone ("万一", "亿万") are words, not numbers.
    if (/^[万亿]+$/.test(run)) continue;
    const v = parseChineseNumber(run);
    if (v !== null) out.push(v);
  }
  return out;
}

const EN_SMALL: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, hundred: 100, thousand: 1000, million: 1e6, billion: 1e9,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, twentieth: 20, hundredth: 100,
};

/** Value of an English number word or ordinal, or null. ("one" is left a word: it is also a pronoun.) */
export function englishNumberValue(word: string): number | null {
  const v = EN_SMALL[word];
  return v === undefined ? null : v;
}
