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

/** A word with umlauts and ß folded as German Snowball stems write them. */
function foldStart(s: string): string {
  return s.replace(/[äöüß]/g, (c) => (c === 'ä' ? 'a' : c === 'ö' ? 'o' : c === 'ü' ? 'u' : 's'));
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
   * Headwords are compared in lower case; dictd's own `00-database-…` entries are skipped.
   */
  find(q: HeadwordQuery): { words: Map<string, DictEntryRef[]>; stems: Map<string, DictEntryRef[]> } {
    const text = this.index();
    const byWord = new Map<string, DictEntryRef[]>();
    const byStem = new Map<string, DictEntryRef[]>();
    const stems = q.stems && q.stem ? q.stems : null;
    const add = (out: Map<string, DictEntryRef[]>, key: string, ref: DictEntryRef): void => {
      let l = out.get(key);
      if (!l) out.set(key, (l = []));
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
