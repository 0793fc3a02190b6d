/**
 * History rows ⇄ entries, the undo stack's two directions, and the checks and renumbering of a
 * history restored from a file. No SQL here, so a second backend with the same history table can use it.
 *
 * `undo_state` puts an entry on the undo stack or not: 'applied' (can be undone), 'undone' (can be
 * redone), 'dead' (undone, then its undoer made a new change: their redo list is cleared), NULL (not
 * an operation: import, addVersion, undo, redo). An undone entry records who undid it and the seq of
 * that undo (`undone_by`, `undone_seq`).
 *
 * Two scopes, one code path (SqliteStore.step): the document's stack (the History page) and a
 * reviewer's own (the review page's u / U). Undo takes the newest 'applied' entry (of that reviewer);
 * redo takes the most recently undone entry (undone by that reviewer) when no operation (of theirs)
 * came after that undo.
 */
import type { HistoryChangeSide, HistoryEntry, ReviewDocument, RowSpan } from '../domain.js';
import type { DocumentChange } from '../review/change.js';
import { InvalidOperationError } from '../review/errors.js';

export type UndoState = 'applied' | 'undone' | 'dead';

export interface HistoryRow {
  seq: number;
  doc_id: string;
  revision: number;
  author: string;
  at: string;
  op: string;
  before: string | null;
  after: string | null;
  bead_ids: string;
  undo_state: UndoState | null;
  /** While undone: who undid it, and the seq of that undo entry. */
  undone_by?: string | null;
  undone_seq?: number | null;
  /** JSON RowSpan, or null. */
  row_span?: string | null;
}

export function entryFromRow(r: HistoryRow): HistoryEntry {
  const e: HistoryEntry = {
    seq: r.seq,
    documentId: r.doc_id,
    revision: r.revision,
    author: r.author,
    at: r.at,
    op: JSON.parse(r.op) as HistoryEntry['op'],
    beadIds: JSON.parse(r.bead_ids) as string[],
  };
  if (r.before !== null) e.before = JSON.parse(r.before) as HistoryChangeSide;
  if (r.after !== null) e.after = JSON.parse(r.after) as HistoryChangeSide;
  if (r.undo_state !== null) e.undone = r.undo_state !== 'applied';
  if (r.row_span) e.rows = JSON.parse(r.row_span) as RowSpan;
  return e;
}

/** A new entry's row (its seq is given by the database). */
export function historyValues(
  docId: string,
  revision: number,
  h: { op: HistoryEntry['op']; author: string; at: string; change: DocumentChange | null; undoState: UndoState | null },
): Omit<HistoryRow, 'seq'> {
  return {
    doc_id: docId,
    revision,
    author: h.author,
    at: h.at,
    op: JSON.stringify(h.op),
    before: h.change ? JSON.stringify(h.change.before) : null,
    after: h.change ? JSON.stringify(h.change.after) : null,
    bead_ids: JSON.stringify(h.change?.beadIds ?? []),
    undo_state: h.undoState,
    undone_by: null,
    undone_seq: null,
    row_span: h.change?.rows ? JSON.stringify(h.change.rows) : null,
  };
}

// ── undo and redo: one step on the undo stack, either way ──

export type Direction = 'undo' | 'redo';

/** Per direction: the state of the entries it takes, and the state it leaves the taken one in. */
export const STEP: Readonly<Record<Direction, { takes: UndoState; leaves: UndoState }>> = {
  undo: { takes: 'applied', leaves: 'undone' },
  redo: { takes: 'undone', leaves: 'applied' },
};

/**
 * The change that undoes or redoes `e`: its recorded change backwards or forwards. Entries restored
 * from a JSON export carry no before/after (the export leaves them out), so they are refused rather
 * than guessed at.
 */
export function stepChange(e: HistoryEntry, direction: Direction): Pick<DocumentChange, 'before' | 'after' | 'beadIds'> {
  if (!e.before || !e.after) {
    throw new InvalidOperationError(
      `the last change (${e.op.kind} by ${e.author} at ${e.at}) was imported from a file without the data needed to undo or redo it: it cannot be ${direction === 'undo' ? 'undone' : 'redone'}`,
    );
  }
  return direction === 'undo' ? { before: e.after, after: e.before, beadIds: e.beadIds } : { before: e.before, after: e.after, beadIds: e.beadIds };
}

// ── a history restored with its document (importDocument) ──

/** The entries in seq order; refused when they cannot be the history of `doc`. */
export function importableHistory(doc: Pick<ReviewDocument, 'revision'>, history: readonly HistoryEntry[]): HistoryEntry[] {
  const entries = [...history].sort((a, b) => a.seq - b.seq);
  entries.forEach((e, k) => {
    const prev = entries[k - 1];
    if (!Number.isInteger(e.revision) || e.revision > doc.revision || (prev && (e.revision < prev.revision || e.seq === prev.seq))) {
      throw new InvalidOperationError(`the imported history does not fit the document (entry ${e.seq}: revision ${e.revision}, document revision ${doc.revision})`);
    }
  });
  return entries;
}

/**
 * The rows of a restored history. Seqs are global to a store: kept when all are above `maxSeq` (the
 * highest given so far: a fresh store), else renumbered after it, undo/redo references with them.
 */
export function importedHistoryRows(docId: string, entries: readonly HistoryEntry[], maxSeq: number): HistoryRow[] {
  const keep = entries.every((e) => Number.isInteger(e.seq)) && entries[0]!.seq > maxSeq;
  const seqOf = new Map(entries.map((e, k) => [e.seq, keep ? e.seq : maxSeq + 1 + k]));
  return entries.map((e) => {
    const op = (e.op.kind === 'undo' || e.op.kind === 'redo') && seqOf.has(e.op.of) ? { ...e.op, of: seqOf.get(e.op.of)! } : e.op;
    // undone: undefined = outside the undo stack (import, undo, redo); false = on it (undo refuses
    // it unless before/after came along, see stepChange); true = dead: never redone here.
    const state = e.undone === undefined ? null : e.undone ? 'dead' : 'applied';
    return {
      seq: seqOf.get(e.seq)!,
      doc_id: docId,
      revision: e.revision,
      author: e.author,
      at: e.at,
      op: JSON.stringify(op),
      before: e.before ? JSON.stringify(e.before) : null,
      after: e.after ? JSON.stringify(e.after) : null,
      bead_ids: JSON.stringify(e.beadIds),
      undo_state: state,
      undone_by: null,
      undone_seq: null,
      row_span: e.rows ? JSON.stringify(e.rows) : null,
    };
  });
}
