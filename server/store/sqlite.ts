/**
 * The Store on SQLite (better-sqlite3, synchronous): WAL, foreign keys, versioned migrations.
 *
 * Each mutating call is one transaction (BEGIN IMMEDIATE). An operation is computed by the pure review
 * core on the document in memory (a small per-process cache, checked against the stored revision and
 * update time on every use, so other connections or processes on the same DATA_DIR are seen), then only the
 * touched rows are written — beads carry a sparse order key so inserting or removing a row rewrites
 * no other row — together with a history entry holding the change (before/after of the touched
 * part), from which undo, redo, conflict checks and replay work.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  BeadMeta,
  HistoryChangeSide,
  HistoryEntry,
  Paragraph,
  ParagraphPair,
  ReviewBead,
  ReviewDocument,
  ReviewIssue,
  ReviewOp,
  Sentence,
  TargetSentence,
  TargetVersion,
} from '../domain.js';
import { applyChange, applyOp, checkInvariants, diffDocuments } from '../review/index.js';
import { projectVersion, versionAnchors, type VersionAnchor } from '../review/versions.js';
import type { DocumentChange } from '../review/index.js';
import { MIGRATIONS } from './migrations.js';
import type { Migration } from './migrations.js';
import { ConflictError, InvalidOperationError, NotFoundError } from './store.js';
import type { DocumentSummary, Store } from './store.js';

type Db = Database.Database;
type NewDocument = Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>;

/** Gap between order keys of consecutive rows when (re)numbering. */
const ORD_STEP = 1024;
const CACHE_SIZE = 16;
export const DB_FILE = 'review.sqlite';
/** Ids an imported document may keep (they appear in URLs and file names). */
const SAFE_DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

function newDocumentId(): string {
  return `d${randomBytes(6).toString('hex')}`;
}

interface Cached {
  doc: ReviewDocument;
  /** Order key of each row, parallel to doc.beads. */
  ords: number[];
  /** The versions as imported (text per row id then, and where those rows began); doc.versions projects them onto doc.beads. */
  versions: StoredVersion[];
}

interface StoredVersion {
  id: string;
  name: string;
  lang: string;
  textByBead: Record<string, string>;
  anchors: VersionAnchor[];
}

function projected(v: StoredVersion, beads: readonly ReviewBead[]): TargetVersion {
  return { id: v.id, name: v.name, lang: v.lang, textByBead: projectVersion(v.textByBead, v.anchors, beads, v.lang) };
}

interface HistoryRow {
  seq: number;
  doc_id: string;
  revision: number;
  author: string;
  at: string;
  op: string;
  before: string | null;
  after: string | null;
  bead_ids: string;
  undo_state: 'applied' | 'undone' | 'dead' | null;
}

/** History columns without the before/after snapshots (which can be hundreds of kB per entry). */
const BRIEF_HISTORY = 'seq, doc_id, revision, author, at, op, NULL AS before, NULL AS after, bead_ids, undo_state';

export interface HistoryOptions {
  limit?: number;
  offset?: number;
  /** Newest entries first (default: oldest first, the order of replay). */
  newestFirst?: boolean;
  /** Only entries after this revision. */
  sinceRevision?: number;
  /** Include each entry's before/after snapshots (default true); lists and export dates need none. */
  changes?: boolean;
}

/** Applies pending migrations, each in its own transaction. Returns the schema version. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const version = (): number => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  const current = version();
  if (current > latest) throw new Error(`the database schema (version ${current}) is newer than this program (${latest}); update the program`);
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      // Read again under the write lock: another process opening the same DATA_DIR at the same time
      // may have applied this migration since (running it twice would fail half-way through startup).
      if (m.version <= version()) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
    }).immediate();
  }
  return version();
}

/** Opens (creating if needed) the store in `dataDir`. */
export function openStore(dataDir: string): SqliteStore {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(join(dataDir, DB_FILE));
}

export class SqliteStore implements Store {
  readonly db: Db;
  private readonly cache = new Map<string, Cached>();
  /** PRAGMA data_version when the cache was last known valid: it changes when another connection commits. */
  private dataVersion = -1;
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a killed process (not necessarily a power cut).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    const p = (sql: string) => this.db.prepare(sql);
    this.stmt = {
      docById: p('SELECT * FROM documents WHERE id = ?'),
      docExists: p('SELECT revision, updated_at FROM documents WHERE id = ?'),
      dataVersion: p('PRAGMA data_version').pluck(),
      insertDoc: p(`INSERT INTO documents (id, name, source_lang, target_lang, source_text, target_text, paragraph_pairs, model, revision, created_at, updated_at, corpus_key)
                    VALUES (@id, @name, @source_lang, @target_lang, @source_text, @target_text, @paragraph_pairs, @model, @revision, @created_at, @updated_at, @corpus_key)`),
      touchDoc: p('UPDATE documents SET revision = ?, updated_at = ? WHERE id = ?'),
      deleteDoc: p('DELETE FROM documents WHERE id = ?'),
      insertParagraph: p('INSERT INTO paragraphs (doc_id, side, idx, kind, number, text, spans) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      paragraphs: p('SELECT * FROM paragraphs WHERE doc_id = ? AND side = ? ORDER BY idx'),
      insertSentence: p('INSERT INTO sentences (doc_id, side, idx, paragraph, text, original, start_offset, end_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      sentences: p('SELECT * FROM sentences WHERE doc_id = ? AND side = ? ORDER BY idx'),
      setSentenceText: p("UPDATE sentences SET text = ? WHERE doc_id = ? AND side = 'target' AND idx = ?"),
      upsertBead: p(`INSERT INTO beads (doc_id, id, ord, source, target, confidence, status, origin, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (doc_id, id) DO UPDATE SET ord = excluded.ord, source = excluded.source, target = excluded.target,
                     confidence = excluded.confidence, status = excluded.status, origin = excluded.origin, meta = excluded.meta`),
      deleteBead: p('DELETE FROM beads WHERE doc_id = ? AND id = ?'),
      setBeadOrd: p('UPDATE beads SET ord = ? WHERE doc_id = ? AND id = ?'),
      beads: p('SELECT * FROM beads WHERE doc_id = ? ORDER BY ord'),
      insertIssue: p(`INSERT INTO issues (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteIssuesFrom: p('DELETE FROM issues WHERE doc_id = ? AND ord >= ? AND ord < ?'),
      issues: p('SELECT * FROM issues WHERE doc_id = ? ORDER BY ord'),
      insertVersion: p('INSERT INTO versions (doc_id, id, name, lang, text_by_bead, created_at, author, anchors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      versionsWithoutAnchors: p('SELECT doc_id, id, text_by_bead FROM versions WHERE anchors IS NULL'),
      setVersionAnchors: p('UPDATE versions SET anchors = ? WHERE doc_id = ? AND id = ? AND anchors IS NULL'),
      versions: p('SELECT * FROM versions WHERE doc_id = ? ORDER BY created_at, id'),
      countVersions: p('SELECT COUNT(*) AS n FROM versions WHERE doc_id = ?'),
      insertHistory: p(`INSERT INTO history (doc_id, revision, author, at, op, before, after, bead_ids, undo_state)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertHistoryAt: p(`INSERT INTO history (seq, doc_id, revision, author, at, op, before, after, bead_ids, undo_state)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Highest seq ever given (AUTOINCREMENT never reuses one, even after a delete).
      maxSeq: p("SELECT MAX(n) AS n FROM (SELECT COALESCE(MAX(seq), 0) AS n FROM history UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'history')"),
      // Conflict checks need who/what/which rows, not the (large) recorded changes.
      historySince: p('SELECT seq, doc_id, revision, author, at, op, NULL AS before, NULL AS after, bead_ids, undo_state FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision'),
      // Revisions grow with seq within a document, so ordering by revision walks the index.
      historyAsc: p('SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?'),
      historyDesc: p('SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?'),
      historyAscBrief: p(`SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?`),
      historyDescBrief: p(`SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?`),
      killRedo: p("UPDATE history SET undo_state = 'dead' WHERE doc_id = ? AND undo_state = 'undone'"),
      setUndoState: p('UPDATE history SET undo_state = ? WHERE seq = ?'),
      undoTop: p("SELECT * FROM history WHERE doc_id = ? AND undo_state = 'applied' ORDER BY seq DESC LIMIT 1"),
      redoTop: p("SELECT * FROM history WHERE doc_id = ? AND undo_state = 'undone' ORDER BY seq ASC LIMIT 1"),
      byCorpusKey: p('SELECT id FROM documents WHERE corpus_key = ?'),
      list: p(`SELECT d.id, d.name, d.source_lang, d.target_lang, d.model, d.revision, d.created_at, d.updated_at, d.corpus_key,
                 (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'source') AS source_sentences,
                 (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'target') AS target_sentences,
                 (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id) AS beads,
                 (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'confirmed') AS confirmed,
                 (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'flagged') AS flagged,
                 (SELECT COUNT(*) FROM issues i WHERE i.doc_id = d.id AND i.status = 'open') AS open_issues
               FROM documents d ORDER BY d.created_at, d.name`),
    };
    this.fillVersionAnchors();
  }

  /**
   * Versions stored before migration 3 have no anchors: they are taken from the rows as they are now
   * (what those versions showed until then), once.
   */
  private fillVersionAnchors(): void {
    const rows = this.stmt.versionsWithoutAnchors.all() as { doc_id: string; id: string; text_by_bead: string }[];
    if (!rows.length) return;
    this.write(() => {
      for (const r of rows) {
        const beads = this.load(r.doc_id).doc.beads;
        const anchors = versionAnchors(beads, JSON.parse(r.text_by_bead) as Record<string, string>);
        this.stmt.setVersionAnchors.run(JSON.stringify(anchors), r.doc_id, r.id);
      }
    });
    this.cache.clear();
  }

  // ─────────────────────────── reading ───────────────────────────

  listDocuments(): DocumentSummary[] {
    type Row = Record<string, string | number | null>;
    return (this.stmt.list.all() as Row[]).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      sourceLang: String(r.source_lang),
      targetLang: String(r.target_lang),
      sourceSentences: Number(r.source_sentences),
      targetSentences: Number(r.target_sentences),
      beads: Number(r.beads),
      confirmed: Number(r.confirmed),
      flagged: Number(r.flagged),
      openIssues: Number(r.open_issues),
      model: String(r.model),
      revision: Number(r.revision),
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
      corpusKey: r.corpus_key === null ? null : String(r.corpus_key),
    }));
  }

  getDocument(id: string): ReviewDocument {
    return this.load(id).doc;
  }

  /** The id of the document imported from this corpus folder, if any. */
  findByCorpusKey(key: string): string | null {
    const row = this.stmt.byCorpusKey.get(key) as { id: string } | undefined;
    return row?.id ?? null;
  }

  history(id: string, opts: HistoryOptions = {}): HistoryEntry[] {
    this.requireDoc(id);
    const limit = Math.max(0, Math.min(opts.limit ?? 1_000_000, 1_000_000));
    const offset = Math.max(0, opts.offset ?? 0);
    const brief = opts.changes === false;
    const stmt = opts.newestFirst
      ? brief ? this.stmt.historyDescBrief : this.stmt.historyDesc
      : brief ? this.stmt.historyAscBrief : this.stmt.historyAsc;
    const rows = stmt.all(id, opts.sinceRevision ?? -1, limit, offset) as HistoryRow[];
    return rows.map(toEntry);
  }

  private requireDoc(id: string): number {
    const row = this.stmt.docExists.get(id) as { revision: number } | undefined;
    if (!row) throw new NotFoundError(`document ${id} does not exist`);
    return row.revision;
  }

  /**
   * One write transaction, BEGIN IMMEDIATE: the write lock is taken (waiting up to busy_timeout)
   * before anything is read, so another connection or process cannot commit between this one's read
   * of the document and its writes.
   */
  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      // Refusals are thrown before anything is cached; anything else (a failed write or COMMIT) may
      // come after the new state was cached: forget it, the database has the truth.
      if (!(e instanceof InvalidOperationError || e instanceof NotFoundError || e instanceof ConflictError)) this.cache.clear();
      throw e;
    }
  }

  private load(id: string): Cached {
    // Another connection or process on the same DATA_DIR committed since: nothing cached can be trusted.
    const dataVersion = this.stmt.dataVersion.get() as number;
    if (dataVersion !== this.dataVersion) {
      this.cache.clear();
      this.dataVersion = dataVersion;
    }
    const hit = this.cache.get(id);
    // And only while the stored document is the one cached (belt and braces: a rolled-back
    // transaction, or a change made through this.db directly).
    const row = hit ? (this.stmt.docExists.get(id) as { revision: number; updated_at: string } | undefined) : undefined;
    if (hit && (!row || row.revision !== hit.doc.revision || row.updated_at !== hit.doc.updatedAt)) this.cache.delete(id);
    else if (hit) {
      // Least recently used goes first out: re-insert on every hit.
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const d = this.stmt.docById.get(id) as Record<string, string | number | null> | undefined;
    if (!d) throw new NotFoundError(`document ${id} does not exist`);
    type PRow = { idx: number; kind: Paragraph['kind']; number: string | null; text: string; spans: string };
    type SRow = { idx: number; paragraph: number; text: string; original: string | null; start_offset: number; end_offset: number };
    const paragraphs = (side: string): Paragraph[] =>
      (this.stmt.paragraphs.all(id, side) as PRow[]).map((r) => ({ index: r.idx, kind: r.kind, number: r.number, text: r.text, spans: JSON.parse(r.spans) as Paragraph['spans'] }));
    const sentence = (r: SRow): Sentence => ({ index: r.idx, paragraph: r.paragraph, text: r.text, start: r.start_offset, end: r.end_offset });
    type BRow = { id: string; ord: number; source: string; target: string; confidence: number; status: ReviewBead['status']; origin: string; meta: string | null };
    const beadRows = this.stmt.beads.all(id) as BRow[];
    type IRow = {
      id: string; bead_id: string; category: ReviewIssue['category']; severity: ReviewIssue['severity']; comment: string;
      span_start: number | null; span_end: number | null; origin: ReviewIssue['origin']; check_id: string | null;
      status: ReviewIssue['status']; author: string; created_at: string;
    };
    type VRow = { id: string; name: string; lang: string; text_by_bead: string; anchors: string | null };
    const doc: ReviewDocument = {
      id,
      name: String(d.name),
      source: {
        lang: String(d.source_lang),
        text: String(d.source_text),
        paragraphs: paragraphs('source'),
        sentences: (this.stmt.sentences.all(id, 'source') as SRow[]).map(sentence),
      },
      target: {
        lang: String(d.target_lang),
        text: String(d.target_text),
        paragraphs: paragraphs('target'),
        sentences: (this.stmt.sentences.all(id, 'target') as SRow[]).map((r): TargetSentence => ({ ...sentence(r), original: r.original ?? r.text })),
      },
      paragraphPairs: JSON.parse(String(d.paragraph_pairs)) as ParagraphPair[],
      beads: beadRows.map((r) => ({
        id: r.id,
        source: JSON.parse(r.source) as number[],
        target: JSON.parse(r.target) as number[],
        confidence: r.confidence,
        status: r.status,
        origin: r.origin,
        ...(r.meta === null ? {} : { meta: JSON.parse(r.meta) as BeadMeta }),
      })),
      issues: (this.stmt.issues.all(id) as IRow[]).map((r) => ({
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
      })),
      versions: [],
      model: String(d.model),
      revision: Number(d.revision),
      createdAt: String(d.created_at),
      updatedAt: String(d.updated_at),
    };
    const versions = (this.stmt.versions.all(id) as VRow[]).map((r): StoredVersion => {
      const textByBead = JSON.parse(r.text_by_bead) as Record<string, string>;
      return { id: r.id, name: r.name, lang: r.lang, textByBead, anchors: r.anchors === null ? versionAnchors(doc.beads, textByBead) : (JSON.parse(r.anchors) as VersionAnchor[]) };
    });
    doc.versions = versions.map((v) => projected(v, doc.beads));
    const entry: Cached = { doc, ords: beadRows.map((r) => r.ord), versions };
    this.remember(id, entry);
    return entry;
  }

  private remember(id: string, entry: Cached): void {
    // The cached document is handed out to every caller and is the base of the next operation:
    // frozen, so a caller changing it in place fails loudly instead of corrupting what gets stored.
    deepFreeze(entry.doc);
    this.cache.delete(id);
    this.cache.set(id, entry);
    while (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  // ─────────────────────────── writing ───────────────────────────

  createDocument(doc: NewDocument, opts: { author: string; corpusKey?: string | null }): string {
    checkInvariants(doc);
    const id = newDocumentId();
    const at = new Date().toISOString();
    this.write(() => {
      if (opts.corpusKey && this.findByCorpusKey(opts.corpusKey)) throw new InvalidOperationError(`corpus folder ${opts.corpusKey} is already imported`);
      this.insertContent(id, doc, { revision: 0, createdAt: at, updatedAt: at, corpusKey: opts.corpusKey ?? null, author: opts.author, at });
      this.stmt.insertHistory.run(id, 0, opts.author, at, JSON.stringify({ kind: 'import' }), null, null, '[]', null);
    });
    return id;
  }

  importDocument(doc: ReviewDocument, opts: { author: string; history: readonly HistoryEntry[] }): string {
    checkInvariants(doc);
    const entries = [...opts.history].sort((a, b) => a.seq - b.seq);
    entries.forEach((e, k) => {
      const prev = entries[k - 1];
      if (!Number.isInteger(e.revision) || e.revision > doc.revision || (prev && (e.revision < prev.revision || e.seq === prev.seq))) {
        throw new InvalidOperationError(`the imported history does not fit the document (entry ${e.seq}: revision ${e.revision}, document revision ${doc.revision})`);
      }
    });
    const at = new Date().toISOString();
    return this.write(() => {
      // Kept when free, so a document restored into another store exports exactly as it did.
      const id = SAFE_DOC_ID.test(doc.id) && !this.stmt.docExists.get(doc.id) ? doc.id : newDocumentId();
      this.insertContent(id, doc, { revision: doc.revision, createdAt: doc.createdAt, updatedAt: doc.updatedAt, corpusKey: null, author: opts.author, at });
      if (entries.length === 0) {
        this.stmt.insertHistory.run(id, doc.revision, opts.author, at, JSON.stringify({ kind: 'import' }), null, null, '[]', null);
        return id;
      }
      // Seqs are global to the store: kept when all are above every seq given so far (a fresh
      // store), else renumbered after them, undo/redo references with them.
      const maxSeq = (this.stmt.maxSeq.get() as { n: number }).n;
      const keep = entries.every((e) => Number.isInteger(e.seq)) && entries[0]!.seq > maxSeq;
      const seqOf = new Map(entries.map((e, k) => [e.seq, keep ? e.seq : maxSeq + 1 + k]));
      for (const e of entries) {
        const op = (e.op.kind === 'undo' || e.op.kind === 'redo') && seqOf.has(e.op.of) ? { ...e.op, of: seqOf.get(e.op.of)! } : e.op;
        // undone: undefined = outside the undo stack (import, undo, redo); false = on it (undo refuses
        // it unless before/after came along, see recordedChange); true = dead: never redone here.
        const state = e.undone === undefined ? null : e.undone ? 'dead' : 'applied';
        this.stmt.insertHistoryAt.run(
          seqOf.get(e.seq)!, id, e.revision, e.author, e.at, JSON.stringify(op),
          e.before ? JSON.stringify(e.before) : null, e.after ? JSON.stringify(e.after) : null, JSON.stringify(e.beadIds), state,
        );
      }
      return id;
    });
  }

  /** Inserts a document's rows (not its history). */
  private insertContent(
    id: string,
    doc: NewDocument,
    o: { revision: number; createdAt: string; updatedAt: string; corpusKey: string | null; author: string; at: string },
  ): void {
    this.stmt.insertDoc.run({
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
    });
    for (const [side, ps] of [['source', doc.source.paragraphs], ['target', doc.target.paragraphs]] as const) {
      for (const p of ps) this.stmt.insertParagraph.run(id, side, p.index, p.kind, p.number, p.text, JSON.stringify(p.spans));
    }
    for (const s of doc.source.sentences) this.stmt.insertSentence.run(id, 'source', s.index, s.paragraph, s.text, null, s.start, s.end);
    for (const s of doc.target.sentences) this.stmt.insertSentence.run(id, 'target', s.index, s.paragraph, s.text, s.original, s.start, s.end);
    doc.beads.forEach((b, i) => this.writeBead(id, b, (i + 1) * ORD_STEP));
    doc.issues.forEach((x, i) => this.writeIssue(id, x, i));
    for (const v of doc.versions) {
      this.stmt.insertVersion.run(id, v.id, v.name, v.lang, JSON.stringify(v.textByBead), o.at, o.author, JSON.stringify(versionAnchors(doc.beads, v.textByBead)));
    }
  }

  deleteDocument(id: string): void {
    const r = this.stmt.deleteDoc.run(id);
    this.cache.delete(id);
    if (r.changes === 0) throw new NotFoundError(`document ${id} does not exist`);
  }

  apply(id: string, op: ReviewOp, opts: { author: string; baseRevision?: number }): ReviewDocument {
    const result = this.write(() => {
      const cur = this.load(id);
      const doc = cur.doc;
      const stale = this.staleChanges(doc, opts.baseRevision);
      if (stale.length) {
        const referenced = referencedBeads(doc, op);
        const changed = changedBeadIds(stale);
        if (referenced.some((b) => changed.has(b))) throw conflict(doc, stale);
      }
      const at = new Date().toISOString();
      let next: ReviewDocument;
      try {
        next = applyOp(doc, op, { author: opts.author, at });
      } catch (e) {
        // Invalid on the current state after changes the poster has not seen: report those changes.
        if (stale.length && (e instanceof InvalidOperationError || e instanceof NotFoundError)) throw conflict(doc, stale);
        throw e;
      }
      const change = diffDocuments(doc, next);
      if (stale.length) {
        const changed = changedBeadIds(stale);
        if (change.beadIds.some((b) => changed.has(b))) throw conflict(doc, stale);
      }
      this.stmt.killRedo.run(id);
      return this.commit(id, cur, next, change, { op, author: opts.author, at, undoState: 'applied' });
    });
    return result;
  }

  undo(id: string, opts: { author: string; baseRevision?: number }): ReviewDocument {
    return this.write(() => {
      const cur = this.load(id);
      const top = this.stmt.undoTop.get(id) as HistoryRow | undefined;
      if (!top) throw new InvalidOperationError('there is nothing to undo');
      this.checkUndoRedoConflict(cur.doc, top, opts.baseRevision);
      const entry = recordedChange(top, 'undone');
      const next = applyChange(cur.doc, entry.after!, entry.before!);
      checkInvariants(next);
      this.stmt.setUndoState.run('undone', top.seq);
      const change: DocumentChange = { before: entry.after!, after: entry.before!, beadIds: entry.beadIds };
      return this.commit(id, cur, next, change, { op: { kind: 'undo', of: top.seq }, author: opts.author, at: new Date().toISOString(), undoState: null });
    });
  }

  redo(id: string, opts: { author: string; baseRevision?: number }): ReviewDocument {
    return this.write(() => {
      const cur = this.load(id);
      const top = this.stmt.redoTop.get(id) as HistoryRow | undefined;
      if (!top) throw new InvalidOperationError('there is nothing to redo');
      this.checkUndoRedoConflict(cur.doc, top, opts.baseRevision);
      const entry = recordedChange(top, 'redone');
      const next = applyChange(cur.doc, entry.before!, entry.after!);
      checkInvariants(next);
      this.stmt.setUndoState.run('applied', top.seq);
      const change: DocumentChange = { before: entry.before!, after: entry.after!, beadIds: entry.beadIds };
      return this.commit(id, cur, next, change, { op: { kind: 'redo', of: top.seq }, author: opts.author, at: new Date().toISOString(), undoState: null });
    });
  }

  addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string }): ReviewDocument {
    return this.write(() => {
      const cur = this.load(id);
      const n = (this.stmt.countVersions.get(id) as { n: number }).n;
      const known = new Set(cur.doc.beads.map((b) => b.id));
      for (const k of Object.keys(version.textByBead)) {
        if (!known.has(k)) throw new InvalidOperationError(`version text refers to a row that does not exist (${k})`);
      }
      const at = new Date().toISOString();
      const vid = `v${n + 1}_${randomBytes(3).toString('hex')}`;
      const v: StoredVersion = { id: vid, name: version.name, lang: version.lang, textByBead: { ...version.textByBead }, anchors: versionAnchors(cur.doc.beads, version.textByBead) };
      this.stmt.insertVersion.run(id, vid, v.name, v.lang, JSON.stringify(v.textByBead), at, opts.author, JSON.stringify(v.anchors));
      // Recorded like every change (who, when, new revision); not on the undo stack: delete is explicit.
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'addVersion', versionId: vid, name: v.name };
      this.stmt.insertHistory.run(id, revision, opts.author, at, JSON.stringify(op), null, null, '[]', null);
      this.stmt.touchDoc.run(revision, at, id);
      const doc: ReviewDocument = { ...cur.doc, versions: [...cur.doc.versions, projected(v, cur.doc.beads)], revision, updatedAt: at };
      this.remember(id, { doc, ords: cur.ords, versions: [...cur.versions, v] });
      return doc;
    });
  }

  close(): void {
    this.cache.clear();
    if (!this.db.open) return;
    // Keeps the query planner's statistics fresh; cheap when nothing changed.
    this.db.pragma('optimize');
    this.db.close();
  }

  // ─────────────────────────── internals ───────────────────────────

  /** History entries the poster has not seen (empty when baseRevision is current or absent). */
  private staleChanges(doc: ReviewDocument, baseRevision: number | undefined): HistoryRow[] {
    if (baseRevision === undefined || baseRevision === doc.revision) return [];
    if (!Number.isInteger(baseRevision) || baseRevision < 0 || baseRevision > doc.revision) {
      throw new InvalidOperationError(`baseRevision ${baseRevision} is not a revision of this document (current: ${doc.revision})`);
    }
    return this.stmt.historySince.all(doc.id, baseRevision) as HistoryRow[];
  }

  /** Undo/redo against an old revision: refused when it would act on something the poster has not seen. */
  private checkUndoRedoConflict(doc: ReviewDocument, top: HistoryRow, baseRevision: number | undefined): void {
    const stale = this.staleChanges(doc, baseRevision);
    if (!stale.length) return;
    const touched = JSON.parse(top.bead_ids) as string[];
    const changed = changedBeadIds(stale);
    if (top.revision > (baseRevision ?? 0) || stale.some((s) => isUndoRedo(s.op)) || touched.some((b) => changed.has(b))) {
      throw conflict(doc, stale);
    }
  }

  /** Writes the touched rows and the history entry; returns the new document (cached after commit). */
  private commit(
    id: string,
    cur: Cached,
    next: ReviewDocument,
    change: DocumentChange,
    h: { op: HistoryEntry['op']; author: string; at: string; undoState: HistoryRow['undo_state'] },
  ): ReviewDocument {
    const revision = cur.doc.revision + 1;
    const ords = this.writeBeads(id, cur.ords, change, next);
    if (change.after.issues) {
      const { at } = change.after.issues;
      const removed = change.before.issues?.items.length ?? 0;
      if (removed === change.after.issues.items.length) {
        this.stmt.deleteIssuesFrom.run(id, at, at + removed);
        change.after.issues.items.forEach((x, k) => this.writeIssue(id, x, at + k));
      } else {
        // Issues are appended at the end, so the tail rewritten here is short.
        this.stmt.deleteIssuesFrom.run(id, at, Number.MAX_SAFE_INTEGER);
        for (let k = at; k < next.issues.length; k++) this.writeIssue(id, next.issues[k]!, k);
      }
    }
    for (const s of change.after.target) this.stmt.setSentenceText.run(s.text, id, s.index);
    this.stmt.insertHistory.run(id, revision, h.author, h.at, JSON.stringify(h.op), JSON.stringify(change.before), JSON.stringify(change.after), JSON.stringify(change.beadIds), h.undoState);
    this.stmt.touchDoc.run(revision, h.at, id);
    // Versions follow the rows: projected again when the rows changed.
    const versions = change.after.beads && cur.versions.length ? cur.versions.map((v) => projected(v, next.beads)) : next.versions;
    const doc: ReviewDocument = { ...next, versions, revision, updatedAt: h.at };
    this.remember(id, { doc, ords, versions: cur.versions });
    return doc;
  }

  /** Rewrites rows [at, at + n) of the change with order keys between their unchanged neighbours. */
  private writeBeads(id: string, ords: number[], change: DocumentChange, next: ReviewDocument): number[] {
    const before = change.before.beads;
    const after = change.after.beads;
    if (!before || !after) return ords;
    const at = after.at;
    const keepIds = new Set(after.items.map((b) => b.id));
    for (const b of before.items) if (!keepIds.has(b.id)) this.stmt.deleteBead.run(id, b.id);
    const lo = at > 0 ? ords[at - 1]! : 0;
    const hiIndex = at + before.items.length;
    const hi = hiIndex < ords.length ? ords[hiIndex]! : lo + ORD_STEP * (after.items.length + 1);
    const step = (hi - lo) / (after.items.length + 1);
    if (step < 1e-6 || !Number.isFinite(step)) {
      // Keys exhausted in this gap (many inserts at one place): renumber every row once.
      const fresh = next.beads.map((_, i) => (i + 1) * ORD_STEP);
      const written = new Set<string>();
      after.items.forEach((b, k) => {
        this.writeBead(id, b, fresh[at + k]!);
        written.add(b.id);
      });
      next.beads.forEach((b, i) => {
        if (!written.has(b.id)) this.stmt.setBeadOrd.run(fresh[i]!, id, b.id);
      });
      return fresh;
    }
    const newOrds = after.items.map((_, k) => lo + step * (k + 1));
    after.items.forEach((b, k) => this.writeBead(id, b, newOrds[k]!));
    return [...ords.slice(0, at), ...newOrds, ...ords.slice(hiIndex)];
  }

  private writeBead(id: string, b: ReviewBead, ord: number): void {
    this.stmt.upsertBead.run(id, b.id, ord, JSON.stringify(b.source), JSON.stringify(b.target), b.confidence, b.status, b.origin, b.meta ? JSON.stringify(b.meta) : null);
  }

  private writeIssue(id: string, x: ReviewIssue, ord: number): void {
    this.stmt.insertIssue.run(id, x.id, ord, x.beadId, x.category, x.severity, x.comment, x.targetSpan?.start ?? null, x.targetSpan?.end ?? null, x.origin, x.check, x.status, x.author, x.createdAt);
  }
}

/** Freezes an object graph; stops at objects already frozen (the parts shared with the previous state). */
function deepFreeze(x: unknown): void {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return;
  Object.freeze(x);
  for (const v of Object.values(x)) deepFreeze(v);
}

function toEntry(r: HistoryRow): HistoryEntry {
  const e: HistoryEntry = {
    seq: r.seq,
    documentId: r.doc_id,
    revision: r.revision,
    author: r.author,
    at: r.at,
    op: JSON.parse(r.op) as HistoryEntry['op'],
    beadIds: JSON.parse(r.bead_ids) as string[],
  };
  if (r.before !== null) e.before = JSON.parse(r.before) as HistoryChangeSide;
  if (r.after !== null) e.after = JSON.parse(r.after) as HistoryChangeSide;
  if (r.undo_state !== null) e.undone = r.undo_state !== 'applied';
  return e;
}

/**
 * The entry to undo or redo, with its recorded change. Entries restored from a JSON export carry no
 * before/after (the export leaves them out), so they are refused rather than guessed at.
 */
function recordedChange(row: HistoryRow, what: 'undone' | 'redone'): HistoryEntry {
  const e = toEntry(row);
  if (!e.before || !e.after) {
    throw new InvalidOperationError(
      `the last change (${e.op.kind} by ${e.author} at ${e.at}) was imported from a file without the data needed to undo or redo it: it cannot be ${what}`,
    );
  }
  return e;
}

function isUndoRedo(opJson: string): boolean {
  const kind = (JSON.parse(opJson) as { kind: string }).kind;
  return kind === 'undo' || kind === 'redo';
}

function changedBeadIds(rows: HistoryRow[]): Set<string> {
  const s = new Set<string>();
  for (const r of rows) for (const b of JSON.parse(r.bead_ids) as string[]) s.add(b);
  return s;
}

function conflict(doc: ReviewDocument, stale: HistoryRow[]): ConflictError {
  const changes = stale.map(toEntry);
  const who = [...new Set(changes.map((c) => c.author))].join(', ');
  const what = changes.map((c) => `${c.op.kind}${c.beadIds.length ? ` (${c.beadIds.slice(0, 5).join(', ')}${c.beadIds.length > 5 ? ', …' : ''})` : ''}`).join('; ');
  return new ConflictError(
    `The document changed since you loaded it (revision ${doc.revision} now), touching what your change needs: ${who} made ${changes.length} change(s) since: ${what}. Reload and try again.`,
    doc.revision,
    changes,
  );
}

/** Rows an op names directly (checked for conflicts before the op runs). */
function referencedBeads(doc: ReviewDocument, op: ReviewOp): string[] {
  switch (op.kind) {
    case 'editTarget':
      return doc.beads.filter((b) => b.target.includes(op.sentence)).map((b) => b.id);
    case 'setIssueStatus': {
      const issue = doc.issues.find((x) => x.id === op.issueId);
      return issue ? [issue.beadId] : [];
    }
    case 'realign':
      return [];
    default:
      return [op.beadId];
  }
}
