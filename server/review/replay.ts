/**
 * Replays a document's history from its imported state: operations through applyOp (with the
 * recorded author and time), undo/redo through the recorded changes. The result must equal the
 * stored document — the check behind "every accepted operation is in the history".
 */
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../domain.js';
import { InvalidOperationError } from './errors.js';
import { applyChange } from './change.js';
import { applyOp } from './ops.js';

export function replayHistory(initial: ReviewDocument, entries: readonly HistoryEntry[]): ReviewDocument {
  const bySeq = new Map<number, HistoryEntry>();
  let doc = initial;
  for (const e of [...entries].sort((x, y) => x.seq - y.seq)) {
    bySeq.set(e.seq, e);
    const op = e.op;
    if (op.kind === 'import' || op.kind === 'addVersion' || op.kind === 'setGlossary') {
      // None changes rows, issues or text: the version's text comes with the stored document.
      doc = { ...doc, revision: e.revision };
      continue;
    }
    if (op.kind === 'undo' || op.kind === 'redo') {
      const of = bySeq.get(op.of);
      if (!of?.before || !of.after) throw new InvalidOperationError(`history entry ${e.seq} refers to ${op.of}, which has no recorded change`);
      doc = op.kind === 'undo' ? applyChange(doc, of.after, of.before) : applyChange(doc, of.before, of.after);
    } else {
      doc = applyOp(doc, op as ReviewOp, { author: e.author, at: e.at });
    }
    doc = { ...doc, revision: e.revision, updatedAt: e.at };
  }
  return doc;
}
