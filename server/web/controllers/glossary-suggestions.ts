/**
 * Glossary entries suggested from the table learnt from confirmed rows (server/learn/suggest.ts),
 * for the Glossary page and its API route: what the glossary already has is left out. An answer is
 * kept for a minute while the table's number of rows and the glossary stay the same (a store of
 * 100,000 rows takes about a second to go through; a row confirmed or taken back shows at once).
 */
import { glossarySuggestions, knownTerms, SUGGEST_DEFAULTS, type SuggestedTerm } from '../../learn/suggest.js';
import type { Store } from '../../store/store.js';

export interface SuggestionsVM {
  /** Confirmed rows the table learnt from (in the scope). */
  rows: number;
  /** The scope: one project's documents, or all ('' = documents without a project). */
  project: string | null;
  suggestions: SuggestedTerm[];
}

type Entries = ReadonlyArray<{ english: readonly string[]; accepted: readonly string[] }>;

const kept = new WeakMap<Store, Map<string, { at: number; vm: SuggestionsVM }>>();
const KEPT = 16;
const KEEP_MS = 60_000;

export async function suggestionsFor(store: Store, entries: Entries, opts: { project?: string | undefined; limit?: number | undefined } = {}): Promise<SuggestionsVM> {
  const scope = opts.project !== undefined ? { langs: 'zh-en' as const, project: opts.project } : { langs: 'zh-en' as const };
  const rows = await store.learntRows(scope);
  const key = JSON.stringify([opts.project ?? null, opts.limit ?? null, rows, entries.map((e) => [e.english, e.accepted])]);
  let cache = kept.get(store);
  if (!cache) {
    cache = new Map();
    kept.set(store, cache);
  }
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.vm;
  cache.delete(key);
  const suggestions = await glossarySuggestions(store, scope, knownTerms(entries), { ...SUGGEST_DEFAULTS, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) });
  const vm = { rows, project: opts.project ?? null, suggestions };
  if (cache.size >= KEPT) cache.delete(cache.keys().next().value as string);
  cache.set(key, { at: Date.now(), vm });
  return vm;
}
