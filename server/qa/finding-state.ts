/**
 * Findings against the reviewer's decisions, which live in the document's issues (and so in its
 * history): a finding turned into an issue is an automatic issue with the finding's check, bead, span
 * and message; a dismissed finding is such an issue with status 'dismissed'.
 */
import type { Finding, ReviewIssue, ReviewOp } from '../domain.js';

export type FindingStatus = 'open' | 'dismissed' | 'issue';

const sameSpan = (a: Finding['targetSpan'], b: ReviewIssue['targetSpan']) =>
  (a === null && b === null) || (a !== null && b !== null && a.start === b.start && a.end === b.end);

/**
 * The issue recording a decision on this finding, if any (the latest wins). A document-wide kind
 * (Finding.group) is decided once for the whole document: its grouped finding, and each of its
 * places, follow the decision recorded with the kind's title on whichever row it was taken.
 */
export function issueForFinding(f: Finding, issues: readonly ReviewIssue[]): ReviewIssue | undefined {
  for (let i = issues.length - 1; i >= 0; i--) {
    const x = issues[i];
    if (x?.origin !== 'automatic' || x.check !== f.check) continue;
    if (f.group && x.comment === f.group.title) return x;
    if (!f.occurrences && x.beadId === f.beadId && x.comment === f.message && sameSpan(f.targetSpan, x.targetSpan)) return x;
  }
  return undefined;
}

export function findingStatus(f: Finding, issues: readonly ReviewIssue[]): FindingStatus {
  const x = issueForFinding(f, issues);
  if (!x) return 'open';
  return x.status === 'dismissed' ? 'dismissed' : 'issue';
}

/** The op that turns a finding into an (automatic) issue. */
export function addIssueOp(f: Finding): Extract<ReviewOp, { kind: 'addIssue' }> {
  return { kind: 'addIssue', beadId: f.beadId, category: f.category, severity: f.severity, comment: f.message, targetSpan: f.targetSpan, check: f.check };
}
