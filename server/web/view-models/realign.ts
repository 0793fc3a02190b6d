/**
 * "Re-align after the last confirmed row": the rows after it are aligned again with the document's
 * model (over the sentences they hold), confirmed rows stay fixed. The result is one 'realign' op,
 * applied by the store like any other change (so it is in the history and can be undone).
 */
import type { ReviewBead, ReviewDocument, ReviewOp } from '../../domain.js';
import { alignSentenceLists } from '../../align/index.js';
import { cachedModel } from '../../import/index.js';
import { lastConfirmedIndex, newBeadId } from '../../review/index.js';
import { InvalidOperationError } from '../../store/store.js';

/** The aligner model name to use again for a stored model label ('neural:Xenova/LaBSE' → 'neural'). */
export function modelNameFor(stored: string): string {
  if (stored.startsWith('neural')) return 'neural';
  return stored === 'lexical' || stored === 'length' ? stored : 'auto';
}

export async function realignOp(doc: ReviewDocument): Promise<ReviewOp> {
  const keep = lastConfirmedIndex(doc) + 1;
  const tail = doc.beads.slice(keep);
  if (!tail.length) throw new InvalidOperationError('every row is confirmed: there is nothing to re-align');
  const s0 = tail.find((b) => b.source.length)?.source[0] ?? doc.source.sentences.length;
  const t0 = tail.find((b) => b.target.length)?.target[0] ?? doc.target.sentences.length;
  const a = doc.source.sentences.slice(s0).map((s) => s.text);
  const b = doc.target.sentences.slice(t0).map((s) => s.text);
  let beads: ReviewBead[] = [];
  if (a.length && b.length) {
    const model = await cachedModel(modelNameFor(doc.model), { a: doc.source.lang, b: doc.target.lang });
    const found = await alignSentenceLists(a, b, { a: doc.source.lang, b: doc.target.lang }, model);
    beads = found.map((x, k) => ({
      id: newBeadId(doc, k),
      source: x.a.map((i) => i + s0),
      target: x.b.map((i) => i + t0),
      confidence: Number.isFinite(x.confidence) ? Math.min(1, Math.max(0, x.confidence)) : 0,
      status: 'automatic' as const,
      origin: model.name,
    }));
  } else {
    // One side is used up: every remaining sentence gets an empty counterpart.
    beads = [
      ...a.map((_, k) => ({ source: [s0 + k], target: [] as number[] })),
      ...b.map((_, k) => ({ source: [] as number[], target: [t0 + k] })),
    ].map((x, k) => ({ ...x, id: newBeadId(doc, k), confidence: 0, status: 'automatic' as const, origin: 'manual' }));
  }
  return { kind: 'realign', beads };
}
