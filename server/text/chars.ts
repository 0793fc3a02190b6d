/** Character classes shared by the text pipeline (UTF-16 aware where it matters). */

/** Han, kana, CJK symbols/punctuation, full-width forms, bopomofo, hangul: characters written without spaces. */
export function isCjkCodePoint(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || // radicals, CJK punctuation (3000–303F), kana, CJK unified
    (cp >= 0xac00 && cp <= 0xd7af) || // hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xffef) || // half/full-width forms (，。！？（） …)
    (cp >= 0x20000 && cp <= 0x3134f) // extension B … H
  );
}

/** Han ideographs only (used for language detection). */
export function isHanCodePoint(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
}

/** Code point of the character that ends just before `end` (handles surrogate pairs). */
export function codePointBefore(s: string, end: number): number {
  if (end <= 0) return -1;
  const lo = s.charCodeAt(end - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && end >= 2) {
    const hi = s.charCodeAt(end - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  }
  return lo;
}

export function codePointAtIndex(s: string, i: number): number {
  return i < s.length ? (s.codePointAt(i) ?? -1) : -1;
}

export function isCjkAt(s: string, i: number): boolean {
  return isCjkCodePoint(codePointAtIndex(s, i));
}

export function isCjkBefore(s: string, end: number): boolean {
  return isCjkCodePoint(codePointBefore(s, end));
}

/** Whitespace after normalisation (NBSP and U+3000 are already plain spaces, but be tolerant). */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0x3000 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x85 || c === 0x1680;
}

/** Closing quotes and brackets that stay with the sentence before them. */
export const CLOSERS = new Set<string>(['”', '’', '」', '』', '）', ')', '》', '〉', '】', '］', ']', '〕', '"', "'", '»', '›', '｝', '}']);

/** Sentence-final punctuation (any script). */
export const TERMINALS = new Set<string>(['。', '．', '.', '!', '?', '！', '？', '…', '‼', '⁇', '⁈', '⁉', '｡']);

/**
 * Display width used by layout heuristics: a CJK character counts 2 (about one English word-piece),
 * so thresholds work for both scripts.
 */
export function displayWidth(s: string, start = 0, end = s.length): number {
  let w = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue; // low surrogate: counted with its high half
    w += c >= 0x2e80 ? 2 : 1;
  }
  return w;
}

/**
 * Whether the text [start, end) ends in terminal punctuation, ignoring trailing closing quotes and
 * brackets ("…。”" ends a sentence, "…(CWC)" does not).
 */
export function endsWithTerminal(s: string, start: number, end: number): boolean {
  let i = end;
  while (i > start && isSpace(s.charCodeAt(i - 1))) i--;
  while (i > start && CLOSERS.has(s[i - 1] ?? '')) i--;
  if (i <= start) return false;
  return TERMINALS.has(s[i - 1] ?? '');
}
