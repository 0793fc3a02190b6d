import type { Lang, Paragraph, Sentence } from '../domain.js';
import { isSpace } from './chars.js';
import { joinsSentencesWithoutSpace } from './lang.js';
import { collapseWhitespace } from './normalize.js';
import { paragraphContentStart, parseParagraphs } from './paragraphs.js';
import { splitRulesFor } from './sentence-rules.js';
import { enBoundaries } from './sentences-en.js';
import { zhBoundaries } from './sentences-zh.js';

export interface SentenceOptions {
  /** One sentence per non-blank line, taken as is; the whole text is one paragraph (see buildSide). */
  presplit?: boolean;
}

/** Sentences longer than this (UTF-16 units) are cut at clause punctuation. */
export const MAX_SENTENCE_CHARS = 1000;
/** A cut never leaves a piece shorter than this when a clause mark further on exists. */
const MIN_PIECE_CHARS = 200;

/**
 * Sentences of a normalised text, found paragraph by paragraph (paragraph number labels are metadata
 * and belong to no sentence). With `presplit`, every non-blank line is one sentence of paragraph 0.
 */
export function splitSentences(text: string, lang: Lang, opts: SentenceOptions = {}): Sentence[] {
  if (opts.presplit) return presplitSentences(text);
  return sentencesOfParagraphs(text, parseParagraphs(text, lang), lang);
}

/**
 * Sentences of the given paragraphs. Every character of a paragraph outside its label is either
 * whitespace between sentences or inside exactly one sentence; `start`/`end` are trimmed offsets into
 * `text` and `sentence.text` is that slice with whitespace collapsed (see collapseWhitespace).
 */
export function sentencesOfParagraphs(text: string, paragraphs: readonly Paragraph[], lang: Lang): Sentence[] {
  const out: Sentence[] = [];
  // Sentences that follow each other without a space end in 。！？…: the Chinese rules find them.
  const rules = splitRulesFor(lang);
  const boundaries = joinsSentencesWithoutSpace(lang) ? zhBoundaries : (t: string, s: number, e: number): number[] => enBoundaries(t, s, e, rules);
  for (const p of paragraphs) {
    const last = p.spans[p.spans.length - 1];
    if (!last) continue;
    const start = paragraphContentStart(text, p);
    const end = last.end;
    let from = start;
    const cuts = boundaries(text, start, end);
    cuts.push(end);
    const pieces: Piece[] = [];
    for (const cut of cuts) {
      if (cut <= from) continue;
      for (const piece of cutLong(text, from, cut)) addPiece(pieces, text, piece);
      from = cut;
    }
    for (const [s, e] of pieces) push(out, text, s, e, p.index);
  }
  return out;
}

/** [start, end, has a letter or digit]: the flag is computed once per piece (keeps merging linear). */
type Piece = [number, number, boolean];

/**
 * Adds a trimmed piece; a piece of punctuation only (a stray '”' after "。 ", a trailing "……") joins
 * the sentence before it, or, at the start of a paragraph, the one after it. A merge never makes a
 * piece longer than MAX_SENTENCE_CHARS (a long run of punctuation-only pieces stays cut).
 */
function addPiece(pieces: Piece[], text: string, [s, e]: [number, number]): void {
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (s >= e) return;
  const content = hasContent(text, s, e);
  const prev = pieces[pieces.length - 1];
  if (prev && e - prev[0] <= MAX_SENTENCE_CHARS) {
    if (!prev[2]) {
      prev[1] = e; // a leading punctuation-only piece opens this sentence
      prev[2] = content;
      return;
    }
    if (!content) {
      prev[1] = e;
      return;
    }
  }
  pieces.push([s, e, content]);
}

/** Whether [s, e) holds a letter or digit (any script, astral planes included), not just punctuation. */
function hasContent(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
    if (c < 0x80) continue;
    const cp = text.codePointAt(i)!;
    if (/[\p{L}\p{N}]/u.test(String.fromCodePoint(cp))) return true;
    if (cp > 0xffff) i++; // the low half of a surrogate pair
  }
  return false;
}

/** One sentence per non-blank line (trimmed), all in paragraph 0; blank lines are skipped. */
export function presplitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    push(out, text, pos, nl, 0);
    pos = nl + 1;
  }
  return out;
}

function push(out: Sentence[], text: string, s: number, e: number, paragraph: number): void {
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (s >= e) return;
  out.push({ index: out.length, paragraph, text: collapseWhitespace(text.slice(s, e)), start: s, end: e });
}

const STRONG = new Set(['；', ';', '：', ':']);
const WEAK = new Set(['，', ',', '、', '—', '–']);

/**
 * [s, e) cut into pieces of at most MAX_SENTENCE_CHARS: after the last semicolon or colon of the
 * window, else after the last comma, else at the last space, else hard (not inside a surrogate pair).
 * Each window is scanned once: linear overall.
 */
export function cutLong(text: string, s: number, e: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  while (e - s > MAX_SENTENCE_CHARS) {
    const limit = s + MAX_SENTENCE_CHARS;
    let strong = -1;
    let weak = -1;
    let space = -1;
    for (let i = limit - 1; i >= s + MIN_PIECE_CHARS; i--) {
      const c = text[i]!;
      if (strong === -1 && STRONG.has(c)) {
        strong = i + 1;
        break;
      }
      if (weak === -1 && WEAK.has(c)) weak = i + 1;
      if (space === -1 && isSpace(text.charCodeAt(i))) space = i;
    }
    let cut = strong !== -1 ? strong : weak !== -1 ? weak : space !== -1 ? space : limit;
    const cu = text.charCodeAt(cut - 1);
    if (cut === limit && cu >= 0xd800 && cu <= 0xdbff) cut--; // keep surrogate pairs whole
    pieces.push([s, cut]);
    s = cut;
  }
  pieces.push([s, e]);
  return pieces;
}
