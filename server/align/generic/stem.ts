/**
 * Snowball stemmers (snowball-stemmers: the Snowball project's algorithms compiled to JavaScript)
 * per language, with a per-word cache: a document has a few thousand word types, and one stem costs
 * about 10 µs. Languages without a Snowball stemmer keep the word as it is.
 */
import { createRequire } from 'node:module';
import type { Lang } from '../../domain.js';
import { snowballName } from './langs.js';

export type StemFn = (word: string) => string;

const identity: StemFn = (w) => w;

type Snowball = typeof import('snowball-stemmers');
let snowball: Snowball | null = null;
/** Loaded on the first stemmer asked for: the library is 870 kB of JavaScript that a zh–en call never needs (~30 ms). */
const library = (): Snowball => (snowball ??= createRequire(import.meta.url)('snowball-stemmers') as Snowball);
const stemmers = new Map<string, StemFn>();

/** A stemming function for lower-case words of `lang` (cached per word, for the process). */
export function stemmerFor(lang: Lang): StemFn {
  const name = snowballName(lang);
  if (!name) return identity;
  let fn = stemmers.get(name);
  if (!fn) {
    const s = library().newStemmer(name);
    const cache = new Map<string, string>();
    fn = (w) => {
      let r = cache.get(w);
      if (r === undefined) {
        r = s.stem(w);
        if (cache.size < 200_000) cache.set(w, r);
      }
      return r;
    };
    stemmers.set(name, fn);
  }
  return fn;
}

/** Whether a real stemmer exists for the language. */
export function hasStemmer(lang: Lang): boolean {
  return snowballName(lang) !== undefined;
}
