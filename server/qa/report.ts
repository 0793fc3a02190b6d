/** Findings as flat rows (CLI json/csv/text and the web CSV download share these). */
import type { Finding } from '../domain.js';
import type { QaPair } from './types.js';

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
    };
  });
}

const CSV_COLUMNS: (keyof FindingRow)[] = ['paragraph', 'row', 'bead', 'check', 'category', 'severity', 'message', 'source_span', 'target_span', 'source_text', 'target_text'];

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('-') : String(v);
  // Cells starting with = + - @ are formulas to a spreadsheet: neutralise (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rowsToCsv(rows: readonly FindingRow[]): string {
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}

export function rowsToText(rows: readonly FindingRow[]): string {
  const lines = rows.map((r) => {
    const where = `row ${r.row}${r.paragraph ? ` ¶${r.paragraph}` : ''}`;
    const at = r.target_text ? ` «${r.target_text}»` : r.source_text ? ` «${r.source_text}»` : '';
    return `${where}\t${r.severity}\t${r.check}\t${r.message}${at}`;
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
