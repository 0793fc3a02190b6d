import { TextDecoder } from 'node:util';
import { TextInputError } from './errors.js';

export interface DecodeOptions {
  /** Shown in error messages: the file name or path the bytes came from. */
  name: string;
  /**
   * 'utf-8' (default), 'auto' (detect: see decodeAuto), 'gb18030', 'gbk', 'big5', 'shift_jis',
   * 'windows-1252', 'utf-16le' … anything the WHATWG decoder knows.
   */
  encoding?: string;
}

/**
 * Bytes → string. Without an encoding: UTF-8 (BOM optional), or UTF-16 when it starts with a UTF-16
 * BOM. Throws TextInputError for binary input (NUL bytes), bytes that are not valid in the encoding
 * (naming the file and the byte offset, and suggesting `--encoding gb18030`), or an unknown encoding.
 * The result is not normalised: see normalizeText.
 */
export function decodeBytes(bytes: Uint8Array, opts: DecodeOptions): string {
  const name = opts.name;
  const requested = opts.encoding?.trim().toLowerCase();
  if (requested === 'auto') return decodeAuto(bytes, name);
  let encoding = requested && requested !== 'utf8' ? requested : 'utf-8';
  if (!requested || encoding === 'utf-8') {
    // A UTF-16 BOM is unambiguous; such files also contain NULs, so check before the binary test.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  }
  if (!encoding.startsWith('utf-16') && looksBinary(bytes)) {
    throw new TextInputError(name, `${name}: looks like a binary file (it contains NUL bytes), not a plain text file (UTF-16 needs a byte order mark)`);
  }
  let decoder: TextDecoder | null = null;
  if (!WINDOWS_1252_LABELS.has(encoding)) {
    try {
      decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    } catch {
      throw new TextInputError(name, `${name}: unknown encoding "${opts.encoding ?? ''}" (try utf-8 or gb18030)`);
    }
  }
  // A legacy encoding is asked for the Chinese file, but is given once for both files: a file that is
  // valid UTF-8 (typically the English side) stays UTF-8. Real GB18030/cp1252 text is almost never
  // valid UTF-8, and pure ASCII reads the same either way.
  if (encoding !== 'utf-8' && !encoding.startsWith('utf-16')) {
    const utf8 = tryUtf8(bytes);
    if (utf8 !== null) return utf8;
  }
  if (decoder === null) return decodeWindows1252(bytes);
  try {
    return decoder.decode(bytes);
  } catch {
    if (encoding === 'utf-8') {
      const at = firstInvalidUtf8(bytes);
      throw new TextInputError(
        name,
        `${name}: not valid UTF-8 (first bad byte at offset ${at}); ${encodingHint(bytes)}, or convert the file to UTF-8`,
      );
    }
    throw new TextInputError(name, `${name}: not valid ${decoder.encoding} text; check --encoding`);
  }
}

/** The encodings a refused "auto" lists, as WHATWG labels. */
export const CHOOSABLE_ENCODINGS = ['utf-8', 'gb18030', 'big5', 'shift_jis', 'euc-kr', 'windows-1252', 'utf-16le', 'utf-16be'] as const;

/**
 * "auto": UTF-8 (BOM or not), UTF-16 with a BOM, and GB18030 only when the bytes decode cleanly as it
 * and read as Chinese (GB2312's characters, mostly Han). Anything else is refused with the list of
 * encodings to choose from: a wrong guess would be stored silently ("Señor" read as GB18030 is
 * "Se駉r"), a refusal costs one choice.
 */
function decodeAuto(bytes: Uint8Array, name: string): string {
  const bom16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (bom16) return decodeBytes(bytes, { name });
  const choose = `choose the encoding: ${CHOOSABLE_ENCODINGS.join(', ')} (windows-1252 also reads Latin-1)`;
  if (looksBinary(bytes)) {
    throw new TextInputError(name, `${name}: contains NUL bytes: UTF-16 without a byte order mark, or not a text file; ${choose}`);
  }
  const utf8 = tryUtf8(bytes);
  if (utf8 !== null) return utf8;
  if (readsAsGb2312Chinese(bytes)) {
    const gb = tryDecode(bytes, 'gb18030');
    if (gb !== null && mostlyHan(gb)) return gb;
  }
  throw new TextInputError(name, `${name}: the encoding could not be detected (not UTF-8, and not Chinese in GB18030); ${choose}`);
}

/**
 * Chinese text in GB18030 is almost all GB2312 pairs (lead and trail bytes 0xA1–0xFE, Han from lead
 * 0xB0); Latin-1, Shift-JIS and Big5 bytes that happen to decode as GB18030 fall mostly outside them.
 */
function readsAsGb2312Chinese(b: Uint8Array): boolean {
  let multibyte = 0;
  let gb2312 = 0;
  for (let i = 0; i < b.length; i++) {
    const lead = b[i]!;
    if (lead < 0x80) continue;
    const trail = b[i + 1] ?? 0;
    if (trail >= 0x30 && trail <= 0x39) {
      multibyte++;
      i += 3; // a four-byte sequence: outside GB2312
      continue;
    }
    multibyte++;
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe) gb2312++;
    i++;
  }
  return multibyte > 0 && gb2312 >= 0.95 * multibyte;
}

function mostlyHan(s: string): boolean {
  const han = s.match(/\p{Script=Han}/gu)?.length ?? 0;
  const letters = s.match(/\p{L}/gu)?.length ?? 0;
  return han > 0 && han >= 0.3 * letters;
}

function tryDecode(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function tryUtf8(bytes: Uint8Array): string | null {
  return tryDecode(bytes, 'utf-8');
}

/** WHATWG labels of windows-1252 (Node 20's decoder maps them to ISO-8859-1, losing “ ” – € …). */
const WINDOWS_1252_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'ascii', 'us-ascii']);
// Code points of bytes 0x80–0x9F in windows-1252 (undefined bytes map to the C1 control of the same value).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    units[i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
  }
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += 8192) parts.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  return parts.join('');
}

/** Which --encoding to suggest: GB18030 when the bytes read as Chinese in it, else also a Western one. */
function encodingHint(bytes: Uint8Array): string {
  try {
    // stream: a sample cut inside a character is not an error
    const sample = new TextDecoder('gb18030', { fatal: true }).decode(bytes.subarray(0, 64 * 1024), { stream: true });
    const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
    if (han > 0) return 'it looks like GB18030 (Chinese): pass --encoding gb18030';
  } catch {
    // not GB18030 either: fall through
  }
  return 'pass --encoding gb18030 for Chinese or --encoding windows-1252 for Western legacy files';
}

/** NUL bytes do not occur in UTF-8 or GB18030 text: their presence means a binary (or UTF-16 without BOM) file. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.indexOf(0) !== -1; // native scan: fast even on large inputs
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min2 = 0x80;
    let max2 = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) min2 = 0xa0;
      if (c === 0xed) max2 = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) min2 = 0x90;
      if (c === 0xf4) max2 = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      const lo = k === 1 ? min2 : 0x80;
      const hi = k === 1 ? max2 : 0xbf;
      if (d < lo || d > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}
