/**
 * A dictd dictionary (`NAME.index` + `NAME.dict.dz`, the format FreeDict ships): the index maps
 * headwords to (offset, length) of their entries in the data file, both written in dictd's base64.
 * Lookups are batched: one pass over the index finds every wanted headword (and every headword
 * that stems like a wanted stem), then only their entries are read from the data file.
 */
import { readFileSync } from 'node:fs';
import { DictFormatError, openDictData, type DictData } from './dictzip.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i] as const));

/** dictd's base64 number ("C1" = 2 × 64 + 53). */
export function decodeDictNumber(s: string): number {
  let v = 0;
  for (const c of s) {
    const d = B64_VALUE.get(c);
    if (d === undefined) throw new DictFormatError(`bad number "${s}" in a dictd index`);
    v = v * 64 + d;
  }
  return v;
}

/** dictd's base64 writing of a number (for tests and tools that write dictd files). */
export function encodeDictNumber(n: number): string {
  if (n === 0) return 'A';
  let s = '';
  for (let v = n; v > 0; v = Math.floor(v / 64)) s = B64[v % 64] + s;
  return s;
}

export interface DictEntryRef {
  offset: number;
  length: number;
}

export interface DictdFiles {
  index: string;
  data: string;
}

export interface HeadwordQuery {
  /** Lower-case headwords wanted as they are. */
  words: ReadonlySet<string>;
  /** Stems wanted: a headword matches when `stem(headword)` is one of them. */
  stems?: ReadonlySet<string>;
  stem?: (word: string) => string;
  /**
   * Per stem, the beginnings its headwords are searched by in a sorted index (the stem itself is
   * always one): the document's words cut to the stem's length, so "hütten" (stem "hutt") finds "hütte".
   */
  prefixes?: ReadonlyMap<string, readonly string[]>;
}

/** Lines a prefix search reads at most (a short prefix of a large dictionary). */
const MAX_PREFIX_LINES = 5000;

/** Longest ending a stemmer removes (German "-lichkeit" and the like): longer tails are other words. */
const MAX_SUFFIX = 8;

/** A word with umlauts and ß folded as German Snowball stems write them. */
function foldStart(s: string): string {
  return s.replace(/[äöüß]/g, (c) => (c === 'ä' ? 'a' : c === 'ö' ? 'o' : c === 'ü' ? 'u' : 's'));
}

/** Start of the line that holds position `pos`. */
function lineStart(text: string, pos: number): number {
  return pos <= 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
}

/** The headword of the index line starting at `at`, in lower case. */
function keyAt(text: string, at: number): string {
  let t = text.indexOf('\t', at);
  const e = text.indexOf('\n', at);
  if (t < 0 || (e >= 0 && e < t)) t = e < 0 ? text.length : e;
  return text.slice(at, t).toLowerCase();
}

/** Start of the first line whose headword is ≥ `target` (a sorted index; look(1)'s bisection). */
function lowerBound(text: string, target: string): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    // lo is a line start, so the line holding the middle starts at or after it, and before hi.
    const at = lineStart(text, (lo + hi) >>> 1);
    if (keyAt(text, at) < target) lo = text.indexOf('\n', at) + 1 || text.length;
    else hi = at;
  }
  return lo;
}

/** An opened dictd dictionary; entries are read on demand. */
export class Dictd {
  private indexText: string | null = null;
  private data: DictData | null = null;

  constructor(readonly files: DictdFiles) {}

  private index(): string {
    if (this.indexText === null) this.indexText = readFileSync(this.files.index, 'utf8');
    return this.indexText;
  }

  /**
   * Entries of the headwords asked for, by the query word (`words`) or stem (`stems`) that matched.
   * Headwords are compared in lower case; dictd's own `00-database-…` entries are skipped. A sorted
   * index (FreeDict's are, by code point) is searched by bisection; any other is read line by line.
   */
  find(q: HeadwordQuery): { words: Map<string, DictEntryRef[]>; stems: Map<string, DictEntryRef[]> } {
    return this.sorted() ? this.findSorted(q) : this.findByScan(q);
  }

  private sortedIndex: boolean | null = null;

  /** Whether the index is sorted by headword (checked on 200 evenly spread pairs of lines). */
  private sorted(): boolean {
    if (this.sortedIndex !== null) return this.sortedIndex;
    const text = this.index();
    let ok = true;
    for (let k = 1; k <= 200 && ok; k++) {
      const at = lineStart(text, Math.floor((text.length * k) / 201));
      const next = text.indexOf('\n', at) + 1;
      if (next <= 0 || next >= text.length) continue;
      ok = keyAt(text, at) <= keyAt(text, next);
    }
    this.sortedIndex = ok;
    return ok;
  }

  private findSorted(q: HeadwordQuery): { words: Map<string, DictEntryRef[]>; stems: Map<string, DictEntryRef[]> } {
    const text = this.index();
    const byWord = new Map<string, DictEntryRef[]>();
    const byStem = new Map<string, DictEntryRef[]>();
    const add = (out: Map<string, DictEntryRef[]>, key: string, at: number): void => {
      const ref = this.refAt(text, at);
      let l = out.get(key);
      if (!l) {
        l = [];
        out.set(key, l);
      }
      if (!l.some((r) => r.offset === ref.offset)) l.push(ref);
    };
    for (const w of q.words) {
      for (let at = lowerBound(text, w); at < text.length && keyAt(text, at) === w; at = text.indexOf('\n', at) + 1 || text.length) add(byWord, w, at);
    }
    if (q.stems && q.stem) {
      const seen = new Set<number>();
      for (const st of q.stems) {
        if (st.length < 3) continue;
        for (const prefix of new Set([st, ...(q.prefixes?.get(st) ?? [])])) {
          let n = 0;
          for (let at = lowerBound(text, prefix); at < text.length && n < MAX_PREFIX_LINES; at = text.indexOf('\n', at) + 1 || text.length, n++) {
            const key = keyAt(text, at);
            if (!key.startsWith(prefix)) break;
            if (seen.has(at) || key.includes(' ') || key.length - st.length > MAX_SUFFIX) continue;
            seen.add(at);
            if (q.stem(key) === st) add(byStem, st, at);
          }
        }
      }
    }
    return { words: byWord, stems: byStem };
  }

  /** Offset and length of the index line starting at `at`. */
  private refAt(text: string, at: number): DictEntryRef {
    let e = text.indexOf('\n', at);
    if (e < 0) e = text.length;
    const t1 = text.indexOf('\t', at);
    const t2 = t1 < 0 ? -1 : text.indexOf('\t', t1 + 1);
    if (t1 < 0 || t2 < 0 || t2 > e) throw new DictFormatError(`${this.files.index}: line without offset and length`);
    return { offset: decodeDictNumber(text.slice(t1 + 1, t2)), length: decodeDictNumber(text.slice(t2 + 1, e).trim()) };
  }

  /** Every line read in order (an index that is not sorted). */
  private findByScan(q: HeadwordQuery): { words: Map<string, DictEntryRef[]>; stems: Map<string, DictEntryRef[]> } {
    const text = this.index();
    const byWord = new Map<string, DictEntryRef[]>();
    const byStem = new Map<string, DictEntryRef[]>();
    const stems = q.stems && q.stem ? q.stems : null;
    const add = (out: Map<string, DictEntryRef[]>, key: string, ref: DictEntryRef): void => {
      let l = out.get(key);
      if (!l) {
        l = [];
        out.set(key, l);
      }
      if (!l.some((r) => r.offset === ref.offset)) l.push(ref);
    };
    // Stems are searched only among headwords that start with one (umlauts folded): a map from a
    // stem's first 3 letters keeps that test to a lookup and a few startsWith.
    const byStart = new Map<string, string[]>();
    if (stems) {
      for (const st of stems) {
        if (st.length < 3) continue;
        const k = st.slice(0, 3);
        const l = byStart.get(k);
        if (l) l.push(st);
        else byStart.set(k, [st]);
      }
    }
    let p = 0;
    const n = text.length;
    while (p < n) {
      let e = text.indexOf('\n', p);
      if (e < 0) e = n;
      const t1 = text.indexOf('\t', p);
      if (t1 > p && t1 < e) {
        const head = text.slice(p, t1).toLowerCase();
        let ref: DictEntryRef | null = null;
        const refOf = (): DictEntryRef => {
          if (ref) return ref;
          const t2 = text.indexOf('\t', t1 + 1);
          if (t2 < 0 || t2 > e) throw new DictFormatError(`${this.files.index}: line without offset and length`);
          ref = { offset: decodeDictNumber(text.slice(t1 + 1, t2)), length: decodeDictNumber(text.slice(t2 + 1, e).trim()) };
          return ref;
        };
        if (q.words.has(head)) add(byWord, head, refOf());
        if (stems && q.stem && head.length >= 3) {
          const cands = byStart.get(head.slice(0, 3)) ?? byStart.get(foldStart(head.slice(0, 3)));
          if (cands && !head.includes(' ')) {
            // German stems drop umlauts and ß ("hütten" → "hutt"): compare the folded headword too.
            const folded = foldStart(head);
            if (cands.some((st) => (head.startsWith(st) || folded.startsWith(st)) && head.length - st.length <= MAX_SUFFIX)) {
              const st = q.stem(head);
              if (stems.has(st)) add(byStem, st, refOf());
            }
          }
        }
      }
      p = e + 1;
    }
    return { words: byWord, stems: byStem };
  }

  /** The text of one entry. */
  entry(ref: DictEntryRef): string {
    if (!this.data) this.data = openDictData(this.files.data);
    return this.data.read(ref.offset, ref.length);
  }

  close(): void {
    this.data?.close();
    this.data = null;
    this.indexText = null;
  }
}

/**
 * Translations in a FreeDict entry. The first line is the headword (with pronunciation and
 * part of speech); translations follow, one sense per line, numbered ("1. montagne, mont") when
 * there are several, each possibly followed by a definition in the source language (WikDict
 * editions) or by indented notes, examples and cross-references (older editions). Annotations in
 * <…>, […], (…), {…} and quoted examples are dropped; a sense line is split at commas and semicolons.
 */
export function entryTranslations(entry: string): string[] {
  const lines = entry.split('\n').slice(1);
  const top = lines.filter((l) => l.length > 0 && !/^\s/.test(l));
  const numbered = top.filter((l) => /^\d+\.\s/.test(l));
  const senses = numbered.length > 0 ? numbered.map((l) => l.replace(/^\d+\.\s+/, '')) : top.slice(0, 1);
  const out: string[] = [];
  for (const sense of senses) {
    const clean = sense
      .replace(/\s\d+\.\s*$/, '') // "sommet 2." — the next definition's number
      .replace(/<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}|"[^"]*"|\/[^/]*\//g, ' ');
    for (const part of clean.split(/[,;]/)) {
      const t = part.replace(/\s+/g, ' ').trim();
      if (t.length > 0 && t.length <= 60) out.push(t);
    }
  }
  return out;
}
