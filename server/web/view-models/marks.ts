/**
 * How a QA finding or an issue is shown, in one place: the review page's row marks, the expanded
 * row, the row page and the legend all read this. A finding of a check added later shows up without
 * a change here: its name is its MQM category's, its words are its message.
 *
 * Severity is told by colour and by icon (so it does not rest on colour alone); who raised it by the
 * mark's style: an automatic QA finding is outlined, an issue is filled, with a pencil when a
 * reviewer wrote it and a gear when it was made from a finding.
 */
import type { Finding, MqmCategory, ReviewIssue, Severity, Span } from '../../domain.js';
import { compareFindings, groupFindings, SEVERITY_ORDER, severityRank } from '../../qa/index.js';

export interface MarkVM {
  /** 'finding': reported by a QA check, not decided yet; 'issue': recorded on the row. */
  kind: 'finding' | 'issue';
  /** Who raised it: a QA check, or a reviewer. */
  by: 'qa' | 'reviewer';
  /** The category as a reviewer names it: "Terminology", "Omission", "Mistranslation" … */
  name: string;
  /** What is wrong, in words: the finding's message or the issue's comment. */
  text: string;
  severity: Severity;
  /** The severity's icon: ✖ critical, ▲ major, ● minor. */
  icon: string;
  /** Everything in one line (tooltip and accessible name). */
  title: string;
}

export const SEVERITY_ICON: Readonly<Record<Severity, string>> = { critical: '✖', major: '▲', minor: '●' };

/** "Accuracy/Omission" → "Omission": the part a reviewer says. */
export function categoryName(category: MqmCategory | string): string {
  return category.split('/').pop() ?? category;
}

export function findingMark(f: Finding): MarkVM {
  const name = categoryName(f.category);
  // A document-wide kind found several times in the row is one mark (as the QA report groups it).
  const text = f.occurrences && f.occurrences.length > 1 ? `${f.message} (${f.occurrences.length}×)` : f.message;
  return { kind: 'finding', by: 'qa', name, text, severity: f.severity, icon: SEVERITY_ICON[f.severity], title: `${name}: ${text} (${f.severity}; QA check ${f.check})` };
}

const NO_ORDER: ReadonlyMap<string, number> = new Map();

/** Findings of one row in the QA report's order: most serious first (server/qa/report.ts), else as the checks gave them. */
export function inReportOrder<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings(NO_ORDER));
}

/**
 * A row's marks: its open issues and its undecided findings, grouped and ordered as the QA report
 * does (document-wide kinds one mark each, most serious first); an issue before a finding of the
 * same severity.
 */
export function rowMarks(issues: readonly ReviewIssue[], findings: readonly Finding[]): MarkVM[] {
  const marks = [...issues.map(issueMark), ...inReportOrder(groupFindings(findings)).map(findingMark)];
  return marks.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
}

export function issueMark(i: ReviewIssue): MarkVM {
  const name = categoryName(i.category);
  const by = i.origin === 'automatic' ? 'qa' : 'reviewer';
  const source = by === 'qa' ? `issue from QA check ${i.check ?? ''}, recorded by ${i.author}` : `issue by ${i.author}`;
  return {
    kind: 'issue',
    by,
    name,
    text: i.comment,
    severity: i.severity,
    icon: SEVERITY_ICON[i.severity],
    title: `${name}${i.comment ? `: ${i.comment}` : ''} (${i.severity}; ${source})`,
  };
}

/** What the legend lists (the `?` help and the review page). */
export const LEGEND = {
  severities: SEVERITY_ORDER.map((s) => ({ severity: s, icon: SEVERITY_ICON[s] })),
  kinds: [
    { kind: 'finding', by: 'qa', label: 'QA finding (automatic, not decided yet)' },
    { kind: 'issue', by: 'reviewer', label: 'issue a reviewer added' },
    { kind: 'issue', by: 'qa', label: 'issue made from a QA finding' },
  ],
} as const;

/** A text cut into the parts before, inside and after a span (to highlight what a finding points at). */
export interface Highlighted {
  before: string;
  mark: string;
  after: string;
}

export function highlight(text: string, span: Span | null): Highlighted {
  if (!span || span.start < 0 || span.end > text.length || span.end < span.start) return { before: text, mark: '', after: '' };
  return { before: text.slice(0, span.start), mark: text.slice(span.start, span.end), after: text.slice(span.end) };
}
