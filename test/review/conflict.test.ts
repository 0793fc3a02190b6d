import { describe, expect, it } from 'vitest';
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../../server/domain.js';
import { applyPosted, changedRows, checkUndoRedo, conflictError, referencedRows, unseenAfter } from '../../server/review/conflict.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../../server/review/errors.js';
import { applyOp, syntheticDocument } from '../../server/review/index.js';

const ctx = { author: 'bob', at: '2024-05-01T10:00:00.000Z' };

/** A history entry as a store reads it for the rule: who, what, which rows (no snapshots). */
function entry(revision: number, op: HistoryEntry['op'], beadIds: string[], author = 'ann'): HistoryEntry {
  return { seq: 100 + revision, documentId: 'd1', revision, author, at: `2024-05-01T09:00:0${revision % 10}.000Z`, op, beadIds };
}

/** The document at revision 2 (two changes the poster may not have seen); b2 is confirmed. */
function current(): ReviewDocument {
  const doc = applyOp(syntheticDocument(10), { kind: 'confirm', beadId: 'b2' });
  return { ...doc, revision: 2 };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('unseenAfter: which history the poster has not seen', () => {
  it('none without a baseRevision or at the current one; the entries after an older one', () => {
    expect(unseenAfter(5, undefined)).toBeNull();
    expect(unseenAfter(5, 5)).toBeNull();
    expect(unseenAfter(5, 0)).toBe(0);
    expect(unseenAfter(5, 3)).toBe(3);
  });

  it('refuses a revision the document never had', () => {
    for (const bad of [6, -1, 2.5, Number.NaN]) expect(() => unseenAfter(5, bad)).toThrow(InvalidOperationError);
    expect(() => unseenAfter(5, 9)).toThrow('baseRevision 9 is not a revision of this document (current: 5)');
  });
});

describe('the rows an op names and the rows changed since', () => {
  it('changedRows is every row of every unseen entry', () => {
    expect([...changedRows([entry(1, { kind: 'merge', beadId: 'b2' }, ['b2', 'b3']), entry(2, { kind: 'flag', beadId: 'b7' }, ['b7', 'b2'])])].sort()).toEqual(['b2', 'b3', 'b7']);
    expect(changedRows([]).size).toBe(0);
  });

  it('referencedRows: the op’s row, the rows holding an edited sentence, an issue’s row, none for a re-align', () => {
    const doc = applyOp(current(), { kind: 'addIssue', beadId: 'b6', category: 'Terminology', severity: 'minor', comment: 'term' }, ctx);
    const issueId = doc.issues[0]!.id;
    expect(referencedRows(doc, { kind: 'confirm', beadId: 'b3' })).toEqual(['b3']);
    expect(referencedRows(doc, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 })).toEqual(['b4']);
    expect(referencedRows(doc, { kind: 'editTarget', sentence: 4, text: 'x' })).toEqual(['b4']);
    expect(referencedRows(doc, { kind: 'setIssueStatus', issueId, status: 'resolved' })).toEqual(['b6']);
    expect(referencedRows(doc, { kind: 'setIssueStatus', issueId: 'nope', status: 'resolved' })).toEqual([]);
    expect(referencedRows(doc, { kind: 'realign', beads: doc.beads })).toEqual([]);
  });
});

describe('applyPosted: an operation against an old revision', () => {
  const unseenB2 = [entry(1, { kind: 'import' }, []), entry(2, { kind: 'confirm', beadId: 'b2' }, ['b2'])];

  it('an up-to-date poster gets the op and its change, refusals as the op throws them', () => {
    const doc = current();
    const { next, change } = applyPosted(doc, { kind: 'flag', beadId: 'b2' }, [], ctx);
    expect(next.beads[1]!.status).toBe('flagged');
    expect(change.beadIds).toEqual(['b2']);
    expect(thrown(() => applyPosted(doc, { kind: 'merge', beadId: 'b10' }, [], ctx))).toBeInstanceOf(InvalidOperationError);
    expect(thrown(() => applyPosted(doc, { kind: 'confirm', beadId: 'b99' }, [], ctx))).toBeInstanceOf(NotFoundError);
  });

  it('accepts a stale op that touches no row changed since', () => {
    const { next } = applyPosted(current(), { kind: 'confirm', beadId: 'b7' }, unseenB2, ctx);
    expect(next.beads[6]!.status).toBe('confirmed');
  });

  it('rule 1: refuses an op naming a changed row, before it runs (even one that would change nothing)', () => {
    // b2 is confirmed already: confirming it again changes no row, yet the poster did not see it confirmed.
    expect(applyPosted(current(), { kind: 'confirm', beadId: 'b2' }, [], ctx).change.beadIds).toEqual([]);
    expect(thrown(() => applyPosted(current(), { kind: 'confirm', beadId: 'b2' }, unseenB2, ctx))).toBeInstanceOf(ConflictError);
    // An edit of a sentence of a changed row.
    expect(thrown(() => applyPosted(current(), { kind: 'editTarget', sentence: 1, text: 'x' }, unseenB2, ctx))).toBeInstanceOf(ConflictError);
  });

  it('rule 2: an op the unseen changes made invalid or missing is a conflict, not a plain refusal', () => {
    const unseenB5 = [entry(2, { kind: 'confirm', beadId: 'b5' }, ['b5'])];
    expect(thrown(() => applyPosted(current(), { kind: 'merge', beadId: 'b10' }, unseenB5, ctx))).toBeInstanceOf(ConflictError);
    expect(thrown(() => applyPosted(current(), { kind: 'confirm', beadId: 'b99' }, unseenB5, ctx))).toBeInstanceOf(ConflictError);
  });

  it('rule 3: refuses an op whose change reaches a changed row it does not name', () => {
    const op: ReviewOp = { kind: 'merge', beadId: 'b1' };
    expect(referencedRows(current(), op)).toEqual(['b1']);
    expect(applyPosted(current(), op, [], ctx).change.beadIds.sort()).toEqual(['b1', 'b2']);
    const err = thrown(() => applyPosted(current(), op, unseenB2, ctx));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).changes).toEqual(unseenB2);
  });
});

describe('checkUndoRedo: an undo or redo against an old revision', () => {
  const doc = { revision: 3 };
  const confirmB7 = entry(3, { kind: 'confirm', beadId: 'b7' }, ['b7'], 'cy');

  it('is always accepted from an up-to-date poster', () => {
    expect(() => checkUndoRedo(doc, entry(3, { kind: 'confirm', beadId: 'b1' }, ['b1']), 3, [])).not.toThrow();
  });

  it('is accepted when the entry is one the poster saw and nothing unseen touches it or the stack', () => {
    expect(() => checkUndoRedo(doc, entry(1, { kind: 'confirm', beadId: 'b1' }, ['b1']), 2, [confirmB7])).not.toThrow();
  });

  it('rule 4: refuses to undo or redo an entry made after the poster’s revision', () => {
    expect(thrown(() => checkUndoRedo(doc, entry(3, { kind: 'confirm', beadId: 'b1' }, []), 2, [confirmB7]))).toBeInstanceOf(ConflictError);
  });

  it('rule 5: refuses when the undo stack moved since (an unseen undo or redo)', () => {
    for (const op of [{ kind: 'undo', of: 7 }, { kind: 'redo', of: 7 }] as const) {
      const moved = entry(3, op, ['b7'], 'cy');
      expect(thrown(() => checkUndoRedo(doc, entry(1, { kind: 'confirm', beadId: 'b1' }, ['b1']), 2, [moved]))).toBeInstanceOf(ConflictError);
    }
  });

  it('rule 6: refuses when the entry touched a row changed since', () => {
    const flagB1 = entry(3, { kind: 'flag', beadId: 'b1' }, ['b1'], 'cy');
    expect(thrown(() => checkUndoRedo(doc, entry(1, { kind: 'confirm', beadId: 'b1' }, ['b1']), 2, [flagB1]))).toBeInstanceOf(ConflictError);
  });
});

describe('conflictError: the refusal the poster reads', () => {
  it('names who changed what since, with the current revision and the unseen entries', () => {
    const unseen = [
      { ...entry(4, { kind: 'merge', beadId: 'b1' }, ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'], 'ann'), rows: { at: 0, before: 2, after: 1 } },
      entry(5, { kind: 'addVersion', versionId: 'v1', name: 'MT' }, [], 'bob'),
      { ...entry(6, { kind: 'flag', beadId: 'b9' }, ['b9'], 'ann'), rows: { at: 8, before: 1, after: 1 } },
    ];
    const err = conflictError({ revision: 6 }, unseen);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.currentRevision).toBe(6);
    expect(err.changes).toEqual(unseen);
    expect(err.changes).not.toBe(unseen);
    expect(err.message).toBe(
      'The document changed since you loaded it (revision 6 now), touching what your change needs: ann, bob made 3 change(s) since: merge (rows 1–2); addVersion; flag (row 9). Reload and try again.',
    );
  });
});
