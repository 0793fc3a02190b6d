/**
 * "Re-align after the last confirmed row" on a stored document: the one path used by the JSON API and
 * the review page. The new rows are computed on the revision read here; the store refuses them as a
 * conflict if the document moved on meanwhile.
 */
import type { ReviewDocument } from '../domain.js';
import { realignAfterLastConfirmed } from '../review/realign.js';
import type { Store } from '../store/store.js';
import { cachedModel, ImportError } from './common.js';

/** The aligner model to use again for a stored model label ('neural:Xenova/LaBSE' → 'neural'). */
export function modelNameFor(stored: string): string {
  if (stored.startsWith('neural')) return 'neural';
  return stored === 'lexical' || stored === 'length' ? stored : 'auto';
}

export async function realignStored(
  store: Store,
  id: string,
  opts: { author: string; baseRevision?: number; model?: string },
): Promise<{ doc: ReviewDocument; model: string }> {
  const doc = await store.getDocument(id);
  const langs = { a: doc.source.lang, b: doc.target.lang };
  const model = await cachedModel(opts.model ?? modelNameFor(doc.model), langs).catch((e: unknown) => {
    throw new ImportError(e instanceof Error ? e.message : String(e), 422);
  });
  const op = await realignAfterLastConfirmed(doc, model);
  const next = await store.apply(id, op, { author: opts.author, baseRevision: opts.baseRevision ?? doc.revision });
  return { doc: next, model: model.name };
}
