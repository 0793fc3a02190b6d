/**
 * A review operation applied to a stored document, from a page or the API. An op that aligns rows by
 * hand (merge, split, move, empty counterpart) first gets, for the rows it will make, the confidence
 * the document's model gives them (review/rescore.ts: the model prepared on those rows and a few
 * neighbours, so it stays in the tens of milliseconds), and carries it into the store, so the
 * recorded op replays to the same confidences. The row stays marked as aligned by hand (origin
 * 'manual'), which is what takes the aligner's "low confidence" finding off it.
 *
 * Fallbacks: a model that cannot be loaded (a neural model not installed) is replaced by the one
 * `auto` picks for the pair; a model still loading, or scoring that takes longer than the budget,
 * leaves the op without scores (the row keeps the confidence the op gives it) — the model goes on
 * loading for the next op.
 */
import type { ReviewDocument, ReviewOp, RowScore, SimilarityModel } from '../domain.js';
import { applyOp, diffDocuments, HAND_ALIGNING_OPS } from '../review/index.js';
import { scoreRows } from '../review/rescore.js';
import type { ChangeOptions, ChangeResult, Store } from '../store/store.js';
import { cachedModel } from './common.js';
import { modelNameFor } from './realign-document.js';

/** How long an op waits for its rows' scores before it is applied without them. */
export const SCORE_BUDGET_MS = 250;

function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([p.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/** The document's model, else the one `auto` picks for its languages; null when neither loads in time. */
async function modelFor(doc: ReviewDocument, ms: number): Promise<SimilarityModel | null> {
  const langs = { a: doc.source.lang, b: doc.target.lang };
  const name = modelNameFor(doc.model);
  const own = await within(cachedModel(name, langs), ms);
  if (own || name === 'auto') return own;
  return within(cachedModel('auto', langs), ms);
}

/** The scores of the rows `op` will align by hand on `doc` (none when it makes none, fails, or runs late). */
export async function scoresFor(doc: ReviewDocument, op: ReviewOp, budgetMs = SCORE_BUDGET_MS): Promise<RowScore[]> {
  if (!HAND_ALIGNING_OPS.has(op.kind)) return [];
  let preview: ReviewDocument;
  try {
    preview = applyOp(doc, op);
  } catch {
    return []; // the store refuses it with the right error
  }
  const made = diffDocuments(doc, preview).after.beads?.items.filter((b) => b.origin === 'manual').map((b) => b.id) ?? [];
  if (!made.length) return [];
  const t0 = performance.now();
  const model = await modelFor(doc, budgetMs);
  if (!model) return [];
  return (await within(scoreRows(preview, made, model), Math.max(1, budgetMs - (performance.now() - t0)))) ?? [];
}

/** Applies `op` as `opts.author`, with the scores of the rows it aligns by hand. */
export async function applyScoredOp(store: Store, id: string, op: ReviewOp, opts: ChangeOptions & { budgetMs?: number }): Promise<ChangeResult> {
  let scored = op;
  if (HAND_ALIGNING_OPS.has(op.kind)) {
    const scores = await scoresFor(await store.getDocument(id), op, opts.budgetMs);
    if (scores.length) scored = { ...op, scores } as ReviewOp;
  }
  return store.change(id, { op: scored }, { author: opts.author, ...(opts.baseRevision !== undefined ? { baseRevision: opts.baseRevision } : {}) });
}
