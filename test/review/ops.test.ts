import { describe, expect, it } from 'vitest';
import type { AlignmentResult, ReviewDocument, ReviewOp } from '../../server/domain.js';
import {
  applyChange,
  applyOp,
  checkInvariants,
  diffDocuments,
  reviewDocumentFromAlignment,
  syntheticDocument,
} from '../../server/review/index.js';
import { InvalidOperationError, NotFoundError } from '../../server/store/store.js';

const doc = (): ReviewDocument => syntheticDocument(10);
const ids = (d: ReviewDocument): string[] => d.beads.map((b) => b.id);
const shape = (d: ReviewDocument): string => d.beads.map((b) => `${b.source.join('+')}|${b.target.join('+')}`).join(' ');
const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences });

/** Applies op, checks the input is untouched and the change undoes and redoes exactly. */
function roundTrip(d: ReviewDocument, op: ReviewOp): ReviewDocument {
  const before = JSON.stringify(d);
  const next = applyOp(d, op, { author: 'tester', at: '2026-01-02T00:00:00.000Z' });
  expect(JSON.stringify(d)).toBe(before);
  checkInvariants(next);
  const change = diffDocuments(d, next);
  expect(state(applyChange(next, change.after, change.before))).toEqual(state(d));
  expect(state(applyChange(d, change.before, change.after))).toEqual(state(next));
  return next;
}

describe('applyOp', () => {
  it('confirm, unconfirm and flag set the status of one row only', () => {
    const d = doc();
    const c = roundTrip(d, { kind: 'confirm', beadId: 'b2' });
    expect(c.beads[1]!.status).toBe('confirmed');
    expect(c.beads.filter((b) => b.status !== 'automatic')).toHaveLength(1);
    const f = roundTrip(c, { kind: 'flag', beadId: 'b2' });
    expect(f.beads[1]!.status).toBe('flagged');
    const u = roundTrip(f, { kind: 'unconfirm', beadId: 'b2' });
    expect(u.beads[1]!.status).toBe('automatic');
    expect(diffDocuments(c, c).beadIds).toEqual([]);
  });

  it('confirmAbove confirms every automatic row up to and including this one, keeps flags', () => {
    let d = roundTrip(doc(), { kind: 'flag', beadId: 'b2' });
    d = roundTrip(d, { kind: 'confirmAbove', beadId: 'b4' });
    expect(d.beads.slice(0, 4).map((b) => b.status)).toEqual(['confirmed', 'flagged', 'confirmed', 'confirmed']);
    expect(d.beads.slice(4).every((b) => b.status === 'automatic')).toBe(true);
    expect(diffDocuments(doc(), d).beadIds.sort()).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('merge joins a row with the next, keeps the first id and moves issues', () => {
    let d = roundTrip(doc(), { kind: 'addIssue', beadId: 'b3', category: 'Terminology', severity: 'minor', comment: 'x' });
    d = roundTrip(d, { kind: 'merge', beadId: 'b2' });
    expect(ids(d).slice(0, 3)).toEqual(['b1', 'b2', 'b4']);
    expect(d.beads[1]!.source).toEqual([1, 2]);
    expect(d.beads[1]!.origin).toBe('manual');
    expect(d.issues[0]!.beadId).toBe('b2');
    expect(() => applyOp(d, { kind: 'merge', beadId: 'b10' })).toThrow(InvalidOperationError);
  });

  it('split divides a row between sentences and refuses empty parts', () => {
    const d = doc(); // b4 is 1-2: source [3], target [3, 4]
    expect(d.beads[3]!.target).toEqual([3, 4]);
    const s = roundTrip(d, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 });
    expect(s.beads[3]).toMatchObject({ id: 'b4', source: [3], target: [3] });
    expect(s.beads[4]).toMatchObject({ source: [], target: [4] });
    expect(s.beads[4]!.id).not.toBe('b4');
    expect(() => applyOp(d, { kind: 'split', beadId: 'b4', sourceAt: 0, targetAt: 0 })).toThrow(/at least one sentence/);
    expect(() => applyOp(d, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 2 })).toThrow(/at least one sentence/);
    expect(() => applyOp(d, { kind: 'split', beadId: 'b4', sourceAt: 2, targetAt: 1 })).toThrow(/outside/);
  });

  it('shiftUp moves the first sentence of a side to the row above; an emptied row disappears', () => {
    const d = doc();
    const s = roundTrip(d, { kind: 'shiftUp', beadId: 'b3', side: 'target' });
    expect(s.beads[1]!.target).toEqual([1, 2]);
    expect(s.beads[2]).toMatchObject({ id: 'b3', source: [2], target: [] });
    const gone = roundTrip(s, { kind: 'shiftUp', beadId: 'b3', side: 'source' });
    expect(ids(gone)).not.toContain('b3');
    expect(gone.beads[1]).toMatchObject({ id: 'b2', source: [1, 2], target: [1, 2] });
    expect(() => applyOp(d, { kind: 'shiftUp', beadId: 'b1', side: 'source' })).toThrow(/first row/);
    expect(() => applyOp(s, { kind: 'shiftUp', beadId: 'b3', side: 'target' })).toThrow(/no target/);
  });

  it('shiftDown moves the last sentence of a side to the row below', () => {
    const d = doc();
    const s = roundTrip(d, { kind: 'shiftDown', beadId: 'b4', side: 'target' });
    expect(s.beads[3]!.target).toEqual([3]);
    expect(s.beads[4]!.target).toEqual([4, 5]);
    expect(() => applyOp(d, { kind: 'shiftDown', beadId: 'b10', side: 'target' })).toThrow(/last row/);
  });

  it('detach moves a side into its own 1-0 / 0-1 row', () => {
    const d = doc();
    const s = roundTrip(d, { kind: 'detach', beadId: 'b2', side: 'target' });
    expect(s.beads[1]).toMatchObject({ id: 'b2', source: [1], target: [] });
    expect(s.beads[2]).toMatchObject({ source: [], target: [1] });
    expect(shape(s).split(' ')).toHaveLength(11);
    expect(() => applyOp(s, { kind: 'detach', beadId: 'b2', side: 'source' })).toThrow(/no target counterpart/);
  });

  it('editTarget changes the text and keeps the machine original', () => {
    const d = doc();
    const e = roundTrip(d, { kind: 'editTarget', sentence: 2, text: '改过的<script>&"句子"。' });
    expect(e.target.sentences[2]!.text).toBe('改过的<script>&"句子"。');
    expect(e.target.sentences[2]!.original).toBe(d.target.sentences[2]!.text);
    expect(diffDocuments(d, e).beadIds).toEqual(['b3']);
    expect(() => applyOp(d, { kind: 'editTarget', sentence: 999, text: 'x' })).toThrow(NotFoundError);
  });

  it('addIssue and setIssueStatus record reviewer issues', () => {
    const d = doc();
    const a = roundTrip(d, { kind: 'addIssue', beadId: 'b5', category: 'Accuracy/Omission', severity: 'major', comment: 'missing clause', targetSpan: { start: 0, end: 2 } });
    expect(a.issues[0]).toMatchObject({ beadId: 'b5', category: 'Accuracy/Omission', severity: 'major', origin: 'human', status: 'open', author: 'tester' });
    const r = roundTrip(a, { kind: 'setIssueStatus', issueId: a.issues[0]!.id, status: 'resolved' });
    expect(r.issues[0]!.status).toBe('resolved');
    expect(() => applyOp(d, { kind: 'setIssueStatus', issueId: 'nope', status: 'resolved' })).toThrow(NotFoundError);
    expect(() => applyOp(d, { kind: 'addIssue', beadId: 'b5', category: 'Bogus' as never, severity: 'minor', comment: '' })).toThrow(/category/);
  });

  it('realign replaces the rows after the last confirmed one and keeps the fixed rows', () => {
    let d = roundTrip(doc(), { kind: 'confirm', beadId: 'b3' });
    d = roundTrip(d, { kind: 'addIssue', beadId: 'b6', category: 'Style', severity: 'minor', comment: '' });
    // Rows after b3 hold source 3…9 and target 3…10 (b4 is 1-2); re-align them as one big row.
    expect(d.target.sentences).toHaveLength(11);
    const tail = { id: 'r1', source: [3, 4, 5, 6, 7, 8, 9], target: [3, 4, 5, 6, 7, 8, 9, 10], confidence: 0.5, status: 'automatic' as const, origin: 'length' };
    const r = roundTrip(d, { kind: 'realign', beads: [tail] });
    expect(ids(r)).toEqual(['b1', 'b2', 'b3', 'r1']);
    expect(r.issues[0]!.beadId).toBe('r1');
    expect(() => applyOp(d, { kind: 'realign', beads: [{ ...tail, source: [3, 4] }] })).toThrow(/in no row/);
    expect(() => applyOp(d, { kind: 'realign', beads: [{ ...tail, id: 'b1' }] })).toThrow(/fixed row/);
  });

  it('an unknown row is a NotFoundError', () => {
    expect(() => applyOp(doc(), { kind: 'confirm', beadId: 'zz' })).toThrow(NotFoundError);
  });

  it('new ids are deterministic: the same op on the same document gives the same result', () => {
    const op: ReviewOp = { kind: 'detach', beadId: 'b2', side: 'source' };
    expect(applyOp(doc(), op)).toEqual(applyOp(doc(), op));
  });
});

describe('checkInvariants', () => {
  it('refuses out-of-order, missing, duplicated sentences and empty rows', () => {
    const d = doc();
    const swap = { ...d, beads: [d.beads[1]!, d.beads[0]!, ...d.beads.slice(2)] };
    expect(() => checkInvariants(swap)).toThrow(/not where expected/);
    expect(() => checkInvariants({ ...d, beads: d.beads.slice(0, -1) })).toThrow(/in no row/);
    expect(() => checkInvariants({ ...d, beads: [...d.beads, { ...d.beads[0]!, id: 'x', source: [], target: [] }] })).toThrow(/empty/);
    expect(() => checkInvariants({ ...d, beads: d.beads.map((b, i) => (i === 1 ? { ...b, id: 'b1' } : b)) })).toThrow(/twice/);
  });
});

describe('reviewDocumentFromAlignment', () => {
  const side = (lang: string, texts: string[]) => ({
    lang,
    text: texts.join(' '),
    paragraphs: [{ index: 0, kind: 'plain' as const, number: null, text: texts.join(' '), spans: [{ start: 0, end: 1 }] }],
    sentences: texts.map((text, index) => ({ index, paragraph: 0, text, start: 0, end: text.length })),
  });
  const result: AlignmentResult = {
    model: 'lexical',
    a: side('zh', ['甲。', '乙。', '丙。']),
    b: side('en', ['A.', 'B and C.']),
    paragraphPairs: [{ a: [0], b: [0], method: 'whole' }],
    unpaired: { a: [], b: [] },
    beads: [
      { a: [0], b: [0], confidence: 0.9 },
      { a: [1, 2], b: [1], confidence: 1.7 },
    ],
  };

  it('maps the aligner side holding English to source, Chinese to target', () => {
    const d = reviewDocumentFromAlignment(result, { name: 'n', sourceSide: 'b' });
    expect(d.source.lang).toBe('en');
    expect(d.target.lang).toBe('zh');
    expect(d.beads[1]).toMatchObject({ id: 'b2', source: [1], target: [1, 2], status: 'automatic', origin: 'lexical', confidence: 1 });
    expect(d.target.sentences[0]).toMatchObject({ text: '甲。', original: '甲。' });
    expect(d.model).toBe('lexical');
    const same = reviewDocumentFromAlignment(result, { name: 'n', sourceSide: 'a' });
    expect(same.source.lang).toBe('zh');
    expect(same.beads[1]!.source).toEqual([1, 2]);
  });
});

describe('issue spans', () => {
  it('are checked against the row\'s target text', () => {
    const doc = { ...syntheticDocument(3), id: 'd', revision: 0, createdAt: '', updatedAt: '' };
    const row = doc.beads[0]!;
    const length = doc.target.sentences[row.target[0]!]!.text.length;
    const issue = (start: number, end: number) => ({ kind: 'addIssue' as const, beadId: row.id, category: 'Terminology' as const, severity: 'minor' as const, comment: '', targetSpan: { start, end }, check: null });
    expect(applyOp(doc, issue(0, length)).issues).toHaveLength(1);
    expect(() => applyOp(doc, issue(0, length + 1))).toThrow(/outside the row's target text/);
    expect(() => applyOp(doc, issue(length + 5, length + 9))).toThrow(InvalidOperationError);
  });
});
