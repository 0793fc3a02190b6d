/**
 * Scores the rows a reviewer aligned by hand with the document's model: the model is prepared on the
 * rows' sentences and a few neighbouring rows (never the whole document: this runs while the reviewer
 * waits), and each row gets the confidence the aligner would give it there (align/ `scoreBeads`).
 * The result goes into the op that made the rows (`scores`), so it is recorded with it.
 */
import type { Bead, ReviewDocument, RowScore, SimilarityModel } from '../domain.js';
import { scoreBeads, sentenceLength } from '../align/index.js';

/** Rows of context on each side of the scored rows. */
export const CONTEXT_ROWS = 3;

/** Characters of target per character of source over the whole document (the length prior's ratio). */
function lengthRatio(doc: ReviewDocument): number {
  let a = 0;
  let b = 0;
  for (const s of doc.source.sentences) a += sentenceLength(s.text);
  for (const s of doc.target.sentences) b += sentenceLength(s.text);
  return a > 0 && b > 0 ? b / a : 1;
}

export async function scoreRows(doc: ReviewDocument, beadIds: readonly string[], model: SimilarityModel, context = CONTEXT_ROWS): Promise<RowScore[]> {
  const wanted = new Set(beadIds);
  const idx = doc.beads.flatMap((b, i) => (wanted.has(b.id) ? [i] : []));
  if (!idx.length) return [];
  const lo = Math.max(0, Math.min(...idx) - context);
  const hi = Math.min(doc.beads.length, Math.max(...idx) + context + 1);
  const rows = doc.beads.slice(lo, hi);
  const a: string[] = [];
  const b: string[] = [];
  const beads: Bead[] = rows.map((r) => {
    const bead: Bead = { a: r.source.map((_, k) => a.length + k), b: r.target.map((_, k) => b.length + k), confidence: 0 };
    for (const s of r.source) a.push(doc.source.sentences[s]?.text ?? '');
    for (const t of r.target) b.push(doc.target.sentences[t]?.text ?? '');
    return bead;
  });
  const conf = await scoreBeads(a, b, { a: doc.source.lang, b: doc.target.lang }, model, beads, { lengthRatio: lengthRatio(doc) });
  return rows.flatMap((r, k) => (wanted.has(r.id) ? [{ source: [...r.source], target: [...r.target], confidence: conf[k] ?? 0 }] : []));
}
