/**
 * What every exporter needs, derived once from a ReviewDocument: the options, and one row per bead
 * with its joined texts, dates from the history, issues and findings. Rows are produced lazily
 * (a generator), so exporters stream bead by bead.
 */
import type { BeadMeta, Finding, HistoryEntry, Lang, ReviewBead, ReviewDocument, ReviewIssue, Scorecard } from '../domain.js';
import { sentenceSeparator } from '../text/lang.js';

export const EXPORT_FORMATS = ['tmx', 'xliff', 'json', 'jsonl', 'tsv', 'csv', 'bitext'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

export const TOOL_NAME = 'bitext-review';
export const TOOL_VERSION = '0.1.0';

export interface ExportOptions {
  /** Only beads a reviewer confirmed. */
  confirmedOnly?: boolean;
  /** Keep 1-0 and 0-1 beads (one side empty). Default true. */
  includeEmpty?: boolean;
  /**
   * Language codes written in the file. Defaults: TMX/XLIFF use the document's codes with a bare
   * `zh` written as `zh-CN`; JSONL/TSV/CSV/bitext use the document's codes as they are (`en`, `zh`).
   */
  sourceLang?: Lang;
  targetLang?: Lang;
  /** Byte order mark (for Excel) on TSV/CSV/bitext. */
  bom?: boolean;
  /**
   * TSV/CSV only: neutralise spreadsheet formulas (CSV injection) by prefixing "'" to every cell that
   * starts with = + - @ (or a tab / CR). Default: on with `bom` (the Excel mode), off otherwise, so
   * files for other tools carry the text unchanged.
   */
  excelSafe?: boolean;
  /** bitext only: which side this stream receives. */
  side?: 'source' | 'target';
  /** Clock for header dates (tests pin it). */
  now?: Date;
}

/** Props and notes from a foreign TMX (the bead's `meta`; also given per bead id by importTmx). */
export type BeadExtras = BeadMeta;

/** One document to export, with what the document itself does not carry. */
export interface ExportItem {
  doc: ReviewDocument;
  /** Its history, for per-bead creation/change dates and reviewer ids. */
  history?: readonly HistoryEntry[];
  /** QA findings (from server/qa runChecks), written as notes. */
  findings?: readonly Finding[];
  /** The document's quality scorecard (server/qa/scorecard.ts), written by the JSON export. */
  scorecard?: Scorecard;
  /** Per bead id: foreign TMX props and notes, for beads without their own `meta`. */
  extras?: ReadonlyMap<string, BeadExtras>;
}

export interface BeadRow {
  item: ExportItem;
  bead: ReviewBead;
  /** Position in doc.beads (0-based). */
  index: number;
  /** Id unique in the export: the bead id, prefixed with the document id when several documents are exported. */
  uid: string;
  sourceText: string;
  targetText: string;
  /** The machine output for the target sentences (before any correction). */
  originalTarget: string;
  corrected: boolean;
  /** 1-based paragraph of the original (source) text; target-only beads take the previous bead's. */
  paragraph: number;
  createdAt: string;
  creator: string | null;
  changedAt: string;
  changer: string | null;
  issues: ReviewIssue[];
  findings: Finding[];
  extras: BeadExtras | null;
}

/** TMX/XLIFF default for a document language code. */
export function xmlLangCode(lang: Lang): string {
  return lang.toLowerCase() === 'zh' ? 'zh-CN' : lang;
}

/**
 * The language codes an export writes for a document: the options' codes, else the document's, with
 * a bare `zh` written as `zh-CN` in TMX/XLIFF (`xml`). Without a document (an empty selection): en, zh.
 */
export function exportLangs(opts: ExportOptions, doc: ReviewDocument | undefined, xml: boolean): { source: string; target: string } {
  const code = xml ? xmlLangCode : (lang: Lang): string => lang;
  return { source: opts.sourceLang ?? code(doc?.source.lang ?? 'en'), target: opts.targetLang ?? code(doc?.target.lang ?? 'zh') };
}

export function beadIncluded(bead: ReviewBead, opts: ExportOptions): boolean {
  if (opts.confirmedOnly && bead.status !== 'confirmed') return false;
  if (opts.includeEmpty === false && (bead.source.length === 0 || bead.target.length === 0)) return false;
  return true;
}

interface BeadDates {
  first: string;
  firstAuthor: string;
  last: string;
  lastAuthor: string;
}

/** Per-document lookups built once: issues, findings and dates by bead id. */
function indexItem(item: ExportItem): {
  issues: Map<string, ReviewIssue[]>;
  findings: Map<string, Finding[]>;
  dates: Map<string, BeadDates>;
  created: string;
  creator: string | null;
} {
  const issues = new Map<string, ReviewIssue[]>();
  for (const i of item.doc.issues) {
    const list = issues.get(i.beadId);
    if (list) list.push(i);
    else issues.set(i.beadId, [i]);
  }
  const findings = new Map<string, Finding[]>();
  for (const f of item.findings ?? []) {
    const list = findings.get(f.beadId);
    if (list) list.push(f);
    else findings.set(f.beadId, [f]);
  }
  const dates = new Map<string, BeadDates>();
  let created = item.doc.createdAt;
  let creator: string | null = null;
  for (const entry of item.history ?? []) {
    if (entry.op.kind === 'import' && creator === null) {
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as strings
      created = entry.at < created ? entry.at : created;
      creator = entry.author;
    }
    for (const id of entry.beadIds) {
      const d = dates.get(id);
      if (!d) dates.set(id, { first: entry.at, firstAuthor: entry.author, last: entry.at, lastAuthor: entry.author });
      else {
        if (entry.at < d.first) {
          d.first = entry.at;
          d.firstAuthor = entry.author;
        }
        if (entry.at >= d.last) {
          d.last = entry.at;
          d.lastAuthor = entry.author;
        }
      }
    }
  }
  return { issues, findings, dates, created, creator };
}

/** The rows of one document that pass the filters, in document order. */
export function* beadRows(item: ExportItem, opts: ExportOptions, prefixIds: boolean): Generator<BeadRow> {
  const { doc } = item;
  const idx = indexItem(item);
  const srcJoin = sentenceSeparator(doc.source.lang);
  const tgtJoin = sentenceSeparator(doc.target.lang);
  let paragraph = 1;
  for (let index = 0; index < doc.beads.length; index++) {
    const bead = doc.beads[index]!;
    const first = bead.source[0];
    if (first !== undefined) paragraph = (doc.source.sentences[first]?.paragraph ?? paragraph - 1) + 1;
    if (!beadIncluded(bead, opts)) continue;
    const src: string[] = [];
    for (const s of bead.source) src.push(doc.source.sentences[s]?.text ?? '');
    const tgt: string[] = [];
    const orig: string[] = [];
    for (const t of bead.target) {
      const sent = doc.target.sentences[t];
      tgt.push(sent?.text ?? '');
      orig.push(sent?.original ?? sent?.text ?? '');
    }
    const targetText = tgt.join(tgtJoin);
    const originalTarget = orig.join(tgtJoin);
    const d = idx.dates.get(bead.id);
    yield {
      item,
      bead,
      index,
      uid: prefixIds ? `${doc.id}/${bead.id}` : bead.id,
      sourceText: src.join(srcJoin),
      targetText,
      originalTarget,
      corrected: originalTarget !== targetText,
      paragraph,
      createdAt: d && d.first < idx.created ? d.first : idx.created,
      creator: idx.creator ?? (d?.firstAuthor || null),
      changedAt: d?.last ?? idx.created,
      changer: d?.lastAuthor || idx.creator,
      issues: idx.issues.get(bead.id) ?? [],
      findings: idx.findings.get(bead.id) ?? [],
      // The bead's stored meta wins; the map serves documents that carry none (no double props).
      extras: bead.meta ?? item.extras?.get(bead.id) ?? null,
    };
  }
}

// ───────────────────────────── notes (shared by TMX, XLIFF, TSV/CSV) ─────────────────────────────

/** A reviewer issue as one human-readable line that importTmx can parse back. */
export function issueNote(i: ReviewIssue): string {
  const check = i.check ? ` check=${i.check}` : '';
  const span = i.targetSpan ? ` span=${i.targetSpan.start}-${i.targetSpan.end}` : '';
  return `[issue ${i.id} ${i.status} ${i.origin}${check}${span}] ${i.category} (${i.severity}) by ${i.author} at ${i.createdAt}: ${i.comment}`;
}

const ISSUE_NOTE =
  /^\[issue (\S+) (open|resolved|dismissed) (human|automatic)(?: check=(\S+))?(?: span=(\d+)-(\d+))?\] (\S+) \((minor|major|critical)\) by ([\s\S]*?) at (\S+): ([\s\S]*)$/;

/** Parses a note written by issueNote; null for any other note. */
export function parseIssueNote(note: string, beadId: string): ReviewIssue | null {
  const m = ISSUE_NOTE.exec(note);
  if (!m) return null;
  const [, id, status, origin, check, s0, s1, category, severity, author, at, comment] = m;
  return {
    id: id!,
    beadId,
    category: category as ReviewIssue['category'],
    severity: severity as ReviewIssue['severity'],
    comment: comment ?? '',
    targetSpan: s0 !== undefined && s1 !== undefined ? { start: Number(s0), end: Number(s1) } : null,
    origin: origin as ReviewIssue['origin'],
    check: check ?? null,
    status: status as ReviewIssue['status'],
    author: author ?? '',
    createdAt: at ?? '',
  };
}

export function findingNote(f: Finding): string {
  return `[qa ${f.check}] ${f.category} (${f.severity}): ${f.message}`;
}

/** Every note of a row in export order: issues, QA findings, then notes kept from an import. */
export function rowNotes(row: BeadRow): string[] {
  const notes = row.issues.map(issueNote);
  for (const f of row.findings) notes.push(findingNote(f));
  if (row.extras) notes.push(...row.extras.notes);
  return notes;
}

/** TMX date: UTC YYYYMMDDThhmmssZ. */
export function tmxDate(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return tmxDate(new Date(0));
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Inverse of tmxDate, to ISO 8601; null when the value is not a TMX date. */
export function parseTmxDate(s: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  return Number.isNaN(new Date(iso).getTime()) ? null : iso;
}
