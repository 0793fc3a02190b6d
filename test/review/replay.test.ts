import { describe, expect, it } from 'vitest';
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../../server/domain.js';
import { applyChange, applyOp, diffDocuments, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { proposeRealignment } from '../../server/review/realign.js';
import { getModel } from '../../server/align/index.js';

describe('replayHistory', () => {
  it('rebuilds the final state from the initial document, ops, undo and redo', () => {
    const initial = syntheticDocument(12);
    let doc: ReviewDocument = initial;
    const entries: HistoryEntry[] = [];
    let seq = 1;
    const record = (op: HistoryEntry['op'], next: ReviewDocument, at: string): void => {
      const change = diffDocuments(doc, next);
      const revision = doc.revision + 1;
      entries.push({ seq: seq++, documentId: 'd', revision, author: 'r', at, op, beadIds: change.beadIds, before: change.before, after: change.after });
      doc = { ...next, revision };
    };
    const ops: ReviewOp[] = [
      { kind: 'merge', beadId: 'b2' },
      { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 },
      { kind: 'addIssue', beadId: 'b5', category: 'Style', severity: 'minor', comment: 'c' },
      { kind: 'editTarget', sentence: 0, text: '新' },
      { kind: 'shiftDown', beadId: 'b6', side: 'source' },
    ];
    ops.forEach((op, k) => {
      const at = `2026-01-01T00:00:0${k}.000Z`;
      record(op, applyOp(doc, op, { author: 'r', at }), at);
    });
    // Undo the last op, redo it, undo it again.
    const last = entries[entries.length - 1]!;
    record({ kind: 'undo', of: last.seq }, applyChange(doc, last.after!, last.before!), 'u1');
    record({ kind: 'redo', of: last.seq }, applyChange(doc, last.before!, last.after!), 'r1');
    record({ kind: 'undo', of: last.seq }, applyChange(doc, last.after!, last.before!), 'u2');
    const replayed = replayHistory(initial, entries);
    expect(replayed.beads).toEqual(doc.beads);
    expect(replayed.issues).toEqual(doc.issues);
    expect(replayed.target.sentences).toEqual(doc.target.sentences);
    expect(replayed.revision).toBe(entries.length);
  });
});

describe('proposeRealignment', () => {
  it('re-aligns each stretch between fixed rows (confirmed, flagged, aligned by hand), with new ids; rows it keeps stay', async () => {
    let doc = syntheticDocument(12);
    doc = applyOp(doc, { kind: 'confirm', beadId: 'b3' });
    doc = applyOp(doc, { kind: 'merge', beadId: 'b5' }); // b5 + b6, aligned by hand
    doc = applyOp(doc, { kind: 'flag', beadId: 'b9' });
    // A misalignment in the first stretch and one in the last: the aligner is asked to fix them.
    doc = applyOp(doc, { kind: 'shiftDown', beadId: 'b1', side: 'target' });
    doc = { ...doc, beads: doc.beads.map((b) => (b.origin === 'manual' && b.id !== 'b5' ? { ...b, origin: 'lexical' } : b)) };
    const fixed = doc.beads.filter((b) => b.status !== 'automatic' || b.origin === 'manual');
    expect(fixed.map((b) => b.id)).toEqual(['b3', 'b5', 'b9']);
    const op = await proposeRealignment(doc, await getModel('length', { a: 'en', b: 'zh' }));
    const next = applyOp(doc, op);
    for (const b of fixed) expect(next.beads.find((x) => x.id === b.id)).toEqual(b);
    expect(op.beads.every((b) => b.id.startsWith('n') && b.origin === 'length')).toBe(true);
    // Nothing of a fixed row is in the op.
    const fixedSentences = new Set(fixed.flatMap((b) => b.source));
    expect(op.beads.some((b) => b.source.some((s) => fixedSentences.has(s)))).toBe(false);
    // From a row: only the stretch from it to the next fixed row.
    const from = await proposeRealignment(doc, await getModel('length', { a: 'en', b: 'zh' }), { from: 'b7' });
    const inStretch = new Set(doc.beads.slice(doc.beads.findIndex((b) => b.id === 'b7'), doc.beads.findIndex((b) => b.id === 'b9')).flatMap((b) => b.source));
    expect(from.beads.every((b) => b.source.every((s) => inStretch.has(s)))).toBe(true);
    await expect(proposeRealignment(doc, await getModel('length', { a: 'en', b: 'zh' }), { from: 'b3' })).rejects.toThrow(/confirmed, flagged or aligned by hand/);
  });
});
