import { CLOSERS, isCjkAt, isCjkBefore, isSpace } from './chars.js';

/** Full-width sentence enders: always end a Chinese sentence. */
const ZH_ENDERS = new Set(['。', '！', '？', '｡', '…', '‼', '⁇', '⁈', '⁉']);
/** Enders that continue a run ("？！", "。。。", "……"). */
const RUN = new Set(['。', '！', '？', '｡', '…', '!', '?', '.', '．', '‼', '⁇', '⁈', '⁉']);
/** Chinese closing quotes/brackets: unambiguous (unlike ASCII quotes), so they may follow a space. */
const CJK_CLOSERS = new Set(['”', '’', '」', '』', '）', '》', '〉', '】', '〕']);

/**
 * Sentence boundaries of Chinese text in [start, end): offsets just after each sentence's final
 * punctuation and the closing quotes/brackets that follow it. Ends at 。！？… and at half-width ! ? .
 * and full-width ． after Chinese (not inside numbers: 2.5, not in Latin words: Yahoo!, U.S.).
 * An ellipsis ends a sentence only before a closing quote or the end ("我叫……叫小玄子" is one sentence).
 * Semicolons do not end sentences. Linear in the length of the range.
 */
export function zhBoundaries(text: string, start: number, end: number): number[] {
  const cuts: number[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (ZH_ENDERS.has(c) || (isHalfWidthEnder(c) && halfWidthEnds(text, i, start, end))) {
      let j = i + 1;
      while (j < end && RUN.has(text[j]!)) j++;
      // "我叫……叫小玄子": an ellipsis running straight into more text is a pause, not an end.
      if (isEllipsis(text, i, j) && continuesAfterEllipsis(text, j, end)) {
        i = j;
        continue;
      }
      while (j < end && CLOSERS.has(text[j]!)) j++;
      // "摔交。 ”": a stray space before the closing quote does not detach it.
      let k = j;
      while (k < end && isSpace(text.charCodeAt(k))) k++;
      if (k > j && k < end && CJK_CLOSERS.has(text[k]!)) {
        j = k;
        while (j < end && CLOSERS.has(text[j]!)) j++;
      }
      cuts.push(j);
      i = j;
      continue;
    }
    i++;
  }
  return cuts;
}

/** After an ellipsis (and any spaces): more text, not a closing quote and not the end. */
function continuesAfterEllipsis(text: string, j: number, end: number): boolean {
  let k = j;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  return k < end && !CLOSERS.has(text[k]!);
}

/** '…', '……' or two or more dots ('.' alone after Chinese is a period). */
function isEllipsis(text: string, from: number, to: number): boolean {
  let ellipsis = false;
  for (let k = from; k < to; k++) {
    if (text[k] === '…') ellipsis = true;
    else if (text[k] !== '.') return false;
  }
  return ellipsis || to - from >= 2;
}

function isHalfWidthEnder(c: string): boolean {
  return c === '!' || c === '?' || c === '.' || c === '．';
}

/** A half-width ender ends a Chinese sentence when it follows Chinese (or a closer) and is not inside a number or word. */
function halfWidthEnds(text: string, i: number, start: number, end: number): boolean {
  const prev = i > start ? text.charCodeAt(i - 1) : -1;
  const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
  const c = text[i];
  const prevIsDigit = (prev >= 0x30 && prev <= 0x39) || (prev >= 0xff10 && prev <= 0xff19);
  const nextIsDigit = (next >= 0x30 && next <= 0x39) || (next >= 0xff10 && next <= 0xff19);
  if (c === '.' || c === '．') {
    if (prevIsDigit && nextIsDigit) return false; // 2.5
    if (next !== -1 && !isSpace(next) && !isCjkAt(text, i + 1) && !CLOSERS.has(text[i + 1]!) && !RUN.has(text[i + 1]!)) return false; // U.S., www.x
    // After a digit it is a list label ("包括：1.加强合作") or a decimal, not an end.
    return isCjkBefore(text, i) || CLOSERS.has(text[i - 1] ?? '');
  }
  // ! and ?: end after Chinese or punctuation; after a Latin word ("Yahoo!公司") only at the end of the text.
  const prevIsLatin = (prev >= 0x41 && prev <= 0x5a) || (prev >= 0x61 && prev <= 0x7a);
  if (!prevIsLatin) return true;
  return next === -1;
}
