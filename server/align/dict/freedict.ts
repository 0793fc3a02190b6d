/**
 * FreeDict bilingual dictionaries for a language pair, read at run time from the dictd files that
 * Debian's `dict-freedict-XXX-YYY` packages install in /usr/share/dictd (or any folder named by
 * DICT_DIR, which then replaces it). Nothing is copied into the repository. Both directions are used
 * when present (deu-fra for the German side, fra-deu for the French side).
 *
 * A lookup finds the document's words by their stem (Snowball, per language), so "Bergen" finds
 * "Berg"; words of compounding languages that are not headwords are looked up by their longest
 * known tail ("Nordostwand" → "Wand"). Translations are kept as the stems of their words.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../domain.js';
import { iso3 } from '../generic/langs.js';
import type { PairLexicon } from '../generic/model.js';
import { stemmerFor, type StemFn } from '../generic/stem.js';
import { Dictd, entryTranslations, type DictdFiles, type DictEntryRef } from './dictd.js';

export const DEFAULT_DICT_DIR = '/usr/share/dictd';

/** The folder searched for dictionaries: DICT_DIR when set, else Debian's /usr/share/dictd. */
export function dictDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DICT_DIR && env.DICT_DIR.length > 0 ? env.DICT_DIR : DEFAULT_DICT_DIR;
}

export interface FreedictFile extends DictdFiles {
  /** ISO 639-3 codes as in the file name: freedict-deu-fra → from 'deu', to 'fra'. */
  from: string;
  to: string;
}

/** Every FreeDict dictionary (index + data file) in the folder, sorted by name. */
export function listFreedict(dir: string = dictDir()): FreedictFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: FreedictFile[] = [];
  for (const name of names.sort()) {
    const m = /^freedict-([a-z]{2,3})-([a-z]{2,3})\.index$/.exec(name);
    if (!m) continue;
    const base = name.slice(0, -'.index'.length);
    const data = ['.dict.dz', '.dict', '.dict.gz'].map((ext) => join(dir, base + ext)).find((p) => existsSync(p));
    if (!data) continue;
    out.push({ from: m[1] ?? '', to: m[2] ?? '', index: join(dir, name), data });
  }
  return out;
}

/** The dictionaries for a pair: a → b and b → a, each when installed. */
export function freedictFor(a: Lang, b: Lang, dir: string = dictDir()): { forward: FreedictFile | null; backward: FreedictFile | null } {
  const all = listFreedict(dir);
  const fa = iso3(a);
  const fb = iso3(b);
  return {
    forward: all.find((d) => d.from === fa && d.to === fb) ?? null,
    backward: all.find((d) => d.from === fb && d.to === fa) ?? null,
  };
}

/** Languages that write compounds as one word: their unknown words are looked up by their tails. */
const COMPOUNDING = new Set(['deu', 'nld', 'swe', 'dan', 'nor', 'nob', 'nno', 'isl', 'fin', 'afr']);
/** Shortest tail (letters) worth a lookup: shorter tails are mostly suffixes, not words. */
const MIN_TAIL = 4;

const opened = new Map<string, Dictd>();

function open(f: FreedictFile): Dictd {
  let d = opened.get(f.index);
  if (!d) {
    d = new Dictd(f);
    opened.set(f.index, d);
  }
  return d;
}

/** Stems of the words of translation phrases (phrases of up to three words). */
function translationStems(phrases: readonly string[], stem: StemFn): Set<string> {
  const out = new Set<string>();
  for (const p of phrases) {
    const words = p.toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? [];
    if (words.length === 0 || words.length > 3) continue;
    // Short words of a phrase are mostly articles and prepositions ("mur de nuages").
    for (const w of words) if (words.length === 1 || w.length >= 3) out.add(stem(w));
  }
  return out;
}

/** Per dictionary file and target language: every word looked up so far → its translations' stems. */
const memo = new Map<string, Map<string, Set<string> | null>>();

/**
 * Translations of lower-case words of language `from` (dictionary `f`), as stems of language `to`.
 * A word takes the translations of its own headword; a word that is no headword takes those of the
 * headwords that stem like it; a word of a compounding language that still has none takes those of
 * its longest tail that is a headword. Results are remembered for the process.
 */
export function lookupStems(f: FreedictFile, words: readonly string[], fromLang: Lang, toLang: Lang): Map<string, Set<string>> {
  const memoKey = `${f.index}\u0000${toLang}`;
  let known = memo.get(memoKey);
  if (!known) {
    known = new Map();
    memo.set(memoKey, known);
  }
  const todo = [...new Set(words)].filter((w) => w.length >= 2 && !known.has(w));
  if (todo.length > 0) resolve(f, todo, fromLang, toLang, known);
  const out = new Map<string, Set<string>>();
  for (const w of words) {
    const t = known.get(w);
    if (t) out.set(w, t);
  }
  return out;
}

function resolve(f: FreedictFile, words: readonly string[], fromLang: Lang, toLang: Lang, known: Map<string, Set<string> | null>): void {
  const d = open(f);
  const stemFrom = stemmerFor(fromLang);
  const stemTo = stemmerFor(toLang);
  const compounding = COMPOUNDING.has(f.from);
  const exact = new Set<string>(words);
  const stems = new Set<string>();
  const prefixes = new Map<string, string[]>();
  const wordStem = new Map<string, string>();
  for (const w of words) {
    const s = stemFrom(w);
    wordStem.set(w, s);
    stems.add(s);
    const p = w.slice(0, s.length);
    if (p !== s) prefixes.set(s, [...(prefixes.get(s) ?? []), p]);
    if (compounding) for (let i = 1; i + MIN_TAIL <= w.length; i++) exact.add(w.slice(i));
  }
  const found = d.find({ words: exact, stems, stem: stemFrom, prefixes });
  // Entries in file order: each compressed chunk is then inflated once.
  const wanted: DictEntryRef[] = [];
  for (const [w, s] of wordStem) wanted.push(...(found.words.get(w) ?? found.stems.get(s) ?? []));
  const texts = new Map<number, string>();
  for (const r of wanted.sort((x, y) => x.offset - y.offset)) if (!texts.has(r.offset)) texts.set(r.offset, d.entry(r));
  const translationsOf = (key: string, by: 'words' | 'stems'): Set<string> | null => {
    const refs = found[by].get(key);
    if (!refs) return null;
    const t = translationStems(refs.flatMap((r) => entryTranslations(texts.get(r.offset) ?? d.entry(r))), stemTo);
    return t.size > 0 ? t : null;
  };
  for (const [w, s] of wordStem) {
    let t = translationsOf(w, 'words') ?? translationsOf(s, 'stems');
    if (!t && compounding) {
      for (let i = 1; i + MIN_TAIL <= w.length && !t; i++) t = translationsOf(w.slice(i), 'words');
    }
    known.set(w, t);
  }
}

/** The FreeDict lexicon for a pair, or null when neither direction is installed. */
export function freedictLexicon(a: Lang, b: Lang, dir: string = dictDir()): PairLexicon | null {
  const { forward, backward } = freedictFor(a, b, dir);
  if (!forward && !backward) return null;
  const names = [forward, backward].filter((x): x is FreedictFile => x !== null).map((f) => `${f.from}-${f.to}`);
  return {
    name: `freedict ${names.join('+')}`,
    translateA: (words) => (forward ? lookupStems(forward, words, a, b) : new Map()),
    translateB: (words) => (backward ? lookupStems(backward, words, b, a) : new Map()),
  };
}
