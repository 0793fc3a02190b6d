import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../server/domain.js';
import { InvalidOperationError } from '../../server/review/errors.js';
import { entryFromRow, historyValues, importableHistory, importedHistoryRows, stepChange } from '../../server/store/history.js';
import type { DocumentChange } from '../../server/review/change.js';

const change: DocumentChange = {
  before: { beads: null, issues: null, target: [{ index: 0, paragraph: 0, text: 'old', start: 0, end: 3, original: 'old' }] },
  after: { beads: null, issues: null, target: [{ index: 0, paragraph: 0, text: 'new', start: 0, end: 3, original: 'old' }] },
  beadIds: ['b1'],
};

function entry(seq: number, revision: number, op: HistoryEntry['op'], more: Partial<HistoryEntry> = {}): HistoryEntry {
  return { seq, documentId: 'd1', revision, author: 'ann', at: '2024-05-01T09:00:00.000Z', op, beadIds: [], ...more };
}

describe('history rows and entries', () => {
  it('an entry written and read back is the entry, with its undo state as `undone`', () => {
    const op = { kind: 'editTarget', sentence: 0, text: 'new' } as const;
    const values = historyValues('d1', 4, { op, author: 'ann', at: '2024-05-01T09:00:00.000Z', change, undoState: 'applied' });
    expect(entryFromRow({ seq: 9, ...values })).toEqual(entry(9, 4, op, { beadIds: ['b1'], before: change.before, after: change.after, undone: false }));
    expect(entryFromRow({ seq: 9, ...values, undo_state: 'dead' }).undone).toBe(true);
    const plain = historyValues('d1', 0, { op: { kind: 'import' }, author: 'ann', at: 'x', change: null, undoState: null });
    expect(plain).toMatchObject({ op: '{"kind":"import"}', before: null, after: null, bead_ids: '[]', undo_state: null });
    expect(entryFromRow({ seq: 1, ...plain })).not.toHaveProperty('undone');
  });

  it('undo applies the recorded change backwards, redo forwards; an entry without snapshots is refused', () => {
    const e = entry(9, 4, { kind: 'confirm', beadId: 'b1' }, { beadIds: ['b1'], before: change.before, after: change.after });
    expect(stepChange(e, 'undo')).toEqual({ before: change.after, after: change.before, beadIds: ['b1'] });
    expect(stepChange(e, 'redo')).toEqual(change);
    const bare = entry(9, 4, { kind: 'confirm', beadId: 'b1' });
    expect(() => stepChange(bare, 'undo')).toThrow(/cannot be undone/);
    expect(() => stepChange(bare, 'redo')).toThrow(/cannot be redone/);
  });
});

describe('a history restored from a file', () => {
  const history = [
    entry(12, 2, { kind: 'undo', of: 11 }),
    entry(10, 0, { kind: 'import' }),
    entry(11, 1, { kind: 'confirm', beadId: 'b1' }, { undone: true }),
  ];

  it('is taken in seq order when it fits the document, refused when it does not', () => {
    expect(importableHistory({ revision: 2 }, history).map((e) => e.seq)).toEqual([10, 11, 12]);
    expect(() => importableHistory({ revision: 1 }, history)).toThrow(InvalidOperationError);
    expect(() => importableHistory({ revision: 5 }, [entry(1, 3, { kind: 'import' }), entry(2, 2, { kind: 'flag', beadId: 'b1' })])).toThrow(/does not fit/);
    expect(() => importableHistory({ revision: 5 }, [entry(1, 1, { kind: 'import' }), entry(1, 2, { kind: 'flag', beadId: 'b1' })])).toThrow(/does not fit/);
  });

  it('keeps its seqs in a fresh store, else renumbers them after the highest given, with undo references', () => {
    const entries = importableHistory({ revision: 2 }, history);
    const kept = importedHistoryRows('d2', entries, 0);
    expect(kept.map((r) => [r.seq, r.doc_id, r.op, r.undo_state])).toEqual([
      [10, 'd2', '{"kind":"import"}', null],
      [11, 'd2', '{"kind":"confirm","beadId":"b1"}', 'dead'],
      [12, 'd2', '{"kind":"undo","of":11}', null],
    ]);
    const moved = importedHistoryRows('d2', entries, 40);
    expect(moved.map((r) => [r.seq, r.op])).toEqual([
      [41, '{"kind":"import"}'],
      [42, '{"kind":"confirm","beadId":"b1"}'],
      [43, '{"kind":"undo","of":42}'],
    ]);
  });
});
