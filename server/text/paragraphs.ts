import type { Lang, Paragraph, ParagraphKind, Span } from '../domain.js';
import { displayWidth, endsWithTerminal, isSpace } from './chars.js';
import { collapseWhitespace } from './normalize.js';
import { parseNumberLabel, type NumberLabel } from './numbering.js';

/** A non-blank line, trimmed: [start, end) in the normalised text. */
interface Line {
  start: number;
  end: number;
  /** Preceded by a blank line (or first line): starts a block. */
  blockStart: boolean;
}

interface Draft {
  lines: Line[];
  label: NumberLabel | null;
}

/**
 * A plain paragraph not ending in terminal punctuation whose last line is at least this wide (CJK
 * counts 2) continues into the next block: it was cut by a page break. Narrower lines are headings.
 */
const PLAIN_BREAK_MIN_WIDTH = 80;
/** Leading title lines are at most this wide; longer unpunctuated lines are body text. */
const TITLE_MAX_WIDTH = 200;
/** In a text without numbered paragraphs, at most this many leading paragraphs can be title/date. */
const UNNUMBERED_PREAMBLE_MAX = 3;

/**
 * Paragraphs of a normalised text.
 *
 * - Blocks are separated by blank lines. Inside a block, a line starts a new paragraph when it has a
 *   number label or the previous line ends in terminal punctuation; otherwise it continues the
 *   previous line (hard wrap). In a text without any blank line (one paragraph per line) every line is
 *   a paragraph, except the page-break case below.
 * - Page breaks: a block (or line) without a number label that follows a numbered paragraph not ending
 *   in terminal punctuation is joined to it (also after a long unpunctuated plain paragraph). Date
 *   lines are never joined.
 * - Before the first numbered paragraph: date lines are kind 'date', short unpunctuated lines 'title'.
 * - `text` is the paragraph with its label, whitespace collapsed, line breaks between CJK characters
 *   removed; `spans` has one span per block the paragraph was joined from.
 */
export function parseParagraphs(text: string, _lang: Lang = 'und'): Paragraph[] {
  const lines = splitLines(text);
  const lineMode = lines.every((l, i) => i === 0 || !l.blockStart);
  const drafts: Draft[] = [];
  for (const line of lines) {
    const label = parseNumberLabel(text, line.start, line.end);
    const cur = drafts[drafts.length - 1];
    if (!label && cur && continues(text, cur, line, lineMode, drafts.length)) cur.lines.push(line);
    else drafts.push({ lines: [line], label });
  }
  const kinds = classify(text, drafts);
  return drafts.map((d, index) => {
    const first = d.lines[0]!;
    const last = d.lines[d.lines.length - 1]!;
    return {
      index,
      kind: kinds[index]!,
      number: d.label ? d.label.value : null,
      text: collapseWhitespace(text.slice(first.start, last.end)),
      spans: spansOf(d.lines),
    };
  });
}

/** The number label of a paragraph as written ('12.', '（一）'), or null; `number` holds its value. */
export function paragraphLabel(text: string, p: Paragraph): NumberLabel | null {
  const s = p.spans[0];
  if (!s || p.number === null) return null;
  return parseNumberLabel(text, s.start, s.end);
}

/** Where the paragraph's content starts: after its number label and the spaces after it. */
export function paragraphContentStart(text: string, p: Paragraph): number {
  const label = paragraphLabel(text, p);
  return label ? label.contentStart : (p.spans[0]?.start ?? 0);
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  let blank = true;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let s = pos;
    let e = nl;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (s < e) {
      lines.push({ start: s, end: e, blockStart: blank });
      blank = false;
    } else blank = true;
    pos = nl + 1;
  }
  return lines;
}

function continues(text: string, cur: Draft, line: Line, lineMode: boolean, count: number): boolean {
  const last = cur.lines[cur.lines.length - 1]!;
  // A label alone on its line ("12." then the text on the next line): the text is its content.
  if (cur.label && cur.lines.length === 1 && cur.label.contentStart >= last.end) return !isDateLine(text.slice(line.start, line.end));
  if (endsWithTerminal(text, last.start, last.end)) return false;
  if (isDateLine(text.slice(line.start, line.end))) return false;
  if (cur.label) return true;
  if (isDateLine(text.slice(last.start, last.end))) return false;
  if (lineMode || line.blockStart) {
    // A page break inside an unnumbered paragraph: only long lines, never the first (title) paragraph.
    return count > 1 && displayWidth(text, last.start, last.end) >= PLAIN_BREAK_MIN_WIDTH;
  }
  return true; // hard-wrapped line inside a block
}

function spansOf(lines: Line[]): Span[] {
  const spans: Span[] = [];
  for (const l of lines) {
    const prev = spans[spans.length - 1];
    if (prev && !l.blockStart) prev.end = l.end;
    else spans.push({ start: l.start, end: l.end });
  }
  return spans;
}

function classify(text: string, drafts: Draft[]): ParagraphKind[] {
  const kinds: ParagraphKind[] = drafts.map((d) => (d.label ? 'numbered' : 'plain'));
  const firstNumbered = drafts.findIndex((d) => d.label !== null);
  let limit = firstNumbered;
  if (firstNumbered === -1) limit = drafts.length > 1 ? Math.min(UNNUMBERED_PREAMBLE_MAX, drafts.length - 1) : 0;
  for (let i = 0; i < limit; i++) {
    const d = drafts[i]!;
    const first = d.lines[0]!;
    const last = d.lines[d.lines.length - 1]!;
    const body = text.slice(first.start, last.end);
    if (isDateLine(body)) kinds[i] = 'date';
    else if (!endsWithTerminal(text, first.start, last.end) && displayWidth(body) <= TITLE_MAX_WIDTH) kinds[i] = 'title';
    else break; // body text has started
  }
  return kinds;
}

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';
const EN_DATE = new RegExp(
  `^(?:[A-Z][\\p{L} .'-]{0,30},\\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s*)?` +
    `(?:${DAY}\\s+${MONTH},?\\s+\\d{4}|${MONTH}\\s+${DAY},?\\s+\\d{4}|${MONTH}\\s+\\d{4}|\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}/\\d{1,2}/\\d{2,4})\\.?$`,
  'iu',
);
const ZH_NUM = '[0-9０-９〇零一二三四五六七八九十]';
const ZH_DATE = new RegExp(
  `^(?:[\\p{Script=Han}]{1,10}[，,\\s]\\s*)?${ZH_NUM}{2,4}\\s*年\\s*${ZH_NUM}{1,2}\\s*月(?:\\s*${ZH_NUM}{1,3}\\s*[日号])?(?:\\s*[（(][^)）]{1,8}[)）])?[。.]?$`,
  'u',
);

/** A line that is only a date (optionally with a place): '2020年9月4日', '4 September 2020', 'Moscow, September 4, 2020'. */
export function isDateLine(s: string): boolean {
  const t = s.trim();
  if (t.length === 0 || t.length > 60) return false;
  return EN_DATE.test(t) || ZH_DATE.test(t);
}
