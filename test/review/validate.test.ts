import { describe, expect, it } from 'vitest';
import { OpValidationError, parseOp } from '../../server/review/index.js';

describe('parseOp', () => {
  it('accepts every op kind with its fields', () => {
    const ops = [
      { kind: 'confirm', beadId: 'b1' },
      { kind: 'unconfirm', beadId: 'b1' },
      { kind: 'confirmAbove', beadId: 'b1' },
      { kind: 'merge', beadId: 'b1' },
      { kind: 'flag', beadId: 'n3_1' },
      { kind: 'split', beadId: 'b1', sourceAt: 1, targetAt: 0 },
      { kind: 'shiftUp', beadId: 'b1', side: 'source' },
      { kind: 'shiftDown', beadId: 'b1', side: 'target' },
      { kind: 'detach', beadId: 'b1', side: 'target' },
      { kind: 'editTarget', sentence: 3, text: '新的' },
      { kind: 'splitSentence', side: 'target', sentence: 3, at: 2 },
      { kind: 'joinSentence', side: 'source', sentence: 0 },
      { kind: 'setIssueStatus', issueId: 'i4', status: 'dismissed' },
      { kind: 'realign', beads: [{ id: 'r1', source: [0], target: [0, 1], confidence: 0.5, status: 'automatic', origin: 'lexical' }] },
    ];
    for (const op of ops) expect(parseOp(op)).toEqual(op);
    expect(parseOp({ kind: 'addIssue', beadId: 'b1', category: 'Terminology', severity: 'major', comment: 'c' })).toEqual({
      kind: 'addIssue', beadId: 'b1', category: 'Terminology', severity: 'major', comment: 'c', targetSpan: null, check: null,
    });
  });

  it('refuses unknown kinds, unknown fields, wrong types and path-like ids', () => {
    const bad: unknown[] = [
      // A split at character 0 would leave the first part empty; scores are the server's, not a client's.
      { kind: 'splitSentence', side: 'target', sentence: 0, at: 0 },
      { kind: 'joinSentence', side: 'middle', sentence: 0 },
      { kind: 'merge', beadId: 'b1', scores: [{ source: [0], target: [0], confidence: 1 }] },
      null,
      [],
      { kind: 'explode', beadId: 'b1' },
      { kind: 'confirm', beadId: 'b1', extra: 1 },
      { kind: 'confirm', beadId: '../etc/passwd' },
      { kind: 'confirm', beadId: 7 },
      { kind: 'split', beadId: 'b1', sourceAt: '1', targetAt: 0 },
      { kind: 'split', beadId: 'b1', sourceAt: -1, targetAt: 0 },
      { kind: 'split', beadId: 'b1', sourceAt: 1.5, targetAt: 0 },
      { kind: 'shiftUp', beadId: 'b1', side: 'left' },
      { kind: 'editTarget', sentence: 1 },
      { kind: 'editTarget', sentence: 1, text: 'x'.repeat(20_001) },
      { kind: 'addIssue', beadId: 'b1', category: 'Bad', severity: 'minor', comment: '' },
      { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'huge', comment: '' },
      { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: '', targetSpan: { start: 3, end: 1 } },
      { kind: 'setIssueStatus', issueId: 'i1', status: 'gone' },
      { kind: 'realign', beads: [{ id: 'r1', source: [0], target: [], confidence: 2, status: 'automatic', origin: 'x' }] },
    ];
    for (const op of bad) expect(() => parseOp(op), JSON.stringify(op)).toThrow(OpValidationError);
    expect(() => parseOp({ kind: 'confirm', beadId: 'b1', extra: 1 })).toThrow(/unknown field "extra"/);
  });
});
