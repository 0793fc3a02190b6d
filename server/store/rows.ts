/**
 * Rows ⇄ the domain: the shape of each table's row (as read back) and the mapping both ways. JSON
 * columns hold the nested parts (sentence lists of a bead, spans, meta, version texts). No SQL here,
 * so a second backend with the same tables can use it.
 */
import type {
  BeadMeta,
  HistoryEntry,
  Paragraph,
  ParagraphPair,
  ReviewBead,
  ReviewDocument,
  ReviewIssue,
  Sentence,
  TargetSentence,
  TargetVersion,
} from '../domain.js';
import { projectVersion, versionAnchors, type VersionAnchor } from '../review/versions.js';
import type { DocumentSummary, NewDocument } from './store.js';

export type { NewDocument } from './store.js';
export type Side = 'source' | 'target';

export interface DocumentRow {
  id: string;
  name: string;
  source_lang: string;
  target_lang: string;
  source_text: string;
  target_text: string;
  paragraph_pairs: string;
  model: string;
  revision: number;
  created_at: string;
  updated_at: string;
  corpus_key: string | null;
  project: string;
}
export interface ParagraphRow { idx: number; kind: Paragraph['kind']; number: string | null; text: string; spans: string }
export interface SentenceRow { idx: number; paragraph: number; text: string; original: string | null; start_offset: number; end_offset: number }
export interface BeadRow { id: string; ord: number; source: string; target: string; confidence: number; status: ReviewBead['status']; origin: string; meta: string | null }
export interface IssueRow {
  id: string; bead_id: string; category: ReviewIssue['category']; severity: ReviewIssue['severity']; comment: string;
  span_start: number | null; span_end: number | null; origin: ReviewIssue['origin']; check_id: string | null;
  status: ReviewIssue['status']; author: string; created_at: string;
}
export interface VersionRow { id: string; name: string; lang: string; text_by_bead: string; anchors: string | null }
/** A row of the document list: the document's columns with counts. */
export interface SummaryRow extends Omit<DocumentRow, 'source_text' | 'target_text' | 'paragraph_pairs'> {
  source_sentences: number; target_sentences: number; beads: number; confirmed: number; flagged: number; open_issues: number;
}

/** A further target version as stored: its text per row id when imported, and where those rows began. */
export interface StoredVersion {
  id: string;
  name: string;
  lang: string;
  textByBead: Record<string, string>;
  anchors: VersionAnchor[];
}

/** A document with what only the store needs beside it. */
export interface StoredDocument {
  doc: ReviewDocument;
  /** Order key of each row, parallel to doc.beads. */
  ords: number[];
  /** The versions as imported; doc.versions projects them onto doc.beads. */
  versions: StoredVersion[];
  /** The document row's version when read or written (PostgreSQL's xmin; null on SQLite). */
  stamp?: string | null;
  /** The seq of the newest history entry of the revision held (a cache brought up to date checks it). */
  lastSeq?: number;
  /**
   * The newest history entries up to doc.revision, in order without a gap, without their changes
   * (catch-up.ts `withRecent`): with them, a change posted against a recent revision needs from the
   * database only the entries after the cached one.
   */
  recent?: readonly HistoryEntry[];
}

/** Every row of one document, as read. */
export interface DocumentRows {
  document: DocumentRow;
  paragraphs: Record<Side, ParagraphRow[]>;
  sentences: Record<Side, SentenceRow[]>;
  beads: BeadRow[];
  issues: IssueRow[];
  versions: VersionRow[];
}

/** A version as the document shows it: its texts moved onto the rows as they are now. */
export function projected(v: StoredVersion, beads: readonly ReviewBead[]): TargetVersion {
  return { id: v.id, name: v.name, lang: v.lang, textByBead: projectVersion(v.textByBead, v.anchors, beads, v.lang) };
}

export function summaryFromRow(r: SummaryRow): DocumentSummary {
  return {
    id: r.id,
    name: r.name,
    sourceLang: r.source_lang,
    targetLang: r.target_lang,
    sourceSentences: r.source_sentences,
    targetSentences: r.target_sentences,
    beads: r.beads,
    confirmed: r.confirmed,
    flagged: r.flagged,
    openIssues: r.open_issues,
    model: r.model,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    corpusKey: r.corpus_key,
    project: r.project,
  };
}

export function documentFromRows(r: DocumentRows): StoredDocument {
  const d = r.document;
  const paragraph = (p: ParagraphRow): Paragraph => ({ index: p.idx, kind: p.kind, number: p.number, text: p.text, spans: JSON.parse(p.spans) as Paragraph['spans'] });
  const sentence = (s: SentenceRow): Sentence => ({ index: s.idx, paragraph: s.paragraph, text: s.text, start: s.start_offset, end: s.end_offset });
  const doc: ReviewDocument = {
    id: d.id,
    name: d.name,
    source: { lang: d.source_lang, text: d.source_text, paragraphs: r.paragraphs.source.map(paragraph), sentences: r.sentences.source.map(sentence) },
    target: {
      lang: d.target_lang,
      text: d.target_text,
      paragraphs: r.paragraphs.target.map(paragraph),
      sentences: r.sentences.target.map((s): TargetSentence => ({ ...sentence(s), original: s.original ?? s.text })),
    },
    paragraphPairs: JSON.parse(d.paragraph_pairs) as ParagraphPair[],
    beads: r.beads.map(beadFromRow),
    issues: r.issues.map(issueFromRow),
    versions: [],
    model: d.model,
    revision: d.revision,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
  const versions = r.versions.map((v): StoredVersion => {
    const textByBead = JSON.parse(v.text_by_bead) as Record<string, string>;
    // Not yet anchored (stored before migration 3): anchored on the rows as they are.
    const anchors = v.anchors === null ? versionAnchors(doc.beads, textByBead) : (JSON.parse(v.anchors) as VersionAnchor[]);
    return { id: v.id, name: v.name, lang: v.lang, textByBead, anchors };
  });
  doc.versions = versions.map((v) => projected(v, doc.beads));
  return { doc, ords: r.beads.map((b) => b.ord), versions };
}

function beadFromRow(r: BeadRow): ReviewBead {
  return {
    id: r.id,
    source: JSON.parse(r.source) as number[],
    target: JSON.parse(r.target) as number[],
    confidence: r.confidence,
    status: r.status,
    origin: r.origin,
    ...(r.meta === null ? {} : { meta: JSON.parse(r.meta) as BeadMeta }),
  };
}

function issueFromRow(r: IssueRow): ReviewIssue {
  return {
    id: r.id,
    beadId: r.bead_id,
    category: r.category,
    severity: r.severity,
    comment: r.comment,
    targetSpan: r.span_start === null || r.span_end === null ? null : { start: r.span_start, end: r.span_end },
    origin: r.origin,
    check: r.check_id,
    status: r.status,
    author: r.author,
    createdAt: r.created_at,
  };
}

// ── the other way: the values of each row written, in column order ──

export function documentValues(
  id: string,
  doc: NewDocument,
  o: { revision: number; createdAt: string; updatedAt: string; corpusKey: string | null; project: string },
): DocumentRow {
  return {
    id,
    name: doc.name,
    source_lang: doc.source.lang,
    target_lang: doc.target.lang,
    source_text: doc.source.text,
    target_text: doc.target.text,
    paragraph_pairs: JSON.stringify(doc.paragraphPairs),
    model: doc.model,
    revision: o.revision,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    corpus_key: o.corpusKey,
    project: o.project,
  };
}

/** (doc_id, side, idx, kind, number, text, spans) */
export function paragraphValues(docId: string, side: Side, p: Paragraph): unknown[] {
  return [docId, side, p.index, p.kind, p.number, p.text, JSON.stringify(p.spans)];
}

/** (doc_id, side, idx, paragraph, text, original, start_offset, end_offset); `original` only on the target side. */
export function sentenceValues(docId: string, side: Side, s: Sentence | TargetSentence): unknown[] {
  return [docId, side, s.index, s.paragraph, s.text, side === 'target' ? (s as TargetSentence).original : null, s.start, s.end];
}

/** (doc_id, id, ord, source, target, confidence, status, origin, meta) */
export function beadValues(docId: string, b: ReviewBead, ord: number): unknown[] {
  return [docId, b.id, ord, JSON.stringify(b.source), JSON.stringify(b.target), b.confidence, b.status, b.origin, b.meta ? JSON.stringify(b.meta) : null];
}

/** (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at) */
export function issueValues(docId: string, x: ReviewIssue, ord: number): unknown[] {
  return [docId, x.id, ord, x.beadId, x.category, x.severity, x.comment, x.targetSpan?.start ?? null, x.targetSpan?.end ?? null, x.origin, x.check, x.status, x.author, x.createdAt];
}

/** (doc_id, id, name, lang, text_by_bead, created_at, author, anchors) */
export function versionValues(docId: string, v: StoredVersion, o: { at: string; author: string }): unknown[] {
  return [docId, v.id, v.name, v.lang, JSON.stringify(v.textByBead), o.at, o.author, JSON.stringify(v.anchors)];
}
