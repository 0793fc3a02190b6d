import { describe, expect, it } from 'vitest';
import type { Finding, ReviewIssue } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { addIssueOp, findingStatus } from '../../server/qa/finding-state.js';
import { findingKey, pairsFromDocument, runChecks } from '../../server/qa/index.js';
import { countFindings, findingRows, groupFindings, reportFindings, rowsToCsv, rowsToText, SEVERITY_ORDER } from '../../server/qa/report.js';
import { pair } from './helpers.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  check: 'untranslated',
  category: 'Accuracy/Untranslated',
  severity: 'major',
  message: 'Untranslated English "and" in the Chinese text',
  beadId: 'b1',
  sourceSpan: null,
  targetSpan: { start: 5, end: 8 },
  ...over,
});

describe('report rows', () => {
  it('flattens findings with paragraph and spanned text; CSV quotes and neutralises formulas', () => {
    const p = { ...pair('whenever and wherever', '无论何时 and 何地'), id: 'b1', paragraph: '23' };
    const rows = findingRows([finding(), finding({ message: '=HYPERLINK("x")', targetSpan: null })], [p]);
    expect(rows[0]).toMatchObject({ paragraph: '23', row: 1, bead: 'b1', check: 'untranslated', target_span: [5, 8], target_text: 'and' });
    const csv = rowsToCsv(rows).split('\r\n');
    expect(csv[0]).toBe('paragraph,row,bead,check,category,severity,message,source_span,target_span,source_text,target_text,rows');
    expect(csv[1]).toContain('"Untranslated English ""and"" in the Chinese text"');
    expect(csv[2]).toContain(`"'=HYPERLINK(""x"")"`);
    // People read row numbers (positions), not ids.
    expect(rowsToText(rows)).toContain('row 1 ¶23\tmajor\tuntranslated');
  });

  it('counts per check, category and severity', () => {
    const c = countFindings([finding(), finding({ check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'minor' }), finding()]);
    expect(c.byCheck).toEqual({ untranslated: 2, numbers: 1 });
    expect(c.bySeverity).toEqual({ major: 2, minor: 1 });
    expect(c.byCategory['Accuracy/Untranslated']).toBe(2);
  });
});

describe('finding state', () => {
  const issue = (over: Partial<ReviewIssue>): ReviewIssue => ({
    id: 'i1', beadId: 'b1', category: 'Accuracy/Untranslated', severity: 'major', comment: finding().message,
    targetSpan: { start: 5, end: 8 }, origin: 'automatic', check: 'untranslated', status: 'open', author: 'a', createdAt: '',
    ...over,
  });
  it('is open until an issue records it, then issue or dismissed', () => {
    expect(findingStatus(finding(), [])).toBe('open');
    expect(findingStatus(finding(), [issue({})])).toBe('issue');
    expect(findingStatus(finding(), [issue({ status: 'dismissed' })])).toBe('dismissed');
    expect(findingStatus(finding(), [issue({ targetSpan: { start: 0, end: 1 } })])).toBe('open');
    expect(findingStatus(finding(), [issue({ origin: 'human', check: null })])).toBe('open');
  });
  it('builds the addIssue op and a stable key', () => {
    expect(addIssueOp(finding())).toEqual({ kind: 'addIssue', beadId: 'b1', category: 'Accuracy/Untranslated', severity: 'major', comment: finding().message, targetSpan: { start: 5, end: 8 }, check: 'untranslated' });
    expect(findingKey(finding())).toBe(findingKey(finding()));
    expect(findingKey(finding())).not.toBe(findingKey(finding({ message: 'other' })));
  });
});

describe('pairs from a review document', () => {
  it('joins sentences per bead, labels paragraphs and runs the checks on the corrected target', async () => {
    const en = '1. They met in Moscow. They talked.\n\n2. The Ministers reaffirmed their commitment.';
    const zh = '1. 他们在莫斯科会晤。他们进行了会谈。\n\n2. 双方重申了承诺。';
    const doc = reviewDocumentFromAlignment(await alignTexts(en, zh, { aLang: 'en', bLang: 'zh', model: 'length' }), { name: 't', sourceSide: 'a' });
    const pairs = pairsFromDocument(doc);
    expect(pairs.map((p) => p.paragraph)).toEqual(pairs.map((p) => (p.source.includes('Ministers') ? '2' : '1')));
    const last = pairs.at(-1)!;
    expect(last.target).toContain('双方');
    expect(runChecks(doc, undefined, { only: ['terminology'] }).some((f) => f.check === 'terminology' && f.beadId === last.id)).toBe(true);
    // A finding made into an issue (or dismissed) is no longer returned, unless asked for.
    const f = runChecks(doc, undefined, { only: ['terminology'] }).find((x) => x.beadId === last.id)!;
    const decided = { ...doc, issues: [{ id: 'i1', ...addIssueOp(f), targetSpan: f.targetSpan, check: f.check, origin: 'automatic' as const, status: 'dismissed' as const, author: 'a', createdAt: '' }] };
    expect(runChecks(decided, undefined, { only: ['terminology'] }).some((x) => x.beadId === last.id)).toBe(false);
    expect(runChecks(decided, undefined, { only: ['terminology'], includeDecided: true }).some((x) => x.beadId === last.id)).toBe(true);
    // A reviewer's correction removes the finding.
    const s = doc.target.sentences.find((x) => x.text.includes('双方'))!;
    const fixed = { ...doc, target: { ...doc.target, sentences: doc.target.sentences.map((x) => (x === s ? { ...x, text: x.text.replace('双方', '外长们') } : x)) } };
    expect(runChecks(fixed, undefined, { only: ['terminology'] }).some((f) => f.check === 'terminology' && f.beadId === last.id)).toBe(false);
  });
});

describe('the report: grouped, most serious first', () => {
  const halfWidth = { kind: 'punctuation/half-width', title: 'Half-width punctuation next to Chinese text' };
  const hw = (beadId: string, start: number) => finding({ check: 'punctuation', category: 'Fluency/Punctuation', severity: 'minor', message: 'Half-width ","', beadId, targetSpan: { start, end: start + 1 }, group: halfWidth });
  const pairs = ['b1', 'b2', 'b3'].map((id, i) => ({ ...pair('x', 'y'), id, paragraph: String(i + 1) }));

  it('makes one finding of a document-wide kind, listing its places, at its first place', () => {
    const g = groupFindings([hw('b1', 3), finding({ beadId: 'b2' }), hw('b2', 5), hw('b3', 1)]);
    expect(g).toHaveLength(2);
    expect(g[0]).toMatchObject({ message: halfWidth.title, beadId: 'b1', targetSpan: null, severity: 'minor' });
    expect(g[0]?.occurrences?.map((o) => o.beadId)).toEqual(['b1', 'b2', 'b3']);
    expect(g[1]?.check).toBe('untranslated');
    const rows = findingRows(g, pairs);
    expect(rows[0]?.rows).toEqual(['¶1', '¶2', '¶3']);
    expect(rowsToText(rows)).toContain('document\tminor\tpunctuation\tHalf-width punctuation next to Chinese text: 3× in ¶1 ¶2 ¶3');
  });

  it('puts critical, then major, then minor findings first, in document order within each', () => {
    const r = reportFindings([hw('b1', 0), finding({ beadId: 'b3' }), finding({ beadId: 'b2', severity: 'minor' }), finding({ beadId: 'b2', severity: 'critical' }), finding({ beadId: 'b1' })], pairs);
    expect(r.map((f) => `${f.severity}:${f.beadId}`)).toEqual(['critical:b2', 'major:b1', 'major:b3', 'minor:b1', 'minor:b2']);
    expect(SEVERITY_ORDER).toEqual(['critical', 'major', 'minor']);
  });

  it('decides a document-wide kind once: its grouped finding and each of its places follow the decision', () => {
    const [grouped] = groupFindings([hw('b1', 3), hw('b2', 5)]);
    const op = addIssueOp(grouped!);
    expect(op).toMatchObject({ beadId: 'b1', comment: halfWidth.title, targetSpan: null, check: 'punctuation' });
    const dismissed: ReviewIssue = { id: 'i9', ...op, targetSpan: null, check: 'punctuation', origin: 'automatic', status: 'dismissed', author: 'a', createdAt: '' };
    expect(findingStatus(grouped!, [dismissed])).toBe('dismissed');
    expect(findingStatus(hw('b2', 5), [dismissed])).toBe('dismissed');
    // The first place fixed: the kind stays decided (its key and status do not hang on the first row).
    const [later] = groupFindings([hw('b2', 5)]);
    expect(findingStatus(later!, [dismissed])).toBe('dismissed');
    expect(findingKey(later!)).toBe(findingKey(grouped!));
  });
});
