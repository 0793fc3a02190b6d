/**
 * Proposes a re-alignment that keeps the reviewers' work: confirmed rows, flagged rows and rows a
 * reviewer aligned by hand stay as they are and act as anchors (as pinned links do in memoQ); each
 * stretch of other rows between them is aligned again on its own by the aligner's DP with a
 * similarity model. "From a row": only the stretch from that row to the next fixed one. Rows the new
 * alignment leaves as they were keep their ids (and issues); the others are replaced. Returns the
 * 'realign' op rather than a document, so the store applies and records it like any other op (and
 * undo restores the previous rows); an op without beads means nothing would change.
 */
import type { ReviewBead, ReviewDocument, ReviewOp, SimilarityModel } from '../domain.js';
import { alignStretches, type Stretch } from '../align/index.js';
import { InvalidOperationError } from './errors.js';
import { beadIndex, isFixedRow } from './ops.js';

export { isFixedRow };

export interface RealignOptions {
  /** Re-align only from this row to the next fixed row. */
  from?: string;
}

/** Index ranges [start, end) of the runs of rows that are not fixed (from one row only, with `from`). */
export function realignableRuns(doc: Pick<ReviewDocument, 'beads'>, opts: RealignOptions = {}): [number, number][] {
  const beads = doc.beads;
  if (opts.from !== undefined) {
    const i = beadIndex(doc, opts.from);
    if (isFixedRow(beads[i]!)) {
      throw new InvalidOperationError(`row ${i + 1} is confirmed, flagged or aligned by hand: re-aligning from here starts at a row that is none of these`);
    }
    let end = i;
    while (end < beads.length && !isFixedRow(beads[end]!)) end++;
    return [[i, end]];
  }
  const runs: [number, number][] = [];
  let start = -1;
  beads.forEach((b, i) => {
    if (!isFixedRow(b)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  });
  if (start >= 0) runs.push([start, beads.length]);
  return runs;
}

/**
 * The runs a re-alignment would align, or the refusal it would give (nothing to re-align, a fixed or
 * missing row to start from): cheap, so a door checks before it hands the aligning to a job.
 */
export function checkRealignable(doc: Pick<ReviewDocument, 'beads'>, opts: RealignOptions = {}): [number, number][] {
  const runs = realignableRuns(doc, opts);
  if (!runs.length) throw new InvalidOperationError('every row is confirmed, flagged or aligned by hand: there is nothing to re-align');
  return runs;
}

export async function proposeRealignment(doc: ReviewDocument, model: SimilarityModel, opts: RealignOptions = {}): Promise<Extract<ReviewOp, { kind: 'realign' }>> {
  const runs = checkRealignable(doc, opts);
  // Sentence ranges of each run (rows hold consecutive sentences, so a run's are a range per side).
  const firstOf = (side: 'source' | 'target', i: number): number => {
    for (let k = i; k < doc.beads.length; k++) {
      const s = doc.beads[k]![side][0];
      if (s !== undefined) return s;
    }
    return doc[side].sentences.length;
  };
  const stretches: Stretch[] = runs.map(([i, j]) => ({ a0: firstOf('source', i), a1: firstOf('source', j), b0: firstOf('target', i), b1: firstOf('target', j) }));
  const aligned = await alignStretches(
    doc.source.sentences.map((s) => s.text),
    doc.target.sentences.map((s) => s.text),
    { a: doc.source.lang, b: doc.target.lang },
    model,
    stretches,
  );
  const taken = new Set(doc.beads.map((x) => x.id));
  let k = 0;
  const nextId = (): string => {
    for (;;) {
      const id = `n${doc.revision + 1}_${k++}`;
      if (!taken.has(id)) return id;
    }
  };
  const key = (source: readonly number[], target: readonly number[]): string => `${source.join(',')}|${target.join(',')}`;
  const beads: ReviewBead[] = [];
  runs.forEach(([i, j], r) => {
    const old = new Set(doc.beads.slice(i, j).map((b) => key(b.source, b.target)));
    for (const bead of aligned[r] ?? []) {
      // A row the new alignment keeps as it is stays (with its id, issues and status).
      if (old.has(key(bead.a, bead.b))) continue;
      beads.push({
        id: nextId(),
        source: [...bead.a],
        target: [...bead.b],
        confidence: Number.isFinite(bead.confidence) ? Math.min(1, Math.max(0, bead.confidence)) : 0,
        status: 'automatic',
        origin: model.name,
      });
    }
  });
  return { kind: 'realign', beads };
}
