import { numbersCheck } from '../../server/qa/checks/numbers.js';
import type { QaPair } from '../../server/qa/types.js';
import { parseGlossary, type Glossary } from '../../server/qa/glossary.js';
import type { CheckContext } from '../../server/qa/types.js';

let n = 0;
export function pair(source: string, target: string, extra: Partial<QaPair> = {}): QaPair {
  n++;
  return { id: `b${n}`, paragraph: null, source, target, ...extra };
}

/** A context with a small glossary and a lexicon that must not be used. */
export function ctx(glossary: Glossary = { entries: [], path: null }): CheckContext {
  return {
    glossary,
    langs: { source: 'en', target: 'zh' },
    words: () => {
      throw new Error('word alignment not expected in this test');
    },
  };
}

export function glossary(tsv: string): Glossary {
  return parseGlossary(tsv);
}

export const numberDefaults = numbersCheck.defaults;
