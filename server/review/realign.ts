/**
 * Proposes new rows for everything after the last confirmed row, aligned by the aligner's DP with a
 * similarity model; confirmed rows (and every row above the last confirmed one) stay fixed. Returns
 * the 'realign' op rather than a document, so the store applies and records it like any other op (and
 * undo restores the previous rows).
 */
import type { ReviewBead, ReviewDocument, ReviewOp, SimilarityModel } from '../domain.js';
import { alignSentenceLists } from '../align/index.js';
import { InvalidOperationError } from './errors.js';
import { lastConfirmedIndex } from './ops.js';

export async function proposeRealignment(doc: ReviewDocument, model: SimilarityModel): Promise<Extract<ReviewOp, { kind: 'realign' }>> {
  const keep = lastConfirmedIndex(doc) + 1;
  if (keep === doc.beads.length) throw new InvalidOperationError('every row is confirmed: there is nothing to re-align');
  let s0 = 0;
  let t0 = 0;
  for (const b of doc.beads.slice(0, keep)) {
    s0 += b.source.length;
    t0 += b.target.length;
  }
  const a = doc.source.sentences.slice(s0).map((s) => s.text);
  const b = doc.target.sentences.slice(t0).map((s) => s.text);
  const taken = new Set(doc.beads.slice(0, keep).map((x) => x.id));
  let k = 0;
  const nextId = (): string => {
    for (;;) {
      const id = `n${doc.revision + 1}_${k++}`;
      if (!taken.has(id)) return id;
    }
  };
  const beads: ReviewBead[] = [];
  if (a.length === 0 || b.length === 0) {
    // Nothing to pair: each remaining sentence gets its own 1-0 / 0-1 row.
    a.forEach((_, i) => {
      beads.push({ id: nextId(), source: [s0 + i], target: [], confidence: 0, status: 'automatic', origin: model.name });
    });
    b.forEach((_, i) => {
      beads.push({ id: nextId(), source: [], target: [t0 + i], confidence: 0, status: 'automatic', origin: model.name });
    });
    return { kind: 'realign', beads };
  }
  for (const bead of await alignSentenceLists(a, b, { a: doc.source.lang, b: doc.target.lang }, model)) {
    beads.push({
      id: nextId(),
      source: bead.a.map((i) => s0 + i),
      target: bead.b.map((i) => t0 + i),
      confidence: Number.isFinite(bead.confidence) ? Math.min(1, Math.max(0, bead.confidence)) : 0,
      status: 'automatic',
      origin: model.name,
    });
  }
  return { kind: 'realign', beads };
}
