/** Paragraph number labels: `1.`, `1、`, `(1)`, `（一）`, `一、`, `1)` — and Chinese numerals. */

import { parseChineseNumber } from './numerals.js';

export type LabelStyle = 'dot' | 'ideographic-comma' | 'paren' | 'right-paren';

export interface NumberLabel {
  /** The label as written, e.g. '12.', '（一）', '一、'. */
  raw: string;
  /** Its value as a decimal string: '12', '1' for '（一）'. */
  value: string;
  style: LabelStyle;
  /** Offset where the label starts (first non-space of the line). */
  start: number;
  /** Offset just after the label. */
  end: number;
  /** Offset of the paragraph's content after the label and the spaces that follow it. */
  contentStart: number;
}

const CN_NUM = '[零〇一二三四五六七八九十百千两]{1,6}';
const DIGITS = '[0-9０-９]{1,3}';

// Anchored (sticky) patterns tried at the start of a line. Group 1 is the numeral.
const PATTERNS: Array<{ re: RegExp; style: LabelStyle }> = [
  // "12. text", "12．text": not "2.5 million" (a digit after the dot) and not a lone "2020."
  { re: new RegExp(`(${DIGITS})\\s*[.．](?![0-9０-９])`, 'y'), style: 'dot' },
  { re: new RegExp(`(${DIGITS}|${CN_NUM})\\s*、`, 'y'), style: 'ideographic-comma' },
  { re: new RegExp(`[(（]\\s*(${DIGITS}|${CN_NUM})\\s*[)）]`, 'y'), style: 'paren' },
  // "1) text", and "1）加强…" with no space before Chinese text (not "3)x" inside Latin text).
  { re: new RegExp(`(${DIGITS})[)）](?=[\\s\u2018\u201c\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|$)`, 'y'), style: 'right-paren' },
];

/**
 * The number label at `start` (the first non-space character of a line), or null. `end` bounds the
 * line. "2.5 million" and "2020." are not labels (a digit after the dot; more than three digits).
 */
export function parseNumberLabel(text: string, start: number, end: number = text.length): NumberLabel | null {
  for (const { re, style } of PATTERNS) {
    re.lastIndex = start;
    const m = re.exec(text);
    if (!m || m.index !== start) continue;
    const labelEnd = start + m[0].length;
    if (labelEnd > end) continue;
    const numeral = m[1] ?? '';
    const value = numeralValue(numeral);
    if (value === null) continue;
    let contentStart = labelEnd;
    while (contentStart < end && /\s/.test(text[contentStart] ?? '')) contentStart++;
    return { raw: text.slice(start, labelEnd), value, style, start, end: labelEnd, contentStart };
  }
  return null;
}

/** '12' → '12', '０３' → '3', '十二' → '12', '二十一' → '21', '一百零五' → '105'. */
export function numeralValue(s: string): string | null {
  const ascii = s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
  if (/^[0-9]+$/.test(ascii)) return String(Number(ascii));
  const v = chineseNumeralValue(s);
  return v === null ? null : String(v);
}

export function chineseNumeralValue(s: string): number | null {
  if (!/^[零〇一二三四五六七八九十百千两]+$/.test(s)) return null;
  return parseChineseNumber(s);
}
