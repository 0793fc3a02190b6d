/**
 * Review operations as pure functions: (document, op) → document. The input is never mutated;
 * unchanged beads, sentences and issues are shared by reference (cheap, and lets the change diff
 * find the touched range quickly). Every result is checked against the invariants.
 *
 * New ids are derived from the document's revision, so applying the same op to the same document
 * always gives the same result (history replay depends on it).
 */
import { MQM_CATEGORIES, SEVERITIES, type BeadStatus, type ReviewBead, type ReviewDocument, type ReviewIssue, type ReviewOp, type RowScore } from '../domain.js';
import { joinSentences } from '../text/lang.js';
import { InvalidOperationError, NotFoundError } from './errors.js';
import { checkInvariants } from './invariants.js';
import { joinSentence, splitSentence } from './segmentation.js';

/** Who applies an op and when (recorded on issues); defaults: 'anonymous', now. */
export interface OpContext {
  author?: string;
  at?: string;
}

export { MQM_CATEGORIES, SEVERITIES };
export const ISSUE_STATUSES: readonly ReviewIssue['status'][] = ['open', 'resolved', 'dismissed'];

export function applyOp(doc: ReviewDocument, op: ReviewOp, ctx: OpContext = {}): ReviewDocument {
  let next = applyUnchecked(doc, op, ctx);
  if ('scores' in op && op.scores?.length) next = withScores(doc, next, op.scores);
  checkInvariants(next);
  return next;
}

/** The ops that shape rows by hand (their rows become origin 'manual' and may carry scores). */
export const HAND_ALIGNING_OPS: ReadonlySet<ReviewOp['kind']> = new Set(['merge', 'split', 'shiftUp', 'shiftDown', 'detach']);

/** Rows a reviewer made by hand take the recorded model score of exactly their sentences. */
function withScores(doc: ReviewDocument, next: ReviewDocument, scores: readonly RowScore[]): ReviewDocument {
  const key = (source: readonly number[], target: readonly number[]): string => `${source.join(',')}|${target.join(',')}`;
  const byRow = new Map(scores.map((x) => [key(x.source, x.target), x.confidence]));
  const before = new Set(doc.beads);
  let changed = false;
  const beads = next.beads.map((b) => {
    const c = before.has(b) || b.origin !== 'manual' ? undefined : byRow.get(key(b.source, b.target));
    if (c === undefined || !(c >= 0 && c <= 1) || c === b.confidence) return b;
    changed = true;
    return { ...b, confidence: c };
  });
  return changed ? { ...next, beads } : next;
}

function applyUnchecked(doc: ReviewDocument, op: ReviewOp, ctx: OpContext): ReviewDocument {
  switch (op.kind) {
    case 'confirm':
      return setStatus(doc, op.beadId, 'confirmed');
    case 'unconfirm':
      return setStatus(doc, op.beadId, 'automatic');
    case 'flag':
      return setStatus(doc, op.beadId, 'flagged');
    case 'confirmAbove': {
      const i = beadIndex(doc, op.beadId);
      // Flagged rows stay flagged: a flag marks a problem that needs its own decision.
      const beads = doc.beads.map((b, k) => (k <= i && b.status === 'automatic' ? { ...b, status: 'confirmed' as const } : b));
      return { ...doc, beads };
    }
    case 'merge': {
      const i = beadIndex(doc, op.beadId);
      const a = doc.beads[i]!;
      const b = doc.beads[i + 1];
      if (!b) throw new InvalidOperationError('the last row cannot be merged with the next one: there is none');
      const merged: ReviewBead = {
        ...a,
        source: [...a.source, ...b.source],
        target: [...a.target, ...b.target],
        confidence: Math.min(a.confidence, b.confidence),
        status: changedStatus(a.status === 'flagged' || b.status === 'flagged' ? 'flagged' : 'automatic'),
        origin: 'manual',
        ...joinMeta(a, b),
      };
      return { ...doc, beads: splice(doc.beads, i, 2, [merged]), issues: moveIssues(doc.issues, new Set([b.id]), a.id) };
    }
    case 'split': {
      const i = beadIndex(doc, op.beadId);
      const b = doc.beads[i]!;
      const { sourceAt, targetAt } = op;
      if (!Number.isInteger(sourceAt) || sourceAt < 0 || sourceAt > b.source.length) {
        throw new InvalidOperationError(`split point sourceAt=${sourceAt} is outside 0…${b.source.length}`);
      }
      if (!Number.isInteger(targetAt) || targetAt < 0 || targetAt > b.target.length) {
        throw new InvalidOperationError(`split point targetAt=${targetAt} is outside 0…${b.target.length}`);
      }
      const first: ReviewBead = { ...b, source: b.source.slice(0, sourceAt), target: b.target.slice(0, targetAt), status: changedStatus(b.status), origin: 'manual' };
      // Foreign TMX props/notes describe the unit as a whole: they stay with the part keeping its id.
      const second: ReviewBead = { ...withoutMeta(b), id: newBeadId(doc), source: b.source.slice(sourceAt), target: b.target.slice(targetAt), status: changedStatus(b.status), origin: 'manual' };
      if (first.source.length + first.target.length === 0 || second.source.length + second.target.length === 0) {
        throw new InvalidOperationError('a split must leave at least one sentence in each part');
      }
      return { ...doc, beads: splice(doc.beads, i, 1, [first, second]) };
    }
    case 'shiftUp': {
      const i = beadIndex(doc, op.beadId);
      if (i === 0) throw new InvalidOperationError('the first row has no row above to move a sentence to');
      const b = doc.beads[i]!;
      const above = doc.beads[i - 1]!;
      const side = b[op.side];
      if (side.length === 0) throw new InvalidOperationError(`this row has no ${op.side} sentence to move up`);
      const newAbove: ReviewBead = { ...above, [op.side]: [...above[op.side], side[0]!], status: changedStatus(above.status), origin: 'manual' };
      const rest: ReviewBead = { ...b, [op.side]: side.slice(1), status: changedStatus(b.status), origin: 'manual' };
      if (rest.source.length + rest.target.length === 0) {
        // The row emptied: it disappears and its issues go to the row that took its sentence.
        return { ...doc, beads: splice(doc.beads, i - 1, 2, [{ ...newAbove, ...joinMeta(above, b) }]), issues: moveIssues(doc.issues, new Set([b.id]), above.id) };
      }
      return { ...doc, beads: splice(doc.beads, i - 1, 2, [newAbove, rest]) };
    }
    case 'shiftDown': {
      const i = beadIndex(doc, op.beadId);
      const b = doc.beads[i]!;
      const below = doc.beads[i + 1];
      if (!below) throw new InvalidOperationError('the last row has no row below to move a sentence to');
      const side = b[op.side];
      if (side.length === 0) throw new InvalidOperationError(`this row has no ${op.side} sentence to move down`);
      const rest: ReviewBead = { ...b, [op.side]: side.slice(0, -1), status: changedStatus(b.status), origin: 'manual' };
      const newBelow: ReviewBead = { ...below, [op.side]: [side[side.length - 1]!, ...below[op.side]], status: changedStatus(below.status), origin: 'manual' };
      if (rest.source.length + rest.target.length === 0) {
        return { ...doc, beads: splice(doc.beads, i, 2, [{ ...newBelow, ...joinMeta(b, below) }]), issues: moveIssues(doc.issues, new Set([b.id]), below.id) };
      }
      return { ...doc, beads: splice(doc.beads, i, 2, [rest, newBelow]) };
    }
    case 'detach': {
      const i = beadIndex(doc, op.beadId);
      const b = doc.beads[i]!;
      const other = op.side === 'source' ? 'target' : 'source';
      if (b[op.side].length === 0) throw new InvalidOperationError(`this row has no ${op.side} sentence to detach`);
      if (b[other].length === 0) throw new InvalidOperationError(`this row already has no ${other} counterpart`);
      // The row keeps its id and the other side; the detached side gets its own row below it.
      const kept: ReviewBead = { ...b, [op.side]: [], status: changedStatus(b.status), origin: 'manual' };
      const detached: ReviewBead = { ...withoutMeta(b), id: newBeadId(doc), [other]: [], status: 'automatic', origin: 'manual' };
      return { ...doc, beads: splice(doc.beads, i, 1, [kept, detached]) };
    }
    case 'editTarget': {
      const s = doc.target.sentences[op.sentence];
      if (!Number.isInteger(op.sentence) || !s) throw new NotFoundError(`target sentence ${op.sentence} does not exist`);
      if (typeof op.text !== 'string') throw new InvalidOperationError('the edited text must be a string');
      const sentences = doc.target.sentences.slice();
      sentences[op.sentence] = { ...s, text: op.text };
      return { ...doc, target: { ...doc.target, sentences } };
    }
    case 'splitSentence':
      return splitSentence(doc, op.side, op.sentence, op.at);
    case 'joinSentence':
      return joinSentence(doc, op.side, op.sentence);
    case 'addIssue': {
      const row = doc.beads[beadIndex(doc, op.beadId)]!;
      if (!MQM_CATEGORIES.includes(op.category)) throw new InvalidOperationError(`unknown MQM category: ${String(op.category)}`);
      if (!SEVERITIES.includes(op.severity)) throw new InvalidOperationError(`unknown severity: ${String(op.severity)}`);
      const span = op.targetSpan ?? null;
      if (span && !(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end >= span.start)) {
        throw new InvalidOperationError('the issue span must satisfy 0 ≤ start ≤ end');
      }
      if (span) {
        // The span indexes the row's target text as the QA checks and the page join it.
        const length = joinSentences(row.target.map((i) => doc.target.sentences[i]?.text ?? ''), doc.target.lang).length;
        if (span.end > length) throw new InvalidOperationError(`the issue span ${span.start}–${span.end} is outside the row's target text (${length} characters)`);
      }
      const issue: ReviewIssue = {
        id: newIssueId(doc),
        beadId: op.beadId,
        category: op.category,
        severity: op.severity,
        comment: op.comment,
        targetSpan: span ? { start: span.start, end: span.end } : null,
        origin: op.check ? 'automatic' : 'human',
        check: op.check ?? null,
        status: op.status ?? 'open',
        author: ctx.author ?? 'anonymous',
        createdAt: ctx.at ?? new Date().toISOString(),
      };
      return { ...doc, issues: [...doc.issues, issue] };
    }
    case 'setIssueStatus': {
      const k = doc.issues.findIndex((x) => x.id === op.issueId);
      if (k < 0) throw new NotFoundError(`issue ${op.issueId} does not exist`);
      if (!ISSUE_STATUSES.includes(op.status)) throw new InvalidOperationError(`unknown issue status: ${String(op.status)}`);
      const issues = doc.issues.slice();
      issues[k] = { ...doc.issues[k]!, status: op.status };
      return { ...doc, issues };
    }
    case 'realign':
      return replaceRows(doc, op.beads);
    default: {
      const never: never = op;
      throw new InvalidOperationError(`unknown operation: ${JSON.stringify(never)}`);
    }
  }
}

/** A row re-alignment leaves alone (an anchor): confirmed, flagged, or aligned by hand. */
export function isFixedRow(b: ReviewBead): boolean {
  return b.status !== 'automatic' || b.origin === 'manual';
}

/** Index of the last confirmed row, or -1. */
export function lastConfirmedIndex(doc: Pick<ReviewDocument, 'beads'>): number {
  for (let i = doc.beads.length - 1; i >= 0; i--) if (doc.beads[i]!.status === 'confirmed') return i;
  return -1;
}

/**
 * A re-alignment: the rows holding the new beads' sentences are replaced by the new beads, run by
 * run (each run of replaced rows by the new beads holding its sentences, in their order). A replaced
 * row must be wholly covered by the new beads and may not be confirmed. Issues on a replaced row
 * follow its first sentence into the new row that holds it.
 */
function replaceRows(doc: ReviewDocument, beads: readonly ReviewBead[]): ReviewDocument {
  if (!beads.length) throw new InvalidOperationError('a re-alignment needs at least one new row');
  const rowOf = { source: new Map<number, number>(), target: new Map<number, number>() };
  doc.beads.forEach((b, i) => {
    for (const s of b.source) rowOf.source.set(s, i);
    for (const t of b.target) rowOf.target.set(t, i);
  });
  const runOf = (b: ReviewBead): number => {
    const s = b.source[0];
    const row = s !== undefined ? rowOf.source.get(s) : b.target[0] !== undefined ? rowOf.target.get(b.target[0]) : undefined;
    if (row === undefined) throw new InvalidOperationError(`re-aligned row ${b.id} holds a sentence that does not exist`);
    return row;
  };
  const replaced = new Set<number>();
  for (const b of beads) {
    for (const s of b.source) replaced.add(rowOf.source.get(s) ?? -1);
    for (const t of b.target) replaced.add(rowOf.target.get(t) ?? -1);
  }
  if (replaced.has(-1)) throw new InvalidOperationError('a re-aligned row holds a sentence that does not exist');
  const keptIds = new Set<string>();
  doc.beads.forEach((b, i) => {
    if (replaced.has(i)) {
      if (b.status === 'confirmed') throw new InvalidOperationError(`a re-alignment may not change row ${i + 1}: it is confirmed`);
    } else keptIds.add(b.id);
  });
  for (const b of beads) {
    if (keptIds.has(b.id)) throw new InvalidOperationError(`re-aligned row ${b.id} reuses the id of a fixed row`);
  }
  // Each new bead goes where the run of replaced rows holding its first sentence starts.
  const runStart = (i: number): number => {
    let k = i;
    while (k > 0 && replaced.has(k - 1)) k--;
    return k;
  };
  const placed = new Map<number, ReviewBead[]>();
  for (const b of beads) {
    const start = runStart(runOf(b));
    const list = placed.get(start);
    const copy = { ...b, source: [...b.source], target: [...b.target] };
    if (list) list.push(copy);
    else placed.set(start, [copy]);
  }
  const next: ReviewBead[] = [];
  doc.beads.forEach((b, i) => {
    if (!replaced.has(i)) next.push(b);
    else if (placed.has(i)) next.push(...placed.get(i)!);
  });
  // Issues on replaced rows follow their first sentence into the new row that holds it.
  const newIds = new Set(beads.map((b) => b.id));
  const whereSource = new Map<number, string>();
  const whereTarget = new Map<number, string>();
  for (const b of beads) {
    for (const s of b.source) whereSource.set(s, b.id);
    for (const t of b.target) whereTarget.set(t, b.id);
  }
  const moveTo = new Map<string, string>();
  doc.beads.forEach((old, i) => {
    if (!replaced.has(i) || newIds.has(old.id)) return;
    const to = (old.source[0] !== undefined ? whereSource.get(old.source[0]) : undefined) ?? (old.target[0] !== undefined ? whereTarget.get(old.target[0]) : undefined);
    if (to) moveTo.set(old.id, to);
  });
  const issues = doc.issues.some((x) => moveTo.has(x.beadId)) ? doc.issues.map((x) => (moveTo.has(x.beadId) ? { ...x, beadId: moveTo.get(x.beadId)! } : x)) : doc.issues;
  return { ...doc, beads: next, issues };
}

function setStatus(doc: ReviewDocument, beadId: string, status: BeadStatus): ReviewDocument {
  const i = beadIndex(doc, beadId);
  const b = doc.beads[i]!;
  if (b.status === status) return doc;
  return { ...doc, beads: splice(doc.beads, i, 1, [{ ...b, status }]) };
}

/** A changed row is no longer confirmed; a flag stays until someone resolves it. */
function changedStatus(status: BeadStatus): BeadStatus {
  return status === 'flagged' ? 'flagged' : 'automatic';
}

export function beadIndex(doc: Pick<ReviewDocument, 'beads'>, beadId: string): number {
  const i = doc.beads.findIndex((b) => b.id === beadId);
  if (i < 0) throw new NotFoundError(`row ${beadId} does not exist (it may have been merged or re-aligned)`);
  return i;
}

function splice<T>(arr: readonly T[], start: number, remove: number, insert: T[]): T[] {
  const out = arr.slice();
  out.splice(start, remove, ...insert);
  return out;
}

/**
 * Foreign TMX props and notes (`meta`) of two rows that become one: the first row's, then the
 * second's, concatenated (nothing is dropped; no meta stays no meta). Like issues, they follow the
 * row that survives.
 */
function joinMeta(a: ReviewBead, b: ReviewBead): Pick<ReviewBead, 'meta'> {
  if (!a.meta && !b.meta) return {};
  return { meta: { props: [...(a.meta?.props ?? []), ...(b.meta?.props ?? [])], notes: [...(a.meta?.notes ?? []), ...(b.meta?.notes ?? [])] } };
}

/** A copy of a row for a new row split off it: the meta stays with the row that keeps the id. */
function withoutMeta(b: ReviewBead): ReviewBead {
  const { meta: _meta, ...rest } = b;
  return rest;
}

function moveIssues(issues: ReviewIssue[], from: Set<string>, to: string): ReviewIssue[] {
  if (!issues.some((x) => from.has(x.beadId))) return issues;
  return issues.map((x) => (from.has(x.beadId) ? { ...x, beadId: to } : x));
}

/** A bead id that is new for this document, derived from the revision (deterministic). */
export function newBeadId(doc: Pick<ReviewDocument, 'beads' | 'revision'>, k = 0): string {
  const taken = new Set(doc.beads.map((b) => b.id));
  const base = `n${doc.revision + 1}`;
  let n = k;
  for (;;) {
    const id = n === 0 ? base : `${base}_${n}`;
    if (!taken.has(id)) return id;
    n++;
  }
}

function newIssueId(doc: Pick<ReviewDocument, 'issues' | 'revision'>): string {
  const taken = new Set(doc.issues.map((x) => x.id));
  const base = `i${doc.revision + 1}`;
  for (let n = 0; ; n++) {
    const id = n === 0 ? base : `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}
