/**
 * Segmentation fixes (split a sentence at a character, join it with the next) as pure ops: the
 * sentences and rows below are renumbered, offsets stay in the text, the machine output is split
 * alike, and the recorded change (a sentence window) undoes, redoes and replays exactly.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../../server/domain.js';
import { applyChange, applyOp, checkInvariants, diffDocuments, mapOffset, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { InvalidOperationError, NotFoundError } from '../../server/review/errors.js';

const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, source: d.source.sentences, target: d.target.sentences });

function roundTrip(d: ReviewDocument, op: ReviewOp): ReviewDocument {
  const next = applyOp(d, op);
  checkInvariants(next);
  for (const side of ['source', 'target'] as const) {
    next[side].sentences.forEach((s, i) => {
      expect(s.index).toBe(i);
    });
  }
  const change = diffDocuments(d, next);
  expect(state(applyChange(next, change.after, change.before))).toEqual(state(d));
  expect(state(applyChange(d, change.before, change.after))).toEqual(state(next));
  return next;
}

describe('splitSentence and joinSentence', () => {
  it('split a Chinese sentence at a character: two sentences in the same row, the rows below renumbered', () => {
    const d = syntheticDocument(6);
    const s = d.target.sentences[1]!;
    const next = roundTrip(d, { kind: 'splitSentence', side: 'target', sentence: 1, at: 4 });
    expect(next.target.sentences).toHaveLength(d.target.sentences.length + 1);
    expect(next.target.sentences[1]).toMatchObject({ text: s.text.slice(0, 4), original: s.text.slice(0, 4), start: s.start, end: s.start + 4 });
    expect(next.target.sentences[2]).toMatchObject({ text: s.text.slice(4), original: s.text.slice(4), start: s.start + 4, end: s.end });
    expect(next.beads[1]!.target).toEqual([1, 2]);
    expect(next.beads[2]!.target).toEqual([3]);
    // The text of the side is not touched: every sentence is still its own span of it.
    for (const x of next.target.sentences) expect(next.target.text.slice(x.start, x.end)).toBe(x.text);
    expect(next.beads[0]).toBe(d.beads[0]); // rows above are shared, not copied
  });

  it('split an English sentence: the parts lose the space between them; offsets follow collapsed whitespace', () => {
    const d = syntheticDocument(3);
    const text = d.source.sentences[0]!.text; // "Sentence 1 says that …"
    const at = text.indexOf('says');
    const next = roundTrip(d, { kind: 'splitSentence', side: 'source', sentence: 0, at });
    expect(next.source.sentences[0]!.text).toBe('Sentence 1');
    expect(next.source.sentences[1]!.text).toBe(text.slice(at));
    expect(next.beads[0]!.source).toEqual([0, 1]);
    expect(mapOffset('a b', 'a \n  b', 2)).toBe(5);
    expect(mapOffset('ab', 'xy', 1)).toBeNull();
  });

  it('an edited sentence splits its machine output at the same share of its length', () => {
    let d = syntheticDocument(3);
    d = applyOp(d, { kind: 'editTarget', sentence: 0, text: '甲乙丙丁戊己' });
    const original = d.target.sentences[0]!.original;
    const next = roundTrip(d, { kind: 'splitSentence', side: 'target', sentence: 0, at: 3 });
    const cut = Math.round((3 * original.length) / 6);
    expect([next.target.sentences[0]!.text, next.target.sentences[1]!.text]).toEqual(['甲乙丙', '丁戊己']);
    expect([next.target.sentences[0]!.original, next.target.sentences[1]!.original]).toEqual([original.slice(0, cut), original.slice(cut)]);
  });

  it('join: only sentences of one row and one paragraph; the join undoes the split', () => {
    const d = syntheticDocument(6); // row 4 (b4) is 1-2
    const joined = roundTrip(d, { kind: 'joinSentence', side: 'target', sentence: 3 });
    expect(joined.target.sentences[3]!.text).toBe(d.target.sentences[3]!.text + d.target.sentences[4]!.text);
    expect(joined.target.sentences[3]!.original).toBe(d.target.sentences[3]!.original + d.target.sentences[4]!.original);
    expect(joined.beads[3]!.target).toEqual([3]);
    expect(joined.beads[4]!.target).toEqual([4]);
    const split = applyOp(joined, { kind: 'splitSentence', side: 'target', sentence: 3, at: d.target.sentences[3]!.text.length });
    expect(state(split)).toEqual(state(d));
    expect(() => applyOp(d, { kind: 'joinSentence', side: 'target', sentence: 0 })).toThrow(/different rows: merge the rows first/);
    expect(() => applyOp(d, { kind: 'joinSentence', side: 'source', sentence: 5 })).toThrow(InvalidOperationError);
    expect(() => applyOp(d, { kind: 'splitSentence', side: 'target', sentence: 0, at: 0 })).toThrow(/outside/);
    expect(() => applyOp(d, { kind: 'splitSentence', side: 'target', sentence: 99, at: 1 })).toThrow(NotFoundError);
  });

  it('replays: a history of splits, joins, edits and an undo rebuilds the same document', () => {
    const initial = syntheticDocument(8);
    let doc = initial;
    const entries: HistoryEntry[] = [];
    const record = (op: HistoryEntry['op'], next: ReviewDocument): void => {
      const change = diffDocuments(doc, next);
      entries.push({ seq: entries.length + 1, documentId: 'd', revision: doc.revision + 1, author: 'r', at: 'x', op, beadIds: change.beadIds, before: change.before, after: change.after });
      doc = { ...next, revision: doc.revision + 1, updatedAt: 'x' };
    };
    for (const op of [
      { kind: 'splitSentence', side: 'source', sentence: 2, at: 9 },
      { kind: 'editTarget', sentence: 5, text: '改了' },
      { kind: 'joinSentence', side: 'source', sentence: 2 },
      { kind: 'merge', beadId: 'b6' },
      { kind: 'splitSentence', side: 'target', sentence: 0, at: 2 },
    ] as ReviewOp[]) {
      record(op, applyOp(doc, op));
    }
    const last = entries.at(-1)!;
    record({ kind: 'undo', of: last.seq }, applyChange(doc, last.after!, last.before!));
    expect(state(replayHistory(initial, entries))).toEqual(state(doc));
  });
});
