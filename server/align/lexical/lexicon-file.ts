/**
 * The lexicon in one flat binary file: CC-CEDICT (glosses, readings and the English terms of every
 * headword, computed once) and jieba's word frequencies, behind one open-addressing hash table of
 * UTF-16 keys. Opening it makes typed-array views over the bytes: no parsing, no per-word objects,
 * so a process starts with the whole dictionary in a few milliseconds (lexicon-cache.ts stores it).
 *
 * Layout: "BTXLEX01", u32 header length, JSON header (sizes, scalars, section offsets), the
 * sections (each 8-byte aligned), "BTXLEXOK" (a truncated file is refused).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { cleanGlosses, glossTerms, type CedictData } from './cedict.js';
import { exactLn } from './exact-log.js';

const MAGIC = 'BTXLEX01';
const TRAILER = 'BTXLEXOK';

interface Header {
  key: string;
  size: number;
  keys: number;
  entries: number;
  terms: number;
  /** ln of the sum of jieba's word frequencies (correctly rounded, see exact-log.ts). */
  logTotal: number;
  sections: Record<SectionName, [offset: number, byteLength: number]>;
}

const SECTIONS = {
  keyUnits: Uint16Array,
  keyStart: Uint32Array,
  slots: Int32Array,
  /** Per key: index into logFreqs, or NOT_A_WORD (a CC-CEDICT headword or a prefix only). */
  wordFreqIndex: Uint16Array,
  logFreqs: Float64Array,
  pinyinBytes: Uint8Array,
  pinyinStart: Uint32Array,
  termIds: Uint32Array,
  termStart: Uint32Array,
  termBytes: Uint8Array,
  termByteStart: Uint32Array,
  /** Per entry: 1 + the term id of its "surname X" gloss (x lower-cased), or 0. */
  surnameTerm: Uint32Array,
  // Last, and read from a file only when first asked for: the aligner never needs the raw glosses.
  glossBytes: Uint8Array,
  glossStart: Uint32Array,
} as const;
/** Sections read from a file on first use (they come last in the file). */
const LAZY: ReadonlySet<SectionName> = new Set(['glossBytes', 'glossStart']);
type SectionName = keyof typeof SECTIONS;
type Sections = { [K in SectionName]: InstanceType<(typeof SECTIONS)[K]> };
type LazyName = 'glossBytes' | 'glossStart';
/** The sections a Lexicon holds: the lazy ones until first read. */
type HeldSections = Omit<Sections, LazyName> & Partial<Pick<Sections, LazyName>>;
type LazyLoader = <K extends LazyName>(name: K) => Sections[K];

const NOT_A_WORD = 0xffff;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step over a UTF-16 code unit (the segmenter extends a key's hash unit by unit). */
export const hashStep = (h: number, unit: number): number => Math.imul(h ^ unit, FNV_PRIME);
export const HASH_START = FNV_OFFSET;

function hashOf(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

const decoder = new TextDecoder();

/** UTF-8 bytes to a string; short ASCII runs (most terms and readings) without TextDecoder's call cost. */
function decodeBytes(bytes: Uint8Array, from: number, to: number): string {
  if (to - from <= 32) {
    let ascii = '';
    for (let i = from; i < to; i++) {
      const c = bytes[i] ?? 0;
      if (c >= 0x80) return decoder.decode(bytes.subarray(from, to));
      ascii += String.fromCharCode(c);
    }
    return ascii;
  }
  return decoder.decode(bytes.subarray(from, to));
}

export class Lexicon {
  readonly key: string;
  /** Distinct keys: CC-CEDICT headwords, jieba words and the prefixes of jieba words. */
  readonly keyCount: number;
  /** CC-CEDICT headwords: keys 0 … entryCount − 1, so a key below entryCount is its own entry. */
  readonly entryCount: number;
  readonly logTotal: number;
  readonly byteLength: number;
  private readonly s: HeldSections;
  private readonly mask: number;
  private readonly termCache: Array<string | undefined>;
  private readonly loadLazy: LazyLoader | null;

  constructor(header: Header, sections: HeldSections, loadLazy: LazyLoader | null = null) {
    this.loadLazy = loadLazy;
    this.key = header.key;
    this.keyCount = header.keys;
    this.entryCount = header.entries;
    this.logTotal = header.logTotal;
    this.byteLength = header.size;
    this.s = sections;
    this.mask = sections.slots.length - 1;
    this.termCache = new Array<string | undefined>(header.terms);
  }

  /** Key index of s[start, end), or −1; `hash` is its hash when the caller has it already. */
  find(s: string, start = 0, end = s.length, hash = hashOf(s, start, end)): number {
    const { slots, keyStart, keyUnits } = this.s;
    const len = end - start;
    for (let slot = (hash >>> 0) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slots[slot] ?? -1;
      if (k < 0) return -1;
      const k0 = keyStart[k] ?? 0;
      if ((keyStart[k + 1] ?? 0) - k0 !== len) continue;
      let i = 0;
      while (i < len && keyUnits[k0 + i] === s.charCodeAt(start + i)) i++;
      if (i === len) return k;
    }
  }

  /** ln(frequency) of a jieba word, or NaN when the key is no jieba word. */
  wordLogFreq(key: number): number {
    const f = this.s.wordFreqIndex[key] ?? NOT_A_WORD;
    return f === NOT_A_WORD ? Number.NaN : (this.s.logFreqs[f] ?? Number.NaN);
  }

  /** The CC-CEDICT entry of a key, or −1. */
  entryOf(key: number): number {
    return key < this.entryCount ? key : -1;
  }

  entry(word: string): number {
    return this.entryOf(this.find(word));
  }

  rawGlosses(entry: number): string {
    const start = this.lazy('glossStart');
    return decoder.decode(this.lazy('glossBytes').subarray(start[entry] ?? 0, start[entry + 1] ?? 0));
  }

  private lazy<K extends LazyName>(name: K): Sections[K] {
    let v = this.s[name] as Sections[K] | undefined;
    if (v === undefined) {
      if (!this.loadLazy) throw new Error(`lexicon: section ${name} is missing (bug)`);
      v = this.loadLazy(name);
      (this.s as Partial<Sections>)[name] = v;
    }
    return v;
  }

  /** Toneless reading of a one-character headword, or undefined. */
  pinyin(entry: number): string | undefined {
    const a = this.s.pinyinStart[entry] ?? 0;
    const b = this.s.pinyinStart[entry + 1] ?? 0;
    return a === b ? undefined : decodeBytes(this.s.pinyinBytes, a, b);
  }

  terms(entry: number): string[] {
    const { termIds, termStart } = this.s;
    const out: string[] = [];
    for (let q = termStart[entry] ?? 0; q < (termStart[entry + 1] ?? 0); q++) out.push(this.term(termIds[q] ?? 0));
    return out;
  }

  /** The lower-cased name of an entry's "surname X" gloss, or undefined. */
  surname(entry: number): string | undefined {
    const t = this.s.surnameTerm[entry] ?? 0;
    return t === 0 ? undefined : this.term(t - 1);
  }

  private term(id: number): string {
    let t = this.termCache[id];
    if (t === undefined) {
      const { termBytes, termByteStart } = this.s;
      t = decodeBytes(termBytes, termByteStart[id] ?? 0, termByteStart[id + 1] ?? 0);
      this.termCache[id] = t;
    }
    return t;
  }
}

/** Word → frequency of a jieba dictionary text ("word freq [tag]" lines; a repeated word keeps its last frequency). */
export function parseJiebaDict(text: string): Map<string, number> {
  const freq = new Map<string, number>();
  for (const line of text.split('\n')) {
    // Rust's split_whitespace: Unicode White_Space (JS \s would also split at U+FEFF and not at U+0085).
    const [word, f] = line.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter(Boolean);
    if (word === undefined) continue;
    const n = f === undefined ? 0 : Number(f);
    if (!Number.isSafeInteger(n) || n < 0 || !/^\+?[0-9]+$/.test(f ?? '0')) throw new Error(`jieba dictionary: bad frequency "${f}" for "${word}"`);
    freq.set(word, n);
  }
  return freq;
}

/** A "surname X" gloss: X is a term the headword may stand for in a translation (a name). */
const SURNAME = /(?:^|\/)surname ([A-Z][a-z]+)/;

/** Builds the lexicon file's bytes. */
export function buildLexicon(key: string, cedict: CedictData, jiebaFreq: ReadonlyMap<string, number>): Uint8Array {
  const keys = new Map<string, number>();
  const addKey = (k: string): number => {
    let id = keys.get(k);
    if (id === undefined) {
      id = keys.size;
      keys.set(k, id);
    }
    return id;
  };
  // Headwords first, in entry order: key k < entries is entry k.
  for (const w of cedict.raw.keys()) addKey(w);
  for (const w of jiebaFreq.keys()) {
    // Prefixes at character boundaries: the segmenter stops extending a word at the first non-key.
    let i = 0;
    for (const ch of w) {
      i += ch.length;
      addKey(w.slice(0, i));
    }
  }
  const nKeys = keys.size;
  const keyStart = new Uint32Array(nKeys + 1);
  let units = 0;
  for (const k of keys.keys()) units += k.length;
  const keyUnits = new Uint16Array(units);
  let u = 0;
  let idx = 0;
  for (const k of keys.keys()) {
    keyStart[idx++] = u;
    for (let i = 0; i < k.length; i++) keyUnits[u++] = k.charCodeAt(i);
  }
  keyStart[nKeys] = u;

  let slotsLen = 1;
  while (slotsLen < nKeys * 1.5) slotsLen <<= 1;
  const slots = new Int32Array(slotsLen).fill(-1);
  const mask = slotsLen - 1;
  for (const [k, id] of keys) {
    let slot = (hashOf(k, 0, k.length) >>> 0) & mask;
    while ((slots[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
    slots[slot] = id;
  }

  const wordFreqIndex = new Uint16Array(nKeys).fill(NOT_A_WORD);
  const freqIndex = new Map<number, number>();
  let total = 0;
  for (const [w, f] of jiebaFreq) {
    let fi = freqIndex.get(f);
    if (fi === undefined) {
      fi = freqIndex.size;
      if (fi >= NOT_A_WORD) throw new Error('jieba dictionary: more distinct frequencies than the lexicon file holds');
      freqIndex.set(f, fi);
    }
    wordFreqIndex[keys.get(w) ?? 0] = fi;
    total += f;
  }
  const ln = (n: number): number => (n === 0 ? -Infinity : exactLn(n));
  const logFreqs = Float64Array.from(freqIndex.keys(), ln);

  const enc = new TextEncoder();
  const glossChunks: Uint8Array[] = [];
  const pinyinChunks: Uint8Array[] = [];
  const nEntries = cedict.raw.size;
  const glossStart = new Uint32Array(nEntries + 1);
  const pinyinStart = new Uint32Array(nEntries + 1);
  const termStart = new Uint32Array(nEntries + 1);
  const surnameTerm = new Uint32Array(nEntries);
  const termIdList: number[] = [];
  const termIdOf = new Map<string, number>();
  const termId = (t: string): number => {
    let id = termIdOf.get(t);
    if (id === undefined) {
      id = termIdOf.size;
      termIdOf.set(t, id);
    }
    return id;
  };
  let gBytes = 0;
  let pBytes = 0;
  let e = 0;
  for (const [w, raw] of cedict.raw) {
    if (keys.get(w) !== e) throw new Error('lexicon: headword keys out of entry order (bug)');
    const g = enc.encode(raw);
    glossChunks.push(g);
    glossStart[e] = gBytes;
    gBytes += g.length;
    pinyinStart[e] = pBytes;
    const py = [...w].length === 1 ? cedict.charPinyin.get(w) : undefined;
    if (py !== undefined && py !== '') {
      const p = enc.encode(py);
      pinyinChunks.push(p);
      pBytes += p.length;
    }
    termStart[e] = termIdList.length;
    for (const t of glossTerms(cleanGlosses(raw))) termIdList.push(termId(t));
    const surname = SURNAME.exec(raw)?.[1];
    if (surname) surnameTerm[e] = 1 + termId(surname.toLowerCase());
    e++;
  }
  glossStart[nEntries] = gBytes;
  pinyinStart[nEntries] = pBytes;
  termStart[nEntries] = termIdList.length;
  const termByteStart = new Uint32Array(termIdOf.size + 1);
  const termChunks: Uint8Array[] = [];
  let tBytes = 0;
  let t = 0;
  for (const term of termIdOf.keys()) {
    const b = enc.encode(term);
    termChunks.push(b);
    termByteStart[t++] = tBytes;
    tBytes += b.length;
  }
  termByteStart[termIdOf.size] = tBytes;

  const sections: Sections = {
    keyUnits,
    keyStart,
    slots,
    wordFreqIndex,
    logFreqs,
    glossBytes: concat(glossChunks, gBytes),
    glossStart,
    pinyinBytes: concat(pinyinChunks, pBytes),
    pinyinStart,
    termIds: Uint32Array.from(termIdList),
    termStart,
    termBytes: concat(termChunks, tBytes),
    termByteStart,
    surnameTerm,
  };
  return encode({ key, keys: nKeys, entries: nEntries, terms: termIdOf.size, logTotal: ln(total) }, sections);
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const align8 = (n: number): number => (n + 7) & ~7;

function encode(meta: Omit<Header, 'sections' | 'size'>, sections: Sections): Uint8Array {
  const names = Object.keys(SECTIONS) as SectionName[];
  // The header holds the offsets, whose values depend on the header's length: size it with
  // placeholders of the final width, then fill in.
  const placeholder: Header = { ...meta, size: 0, sections: {} as Header['sections'] };
  const enc = new TextEncoder();
  let headerLen = 0;
  let header: Header = placeholder;
  for (let pass = 0; pass < 3; pass++) {
    let off = align8(12 + headerLen);
    const secs = {} as Header['sections'];
    for (const n of names) {
      secs[n] = [off, sections[n].byteLength];
      off = align8(off + sections[n].byteLength);
    }
    header = { ...meta, size: off + TRAILER.length, sections: secs };
    const len = enc.encode(JSON.stringify(header)).length;
    if (len === headerLen) break;
    headerLen = len;
  }
  const json = enc.encode(JSON.stringify(header));
  const out = new Uint8Array(header.size);
  out.set(enc.encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  for (const n of names) {
    const [off] = header.sections[n];
    const v = sections[n];
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), off);
  }
  out.set(enc.encode(TRAILER), header.size - TRAILER.length);
  return out;
}

/**
 * Opens a lexicon file without reading all of it: the header, the trailer and the sections the
 * aligner uses are read now; the raw glosses (a third of the file) on first use, through a file
 * descriptor kept open for that (so a file replaced or pruned meanwhile is still read whole).
 * Null when the file is missing, not complete or not made for `key`.
 */
export function openLexiconFile(path: string, key: string): Lexicon | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  let keepOpen = false;
  try {
    const size = fstatSync(fd).size;
    if (size < 12 + TRAILER.length) return null;
    const head = readAt(fd, 0, 12);
    if (decoder.decode(head.subarray(0, 8)) !== MAGIC) return null;
    const headerLen = new DataView(head.buffer, head.byteOffset, 12).getUint32(8, true);
    if (12 + headerLen > size) return null;
    let header: Header;
    try {
      header = JSON.parse(decoder.decode(readAt(fd, 12, headerLen))) as Header;
    } catch {
      return null;
    }
    if (header.key !== key || header.size !== size) return null;
    if (decoder.decode(readAt(fd, size - TRAILER.length, TRAILER.length)) !== TRAILER) return null;
    const names = Object.keys(SECTIONS) as SectionName[];
    const eager = names.filter((n) => !LAZY.has(n));
    // Eager sections lie side by side from the first one: one read, views at 8-aligned offsets.
    const from = Math.min(...eager.map((n) => header.sections[n][0]));
    const to = Math.max(...eager.map((n) => header.sections[n][0] + header.sections[n][1]));
    const bytes = readAt(fd, from, to - from);
    const sections = {} as Record<SectionName, unknown>;
    for (const n of eager) {
      const [off, len] = header.sections[n];
      const Ctor = SECTIONS[n];
      sections[n] = new Ctor(bytes.buffer, off - from, len / Ctor.BYTES_PER_ELEMENT);
    }
    const load: LazyLoader = (name) => {
      const [off, len] = header.sections[name];
      const Ctor = SECTIONS[name];
      return new Ctor(readAt(fd, off, len).buffer, 0, len / Ctor.BYTES_PER_ELEMENT) as Sections[typeof name];
    };
    keepOpen = true;
    return new Lexicon(header, sections as HeldSections, load);
  } catch {
    return null;
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

/** `length` bytes at `position`, in a buffer of their own (so typed-array views are aligned). */
function readAt(fd: number, position: number, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(length));
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n <= 0) throw new Error('lexicon: file shorter than its header says');
    done += n;
  }
  return out;
}

/** Opens lexicon bytes; null when they are not a complete lexicon file made for `key`. */
export function openLexicon(bytes: Uint8Array, key: string): Lexicon | null {
  if (bytes.length < 12 + TRAILER.length) return null;
  if (decoder.decode(bytes.subarray(0, 8)) !== MAGIC || decoder.decode(bytes.subarray(bytes.length - TRAILER.length)) !== TRAILER) return null;
  // Typed-array views need aligned offsets: copy the (rare) unaligned buffer.
  const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const headerLen = new DataView(b.buffer, b.byteOffset, 12).getUint32(8, true);
  let header: Header;
  try {
    header = JSON.parse(decoder.decode(b.subarray(12, 12 + headerLen))) as Header;
  } catch {
    return null;
  }
  if (header.key !== key || header.size !== b.length) return null;
  const sections = {} as Record<SectionName, unknown>;
  for (const n of Object.keys(SECTIONS) as SectionName[]) {
    const [off, len] = header.sections[n];
    const Ctor = SECTIONS[n];
    sections[n] = new Ctor(b.buffer as ArrayBuffer, b.byteOffset + off, len / Ctor.BYTES_PER_ELEMENT);
  }
  return new Lexicon(header, sections as HeldSections);
}
