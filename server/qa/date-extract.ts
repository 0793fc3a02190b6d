/**
 * Dates as day, month and year with their spans, in every notation of an English original and a
 * Chinese translation: "4 September 2020", "September 4, 2020", "4 Sept.", "14 and 15 March 2023",
 * "31 August to 2 September 2020", "December 2022"; "2020年9月4日", "2020 年 9 月 4 日", "9月4日",
 * "二〇二〇年九月四日", "2023年3月14日至15日", "8 月 31 日至 9 月 2 日", "2022年12月". A date without a
 * year (or a month) in a range takes it from the other end of the range.
 */
import type { Span } from '../domain.js';
import { parseChineseNumber } from '../text/numerals.js';
import { halfWidth } from './text-util.js';

export interface DateMention {
  year: number | null;
  month: number;
  /** null for a month of a year ("December 2022", 2022年12月). */
  day: number | null;
  span: Span;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?)';
const DAY_RE = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR_RE = '(?:,?\\s+(\\d{4}))?';
const LINK_RE = '\\s*(?:and|to|until|through|-|–|—)\\s*';

function monthOf(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((m) => m.startsWith(n.slice(0, 3))) + 1;
}

const validDay = (d: number) => d >= 1 && d <= 31;

/** Dates of an English text. */
export function englishDates(text: string): DateMention[] {
  const out: DateMention[] = [];
  const taken: Span[] = [];
  const free = (s: number, e: number) => !taken.some((t) => t.start < e && s < t.end);
  const add = (m: DateMention) => {
    out.push(m);
    taken.push(m.span);
  };
  // "14 and 15 March 2023", "4 September 2020", "4 Sept." (day before the month; a second day before it).
  const dayFirst = new RegExp(`\\b${DAY_RE}(?:${LINK_RE}${DAY_RE})?\\s+${MONTH_RE}${YEAR_RE}(?![\\w])`, 'g');
  for (const m of text.matchAll(dayFirst)) {
    const at = m.index ?? 0;
    if (!free(at, at + m[0].length)) continue;
    const month = monthOf(m[3] ?? '');
    const year = m[4] ? Number(m[4]) : null;
    const d1 = Number(m[1]);
    if (!validDay(d1) || month < 1 || (m[3] === 'May' && !m[4] && !/\d/.test(m[1] ?? ''))) continue;
    if (m[2]) {
      const d2 = Number(m[2]);
      const secondAt = at + m[0].indexOf(m[2], (m[1] ?? '').length);
      add({ year, month, day: d1, span: { start: at, end: at + (m[1] ?? '').length } });
      if (validDay(d2)) add({ year, month, day: d2, span: { start: secondAt, end: at + m[0].length } });
    } else add({ year, month, day: d1, span: { start: at, end: at + m[0].length } });
  }
  // "September 4, 2020", "March 14 and 15, 2023".
  const monthFirst = new RegExp(`\\b${MONTH_RE}\\s+${DAY_RE}(?:${LINK_RE}${DAY_RE})?${YEAR_RE}(?![\\w])`, 'g');
  for (const m of text.matchAll(monthFirst)) {
    const at = m.index ?? 0;
    if (!free(at, at + m[0].length)) continue;
    const month = monthOf(m[1] ?? '');
    const d1 = Number(m[2]);
    if (month < 1 || !validDay(d1) || (m[1] === 'May' && /^May\s+\d{1,2}\s+\w/.test(m[0]) && !m[4])) continue;
    const year = m[4] ? Number(m[4]) : null;
    add({ year, month, day: d1, span: { start: at, end: at + m[0].length } });
    if (m[3] && validDay(Number(m[3]))) add({ year, month, day: Number(m[3]), span: { start: at, end: at + m[0].length } });
  }
  // "December 2022", "in March, 2023": a month of a year.
  for (const m of text.matchAll(new RegExp(`\\b${MONTH_RE},?\\s+(\\d{4})\\b`, 'g'))) {
    const at = m.index ?? 0;
    if (!free(at, at + m[0].length) || monthOf(m[1] ?? '') < 1) continue;
    add({ year: Number(m[2]), month: monthOf(m[1] ?? ''), day: null, span: { start: at, end: at + m[0].length } });
  }
  return inheritYears(out.sort((a, b) => a.span.start - b.span.start), text, /^\s*(?:and|to|until|through|-|–|—)\s*$/);
}

/** A date in a range without a year ("31 August to 2 September 2020") takes the year of its neighbour. */
function inheritYears(dates: DateMention[], text: string, joiner: RegExp): DateMention[] {
  for (let k = 0; k + 1 < dates.length; k++) {
    const a = dates[k]!;
    const b = dates[k + 1]!;
    if (!joiner.test(text.slice(a.span.end, b.span.start))) continue;
    if (a.year === null && b.year !== null) dates[k] = { ...a, year: b.year };
    else if (b.year === null && a.year !== null) dates[k + 1] = { ...b, year: a.year };
  }
  return dates;
}

const NUM = '(\\d{1,4}|[〇零一二三四五六七八九十]{1,4})';

/** Dates of a Chinese text. */
export function chineseDates(text0: string): DateMention[] {
  const text = halfWidth(text0);
  const out: DateMention[] = [];
  // [Y年]M月[D日|号], and a following 至D日 / 至M月D日.
  const re = new RegExp(`(?:${NUM}\\s*年\\s*)?${NUM}\\s*月(?:\\s*${NUM}\\s*[日号])?`, 'gu');
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    const year = m[1] ? parseChineseNumber(m[1]) : null;
    const month = parseChineseNumber(m[2] ?? '');
    const day = m[3] ? parseChineseNumber(m[3]) : null;
    if (month === null || month < 1 || month > 12 || (day !== null && !validDay(day))) continue;
    // "2020年9月" is a date; "9月" alone (the month of no year) only with a day or a year.
    if (day === null && year === null) continue;
    out.push({ year, month, day, span: { start: at, end: at + m[0].length } });
  }
  // "14日至15日", "至15日": a day alone right after a range word takes the month of the date before it.
  for (const m of text.matchAll(new RegExp(`([至到—\\-–、和])\\s*${NUM}\\s*[日号]`, 'gu'))) {
    const at = (m.index ?? 0) + (m[1] ?? '').length;
    const before = out.filter((d) => d.span.end <= (m.index ?? 0) && d.day !== null && !/[。；;，,]/.test(text.slice(d.span.end, m.index ?? 0))).at(-1);
    const day = parseChineseNumber(m[2] ?? '');
    if (!before || day === null || !validDay(day) || out.some((d) => d.span.start <= at && at < d.span.end)) continue;
    const start = (m.index ?? 0) + m[0].search(/[\d〇零一二三四五六七八九十]/u);
    out.push({ year: before.year, month: before.month, day, span: { start, end: (m.index ?? 0) + m[0].length } });
  }
  return inheritYears(out.sort((a, b) => a.span.start - b.span.start), text, /^\s*[至到—\-–、和]\s*$/);
}

/** How two dates differ: null when they agree (a missing year agrees with any). */
export function dateDifference(a: DateMention, b: DateMention): 'day' | 'month' | 'year' | 'day and month' | null | 'other' {
  const yearOk = a.year === null || b.year === null || a.year === b.year;
  const dayOk = a.day === b.day;
  const monthOk = a.month === b.month;
  if (yearOk && dayOk && monthOk) return null;
  if (!yearOk && dayOk && monthOk) return 'year';
  if (yearOk && !dayOk && monthOk && a.day !== null && b.day !== null) return 'day';
  if (yearOk && dayOk && !monthOk) return 'month';
  if (yearOk && a.day !== null && a.day === b.month && a.month === b.day) return 'day and month';
  return 'other';
}

/** A date as a message shows it: "4 September 2020". */
export function showDate(d: DateMention): string {
  const month = MONTHS[d.month - 1] ?? '';
  const name = month.charAt(0).toUpperCase() + month.slice(1);
  return [d.day ?? '', name, d.year ?? ''].filter((x) => x !== '').join(' ');
}
