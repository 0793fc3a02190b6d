/**
 * The rows one change of a document writes, planned apart from writing them: `planWrites` (pure)
 * turns a change the review core computed into the writes it needs (only the touched rows, order
 * keys between unchanged neighbours, the history entry, the document's new revision); a driver then
 * commits them: `runWrites` statement by statement inside a transaction that holds the document
 * (SQLite's write lock), or PostgreSQL's `Dialect.commitChanges` in one statement per change that
 * applies it only if the document row is still the one it was planned from.
 *
 * A new kind of write is added to DocumentWrites (sql.ts), here (the plan and runWrites), and in
 * postgres.ts's changeStatement.
 */
import type { HistoryEntry, ReviewDocument } from '../domain.js';
import { shiftAnchors, type DocumentChange } from '../review/index.js';
import { historyValues, type UndoState } from './history.js';
import { placeRows } from './order.js';
import { beadValues, issueValues, projected, sentenceValues, type StoredDocument } from './rows.js';
import { insertRow, type DocumentWrites, type SqlTx } from './sql.js';
import { SQL } from './statements.js';

export interface PlannedChange {
  writes: DocumentWrites;
  /** What the store holds once the writes are committed (its stamp and last seq come from the commit). */
  stored: StoredDocument;
  /** An undo or redo: the entry it undid or redid (without before/after), as answered. */
  stepped?: HistoryEntry;
  /** Rows that taught or now teach (the learnt table's counts change with them, in the same transaction). */
  learn?: string[];
}

/** The writes of `change` (cur → next), recorded as `h`. Pure. */
export function planWrites(
  cur: StoredDocument,
  next: ReviewDocument,
  change: DocumentChange,
  h: { op: HistoryEntry['op']; author: string; at: string; undoState: UndoState | null },
  o: Pick<DocumentWrites, 'killRedo' | 'stepped'>,
): PlannedChange {
  const id = cur.doc.id;
  const revision = cur.doc.revision + 1;
  const w: DocumentWrites = {
    docId: id,
    expected: { revision: cur.doc.revision, stamp: cur.stamp ?? null },
    revision,
    at: h.at,
    history: historyValues(id, revision, { ...h, change }),
    killRedo: o.killRedo,
    stepped: o.stepped,
    deleteBeads: [],
    upsertBeads: [],
    reorderBeads: [],
    issues: null,
    targetTexts: change.after.target.map((s) => ({ idx: s.index, text: s.text })),
    sentences: null,
    versionAnchors: [],
  };
  // A segmentation change: that side's sentences rewritten from the change on (the rows written
  // below refer to the new indices), and the anchors of further versions moved with them.
  let stored = cur.versions;
  const seg = change.after.sentences;
  if (seg) {
    w.sentences = { side: seg.side, at: seg.at, rows: next[seg.side].sentences.slice(seg.at).map((x) => sentenceValues(id, seg.side, x)) };
    // Those sentences are written whole: no separate text update of the same rows.
    if (seg.side === 'target') w.targetTexts = w.targetTexts.filter((t) => t.idx < seg.at);
    const removed = change.before.sentences?.items.length ?? 0;
    stored = cur.versions.map((v) => {
      const anchors = shiftAnchors(v.anchors, seg.side, seg.at, removed, seg.items.length);
      if (anchors === v.anchors) return v;
      w.versionAnchors.push({ id: v.id, anchors: JSON.stringify(anchors) });
      return { ...v, anchors };
    });
  }
  let ords = cur.ords;
  const before = change.before.beads;
  const after = change.after.beads;
  if (before && after) {
    const keepIds = new Set(after.items.map((b) => b.id));
    w.deleteBeads = before.items.filter((b) => !keepIds.has(b.id)).map((b) => b.id);
    const placed = placeRows(ords, after.at, before.items.length, after.items.length);
    w.upsertBeads = after.items.map((b, k) => beadValues(id, b, placed.keys[k]!));
    if (placed.renumbered) w.reorderBeads = next.beads.flatMap((b, i) => (keepIds.has(b.id) ? [] : [{ id: b.id, ord: placed.ords[i]! }]));
    ords = placed.ords;
  }
  if (change.after.issues) {
    const { at } = change.after.issues;
    const removed = change.before.issues?.items.length ?? 0;
    w.issues =
      removed === change.after.issues.items.length
        ? { at, until: at + removed, rows: change.after.issues.items.map((x, k) => issueValues(id, x, at + k)) }
        : // Issues are appended at the end, so the tail rewritten here is short.
          { at, until: null, rows: next.issues.slice(at).map((x, k) => issueValues(id, x, at + k)) };
  }
  // Versions follow the rows: projected again when the rows changed.
  const versions = (change.after.beads || seg) && stored.length ? stored.map((v) => projected(v, next.beads)) : next.versions;
  return { writes: w, stored: { doc: { ...next, versions, revision, updatedAt: h.at }, ords, versions: stored } };
}

/**
 * Writes the planned rows statement by statement, inside a transaction that holds the document.
 * Answers the new history entry's seq and the document row's new stamp.
 */
export async function runWrites(tx: SqlTx, w: DocumentWrites, touchDocument: string): Promise<{ seq: number; stamp: string | null }> {
  if (w.killRedo !== null) await tx.run(SQL.killRedo, [w.docId, w.killRedo]);
  if (w.sentences) {
    await tx.run(SQL.deleteSentencesFrom, [w.docId, w.sentences.side, w.sentences.at]);
    for (const r of w.sentences.rows) await tx.run(SQL.insertSentence, r);
  }
  for (const v of w.versionAnchors) await tx.run(SQL.replaceVersionAnchors, [v.anchors, w.docId, v.id]);
  for (const b of w.deleteBeads) await tx.run(SQL.deleteBead, [w.docId, b]);
  for (const r of w.upsertBeads) await tx.run(SQL.upsertBead, r);
  for (const r of w.reorderBeads) await tx.run(SQL.setBeadOrd, [r.ord, w.docId, r.id]);
  if (w.issues) {
    if (w.issues.until === null) await tx.run(SQL.deleteIssuesAfter, [w.docId, w.issues.at]);
    else await tx.run(SQL.deleteIssuesFrom, [w.docId, w.issues.at, w.issues.until]);
    for (const r of w.issues.rows) await tx.run(SQL.insertIssue, r);
  }
  for (const s of w.targetTexts) await tx.run(SQL.setSentenceText, [s.text, w.docId, s.idx]);
  const seq = Number((await tx.get<{ seq: number }>(...insertRow('history', w.history, 'seq')))!.seq);
  if (w.stepped) await tx.run(SQL.setUndoState, [w.stepped.state, w.stepped.undoneBy, w.stepped.undoneBy === null ? null : seq, w.stepped.seq]);
  const touched = await tx.get<{ stamp: string | null }>(touchDocument, [w.revision, w.at, w.docId, w.expected.revision]);
  // The transaction holds the document: it cannot have changed since it was read.
  if (!touched) throw new Error(`document ${w.docId} changed while its change was written`);
  return { seq, stamp: touched.stamp };
}
