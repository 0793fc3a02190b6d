/** The pure parts of the pages: form → operation, diffs, confidence classes, the map, queries. */
import { describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { liveBack } from '../../server/web/controllers/change-answer.js';
import { opFromForm } from '../../server/web/controllers/op-form.js';
import { joinSentences } from '../../server/text/lang.js';
import { confClass } from '../../server/web/view-models/common.js';
import { diffText } from '../../server/web/view-models/diff.js';
import { buildMapVM } from '../../server/web/view-models/map.js';
import { buildReviewVM, pageOfBead, parseReviewQuery, queryString } from '../../server/web/view-models/review.js';
import { buildRowVM } from '../../server/web/view-models/row.js';
import { makeDoc } from './fixtures.js';

const doc = (n: number): ReviewDocument => ({ ...makeDoc(n), id: 'd1', revision: 3, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });

describe('opFromForm', () => {
  it('reads table buttons and named fields', () => {
    expect(opFromForm({ act: 'confirm:b1' })).toEqual({ kind: 'confirm', beadId: 'b1' });
    expect(opFromForm({ act: 'shiftDown:source:n4_1' })).toEqual({ kind: 'shiftDown', side: 'source', beadId: 'n4_1' });
    expect(opFromForm({ op: 'split', beadId: 'b2', sourceAt: '1', targetAt: '0' })).toEqual({ kind: 'split', beadId: 'b2', sourceAt: 1, targetAt: 0 });
    expect(opFromForm({ op: 'editTarget', sentence: '4', text: 'a\r\nb' })).toEqual({ kind: 'editTarget', sentence: 4, text: 'a\nb' });
    expect(opFromForm({ op: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: ' c ' })).toEqual({
      kind: 'addIssue',
      beadId: 'b1',
      category: 'Style',
      severity: 'minor',
      comment: 'c',
      // Forms go through parseOp like the JSON API: its op carries no span and no check.
      targetSpan: null,
      check: null,
    });
  });

  it('refuses what it does not know, with a message', () => {
    expect(() => opFromForm({ act: 'drop:b1' })).toThrow(/unknown action/);
    expect(() => opFromForm({ act: 'detach:left:b1' })).toThrow(/side must be source or target/);
    expect(() => opFromForm({ op: 'split', beadId: 'b1', sourceAt: '1x', targetAt: '0' })).toThrow(/whole number/);
    expect(() => opFromForm({ op: 'addIssue', beadId: 'b1', category: 'Nonsense', severity: 'minor' })).toThrow(/MQM category/);
    expect(() => opFromForm({})).toThrow(/no operation/);
  });
});

describe('liveBack', () => {
  const ids = new Set(['b1', 'b2', 'n 3']);
  it('keeps paths to rows that exist and paths that name no row', () => {
    expect(liveBack('/docs/d1/go/b1?filter=all', '/docs/d1', ids, [])).toEqual({ back: '/docs/d1/go/b1?filter=all', beadId: 'b1' });
    expect(liveBack('/docs/d1?page=2', '/docs/d1', ids, ['b2'])).toEqual({ back: '/docs/d1?page=2', beadId: null });
    expect(liveBack('/docs/d1/history', '/docs/d1', ids, ['b2'])).toEqual({ back: '/docs/d1/history', beadId: null });
    expect(liveBack('/docs/d1/rows/n%203', '/docs/d1', ids, [])).toEqual({ back: '/docs/d1/rows/n%203', beadId: 'n 3' });
  });
  it('points a gone row at the first candidate that exists (query kept), else at the review page', () => {
    expect(liveBack('/docs/d1/go/b9?filter=all', '/docs/d1', ids, ['b8', 'n 3', 'b1'])).toEqual({ back: '/docs/d1/go/n%203?filter=all', beadId: 'n 3' });
    expect(liveBack('/docs/d1/rows/b9', '/docs/d1', ids, ['b8'])).toEqual({ back: '/docs/d1', beadId: null });
    expect(liveBack('/docs/d1/go/%E0%A4', '/docs/d1', ids, ['b1'])).toEqual({ back: '/docs/d1', beadId: null });
  });
});

describe('diffs and classes', () => {
  it('diffs Chinese by characters and English by words', () => {
    expect(diffText('我们同意。', '我们都同意。', 'zh')).toEqual([
      { kind: 'eq', text: '我们' },
      { kind: 'ins', text: '都' },
      { kind: 'eq', text: '同意。' },
    ]);
    const en = diffText('We agree today.', 'We all agree today.', 'en');
    expect(en.filter((d) => d.kind === 'ins').map((d) => d.text.trim())).toEqual(['all']);
    expect(diffText('same', 'same', 'en')).toEqual([{ kind: 'eq', text: 'same' }]);
  });

  it('buckets confidence into ten classes and joins sentences per language', () => {
    expect([0, 0.05, 0.5, 0.99, 1, Number.NaN, 7].map(confClass)).toEqual(['conf-0', 'conf-0', 'conf-5', 'conf-9', 'conf-9', 'conf-0', 'conf-9']);
    expect(joinSentences(['一。', '二。'], 'zh-CN')).toBe('一。二。');
    expect(joinSentences(['One.', 'Two.'], 'en')).toBe('One. Two.');
  });
});

describe('review view model', () => {
  it('round-trips the query string and pages the rows', () => {
    const q = parseReviewQuery({ filter: 'unconfirmed', below: '0.4', q: 'x&y', page: '2', version: 'v1' });
    expect(q).toEqual({ filter: 'unconfirmed', below: 0.4, q: 'x&y', page: 2, version: 'v1' });
    expect(parseReviewQuery(Object.fromEntries(new URLSearchParams(queryString(q).slice(1))))).toEqual(q);
    expect(parseReviewQuery({ filter: 'evil', below: '7', page: '-1' })).toEqual({ filter: 'all', below: null, q: '', page: 1, version: null });
    const d = doc(1200);
    const vm = buildReviewVM(d, parseReviewQuery({ page: '3' }), null);
    expect(vm.pages).toBe(3);
    expect(vm.items.filter((i) => i.type === 'row')).toHaveLength(200);
    expect(pageOfBead(d, 'b1001', parseReviewQuery({}))).toBe(3);
    expect(vm.nextPageHref).toBeNull();
    expect(buildReviewVM(d, parseReviewQuery({ filter: 'unconfirmed' }), null).nextPageHref).toBe('/documents/d1?filter=unconfirmed&page=2');
  });

  it('marks edited sentences and adds open issues, then QA findings, as marks by name', () => {
    const d = doc(3);
    d.target.sentences[1] = { ...d.target.sentences[1]!, text: '改了。' };
    d.issues.push({ id: 'i1', beadId: 'b2', category: 'Terminology', severity: 'major', comment: 'term', targetSpan: null, origin: 'human', check: null, status: 'open', author: 'A', createdAt: '' });
    const vm = buildReviewVM(d, parseReviewQuery({}), [
      { check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'major', message: '3 ≠ 4', beadId: 'b2', sourceSpan: null, targetSpan: null },
    ]);
    const row = vm.items.find((i) => i.type === 'row' && i.id === 'b2');
    expect(row?.type === 'row' && row.target[0]!.edited).toBe(true);
    expect(row?.type === 'row' && row.target[0]!.original).toBe(d.target.sentences[1]!.original);
    expect(row?.type === 'row' && row.marks.map((m) => `${m.kind}:${m.by}:${m.name}:${m.icon}:${m.text}`)).toEqual(['issue:reviewer:Terminology:▲:term', 'finding:qa:Mistranslation:▲:3 ≠ 4']);
  });

  it('does not repeat a finding already dismissed or turned into an issue', () => {
    const d = doc(2);
    const finding = { check: 'numbers', category: 'Accuracy/Mistranslation' as const, severity: 'major' as const, message: '3 ≠ 4', beadId: 'b1', sourceSpan: null, targetSpan: null };
    d.issues.push({ id: 'i1', beadId: 'b1', category: finding.category, severity: 'major', comment: finding.message, targetSpan: null, origin: 'automatic', check: 'numbers', status: 'dismissed', author: 'A', createdAt: '' });
    const vm = buildReviewVM(d, parseReviewQuery({}), [finding, { ...finding, beadId: 'b2' }]);
    const marks = vm.items.flatMap((i) => (i.type === 'row' ? i.marks.map((m) => `${i.id}:${m.kind}`) : []));
    expect(marks).toEqual(['b2:finding']);
  });

  it("orders a row's marks as the QA report does: most serious first, a document-wide kind as one mark with its count", () => {
    const d = doc(2);
    d.issues.push({ id: 'i1', beadId: 'b1', category: 'Style', severity: 'minor', comment: 'tone', targetSpan: null, origin: 'human', check: null, status: 'open', author: 'A', createdAt: '' });
    const at = (start: number) => ({ start, end: start + 1 });
    const punct = { check: 'punctuation', category: 'Fluency/Punctuation' as const, severity: 'minor' as const, beadId: 'b1', sourceSpan: null, group: { kind: 'halfwidth', title: 'Half-width punctuation' } };
    const vm = buildReviewVM(d, parseReviewQuery({}), [
      { ...punct, message: 'half-width ","', targetSpan: at(1) },
      { check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'major', message: '3 ≠ 4', beadId: 'b1', sourceSpan: null, targetSpan: null },
      { ...punct, message: 'half-width ";"', targetSpan: at(3) },
      { check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'critical', message: '2020 ≠ 2021', beadId: 'b1', sourceSpan: null, targetSpan: null },
    ]);
    const row = vm.items.find((i) => i.type === 'row' && i.id === 'b1');
    expect(row?.type === 'row' && row.marks.map((m) => `${m.severity}:${m.kind}:${m.text}`)).toEqual([
      'critical:finding:2020 ≠ 2021',
      'major:finding:3 ≠ 4',
      'minor:issue:tone',
      'minor:finding:Half-width punctuation (2×)',
    ]);
  });

  it('offers every split point and a split that leaves both parts non-empty by default', () => {
    const vm = buildRowVM(doc(3), 'b2');
    expect(vm?.sourceSplits).toEqual([0, 1]);
    expect([vm?.targetSplitDefault, vm?.sourceSplitDefault]).toEqual([1, 0]);
    expect(buildRowVM(doc(3), 'nope')).toBeNull();
  });
});

describe('alignment map', () => {
  it('draws one linked segment per bead, empty sides as steps', () => {
    const d = doc(3);
    d.beads = [
      { ...d.beads[0]!, source: [0], target: [] },
      { ...d.beads[1]!, source: [1, 2], target: [0, 1, 2], status: 'flagged' },
    ];
    const map = buildMapVM(d, (id) => `/go/${id}`);
    expect(map.segments.map((s) => s.d)).toEqual(['M0 0L0 1', 'M0 1L3 3']);
    expect(map.segments.map((s) => s.href)).toEqual(['/go/b1', '/go/b2']);
    expect(map.segments[1]!.flagged).toBe(true);
  });
});
