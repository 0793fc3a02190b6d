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
}

/** Longest ending a stemmer removes (German "-lichkeit" and the like): longer tails are other words. */
const MAX_SUFFIX = 8;

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
   * Headwords are compared in lower case; dictd's own `00-database-…` entries are skipped.
   */
  find(q: HeadwordQuery): { words: Map<string, DictEntryRef[]>; stems: Map<string, DictEntryRef[]> } {
    const text = this.index();
    const byWord = new Map<string, DictEntryRef[]>();
    const byStem = new Map<string, DictEntryRef[]>();
    const stems = q.stems && q.stem ? q.stems : null;
    // Stem lengths present: a headword can only stem to s when it starts with s (Snowball stems are
    // prefixes of the word, bar a few letter changes); stems shorter than 3 letters are not searched.
    const lengths = stems ? [...new Set([...stems].map((s) => s.length))].filter((l) => l >= 3).sort((x, y) => y - x) : [];
    const add = (out: Map<string, DictEntryRef[]>, key: string, ref: DictEntryRef): void => {
      let l = out.get(key);
      if (!l) out.set(key, (l = []));
      if (!l.some((r) => r.offset === ref.offset)) l.push(ref);
    };
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
        if (stems && q.stem && !head.startsWith('00database') && !head.includes(' ')) {
          // German stems drop umlauts and ß ("hütten" → "hutt"): try the folded headword too.
          const folded = /[^\u0000-\u007f]/.test(head) ? head.normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss') : head;
          for (const l of lengths) {
            if (l > Math.max(head.length, folded.length)) continue;
            if (head.length - l > MAX_SUFFIX) break;
            if (stems.has(head.slice(0, l)) || stems.has(folded.slice(0, l))) {
              const s = q.stem(head);
              if (stems.has(s)) add(byStem, s, refOf());
              break;
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
