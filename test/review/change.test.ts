import { describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { applyChange, applyOp, diffDocuments, syntheticDocument } from '../../server/review/index.js';
import { InvalidOperationError } from '../../server/store/store.js';

const at = '2026-01-02T00:00:00.000Z';
const withIssues = (): ReviewDocument => {
  let d = syntheticDocument(5);
  d = applyOp(d, { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: 'one' }, { author: 'a', at });
  return { ...applyOp({ ...d, revision: 1 }, { kind: 'addIssue', beadId: 'b2', category: 'Style', severity: 'minor', comment: 'two' }, { author: 'a', at }), revision: 2 };
};

describe('applyChange refuses a change that does not fit the document', () => {
  it('issues: an issue window that is not there is refused, not spliced over other issues', () => {
    const d = withIssues();
    const next = applyOp(d, { kind: 'setIssueStatus', issueId: d.issues[1]!.id, status: 'resolved' });
    const change = diffDocuments(d, next);
    expect(change.after.issues!.at).toBe(1);
    // The recorded change, undone on a document whose issue 2 is not the one recorded (e.g. a
    // history entry from a file that does not fit): before the fix, issue 2 was silently replaced.
    const other = { ...next, issues: [next.issues[0]!, { ...next.issues[1]!, comment: 'edited elsewhere' }] };
    expect(() => applyChange(other, change.after, change.before)).toThrow(InvalidOperationError);
    const shorter = { ...next, issues: [next.issues[0]!] };
    expect(() => applyChange(shorter, change.after, change.before)).toThrow(InvalidOperationError);
    // On the document it was made on, it undoes exactly.
    expect(applyChange(next, change.after, change.before).issues).toEqual(d.issues);
  });

  it('issues compare field by field: the same issue with its keys in another order fits', () => {
    const d = withIssues();
    const next = applyOp(d, { kind: 'setIssueStatus', issueId: d.issues[1]!.id, status: 'dismissed' });
    const change = diffDocuments(d, next);
    const reordered = Object.fromEntries(Object.entries(next.issues[1]!).reverse()) as unknown as ReviewDocument['issues'][number];
    const doc = { ...next, issues: [next.issues[0]!, reordered] };
    expect(applyChange(doc, change.after, change.before).issues).toEqual(d.issues);
  });

  it('target text: an edit is not undone over a text that changed since', () => {
    const d = syntheticDocument(5);
    const next = applyOp(d, { kind: 'editTarget', sentence: 2, text: '改' });
    const change = diffDocuments(d, next);
    const sentences = next.target.sentences.slice();
    sentences[2] = { ...sentences[2]!, text: '别人改的' };
    const other = { ...next, target: { ...next.target, sentences } };
    expect(() => applyChange(other, change.after, change.before)).toThrow(InvalidOperationError);
    expect(applyChange(next, change.after, change.before).target.sentences).toEqual(d.target.sentences);
  });
});
