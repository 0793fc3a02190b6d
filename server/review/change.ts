/**
 * The change an operation made, as the touched part of the document before and after: the range of
 * rows that differ (a splice), the range of issues that differ, and the edited target sentences.
 * Stored in the history; undo applies `before` over `after`, redo the reverse. Small for every op
 * except the ones that touch many rows by nature (confirm all above, re-align).
 */
import type { HistoryChangeSide, ReviewBead, ReviewDocument, ReviewIssue, TargetSentence } from '../domain.js';
import { InvalidOperationError } from './errors.js';

/** One side (before or after) of a change (declared in domain.ts for HistoryEntry). */
export type ChangeSide = HistoryChangeSide;

export interface DocumentChange {
  before: ChangeSide;
  after: ChangeSide;
  /** Ids of the rows touched (removed, added or changed), incl. rows whose issues changed. */
  beadIds: string[];
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
  const beforeTarget: TargetSentence[] = [];
  const afterTarget: TargetSentence[] = [];
  if (a.target.sentences !== b.target.sentences) {
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
  if (afterTarget.length) {
    const touched = new Set(afterTarget.map((s) => s.index));
    for (const bead of b.beads) if (bead.target.some((t) => touched.has(t))) ids.add(bead.id);
  }
  return {
    before: {
      beads: beads ? { at: beads.at, items: beads.before } : null,
      issues: issues ? { at: issues.at, items: issues.before } : null,
      target: beforeTarget,
    },
    after: {
      beads: beads ? { at: beads.at, items: beads.after } : null,
      issues: issues ? { at: issues.at, items: issues.after } : null,
      target: afterTarget,
    },
    beadIds: [...ids],
  };
}

/**
 * Replaces the `from` side of a change by its `to` side in `doc` (undo: from = after, to = before;
 * redo: the reverse). Throws if the document does not hold `from` where expected.
 */
export function applyChange(doc: ReviewDocument, from: ChangeSide, to: ChangeSide): ReviewDocument {
  let next = doc;
  if (from.beads && to.beads) {
    const { at, items } = from.beads;
    for (let k = 0; k < items.length; k++) {
      if (!sameBead(doc.beads[at + k] ?? ({} as ReviewBead), items[k]!)) {
        throw new InvalidOperationError('the rows changed since this operation; it cannot be undone or redone here');
      }
    }
    const beads = doc.beads.slice();
    beads.splice(at, items.length, ...to.beads.items);
    next = { ...next, beads };
  }
  if (from.issues && to.issues) {
    const { at, items } = from.issues;
    for (let k = 0; k < items.length; k++) {
      const x = doc.issues[at + k];
      if (!x || !sameIssue(x, items[k]!)) {
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
    const sentences = doc.target.sentences.slice();
    for (const s of to.target) sentences[s.index] = s;
    next = { ...next, target: { ...next.target, sentences } };
  }
  return next;
}

/** Serialised size of a change in bytes (for measurements). */
export function changeSize(c: DocumentChange): number {
  const enc = new TextEncoder();
  return enc.encode(JSON.stringify(c.before)).length + enc.encode(JSON.stringify(c.after)).length;
}
