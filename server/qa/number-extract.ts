/**
 * Numbers as values with their spans, for the numbers check: "USD 10 billion" → 1e10 and
 * "100 亿美元" → 1e10; "23 July 2020" → 23, 7, 2020 and "2020 年 7 月 23 日" → 2020, 7, 23;
 * "6th" / "sixth" / "第六届" → 6; "XII" → 12. Comparing values (not digit strings) is what lets a
 * Chinese translation scale, reorder and spell numbers differently without false alarms.
 */
import type { Span } from '../domain.js';
import { parseChineseNumber } from '../text/numerals.js';
import { halfWidth } from './text-util.js';

export interface NumberMention {
  value: number;
  span: Span;
  /** The text as written ("USD 10 billion" without the currency, "第六", "4 笔" without the classifier). */
  text: string;
  /**
   * Soft mentions may match a number on the other side but are not reported when unmatched:
   * "one"/"first"/"both" are as often words as numbers, "COVID-19" stands for 2019 in Chinese.
   */
  soft: boolean;
}

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORD_UNITS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19,
};
const ORD_TENS: Record<string, number> = {
  twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90,
  hundredth: 100,
};
/** Words that are numbers only sometimes: they may match, they are never required. */
const SOFT_WORDS: Record<string, number> = { one: 1, first: 1, both: 2, once: 1, twice: 2, decade: 10 };
/** Denominators of spelled fractions ("two thirds" = 三分之二). */
const DENOMINATORS: Record<string, number> = {
  half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5, fifths: 5,
  sixth: 6, sixths: 6, seventh: 7, sevenths: 7, eighth: 8, eighths: 8, ninth: 9, ninths: 9, tenth: 10, tenths: 10,
};

/** Paragraph label at the start of a bead ("16. ", "３、") — not a number of the text. */
const LABEL = /^\s*(?:\d{1,3}(?:[.．](?=\s)|、)|[（(]\d{1,3}[)）])\s*/u;

export function labelLength(s: string): number {
  return LABEL.exec(s)?.[0].length ?? 0;
}

function wordValue(word: string): { value: number; ordinal: boolean } | null {
  const w = word.toLowerCase();
  const parts = w.split('-');
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    const t = TENS[a];
    if (t !== undefined) {
      const u = UNITS[b];
      if (u !== undefined && u > 0 && u < 10) return { value: t + u, ordinal: false };
      const o = ORD_UNITS[b];
      if (o !== undefined && o < 10) return { value: t + o, ordinal: true };
    }
    // "three-day", "five-year": a cardinal before a hyphenated noun (三天, 五年计划).
    const head = UNITS[a] ?? TENS[a];
    if (head !== undefined && a !== 'one' && a !== 'zero' && !wordValue(b) && !(b in DENOMINATORS)) return { value: head, ordinal: false };
    return null;
  }
  if (UNITS[w] !== undefined) return { value: UNITS[w] ?? 0, ordinal: false };
  if (TENS[w] !== undefined) return { value: TENS[w] ?? 0, ordinal: false };
  if (ORD_UNITS[w] !== undefined) return { value: ORD_UNITS[w] ?? 0, ordinal: true };
  if (ORD_TENS[w] !== undefined) return { value: ORD_TENS[w] ?? 0, ordinal: true };
  return null;
}

function romanValue(s: string): number | null {
  if (!/^(?=[IVXLC]{2,}$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(s)) return null;
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const cur = v[s[i] ?? ''] ?? 0;
    const next = v[s[i + 1] ?? ''] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}

/** Numbers of an English text. */
export function englishNumbers(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  const skip = labelLength(text);
  const taken = new Array<boolean>(text.length).fill(false);
  const take = (s: number, e: number) => {
    for (let i = s; i < e; i++) taken[i] = true;
  };
  const push = (value: number, start: number, end: number, soft: boolean) => {
    if (start < skip) return;
    out.push({ value, span: { start, end }, text: text.slice(start, end), soft });
    take(start, end);
  };

  // Codes with digits (COVID-19, G20, H1N1): names, soft numbers at most ("COVID-19" is 2019冠状病毒病).
  for (const m of text.matchAll(/\b[A-Za-z]+-?\d+[A-Za-z0-9]*\b/g)) {
    const at = m.index ?? 0;
    const digits = /\d+/.exec(m[0])?.[0] ?? '';
    if (/^covid-?19$/i.test(m[0])) push(2019, at, at + m[0].length, true);
    else if (digits) push(Number(digits), at, at + m[0].length, true);
  }

  // Digits: 1,000 · 2.5 · 75th · 1990s, with a scale word (million …) and percent.
  const DIGITS = /(?<![\w.,])(?<![^\d]-)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th|s)?(?:\s+(thousand|million|billion|trillion)\b)?(\s*(?:%|per ?cent\b))?/g;
  for (const m of text.matchAll(DIGITS)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    if (/[A-Za-z]/.test(text[at + m[0].length] ?? '')) continue;
    let v = Number((m[1] ?? '').replace(/,/g, '') + (m[2] ?? ''));
    if (m[3]) v *= SCALE[m[3]] ?? 1;
    push(round(v), at, at + m[0].trimEnd().length, false);
  }

  // Month names next to a day or a year: "23 July 2020", "July 23", "31 August to 2 September".
  for (const m of text.matchAll(/\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/g)) {
    const at = m.index ?? 0;
    const before = text.slice(Math.max(0, at - 4), at);
    const after = text.slice(at + m[0].length, at + m[0].length + 6);
    const month = MONTHS.indexOf(m[1]?.toLowerCase() ?? '') + 1;
    // Next to a day or a year it is a date; alone ("in June" = 6月) it may match, it is not required.
    push(month, at, at + m[0].length, !(/\d\s+$/.test(before) || /^\s+\d/.test(after)));
  }

  // Spelled fractions: "two thirds", "two-thirds", "three quarters", "one third of", "a quarter of"
  // (= 三分之二 …). A plural denominator after a cardinal is always a fraction; a singular one only
  // after one/a and before "of" ("a third country" is not). Halves are soft (一半 is not read).
  for (const m of text.matchAll(/\b(one|two|three|four|five|six|seven|eight|nine|a)[\s-]+(half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)\b(\s+of\b)?/gi)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const num = (m[1] ?? '').toLowerCase();
    const den = (m[2] ?? '').toLowerCase();
    const plural = /s$/.test(den);
    if (plural ? num === 'a' || num === 'one' : !(num === 'a' || num === 'one') || (num === 'a' && !m[3] && den !== 'half')) continue;
    const value = (num === 'a' ? 1 : (UNITS[num] ?? 1)) / (DENOMINATORS[den] ?? 1);
    push(value, at, at + m[0].length - (m[3]?.length ?? 0), den === 'half' || den === 'halves');
  }

  // "one in five children" = 五分之一的儿童 or 每五名儿童中就有一名: 1/5 or 5, either may match (soft).
  for (const m of text.matchAll(/\b(?:one|a)\s+in\s+(two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\b/gi)) {
    const at = m.index ?? 0;
    if (taken[at] || at < skip) continue;
    const n = UNITS[(m[1] ?? '').toLowerCase()] ?? Number(m[1]);
    if (!n) continue;
    out.push({ value: n, span: { start: at, end: at + m[0].length }, text: m[0], soft: true });
    push(1 / n, at, at + m[0].length, true);
  }
  // "half a million" = 50万.
  for (const m of text.matchAll(/\bhalf\s+an?\s+(million|billion|trillion)\b/gi)) {
    const at = m.index ?? 0;
    if (!taken[at]) push((SCALE[(m[1] ?? '').toLowerCase()] ?? 1) / 2, at, at + m[0].length, false);
  }

  // Number words: "four loans", "twenty-five", "fifth", "three billion".
  for (const m of text.matchAll(/\b[A-Za-z]+(?:-[A-Za-z]+)?\b/g)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const word = m[0];
    const lower = word.toLowerCase();
    const soft = SOFT_WORDS[lower];
    if (soft !== undefined) {
      push(soft, at, at + word.length, true);
      continue;
    }
    const prevText = text.slice(0, at);
    // "a hundred", "one thousand": a scale word with no number before it.
    if (/^(hundred|thousand|million|billion)$/.test(lower)) {
      if (/\b(?:a|one)\s+$/i.test(prevText)) push(lower === 'hundred' ? 100 : (SCALE[lower] ?? 1), at - (/\b(?:a|one)\s+$/i.exec(prevText)?.[0].length ?? 0), at + word.length, false);
      continue;
    }
    const wv = wordValue(word);
    // "Two Dukes Street": a capitalised number word inside a sentence is a name.
    const inName = /^[A-Z]/.test(word) && /[a-z,;]\s+$/.test(prevText);
    if (wv && inName) {
      push(wv.value, at, at + word.length, true);
      continue;
    }
    // "the two sides" = 双方, which has no numeral: it may match, it is not required.
    if (lower === 'two' && /^\s+(?:sides|parties)\b/i.test(text.slice(at + word.length))) {
      push(2, at, at + word.length, true);
      continue;
    }
    if (wv?.ordinal && /^\s+half\b/.test(text.slice(at + word.length))) {
      push(wv.value, at, at + word.length, true); // "the second half of 2021" = 2021年下半年
      continue;
    }
    if (wv) {
      let v = wv.value;
      let end = at + word.length;
      const scale = /^\s+(thousand|million|billion|trillion)\b/.exec(text.slice(end));
      if (scale && !wv.ordinal) {
        v *= SCALE[scale[1] ?? ''] ?? 1;
        end += scale[0].length;
      } else if (!wv.ordinal && /^\s+decades\b/.test(text.slice(end))) {
        v *= 10; // "two decades" = 二十年
        end += (/^\s+decades\b/.exec(text.slice(end))?.[0].length ?? 0);
      } else if (!wv.ordinal && /^\s+hundred\b/.test(text.slice(end))) {
        v *= 100;
        end += (/^\s+hundred\b/.exec(text.slice(end))?.[0].length ?? 0);
      }
      push(v, at, end, false);
      continue;
    }
    // Roman numerals before a capitalised name ("XII BRICS Summit") or after Part/Chapter/….
    const r = romanValue(word);
    if (r !== null) {
      const after = text.slice(at + word.length, at + word.length + 3);
      const before = text.slice(Math.max(0, at - 10), at);
      if (/^\s+[A-Z]/.test(after) || /\b(?:Part|Chapter|Article|Annex|Section|Phase|Title|Volume)\s+$/.test(before)) {
        push(r, at, at + word.length, false);
      }
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Classifiers and nouns after which a Chinese numeral is a number, not part of a word. */
const CLASSIFIER = /^[个项次届笔名位种类条点大国方年月日号倍家份批轮期场篇章节款级人周岁元支部件艘架台座所起例剂任代层队组口两天遍回本页张把只头匹双对斤里米秒分股栋间门颗枚辆封]|^(?:小时|分钟|公里|美元|欧元|世纪)/u;
const ZH_DIGITS = '零一二三四五六七八九';
const ZH_NUMERAL_RUN = /[零〇一二两三四五六七八九十百千万亿]+/gu;

/** Numbers of a Chinese text. `ignore` holds names with numerals that are not numbers (金砖五国). */
export function chineseNumbers(text0: string, ignore: readonly string[] = []): NumberMention[] {
  const text = halfWidth(text0);
  const out: NumberMention[] = [];
  const skip = labelLength(text);
  const taken = new Array<boolean>(text.length).fill(false);
  for (let i = 0; i < skip; i++) taken[i] = true;
  for (const name of ignore) {
    if (!name) continue;
    let i = text.indexOf(name);
    while (i >= 0) {
      for (let k = i; k < i + name.length; k++) taken[k] = true;
      i = text.indexOf(name, i + name.length);
    }
  }
  const push = (value: number, start: number, end: number, soft = false) => {
    out.push({ value, span: { start, end }, text: text0.slice(start, end), soft });
    for (let k = start; k < end; k++) taken[k] = true;
  };

  // Latin codes with digits (COVID-19, G20) are names.
  for (const m of text.matchAll(/[A-Za-z]+-?\d+[A-Za-z0-9]*/g)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const digits = /\d+/.exec(m[0])?.[0] ?? '';
    push(/^covid-?19$/i.test(m[0]) ? 2019 : Number(digits), at, at + m[0].length, true);
  }

  // 百分之二十 / 百分之 20 / 百分之零点五 → percent.
  for (const m of text.matchAll(/百分之\s*([0-9.]+|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)/gu)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const v = chineseDecimal(m[1] ?? '');
    if (v !== null) push(v, at, at + m[0].length);
  }

  // 三分之二 = two thirds, 四分之一 = a quarter (千分之五 = 0.005).
  for (const m of text.matchAll(/(\d+|[一二两三四五六七八九十百千]+)\s*分之\s*(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)/gu)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const den = parseChineseNumber(m[1] ?? '');
    const num = chineseDecimal(m[2] ?? '');
    if (den && num !== null) push(num / den, at, at + m[0].length);
  }

  // 20世纪90年代 = the 1990s.
  for (const m of text.matchAll(/(\d{1,2}|[一二三四五六七八九十]+)\s*世纪\s*(\d0|[一二三四五六七八九]十)\s*年代/gu)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    const c = parseChineseNumber(m[1] ?? '');
    const d = parseChineseNumber(m[2] ?? '');
    if (c && d !== null) push((c - 1) * 100 + d, at, at + m[0].length);
  }

  // 首次 / 首届 / 首个 / 首批: "the first", soft like English "first".
  for (const m of text.matchAll(/首[次届个批位轮]/gu)) {
    const at = m.index ?? 0;
    if (!taken[at]) push(1, at, at + 1, true);
  }

  // Arabic digits, with 万/亿 scaling and an optional Chinese numeral tail ("1.5万亿").
  // Thousands may be grouped with commas or, in UN Chinese, with spaces ("2 900万", "3 000吨");
  // 多/余 before the scale is "more than" (250多万 = over 2.5 million).
  for (const m of text.matchAll(/(\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.])|\d+)(\.\d+)?([多余]?\s*[千万亿]+)?(\s*%)?/g)) {
    const at = m.index ?? 0;
    if (taken[at]) continue;
    let v = Number((m[1] ?? '').replace(/[,\s\u00a0\u2009\u202f]/g, '') + (m[2] ?? ''));
    for (const c of (m[3] ?? '').replace(/[多余\s]/g, '')) v *= c === '千' ? 1e3 : c === '万' ? 1e4 : 1e8;
    push(round(v), at, at + m[0].trimEnd().length);
  }

  // Chinese numerals: ordinals (第六), numbers with 万/亿, or before a classifier (三大, 两级, 十二次).
  for (const m of text.matchAll(ZH_NUMERAL_RUN)) {
    const at = m.index ?? 0;
    let run = m[0];
    if (taken[at]) continue;
    // "三两银子": a final 两 after a numeral is the tael, a classifier; "三两个" is "two or three".
    if (run.length > 1 && run.endsWith('两') && !CLASSIFIER.test(text.slice(at + run.length))) run = run.slice(0, -1);
    if (/^[万亿千百]+$/.test(run)) continue; // 千万 ("must"), 亿万 ("countless"): words
    // 数十万 ("hundreds of thousands"), 几十 ("dozens"), 上百 ("hundreds"): no definite number.
    // (上/成 only before 百/千/万: 分成十个组 and 加上十二个 are numbers.)
    const before = text[at - 1] ?? '';
    if ((/[数几]/.test(before) && /^[十百千万亿]/.test(run)) || (/[上成]/.test(before) && /^[百千万亿]/.test(run))) continue;
    const ordinal = text[at - 1] === '第';
    const next = text.slice(at + run.length);
    const scaled = /[万亿]/.test(run);
    // 二十几 / 三百余 / 二十多: "twenty-odd", an approximate number.
    const about = /^[几余多来]/.test(next) && /[十百千万亿]$/.test(run);
    // A lone 两 is "two" (soft, below) before any noun: 两滴, 两人.
    const counted = (CLASSIFIER.test(next) || about || run === '两') && !/^十分/.test(text.slice(at));
    if (!ordinal && !scaled && !counted) continue;
    const end = at + run.length;
    // Two digits side by side are an approximation: 十四五 (14 or 15), 五六 (5–6), 三两 (2–3),
    // 一二十 (10–20). Either value may match, neither is required.
    const range = /^(.*?)([一二三四五六七八九])([一二两三四五六七八九])([十百千万]?)$/u.exec(run);
    if (range && !/[〇零]/.test(run)) {
      const head = range[1] ?? '';
      const unit = range[4] ? (parseChineseNumber(`一${range[4]}`) ?? 1) : 1;
      const base = head ? (parseChineseNumber(head) ?? 0) : 0;
      for (const d of [range[2], range[3]]) {
        const digit = d === '两' ? 2 : ZH_DIGITS.indexOf(d ?? '');
        out.push({ value: base + digit * unit, span: { start: at, end }, text: text0.slice(at, end), soft: true });
      }
      for (let k = at; k < end; k++) taken[k] = true;
      continue;
    }
    // A lone 一/两 is "a"/"both" far more often than a count, and 第一 is as often "primary" as
    // "first": soft. So are approximate numbers.
    const soft = (!ordinal && /^[一两]$/.test(run)) || (ordinal && run === '一') || about;
    const v = parseChineseNumber(run);
    if (v === null) continue;
    push(v, ordinal ? at - 1 : at, end, soft);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** 二十 → 20, 零点五 → 0.5, "2.5" → 2.5 (a Chinese numeral with 点 and decimal digits). */
function chineseDecimal(s: string): number | null {
  const [int = '', frac] = s.split('点');
  const whole = parseChineseNumber(int);
  if (whole === null || frac === undefined) return whole;
  let digits = '';
  for (const c of frac) digits += String(c === '〇' ? 0 : ZH_DIGITS.indexOf(c));
  return Number(`${whole}.${digits}`);
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** What an amount counts: a currency or a share. */
export type AmountUnit = 'USD' | 'EUR' | 'GBP' | 'JPY' | 'CNY' | 'CHF' | 'percent';

const EN_UNIT_BEFORE: [RegExp, AmountUnit][] = [
  [/(?:\bUSD|\bUS\s?\$|\$)\s*$/, 'USD'],
  [/(?:\bEUR|€)\s*$/, 'EUR'],
  [/(?:\bGBP|£)\s*$/, 'GBP'],
  [/(?:\bJPY)\s*$/, 'JPY'],
  [/(?:\bCNY|\bRMB)\s*$/, 'CNY'],
  [/(?:\bCHF)\s*$/, 'CHF'],
];
const EN_UNIT_AFTER: [RegExp, AmountUnit][] = [
  [/^\s*(?:US\s+)?dollars?\b/i, 'USD'],
  [/^\s*euros?\b/i, 'EUR'],
  [/^\s*(?:pounds sterling|pounds)\b/i, 'GBP'],
  [/^\s*yen\b/i, 'JPY'],
  [/^\s*(?:yuan|renminbi)\b/i, 'CNY'],
  [/^\s*Swiss francs?\b/i, 'CHF'],
];
const ZH_UNIT_AFTER: [RegExp, AmountUnit][] = [
  [/^\s*[多余]?\s*美元/, 'USD'],
  [/^\s*[多余]?\s*欧元/, 'EUR'],
  [/^\s*[多余]?\s*英镑/, 'GBP'],
  [/^\s*[多余]?\s*日元/, 'JPY'],
  [/^\s*[多余]?\s*(?:元人民币|人民币|元)/, 'CNY'],
  [/^\s*[多余]?\s*瑞士法郎/, 'CHF'],
];

/** The currency or percent an English number is written with, or null. */
export function englishUnit(text: string, m: NumberMention): AmountUnit | null {
  if (/(?:%|per ?cent)$/i.test(m.text)) return 'percent';
  // The first number of a range takes the unit of the last: "8-10 per cent", "8 to 10 per cent".
  if (/^\s*(?:-|–|to|and)\s*\d[\d.,]*\s*(?:%|per ?cent\b)/i.test(text.slice(m.span.end, m.span.end + 20))) return 'percent';
  // … and the last the currency of the first: "USD 4-5 billion".
  const range = /(\S+)\s*\d[\d.,]*\s*(?:-|–|to|and)\s*$/i.exec(text.slice(Math.max(0, m.span.start - 24), m.span.start));
  const before = range ? text.slice(Math.max(0, m.span.start - 24), m.span.start - range[0].length + (range[1] ?? '').length) : text.slice(Math.max(0, m.span.start - 6), m.span.start);
  const after = text.slice(m.span.end, m.span.end + 24);
  return EN_UNIT_BEFORE.find(([re]) => re.test(before))?.[1] ?? EN_UNIT_AFTER.find(([re]) => re.test(after))?.[1] ?? null;
}

/** The currency or percent a Chinese number is written with (百分之, %, 美元 …), or null. */
export function chineseUnit(text: string, m: NumberMention): AmountUnit | null {
  if (m.text.startsWith('百分之') || /%\s*$/.test(halfWidth(m.text)) || /^\s*%/.test(halfWidth(text.slice(m.span.end, m.span.end + 2)))) return 'percent';
  const after = text.slice(m.span.end, m.span.end + 8);
  return ZH_UNIT_AFTER.find(([re]) => re.test(after))?.[1] ?? null;
}
