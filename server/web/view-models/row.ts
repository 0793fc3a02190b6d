/**
 * View model of one row in full: the row page (forms for split, move, empty counterpart, edit with
 * diff, segmentation, issues and findings: the page that works without JavaScript) and the row opened
 * in place on the review page (the same findings and issues, acted on by the script).
 */
import { MQM_CATEGORIES, SEVERITIES, type Finding, type MqmCategory, type ReviewDocument, type ReviewIssue, type Severity } from '../../domain.js';
import { isFixedRow } from '../../review/index.js';
import { joinSentences } from '../../text/lang.js';
import { confClass, confText, langLabel, rowAnchor, shortTime } from './common.js';
import { diffText, type DiffSegment } from './diff.js';
import { findingMark, highlight, inReportOrder, issueMark, type Highlighted, type MarkVM } from './marks.js';

export { MQM_CATEGORIES, SEVERITIES };

export interface RowSentenceVM {
  index: number;
  text: string;
  original: string;
  edited: boolean;
  diff: DiffSegment[];
}

export interface BriefRowVM {
  id: string;
  n: number;
  target: string[];
  source: string[];
}

/** A QA finding of the row: how it reads, what it points at, and the fields of the issue it would become. */
export interface RowFindingVM {
  mark: MarkVM;
  target: Highlighted;
  source: Highlighted;
  /** The addIssue op's fields (as a form posts them) that record this finding as an issue, or dismiss it. */
  fields: Record<string, string>;
}

export interface RowPageVM {
  docId: string;
  docName: string;
  revision: number;
  id: string;
  n: number;
  anchor: string;
  status: string;
  conf: string;
  confClass: string;
  targetLabel: string;
  sourceLabel: string;
  targetLang: string;
  sourceLang: string;
  target: RowSentenceVM[];
  source: { index: number; text: string }[];
  prev: BriefRowVM | null;
  next: BriefRowVM | null;
  issues: (ReviewIssue & { created: string; mark: MarkVM })[];
  findings: RowFindingVM[];
  /** Confirmed, flagged or aligned by hand (re-align keeps it; "re-align from here" starts below one). */
  fixed: boolean;
  hand: boolean;
  categories: readonly MqmCategory[];
  severities: readonly Severity[];
  /** Split points: after k sentences of a side (0…len). */
  sourceSplits: number[];
  targetSplits: number[];
  /** Preselected split: halves of a side; a 1-1 row splits into 1-0 and 0-1. */
  sourceSplitDefault: number;
  targetSplitDefault: number;
}

function brief(doc: ReviewDocument, i: number): BriefRowVM | null {
  const b = doc.beads[i];
  if (!b) return null;
  return {
    id: b.id,
    n: i + 1,
    target: b.target.map((k) => doc.target.sentences[k]?.text ?? ''),
    source: b.source.map((k) => doc.source.sentences[k]?.text ?? ''),
  };
}

/** Returns null when the bead does not exist. `findings`: the row's QA findings not decided yet. */
export function buildRowVM(doc: ReviewDocument, beadId: string, findings: readonly Finding[] = []): RowPageVM | null {
  const i = doc.beads.findIndex((b) => b.id === beadId);
  const b = doc.beads[i];
  if (!b) return null;
  const tLang = doc.target.lang;
  const range = (n: number): number[] => Array.from({ length: n + 1 }, (_, k) => k);
  return {
    docId: doc.id,
    docName: doc.name,
    revision: doc.revision,
    id: b.id,
    n: i + 1,
    anchor: rowAnchor(b.id),
    status: b.status,
    conf: confText(b.confidence),
    confClass: confClass(b.confidence),
    targetLabel: langLabel(tLang),
    sourceLabel: langLabel(doc.source.lang),
    targetLang: tLang,
    sourceLang: doc.source.lang,
    target: b.target.map((k) => {
      const s = doc.target.sentences[k];
      const text = s?.text ?? '';
      const original = s?.original ?? text;
      return { index: k, text, original, edited: text !== original, diff: diffText(original, text, tLang) };
    }),
    source: b.source.map((k) => ({ index: k, text: doc.source.sentences[k]?.text ?? '' })),
    prev: brief(doc, i - 1),
    next: brief(doc, i + 1),
    issues: doc.issues.filter((x) => x.beadId === b.id).map((x) => ({ ...x, created: shortTime(x.createdAt), mark: issueMark(x) })),
    findings: rowFindings(doc, b, findings),
    fixed: isFixedRow(b),
    hand: b.origin === 'manual',
    categories: MQM_CATEGORIES,
    severities: SEVERITIES,
    sourceSplits: range(b.source.length),
    targetSplits: range(b.target.length),
    sourceSplitDefault: b.source.length > 1 ? Math.floor(b.source.length / 2) : 0,
    targetSplitDefault: b.target.length > 1 ? Math.floor(b.target.length / 2) : b.target.length,
  };
}

function rowFindings(doc: ReviewDocument, b: ReviewDocument['beads'][number], findings: readonly Finding[]): RowFindingVM[] {
  const target = joinSentences(b.target.map((k) => doc.target.sentences[k]?.text ?? ''), doc.target.lang);
  const source = joinSentences(b.source.map((k) => doc.source.sentences[k]?.text ?? ''), doc.source.lang);
  return inReportOrder(findings.filter((f) => f.beadId === b.id)).map((f) => ({
    mark: findingMark(f),
    target: highlight(target, f.targetSpan),
    source: highlight(source, f.sourceSpan),
    fields: {
      op: 'addIssue',
      beadId: b.id,
      category: f.category,
      severity: f.severity,
      comment: f.message,
      check: f.check,
      ...(f.targetSpan ? { targetSpanStart: String(f.targetSpan.start), targetSpanEnd: String(f.targetSpan.end) } : {}),
    },
  }));
}
