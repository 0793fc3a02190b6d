/** View model of a document's history page. */
import type { HistoryEntry } from '../../domain.js';
import { shortTime } from './common.js';

export interface HistoryRowVM {
  seq: number;
  revision: number;
  author: string;
  at: string;
  kind: string;
  summary: string;
  beadIds: string[];
}

/** One line saying what an operation did, without dumping its whole payload. */
export function describeOp(op: HistoryEntry['op']): string {
  switch (op.kind) {
    case 'import':
      return 'imported the document';
    case 'addVersion':
      return `imported the target version “${op.name}”`;
    case 'setGlossary':
      return `chose the glossary “${op.name}” for the QA checks`;
    case 'undo':
      return `undid #${op.of}`;
    case 'redo':
      return `redid #${op.of}`;
    case 'confirm':
      return `confirmed row ${op.beadId}`;
    case 'unconfirm':
      return `set row ${op.beadId} back to automatic`;
    case 'confirmAbove':
      return `confirmed row ${op.beadId} and every row above`;
    case 'merge':
      return `merged row ${op.beadId} with the next row`;
    case 'flag':
      return `flagged row ${op.beadId}`;
    case 'split':
      return `split row ${op.beadId} at source ${op.sourceAt}, target ${op.targetAt}`;
    case 'shiftUp':
      return `moved the first ${op.side} sentence of ${op.beadId} to the row above`;
    case 'shiftDown':
      return `moved the last ${op.side} sentence of ${op.beadId} to the row below`;
    case 'detach':
      return `gave the ${op.side} of ${op.beadId} an empty counterpart`;
    case 'editTarget':
      return `edited target sentence ${op.sentence + 1}: “${op.text.length > 80 ? `${op.text.slice(0, 80)}…` : op.text}”`;
    case 'addIssue':
      return `${op.status === 'dismissed' ? 'dismissed a QA finding' : 'added an issue'} (${op.category}, ${op.severity}) on ${op.beadId}${op.comment ? `: ${op.comment}` : ''}`;
    case 'setIssueStatus':
      return `set issue ${op.issueId} to ${op.status}`;
    case 'realign':
      return `re-aligned (${op.beads.length} rows)`;
    default:
      return 'operation';
  }
}

export function buildHistoryVM(entries: readonly HistoryEntry[]): HistoryRowVM[] {
  return entries.map((e) => ({
    seq: e.seq,
    revision: e.revision,
    author: e.author,
    at: shortTime(e.at),
    kind: e.op.kind,
    summary: describeOp(e.op),
    beadIds: e.beadIds,
  }));
}
