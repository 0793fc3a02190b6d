/**
 * History entries in words, with row numbers (positions 1…N as the review page shows them, never
 * internal ids): the history page, the 409 page and message, and what the review page says after a
 * change ("Merged rows 12–13", "Undid: merge of rows 12–13"). Numbers are those of the time of the
 * change; where the row now has another number, the history page says so ("now row 11").
 */
import type { HistoryEntry, ReviewDocument, RowSpan } from '../../domain.js';
import { rowRange } from '../../review/index.js';
import { langLabel, shortTime } from './common.js';

/** How the sides are named in words ("English", "Chinese"), when the document is known. */
export interface SideNames {
  source: string;
  target: string;
}

const DEFAULT_SIDES: SideNames = { source: 'source', target: 'target' };

export function sideNames(doc: Pick<ReviewDocument, 'source' | 'target'>): SideNames {
  return { source: langLabel(doc.source.lang), target: langLabel(doc.target.lang) };
}

export interface HistoryRowVM {
  seq: number;
  revision: number;
  author: string;
  at: string;
  kind: string;
  summary: string;
  beadIds: string[];
  /** The rows touched as they are numbered now (those that still exist), with their ids for the title. */
  now: { id: string; n: number }[];
  /** How many of the touched rows no longer exist. */
  gone: number;
}

const ROW = (n: number): string => `row ${n}`;

/** One line saying what an operation did, with the rows it touched at the time (`rows`). */
export function describeOp(op: HistoryEntry['op'], rows?: RowSpan | null, sides: SideNames = DEFAULT_SIDES): string {
  const at = rows ? rows.at + 1 : null;
  const range = rows ? rowRange(rows) : 'a row';
  const one = at !== null ? ROW(at) : 'a row';
  switch (op.kind) {
    case 'import':
      return 'imported the document';
    case 'addVersion':
      return `imported the target version “${op.name}”`;
    case 'setGlossary':
      return `chose the glossary “${op.name}” for the QA checks`;
    case 'undo':
      return `undid #${op.of}${rows ? ` (${range})` : ''}`;
    case 'redo':
      return `redid #${op.of}${rows ? ` (${range})` : ''}`;
    case 'confirm':
      return `confirmed ${one}`;
    case 'unconfirm':
      return `set ${one} back to unconfirmed`;
    case 'confirmAbove':
      return rows ? `confirmed ${range} (every row up to row ${rows.at + rows.before})` : 'confirmed every row up to a row';
    case 'merge':
      return `merged ${rows ? range : 'a row with the next one'}`;
    case 'flag':
      return `flagged ${one}`;
    case 'split':
      return rows ? `split row ${rows.at + 1} into rows ${rows.at + 1}–${rows.at + rows.after}` : 'split a row';
    case 'shiftUp':
      // The change starts at the row above the one the sentence came from.
      return at !== null ? `moved the first ${sides[op.side]} sentence of row ${at + 1} to row ${at}` : `moved the first ${sides[op.side]} sentence of a row to the row above`;
    case 'shiftDown':
      return at !== null ? `moved the last ${sides[op.side]} sentence of row ${at} to row ${at + 1}` : `moved the last ${sides[op.side]} sentence of a row to the row below`;
    case 'detach':
      return at !== null ? `put the ${sides[op.side]} of row ${at} on a row of its own (row ${at + 1})` : `put the ${sides[op.side]} of a row on a row of its own`;
    case 'editTarget':
      return `edited the ${sides.target} of ${one}: “${op.text.length > 80 ? `${op.text.slice(0, 80)}…` : op.text}”`;
    case 'splitSentence':
      return `split ${sides[op.side]} sentence ${op.sentence + 1} in two (${one})`;
    case 'joinSentence':
      return `joined ${sides[op.side]} sentences ${op.sentence + 1} and ${op.sentence + 2} (${one})`;
    case 'addIssue':
      return `${op.status === 'dismissed' ? 'dismissed a QA finding' : 'added an issue'} (${op.category}, ${op.severity}) on ${one}${op.comment ? `: ${op.comment}` : ''}`;
    case 'setIssueStatus':
      return `set an issue of ${one} to ${op.status}`;
    case 'realign':
      return `re-aligned ${rows ? range : 'rows'} (${op.beads.length} new row${op.beads.length === 1 ? '' : 's'})`;
    default:
      return 'operation';
  }
}

/** What an operation is called, for "Undid: merge of rows 12–13". */
const NOUN: Readonly<Record<string, string>> = {
  confirm: 'confirmation',
  unconfirm: 'unconfirmation',
  confirmAbove: 'confirmation',
  merge: 'merge',
  flag: 'flag',
  split: 'split',
  shiftUp: 'move',
  shiftDown: 'move',
  detach: 'empty counterpart',
  editTarget: 'edit',
  splitSentence: 'sentence split',
  joinSentence: 'sentence join',
  addIssue: 'issue',
  setIssueStatus: 'issue status',
  realign: 're-alignment',
};

/** "merge of rows 12–13": an entry as the thing that was done, for the message after an undo or redo. */
export function entryNoun(e: Pick<HistoryEntry, 'op' | 'rows'>): string {
  const noun = NOUN[e.op.kind] ?? e.op.kind;
  return e.rows ? `${noun} of ${rowRange(e.rows)}` : noun;
}

/** The message after an accepted change, starting with a capital ("Merged rows 12–13."). */
export function changeMessage(entry: HistoryEntry, stepped: HistoryEntry | undefined, sides: SideNames = DEFAULT_SIDES): string {
  if ((entry.op.kind === 'undo' || entry.op.kind === 'redo') && stepped) {
    return `${entry.op.kind === 'undo' ? 'Undid' : 'Redid'}: ${entryNoun(stepped)}`;
  }
  const s = describeOp(entry.op, entry.rows, sides);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function buildHistoryVM(entries: readonly HistoryEntry[], doc?: Pick<ReviewDocument, 'beads' | 'source' | 'target'>): HistoryRowVM[] {
  const position = new Map<string, number>();
  doc?.beads.forEach((b, i) => {
    position.set(b.id, i + 1);
  });
  const sides = doc ? sideNames(doc) : DEFAULT_SIDES;
  return entries.map((e) => {
    const now = e.beadIds.flatMap((id) => {
      const n = position.get(id);
      return n === undefined ? [] : [{ id, n }];
    });
    now.sort((a, b) => a.n - b.n);
    return {
      seq: e.seq,
      revision: e.revision,
      author: e.author,
      at: shortTime(e.at),
      kind: e.op.kind,
      summary: describeOp(e.op, e.rows, sides),
      beadIds: e.beadIds,
      now,
      gone: doc ? e.beadIds.length - now.length : 0,
    };
  });
}

/** A change that was not made, in words, with the rows it named as they are numbered in `doc`. */
export function describeAttempt(op: HistoryEntry['op'], doc: Pick<ReviewDocument, 'beads' | 'source' | 'target' | 'issues'> | null): string {
  if (!doc) return describeOp(op);
  let row = -1;
  if ('beadId' in op) row = doc.beads.findIndex((b) => b.id === op.beadId);
  else if (op.kind === 'editTarget') row = doc.beads.findIndex((b) => b.target.includes(op.sentence));
  else if (op.kind === 'splitSentence' || op.kind === 'joinSentence') row = doc.beads.findIndex((b) => b[op.side].includes(op.sentence));
  else if (op.kind === 'setIssueStatus') {
    const issue = doc.issues.find((x) => x.id === op.issueId);
    row = issue ? doc.beads.findIndex((b) => b.id === issue.beadId) : -1;
  }
  if (row < 0) return describeOp(op, null, sideNames(doc));
  // The rows as they would have been counted: a merge names its row and the next, a shift up starts above.
  const at = op.kind === 'shiftUp' ? row - 1 : row;
  const span: RowSpan = { at, before: op.kind === 'merge' || op.kind === 'shiftUp' || op.kind === 'shiftDown' ? 2 : 1, after: op.kind === 'split' || op.kind === 'detach' ? 2 : 1 };
  return describeOp(op, span, sideNames(doc));
}
