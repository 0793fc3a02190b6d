/**
 * Re-aligning a stored document after its last confirmed row: the one path used by the JSON API and
 * the review page. The model is loaded again (by the name stored with the document), the new rows are
 * proposed on the revision read here (review/realign.ts) and applied as one op; the store refuses them
 * as a conflict if the document moved on meanwhile.
 */
import type { ReviewDocument } from '../domain.js';
import { proposeRealignment } from '../review/realign.js';
import type { Store } from '../store/store.js';
import { ImportError } from '../formats/errors.js';
import { cachedModel } from './common.js';
import { learnedFor, learnScopeSetting } from './learned.js';

/** The aligner model to use again for a stored model label ('neural:Xenova/LaBSE' → 'neural'). */
export function modelNameFor(stored: string): string {
  if (stored.startsWith('neural')) return 'neural';
  return stored === 'lexical' || stored === 'length' ? stored : 'auto';
}

export async function realignDocument(
  store: Store,
  id: string,
  opts: { author: string; baseRevision?: number; model?: string },
): Promise<{ doc: ReviewDocument; model: string }> {
  const doc = await store.getDocument(id);
  const langs = { a: doc.source.lang, b: doc.target.lang };
  const project = learnScopeSetting() === 'project' ? ((await store.listDocuments()).find((d) => d.id === id)?.project ?? '') : '';
  const model = await cachedModel(opts.model ?? modelNameFor(doc.model), langs, learnedFor(store, langs, project)).catch((e: unknown) => {
    throw new ImportError(e instanceof Error ? e.message : String(e), 'model');
  });
  const op = await proposeRealignment(doc, model);
  const next = await store.apply(id, op, { author: opts.author, baseRevision: opts.baseRevision ?? doc.revision });
  return { doc: next, model: model.name };
}
