/**
 * The coverage check's lexicon, built on the aligner's CC-CEDICT dictionary (server/align/lexical):
 * one dictionary for QA and alignment, with the same stemming on both sides, so "reaffirmed" meets
 * 重申 through its gloss "reaffirm".
 *
 * Coverage must rather miss an omission than cry wolf, so the Chinese side is read generously:
 * every dictionary word found anywhere in the text (not only jieba's segmentation), all terms of
 * long glosses ("联合国大会" → united nation general assembly), and each character's own senses.
 */
import { englishTerms } from '../align/lexical/english.js';
import { loadDictionary, zhTokens, type Dictionary } from '../align/lexical/dictionary.js';
import type { Lexicon } from './types.js';

let cached: Lexicon | null = null;

const MAX_WORD = 6;

function allTerms(dict: Dictionary, word: string, cache: Map<string, readonly string[]>): readonly string[] {
  let t = cache.get(word);
  if (!t) {
    const set = new Set<string>();
    for (const g of dict.glosses(word)) {
      for (const x of englishTerms(g)) set.add(x);
      // "United Nations" also covers "UN".
      const initials = g.split(/\s+/).filter((w) => /^[A-Z]/.test(w));
      if (initials.length >= 2) set.add(initials.map((w) => w[0] ?? '').join('').toLowerCase());
    }
    t = [...set];
    cache.set(word, t);
  }
  return t;
}

export function loadLexicon(): Lexicon {
  if (cached) return cached;
  const dict = loadDictionary();
  const cache = new Map<string, readonly string[]>();
  cached = {
    englishTerms: (en) => englishTerms(en),
    chineseTermCounts(zh) {
      const counts = new Map<string, number>();
      for (const t of zhTokens(zh, dict)) for (const term of new Set(t.terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
      return counts;
    },
    chineseTermSet(zh, deep = false) {
      const set = new Set<string>();
      for (const t of zhTokens(zh, dict)) for (const term of t.terms) set.add(term);
      if (!deep) return set;
      for (const run of zh.match(/[\u3400-\u9fff]+/gu) ?? []) {
        for (let i = 0; i < run.length; i++) {
          for (let n = 1; n <= MAX_WORD && i + n <= run.length; n++) {
            const w = run.slice(i, i + n);
            if (n > 1 && !dict.has(w)) continue;
            for (const term of allTerms(dict, w, cache)) set.add(term);
          }
        }
      }
      return set;
    },
  };
  return cached;
}
