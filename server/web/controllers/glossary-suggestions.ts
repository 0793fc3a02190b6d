/**
 * Glossary entries suggested from the table learnt from confirmed rows (server/learn/suggest.ts),
 * for the Glossary page and its API route: what the glossary already has is left out.
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

export async function suggestionsFor(
  store: Store,
  entries: ReadonlyArray<{ english: readonly string[]; accepted: readonly string[] }>,
  opts: { project?: string | undefined; limit?: number | undefined } = {},
): Promise<SuggestionsVM> {
  const scope = opts.project !== undefined ? { langs: 'zh-en' as const, project: opts.project } : { langs: 'zh-en' as const };
  const suggestions = await glossarySuggestions(store, scope, knownTerms(entries), { ...SUGGEST_DEFAULTS, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) });
  return { rows: await store.learntRows(scope), project: opts.project ?? null, suggestions };
}
