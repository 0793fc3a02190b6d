/**
 * The conflict rule: when a change posted against an old revision (the poster's `baseRevision`) is
 * accepted. It is accepted when it touches nothing that changed since; otherwise it is refused with a
 * ConflictError listing the changes the poster has not seen. "Changed since" is the set of rows (bead
 * ids) of the history entries after `baseRevision` (their op and row ids are enough: no snapshots).
 *
 * An operation conflicts when
 *   1. it names a row changed since (checked before it runs),
 *   2. it fails on the current state (invalid or missing: the unseen changes made it so), or
 *   3. running it changes a row changed since (a merge or shift reaching a neighbour, say).
 * An undo or redo of entry E conflicts when
 *   4. E was made after `baseRevision` (the poster would undo or redo what they have not seen),
 *   5. an unseen entry is itself an undo or redo (the undo stack moved under the poster), or
 *   6. E touched a row changed since.
 *
 * Pure: a store reads the unseen entries inside its write transaction and calls these, so every
 * backend applies the same rule.
 */
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../domain.js';
import { diffDocuments, rowRange, type DocumentChange } from './change.js';
import { ConflictError, InvalidOperationError, NotFoundError } from './errors.js';
import { applyOp, type OpContext } from './ops.js';

/**
 * The revision after which the poster has not seen the history, or null when they have seen all of it
 * (no baseRevision, or the current one). A revision the document never had is refused.
 */
export function unseenAfter(currentRevision: number, baseRevision: number | undefined): number | null {
  if (baseRevision === undefined || baseRevision === currentRevision) return null;
  if (!Number.isInteger(baseRevision) || baseRevision < 0 || baseRevision > currentRevision) {
    throw new InvalidOperationError(`baseRevision ${baseRevision} is not a revision of this document (current: ${currentRevision})`);
  }
  return baseRevision;
}

/** The rows the unseen entries touched. */
export function changedRows(unseen: readonly HistoryEntry[]): Set<string> {
  const s = new Set<string>();
  for (const e of unseen) for (const b of e.beadIds) s.add(b);
  return s;
}

/** Rows an op names directly (rule 1: checked before the op runs). */
export function referencedRows(doc: ReviewDocument, op: ReviewOp): string[] {
  switch (op.kind) {
    case 'editTarget':
      return doc.beads.filter((b) => b.target.includes(op.sentence)).map((b) => b.id);
    case 'setIssueStatus': {
      const issue = doc.issues.find((x) => x.id === op.issueId);
      return issue ? [issue.beadId] : [];
    }
    case 'splitSentence':
    case 'joinSentence': {
      const at = op.sentence;
      return doc.beads.filter((b) => b[op.side].includes(at) || b[op.side].includes(at + 1)).map((b) => b.id);
    }
    case 'realign':
      return [];
    default:
      return [op.beadId];
  }
}

/**
 * Runs `op` on `doc` for a poster who has not seen `unseen` (empty when they are up to date) and
 * returns the new document with its change. Throws ConflictError by rules 1–3, else what applyOp throws.
 */
export function applyPosted(
  doc: ReviewDocument,
  op: ReviewOp,
  unseen: readonly HistoryEntry[],
  ctx: OpContext,
): { next: ReviewDocument; change: DocumentChange } {
  const changed = changedRows(unseen);
  if (unseen.length && referencedRows(doc, op).some((b) => changed.has(b))) throw conflictError(doc, unseen);
  let next: ReviewDocument;
  try {
    next = applyOp(doc, op, ctx);
  } catch (e) {
    if (unseen.length && (e instanceof InvalidOperationError || e instanceof NotFoundError)) throw conflictError(doc, unseen);
    throw e;
  }
  const change = diffDocuments(doc, next);
  if (unseen.length && change.beadIds.some((b) => changed.has(b))) throw conflictError(doc, unseen);
  return { next, change };
}

/** Whose undo stack an undo or redo works on: the whole document's, or one reviewer's own changes. */
export type UndoScope = 'document' | 'author';

/**
 * Refuses (ConflictError, rules 4–6) an undo or redo of `entry` posted against `baseRevision` by a
 * poster who has not seen `unseen`. For a reviewer's own stack (scope 'author'), only the poster's own
 * undos and redos move it (rule 5), and rule 6 is left to `changedSinceError`: whether the rows are
 * as the entry left them is then checked on the document itself.
 */
export function checkUndoRedo(
  doc: Pick<ReviewDocument, 'revision'>,
  entry: Pick<HistoryEntry, 'revision' | 'beadIds'>,
  baseRevision: number | undefined,
  unseen: readonly HistoryEntry[],
  scope: { scope: UndoScope; author?: string } = { scope: 'document' },
): void {
  if (!unseen.length) return;
  const changed = changedRows(unseen);
  const mine = (e: HistoryEntry): boolean => scope.scope === 'document' || e.author === scope.author;
  const stackMoved = unseen.some((e) => (e.op.kind === 'undo' || e.op.kind === 'redo') && mine(e));
  const touched = scope.scope === 'document' && entry.beadIds.some((b) => changed.has(b));
  if (entry.revision > (baseRevision ?? 0) || stackMoved || touched) throw conflictError(doc, unseen);
}

/** An entry in a few words, with the rows it touched when it says (never internal ids). */
function brief(e: HistoryEntry): string {
  return e.rows ? `${e.op.kind} (${rowRange(e.rows)})` : e.op.kind;
}

/** The refusal: who changed what since, in words, with the entries for the client to show. */
export function conflictError(doc: Pick<ReviewDocument, 'revision'>, unseen: readonly HistoryEntry[]): ConflictError {
  const who = [...new Set(unseen.map((c) => c.author))].join(', ');
  const what = unseen.map(brief).join('; ');
  return new ConflictError(
    `The document changed since you loaded it (revision ${doc.revision} now), touching what your change needs: ${who} made ${unseen.length} change(s) since: ${what}. Reload and try again.`,
    doc.revision,
    [...unseen],
  );
}

/**
 * The refusal of a reviewer's own undo or redo whose rows someone changed since (`later`: the entries
 * after it that touched them): nothing is changed, and the message says who did what.
 */
export function changedSinceError(doc: Pick<ReviewDocument, 'revision'>, entry: HistoryEntry, direction: 'undo' | 'redo', later: readonly HistoryEntry[]): ConflictError {
  const who = [...new Set(later.map((c) => c.author))].join(', ') || 'another change';
  const what = later.length ? `: ${later.map(brief).join('; ')}` : '';
  const yours = `your ${brief(entry)}`;
  return new ConflictError(
    `Not ${direction === 'undo' ? 'undone' : 'redone'}: ${who} changed those rows after ${yours}${what}. Nothing was changed; the History page can undo changes in order.`,
    doc.revision,
    [...later],
  );
}
