/**
 * The change an operation made, as the touched part of the document before and after: the range of
 * rows that differ (a splice), the range of issues that differ, and the edited target sentences.
 * Stored in the history; undo applies `before` over `after`, redo the reverse. Small for every op
 * except the ones that touch many rows by nature (confirm all above, re-align).
 */
import type { HistoryChangeSide, ReviewBead, ReviewDocument, ReviewIssue, RowSpan, Sentence, Side, TargetSentence } from '../domain.js';
import { InvalidOperationError } from './errors.js';

/** One side (before or after) of a change (declared in domain.ts for HistoryEntry). */
export type ChangeSide = HistoryChangeSide;

export interface DocumentChange {
  before: ChangeSide;
  after: ChangeSide;
  /** Ids of the rows touched (removed, added or changed), incl. rows whose issues changed. */
  beadIds: string[];
  /** Where the change was, in row positions (null when it touched no row; absent on recorded changes read back). */
  rows?: RowSpan | null;
}

function sameBead(a: ReviewBead, b: ReviewBead): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.status === b.status &&
      a.confidence === b.confidence &&
      a.origin === b.origin &&
      sameNumbers(a.source, b.source) &&
      sameNumbers(a.target, b.target) &&
      (a.meta === b.meta || JSON.stringify(a.meta) === JSON.stringify(b.meta)))
  );
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Field by field (not JSON.stringify: an issue read from a file may list its keys in another order). */
function sameIssue(a: ReviewIssue, b: ReviewIssue): boolean {
  if (a === b) return true;
  const sa = a.targetSpan ?? null;
  const sb = b.targetSpan ?? null;
  return (
    a.id === b.id &&
    a.beadId === b.beadId &&
    a.category === b.category &&
    a.severity === b.severity &&
    a.comment === b.comment &&
    (sa === null || sb === null ? sa === sb : sa.start === sb.start && sa.end === sb.end) &&
    a.origin === b.origin &&
    (a.check ?? null) === (b.check ?? null) &&
    a.status === b.status &&
    a.author === b.author &&
    a.createdAt === b.createdAt
  );
}

/** Sentences compare by content; their index is their position, which a segmentation change shifts. */
function sameSentence(a: Sentence | TargetSentence, b: Sentence | TargetSentence): boolean {
  return (
    a === b ||
    (a.text === b.text &&
      a.start === b.start &&
      a.end === b.end &&
      a.paragraph === b.paragraph &&
      (a as TargetSentence).original === (b as TargetSentence).original)
  );
}

/** The smallest [prefix, suffix) window outside which two arrays are equal. */
function differingWindow<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): { at: number; before: T[]; after: T[] } | null {
  let p = 0;
  const n = Math.min(a.length, b.length);
  while (p < n && same(a[p]!, b[p]!)) p++;
  if (p === a.length && p === b.length) return null;
  let s = 0;
  while (s < n - p && same(a[a.length - 1 - s]!, b[b.length - 1 - s]!)) s++;
  return { at: p, before: a.slice(p, a.length - s), after: b.slice(p, b.length - s) };
}

/** What changed from `a` to `b` (documents of the same text). */
export function diffDocuments(a: ReviewDocument, b: ReviewDocument): DocumentChange {
  const beads = a.beads === b.beads ? null : differingWindow(a.beads, b.beads, sameBead);
  const issues = a.issues === b.issues ? null : differingWindow(a.issues, b.issues, sameIssue);
  // A segmentation change (a side's sentence count changed) is recorded as a window of that side.
  let sentences: { side: Side; at: number; before: (Sentence | TargetSentence)[]; after: (Sentence | TargetSentence)[] } | null = null;
  for (const side of ['source', 'target'] as const) {
    const x = a[side].sentences as (Sentence | TargetSentence)[];
    const y = b[side].sentences as (Sentence | TargetSentence)[];
    if (x === y || x.length === y.length) continue;
    const w = differingWindow(x, y, sameSentence);
    if (w) sentences = { side, ...w };
  }
  const beforeTarget: TargetSentence[] = [];
  const afterTarget: TargetSentence[] = [];
  if (a.target.sentences !== b.target.sentences && a.target.sentences.length === b.target.sentences.length) {
    for (let i = 0; i < b.target.sentences.length; i++) {
      const x = a.target.sentences[i]!;
      const y = b.target.sentences[i]!;
      if (x !== y && x.text !== y.text) {
        beforeTarget.push(x);
        afterTarget.push(y);
      }
    }
  }
  const ids = new Set<string>();
  if (beads) for (const x of [...beads.before, ...beads.after]) ids.add(x.id);
  if (issues) for (const x of [...issues.before, ...issues.after]) ids.add(x.beadId);
  const textRows = new Set<string>();
  if (afterTarget.length) {
    const touched = new Set(afterTarget.map((s) => s.index));
    for (const bead of b.beads) if (bead.target.some((t) => touched.has(t))) textRows.add(bead.id);
  }
  for (const id of textRows) ids.add(id);
  const sentenceSide = (which: 'before' | 'after') => (sentences ? { side: sentences.side, at: sentences.at, items: sentences[which] } : null);
  return {
    before: {
      beads: beads ? { at: beads.at, items: beads.before } : null,
      issues: issues ? { at: issues.at, items: issues.before } : null,
      target: beforeTarget,
      ...(sentences ? { sentences: sentenceSide('before') } : {}),
    },
    after: {
      beads: beads ? { at: beads.at, items: beads.after } : null,
      issues: issues ? { at: issues.at, items: issues.after } : null,
      target: afterTarget,
      ...(sentences ? { sentences: sentenceSide('after') } : {}),
    },
    beadIds: [...ids],
    rows: rowSpan(b, beads ? { at: beads.at, before: beads.before.length, after: beads.after.length } : null, ids),
  };
}

/** The rows a change touched, as positions: its row window, else the rows whose issues or text changed. */
function rowSpan(doc: ReviewDocument, window: RowSpan | null, ids: ReadonlySet<string>): RowSpan | null {
  if (window) return window;
  if (!ids.size) return null;
  let lo = Infinity;
  let hi = -Infinity;
  doc.beads.forEach((b, i) => {
    if (!ids.has(b.id)) return;
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  });
  return lo === Infinity ? null : { at: lo, before: hi - lo + 1, after: hi - lo + 1 };
}

/** A span as people read it: "row 12", or "rows 12–13" when it covered several rows before the change. */
export function rowRange(span: RowSpan): string {
  return span.before > 1 ? `rows ${span.at + 1}–${span.at + span.before}` : `row ${span.at + 1}`;
}

/**
 * Where a recorded window of rows (or issues) is in `list` now: at the position of its first item's
 * id when it has items (rows above may have been merged or split since, by another reviewer), else at
 * the recorded position. -1 when its first item is not there.
 */
function locate<T extends { id: string }>(list: readonly T[], window: { at: number; items: readonly T[] }): number {
  const first = window.items[0];
  if (!first) return Math.min(window.at, list.length);
  if (list[window.at]?.id === first.id) return window.at;
  return list.findIndex((x) => x.id === first.id);
}

/**
 * Replaces the `from` side of a change by its `to` side in `doc` (undo: from = after, to = before;
 * redo: the reverse). The rows and issues are found by id where they are now, so a change can be
 * undone after other changes elsewhere in the document. Throws if the document does not hold `from`.
 */
export function applyChange(doc: ReviewDocument, from: ChangeSide, to: ChangeSide): ReviewDocument {
  let next = doc;
  if (from.sentences && to.sentences) next = spliceSentences(next, from.sentences, to.sentences);
  if (from.beads && to.beads) {
    const { items } = from.beads;
    const at = locate(doc.beads, from.beads);
    for (let k = 0; k < items.length; k++) {
      if (at < 0 || !sameBead(next.beads[at + k] ?? ({} as ReviewBead), items[k]!)) {
        throw new InvalidOperationError('the rows changed since this operation; it cannot be undone or redone here');
      }
    }
    const beads = next.beads.slice();
    beads.splice(at, items.length, ...to.beads.items);
    next = { ...next, beads };
  }
  if (from.issues && to.issues) {
    const { items } = from.issues;
    const at = locate(doc.issues, from.issues);
    for (let k = 0; k < items.length; k++) {
      const x = doc.issues[at + k];
      if (at < 0 || !x || !sameIssue(x, items[k]!)) {
        throw new InvalidOperationError('the issues changed since this operation; it cannot be undone or redone here');
      }
    }
    const issues = doc.issues.slice();
    issues.splice(at, items.length, ...to.issues.items);
    next = { ...next, issues };
  }
  for (const s of from.target) {
    if (doc.target.sentences[s.index]?.text !== s.text) {
      throw new InvalidOperationError(`target sentence ${s.index + 1} changed since this operation; it cannot be undone or redone here`);
    }
  }
  if (to.target.length) {
    const sentences = next.target.sentences.slice();
    for (const s of to.target) sentences[s.index] = s;
    next = { ...next, target: { ...next.target, sentences } };
  }
  return next;
}

/** A segmentation change: one side's sentences [at, at + from.items) replaced, the rest renumbered. */
function spliceSentences(doc: ReviewDocument, from: NonNullable<ChangeSide['sentences']>, to: NonNullable<ChangeSide['sentences']>): ReviewDocument {
  const side = from.side;
  const list = doc[side].sentences as (Sentence | TargetSentence)[];
  const { at, items } = from;
  for (let k = 0; k < items.length; k++) {
    const x = list[at + k];
    if (!x || !sameSentence(x, items[k]!)) {
      throw new InvalidOperationError(`${side} sentence ${at + k + 1} changed since this operation; it cannot be undone or redone here`);
    }
  }
  const shift = to.items.length - items.length;
  const sentences = [
    ...list.slice(0, at),
    ...to.items.map((x, k) => (x.index === at + k ? x : { ...x, index: at + k })),
    ...list.slice(at + items.length).map((x) => ({ ...x, index: x.index + shift })),
  ];
  if (side === 'target') return { ...doc, target: { ...doc.target, sentences: sentences as TargetSentence[] } };
  return { ...doc, source: { ...doc.source, sentences: sentences as Sentence[] } };
}

/** Serialised size of a change in bytes (for measurements). */
export function changeSize(c: DocumentChange): number {
  const enc = new TextEncoder();
  return enc.encode(JSON.stringify(c.before)).length + enc.encode(JSON.stringify(c.after)).length;
}
