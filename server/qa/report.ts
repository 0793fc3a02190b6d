/**
 * The report's view of findings, shared by the CLI, the QA page, the review page and the scorecard:
 * document-wide kinds grouped into one finding each (groupFindings), serious findings first
 * (compareFindings, SEVERITY_ORDER), and findings as flat rows (CLI json/csv/text, web CSV).
 */
import type { Finding, FindingOccurrence, Severity } from '../domain.js';
import type { QaPair } from './types.js';

/** Severities, most serious first: the order of the report and of the review page's markers. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'major', 'minor'];

export function severityRank(s: Severity): number {
  const k = SEVERITY_ORDER.indexOf(s);
  return k < 0 ? SEVERITY_ORDER.length : k;
}

/**
 * Findings of one document-wide kind (Finding.group) as one finding: its message is the kind's title,
 * its severity the most serious of them, its bead the first one's; `occurrences` lists every place.
 * Other findings are returned as they are, in their order, the grouped one where its kind first occurs.
 */
export function groupFindings(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const groups = new Map<string, { finding: Finding; occurrences: FindingOccurrence[] }>();
  for (const f of findings) {
    if (!f.group) {
      out.push(f);
      continue;
    }
    const occurrence = { beadId: f.beadId, sourceSpan: f.sourceSpan, targetSpan: f.targetSpan, message: f.message };
    const g = groups.get(f.group.kind);
    if (g) {
      g.occurrences.push(occurrence);
      if (severityRank(f.severity) < severityRank(g.finding.severity)) g.finding.severity = f.severity;
      continue;
    }
    const finding: Finding = { check: f.check, category: f.category, severity: f.severity, message: f.group.title, beadId: f.beadId, sourceSpan: null, targetSpan: null, group: f.group };
    const occurrences = [occurrence];
    groups.set(f.group.kind, { finding, occurrences });
    out.push(finding);
  }
  for (const g of groups.values()) g.finding.occurrences = g.occurrences;
  return out;
}

/**
 * Report order: most serious first, then the order of the document (`order`: bead id → position),
 * then the order the checks gave.
 */
export function compareFindings(order: ReadonlyMap<string, number>): (a: Finding, b: Finding) => number {
  return (a, b) => severityRank(a.severity) - severityRank(b.severity) || (order.get(a.beadId) ?? 0) - (order.get(b.beadId) ?? 0);
}

/** The findings as the report shows them: grouped, most serious first (a stable sort keeps the checks' order). */
export function reportFindings(findings: readonly Finding[], pairs: readonly Pick<QaPair, 'id'>[]): Finding[] {
  const order = new Map(pairs.map((p, i) => [p.id, i]));
  return groupFindings(findings).sort(compareFindings(order));
}

export interface FindingRow {
  paragraph: string | null;
  /** The row's number (its position among the pairs, 1-based): what people read and cite. */
  row: number;
  /** The row's id (machine formats keep it). */
  bead: string;
  check: string;
  category: string;
  severity: string;
  message: string;
  source_span: [number, number] | null;
  target_span: [number, number] | null;
  /** The spanned text (what the span points at), for reading the report without the document. */
  source_text: string;
  target_text: string;
  /** A grouped finding: the paragraph (or bead) of each place it was found; else empty. */
  rows: string[];
}

export function findingRows(findings: readonly Finding[], pairs: readonly QaPair[]): FindingRow[] {
  const byId = new Map(pairs.map((p) => [p.id, p]));
  const rowOf = new Map(pairs.map((p, i) => [p.id, i + 1]));
  return findings.map((f) => {
    const p = byId.get(f.beadId);
    return {
      paragraph: p?.paragraph ?? null,
      row: rowOf.get(f.beadId) ?? 0,
      bead: f.beadId,
      check: f.check,
      category: f.category,
      severity: f.severity,
      message: f.message,
      source_span: f.sourceSpan ? [f.sourceSpan.start, f.sourceSpan.end] : null,
      target_span: f.targetSpan ? [f.targetSpan.start, f.targetSpan.end] : null,
      source_text: p && f.sourceSpan ? p.source.slice(f.sourceSpan.start, f.sourceSpan.end) : '',
      target_text: p && f.targetSpan ? p.target.slice(f.targetSpan.start, f.targetSpan.end) : '',
      rows: (f.occurrences ?? []).map((o) => {
        const q = byId.get(o.beadId);
        return q?.paragraph ? `¶${q.paragraph}` : o.beadId;
      }),
    };
  });
}

const CSV_COLUMNS: (keyof FindingRow)[] = ['paragraph', 'row', 'bead', 'check', 'category', 'severity', 'message', 'source_span', 'target_span', 'source_text', 'target_text', 'rows'];

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(typeof v[0] === 'number' ? '-' : ' ') : String(v);
  // Cells starting with = + - @ are formulas to a spreadsheet: neutralise (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rowsToCsv(rows: readonly FindingRow[]): string {
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}

export function rowsToText(rows: readonly FindingRow[]): string {
  const lines = rows.map((r) => {
    const where = r.rows.length ? 'document' : `row ${r.row}${r.paragraph ? ` ¶${r.paragraph}` : ''}`;
    const at = r.target_text ? ` «${r.target_text}»` : r.source_text ? ` «${r.source_text}»` : '';
    const places = r.rows.length ? `: ${r.rows.length}× in ${[...new Set(r.rows)].join(' ')}` : '';
    return `${where}\t${r.severity}\t${r.check}\t${r.message}${at}${places}`;
  });
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Counts per check, category and severity (report summaries). */
export function countFindings(findings: readonly Pick<Finding, 'check' | 'category' | 'severity'>[]): {
  byCheck: Record<string, number>;
  byCategory: Record<string, number>;
  bySeverity: Record<string, number>;
} {
  const byCheck: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  for (const f of findings) {
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
    byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  }
  return { byCheck, byCategory, bySeverity };
}
