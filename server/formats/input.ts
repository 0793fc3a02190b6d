/** Bytes → text for imports: size limit first, then a strict decode (UTF-8, or UTF-16 with a BOM). */
import { ImportError } from './errors.js';

/** Imports larger than this are refused before any parsing (override per call). */
export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export interface DecodeOptions {
  maxBytes?: number;
  /** Used in messages: 'TMX file', 'JSON file' … */
  what: string;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function checkSize(bytes: number, opts: DecodeOptions): void {
  const max = opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  if (bytes > max) {
    throw new ImportError(`${opts.what} is too large (${mib(bytes)}; the limit is ${mib(max)})`, 'too-large');
  }
}

/** Decodes import bytes; a string input is taken as already decoded (after the size check). */
export function decodeImport(input: string | Uint8Array, opts: DecodeOptions): string {
  if (typeof input === 'string') {
    checkSize(Buffer.byteLength(input, 'utf8'), opts);
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  checkSize(input.byteLength, opts);
  let enc: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let skip = 0;
  const [b0, b1, b2] = [input[0], input[1], input[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) skip = 3;
  else if (b0 === 0xff && b1 === 0xfe) [enc, skip] = ['utf-16le', 2];
  else if (b0 === 0xfe && b1 === 0xff) [enc, skip] = ['utf-16be', 2];
  else if (b0 === 0x3c && b1 === 0x00) enc = 'utf-16le'; // "<" in UTF-16LE without a BOM
  else if (b0 === 0x00 && b1 === 0x3c) enc = 'utf-16be';
  try {
    return new TextDecoder(enc, { fatal: true }).decode(input.subarray(skip));
  } catch {
    throw new ImportError(
      `${opts.what} is not valid ${enc.toUpperCase()} text (wrong encoding?): save it as UTF-8 and try again`,
      'encoding',
    );
  }
}

/** Refuses an XML declaration naming an encoding other than the one the bytes were decoded as. */
export function checkXmlDeclaredEncoding(text: string, what: string): void {
  const decl = /^\s*<\?xml\s[^?]*?encoding\s*=\s*["']([^"']+)["']/.exec(text);
  const enc = decl?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8' && enc !== 'utf-16' && enc !== 'utf-16le' && enc !== 'utf-16be') {
    throw new ImportError(`${what} declares encoding "${decl![1]}": only UTF-8 and UTF-16 are supported`, 'encoding');
  }
}
