import { codePointAtIndex, codePointBefore, isCjkCodePoint } from './chars.js';

/**
 * Normalisation: the text every offset refers to. Steps: lone surrogates (which JSON and JavaScript
 * strings allow, and UTF-8 cannot store) become U+FFFD, one unit for one unit; drop BOMs (U+FEFF anywhere), CRLF/CR (and the
 * Unicode line/paragraph separators) → LF, NFC, NBSP-like spaces and the ideographic space U+3000 → ' '.
 * Every space replacement is one UTF-16 unit for one unit, so only NFC and line endings move offsets.
 * Idempotent: normalizeText(normalizeText(s)) === normalizeText(s).
 */
export function normalizeText(s: string): string {
  // Every U+FEFF, not only a leading BOM: files joined with `cat` carry one at each join, which
  // would hide the number label of the paragraph there ("\uFEFF2. …") and read as a space.
  let t = s.isWellFormed() ? s : s.toWellFormed();
  t = t.includes('\ufeff') ? t.replace(/\ufeff/g, '') : t;
  t = t.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n');
  // U+3000 is used for indentation in Chinese text; NBSP-likes come from word processors and PDFs.
  t = t.replace(/[\u00a0\u2007\u202f\u3000]/g, ' ');
  t = t.normalize('NFC');
  return t;
}

/**
 * A JSON.parse reviver that makes every string well formed (lone surrogates → U+FFFD, one unit for
 * one unit): what comes in as JSON (API bodies, JSON imports) is stored as valid UTF-8.
 */
export function wellFormedJson(_key: string, value: unknown): unknown {
  return typeof value === 'string' && !value.isWellFormed() ? value.toWellFormed() : value;
}

/** The same JSON value with every string (and key) well formed; copies only what it changes. */
export function wellFormedValue<T>(value: T): T {
  if (typeof value === 'string') return (value.isWellFormed() ? value : value.toWellFormed()) as T;
  if (Array.isArray(value)) {
    const out = value.map((v) => wellFormedValue(v));
    return (out.some((w, i) => w !== value[i]) ? out : value) as T;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const w = wellFormedValue(v);
      const key = k.isWellFormed() ? k : k.toWellFormed();
      if (w !== v || key !== k) {
        out ??= { ...(value as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = w;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}

/** True when the text has no content at all (only whitespace). Empty input is not an error here: callers decide. */
export function isBlankText(s: string): boolean {
  return !/[^\s\ufeff]/.test(s);
}

/**
 * The shown form of a span of normalised text: whitespace runs collapse to one space, except a run
 * containing a line break inside Chinese (between two CJK characters, or CJK and punctuation such as
 * "，\n维护" or "(CWC)\n保护"), or after a word hyphenated at the line end ("well-\nknown"), which
 * disappears: a line or page break there is not a word gap.
 * Leading and trailing whitespace is dropped.
 */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, (run: string, off: number, whole: string) => {
    if (off === 0 || off + run.length === whole.length) return '';
    if (run.includes('\n') && (joinsWithoutSpace(whole, off, off + run.length) || hyphenatedAcrossLines(whole, off, off + run.length))) return '';
    return ' ';
  });
}

/** Across a line break: no space when neither side is a letter or digit of a spaced script and one side is CJK. */
function joinsWithoutSpace(s: string, runStart: number, runEnd: number): boolean {
  const before = codePointBefore(s, runStart);
  const after = codePointAtIndex(s, runEnd);
  const cjkBefore = isCjkCodePoint(before);
  const cjkAfter = isCjkCodePoint(after);
  if (!cjkBefore && !cjkAfter) return false;
  return (cjkBefore || !isSpacedWordChar(before)) && (cjkAfter || !isSpacedWordChar(after));
}

/**
 * "well-\nknown", "hyphen-\nated": a word hyphenated at a line end (letter, hyphen, break, lower-case
 * letter) joins without a space. The hyphen stays (offsets keep every character), but the word is whole.
 */
function hyphenatedAcrossLines(s: string, runStart: number, runEnd: number): boolean {
  const hyphen = s.charCodeAt(runStart - 1);
  if (hyphen !== 0x2d && hyphen !== 0x2010) return false;
  const letter = codePointBefore(s, runStart - 1);
  const after = codePointAtIndex(s, runEnd);
  return letter >= 0 && after >= 0 && /\p{L}/u.test(String.fromCodePoint(letter)) && /\p{Ll}/u.test(String.fromCodePoint(after));
}

function isSpacedWordChar(cp: number): boolean {
  return cp >= 0 && /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp));
}
