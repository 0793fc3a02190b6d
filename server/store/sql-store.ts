/**
 * The Store on a SQL database, the same logic for SQLite (sqlite.ts) and PostgreSQL (postgres.ts):
 * every statement is written once (statements.ts, job-table.ts, glossary-table.ts) and runs through
 * the driver's port (sql.ts); what differs between the two (locks, the row version the cache checks,
 * id sequences) is the port's Dialect.
 *
 * Each mutating call is one transaction. An operation is computed by the pure review core on the
 * document in memory (cache.ts, checked against the database on every use, so other connections,
 * processes or servers on the same database are seen) under the conflict rule (review/conflict.ts),
 * then only the touched rows are written — beads carry a sparse order key (order.ts) so inserting or
 * removing a row rewrites no other row — together with a history entry holding the change
 * (before/after of the touched part), from which undo, redo, conflict checks and replay work
 * (history.ts). A write to a document first locks its row (PostgreSQL; SQLite's write transaction
 * holds the only write lock), so two servers never interleave two changes of one document.
 * See README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import type {
  GlossaryChange,
  GlossaryEntry,
  GlossarySummary,
  HistoryEntry,
  JobRecord,
  JobResult,
  ReviewBead,
  ReviewDocument,
  ReviewIssue,
  ReviewOp,
  StoredGlossary,
  StoredGlossaryEntry,
  TargetVersion,
} from '../domain.js';
import {
  applyChange,
  applyPosted,
  checkInvariants,
  checkUndoRedo,
  ConflictError,
  InvalidOperationError,
  NotFoundError,
  unseenAfter,
  versionAnchors,
  type DocumentChange,
} from '../review/index.js';
import { DocumentCache } from './cache.js';
import { GlossaryTable } from './glossary-table.js';
import {
  entryFromRow,
  historyValues,
  importableHistory,
  importedHistoryRows,
  STEP,
  stepChange,
  type Direction,
  type HistoryRow,
  type UndoState,
} from './history.js';
import { JobTable } from './job-table.js';
import { MIGRATIONS } from './migrations.js';
import { freshKeys, placeRows } from './order.js';
import {
  beadValues,
  documentFromRows,
  documentValues,
  issueValues,
  paragraphValues,
  projected,
  sentenceValues,
  summaryFromRow,
  versionValues,
  type BeadRow,
  type DocumentRow,
  type IssueRow,
  type NewDocument,
  type ParagraphRow,
  type SentenceRow,
  type StoredDocument,
  type StoredVersion,
  type SummaryRow,
  type VersionRow,
} from './rows.js';
import { insertRow, type SqlDatabase, type SqlTx } from './sql.js';
import { SQL } from './statements.js';
import type {
  AppliedMigration,
  DocumentSummary,
  DocumentToStore,
  HistoryOptions,
  JobLimits,
  JobLink,
  NewJob,
  QueueSend,
  Store,
  StoreLocation,
} from './store.js';

/** Ids an imported document may keep (they appear in URLs and file names). */
const SAFE_DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The document row as the cache checks it. */
interface StampRow {
  revision: number;
  updated_at: string;
  stamp: string | null;
}

function newDocumentId(): string {
  return `d${randomBytes(6).toString('hex')}`;
}

const isRefusal = (e: unknown): boolean => e instanceof InvalidOperationError || e instanceof NotFoundError || e instanceof ConflictError;

export class SqlStore implements Store {
  protected readonly cache = new DocumentCache();
  protected readonly jobs: JobTable;
  protected readonly glossaries: GlossaryTable;

  constructor(
    protected readonly sql: SqlDatabase,
    readonly location: StoreLocation,
  ) {
    this.jobs = new JobTable();
    this.glossaries = new GlossaryTable();
  }

  // ─────────────────────────── reading ───────────────────────────

  async listDocuments(): Promise<DocumentSummary[]> {
    return (await this.sql.once.all<SummaryRow>(SQL.list)).map(summaryFromRow);
  }

  async getDocument(id: string): Promise<ReviewDocument> {
    // Cached and current: one statement. Else every row, in one snapshot.
    await this.syncCache();
    const row = await this.sql.once.get<StampRow>(this.sql.dialect.documentStamp(false), [id]);
    if (!row) throw new NotFoundError(`document ${id} does not exist`);
    const hit = this.cache.get(id, (entry) => current(entry, row));
    if (hit) return hit.doc;
    return (await this.sql.read((tx) => this.load(tx, id, false))).doc;
  }

  /** The id of the document imported from this corpus folder, if any. */
  async findByCorpusKey(key: string): Promise<string | null> {
    return (await this.sql.once.get<{ id: string }>(SQL.byCorpusKey, [key]))?.id ?? null;
  }

  async history(id: string, opts: HistoryOptions = {}): Promise<HistoryEntry[]> {
    const limit = Math.max(0, Math.min(opts.limit ?? 1_000_000, 1_000_000));
    const offset = Math.max(0, opts.offset ?? 0);
    const brief = opts.changes === false;
    const sql = opts.newestFirst ? (brief ? SQL.historyDescBrief : SQL.historyDesc) : brief ? SQL.historyAscBrief : SQL.historyAsc;
    const rows = await this.sql.read(async (tx) => {
      if (!(await tx.get(SQL.docExists, [id]))) throw new NotFoundError(`document ${id} does not exist`);
      return tx.all<HistoryRow>(sql, [id, opts.sinceRevision ?? -1, limit, offset]);
    });
    return rows.map(entryFromRow);
  }

  async schema(): Promise<AppliedMigration[]> {
    const rows = await this.sql.once.all<{ version: number; applied_at: string | null }>('SELECT version, applied_at FROM schema_version ORDER BY version');
    return rows.map((r) => ({ version: r.version, description: MIGRATIONS.find((m) => m.version === r.version)?.description ?? '(unknown to this program)', appliedAt: r.applied_at }));
  }

  async serverKey(name: string): Promise<Buffer> {
    const read = async (): Promise<Buffer | null> => {
      const row = await this.sql.once.get<{ secret: string }>('SELECT secret FROM server_keys WHERE name = ?', [name]);
      return row ? Buffer.from(row.secret, 'base64url') : null;
    };
    const known = await read();
    if (known) return known;
    // Two servers starting at once: the first insert wins, both read it.
    await this.sql.once.run('INSERT INTO server_keys (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
      name,
      randomBytes(32).toString('base64url'),
      new Date().toISOString(),
    ]);
    return (await read())!;
  }

  /** Another connection committed since (SQLite's data_version): nothing cached can be trusted. */
  private async syncCache(): Promise<void> {
    const counter = await this.sql.changeCounter();
    if (counter !== null) this.cache.sync(counter);
  }

  /**
   * One write transaction. Refusals are thrown before anything is cached; anything else (a failed
   * write or COMMIT) may come after the new state was cached: forget it, the database has the truth.
   */
  protected async write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    try {
      return await this.sql.write(fn);
    } catch (e) {
      if (!isRefusal(e)) this.cache.clear();
      throw e;
    }
  }

  /**
   * The document as stored, from the cache when it is current. In a write transaction
   * (`forUpdate`), its row is locked first (PostgreSQL), so no one else changes it until the
   * transaction ends.
   */
  protected async load(tx: SqlTx, id: string, forUpdate: boolean): Promise<StoredDocument> {
    await this.syncCache();
    const row = await tx.get<StampRow>(this.sql.dialect.documentStamp(forUpdate), [id]);
    if (!row) throw new NotFoundError(`document ${id} does not exist`);
    const hit = this.cache.get(id, (entry) => current(entry, row));
    if (hit) return hit;
    const document = await tx.get<DocumentRow>(SQL.docById, [id]);
    if (!document) throw new NotFoundError(`document ${id} does not exist`);
    const entry = documentFromRows({
      document,
      paragraphs: { source: await tx.all<ParagraphRow>(SQL.paragraphs, [id, 'source']), target: await tx.all<ParagraphRow>(SQL.paragraphs, [id, 'target']) },
      sentences: { source: await tx.all<SentenceRow>(SQL.sentences, [id, 'source']), target: await tx.all<SentenceRow>(SQL.sentences, [id, 'target']) },
      beads: await tx.all<BeadRow>(SQL.beads, [id]),
      issues: await tx.all<IssueRow>(SQL.issues, [id]),
      versions: await tx.all<VersionRow>(SQL.versions, [id]),
    });
    entry.stamp = row.stamp;
    this.cache.set(id, entry);
    return entry;
  }

  // ─────────────────────────── writing ───────────────────────────

  async createDocument(doc: NewDocument, opts: { author: string; corpusKey?: string | null } & JobLink): Promise<string> {
    const [id] = await this.storeDocuments([{ kind: 'new', doc, corpusKey: opts.corpusKey ?? null }], opts);
    return id!;
  }

  async importDocument(doc: ReviewDocument, opts: { author: string; history: readonly HistoryEntry[] }): Promise<string> {
    const [id] = await this.storeDocuments([{ kind: 'restore', doc, history: opts.history }], opts);
    return id!;
  }

  async storeDocuments(docs: readonly DocumentToStore[], opts: { author: string } & JobLink): Promise<string[]> {
    const prepared = docs.map((d) => {
      checkInvariants(d.doc);
      return d.kind === 'restore' ? { ...d, entries: importableHistory(d.doc, d.history) } : d;
    });
    const at = new Date().toISOString();
    return this.write(async (tx) => {
      const ids: string[] = [];
      for (const d of prepared) {
        ids.push(d.kind === 'new' ? await this.insertNew(tx, d.doc, d.corpusKey ?? null, opts.author, at) : await this.insertRestored(tx, d.doc, d.entries, opts.author, at));
      }
      if (opts.job) {
        const documents = ids.map((id, k) => ({ id, name: docs[k]!.doc.name, beads: docs[k]!.doc.beads.length, revision: docs[k]!.kind === 'restore' ? (docs[k]!.doc as ReviewDocument).revision : 0 }));
        const rows = documents.reduce((n, d) => n + d.beads, 0);
        await this.jobs.finishDone(tx, opts.job, { documents, summary: `${documents.length === 1 ? `“${documents[0]!.name}”` : `${documents.length} documents`} stored, ${rows.toLocaleString('en')} rows` });
      }
      return ids;
    });
  }

  private async insertNew(tx: SqlTx, doc: NewDocument, corpusKey: string | null, author: string, at: string): Promise<string> {
    const id = newDocumentId();
    if (corpusKey) {
      // Two servers importing the corpus at once: the second waits here, then finds the first's.
      await tx.lock(`corpus:${corpusKey}`);
      if (await tx.get(SQL.byCorpusKey, [corpusKey])) throw new InvalidOperationError(`corpus folder ${corpusKey} is already imported`);
    }
    await this.insertContent(tx, id, doc, { revision: 0, createdAt: at, updatedAt: at, corpusKey, author, at });
    await tx.run(...insertRow('history', historyValues(id, 0, { op: { kind: 'import' }, author, at, change: null, undoState: null })));
    return id;
  }

  private async insertRestored(tx: SqlTx, doc: ReviewDocument, entries: HistoryEntry[], author: string, at: string): Promise<string> {
    // Kept when free, so a document restored into another store exports exactly as it did.
    let id = newDocumentId();
    if (SAFE_DOC_ID.test(doc.id)) {
      await tx.lock(`document:${doc.id}`);
      if (!(await tx.get(SQL.docExists, [doc.id]))) id = doc.id;
    }
    await this.insertContent(tx, id, doc, { revision: doc.revision, createdAt: doc.createdAt, updatedAt: doc.updatedAt, corpusKey: null, author, at });
    if (entries.length === 0) {
      await tx.run(...insertRow('history', historyValues(id, doc.revision, { op: { kind: 'import' }, author, at, change: null, undoState: null })));
      return id;
    }
    // Seqs are given here, not by the database: no one else may take one meanwhile.
    await this.sql.dialect.lockIds(tx, 'history');
    const maxSeq = (await tx.get<{ n: number }>(this.sql.dialect.maxHistorySeq))?.n ?? 0;
    for (const row of importedHistoryRows(id, entries, maxSeq)) await tx.run(...insertRow('history', row));
    await this.sql.dialect.idsInserted(tx, 'history', 'seq');
    return id;
  }

  /** Inserts a document's rows (not its history). */
  private async insertContent(
    tx: SqlTx,
    id: string,
    doc: NewDocument,
    o: { revision: number; createdAt: string; updatedAt: string; corpusKey: string | null; author: string; at: string },
  ): Promise<void> {
    await tx.run(...insertRow('documents', documentValues(id, doc, o)));
    const many = this.sql.dialect.insertMany;
    for (const side of ['source', 'target'] as const) await many(tx, SQL.insertParagraph, doc[side].paragraphs.map((p) => paragraphValues(id, side, p)));
    for (const side of ['source', 'target'] as const) await many(tx, SQL.insertSentence, doc[side].sentences.map((s) => sentenceValues(id, side, s)));
    const ords = freshKeys(doc.beads.length);
    await many(tx, SQL.upsertBead, doc.beads.map((b, i) => beadValues(id, b, ords[i]!)));
    await many(tx, SQL.insertIssue, doc.issues.map((x, i) => issueValues(id, x, i)));
    for (const v of doc.versions) {
      const stored: StoredVersion = { ...v, anchors: versionAnchors(doc.beads, v.textByBead) };
      await tx.run(SQL.insertVersion, versionValues(id, stored, o));
    }
  }

  async deleteDocument(id: string): Promise<void> {
    const n = await this.sql.once.run(SQL.deleteDoc, [id]);
    this.cache.delete(id);
    if (n === 0) throw new NotFoundError(`document ${id} does not exist`);
  }

  async apply(id: string, op: ReviewOp, opts: { author: string; baseRevision?: number } & JobLink): Promise<ReviewDocument> {
    return this.write(async (tx) => {
      const cur = await this.load(tx, id, true);
      const unseen = await this.unseen(tx, cur.doc, opts.baseRevision);
      const at = new Date().toISOString();
      const { next, change } = applyPosted(cur.doc, op, unseen, { author: opts.author, at });
      await tx.run(SQL.killRedo, [id]);
      const doc = await this.commit(tx, id, cur, next, change, { op, author: opts.author, at, undoState: 'applied' });
      if (opts.job) await this.finishJobWith(tx, opts.job, doc, `${doc.beads.length.toLocaleString('en')} rows`);
      return doc;
    });
  }

  /** Inside a write: the job that made this change is done, naming the document (see JobLink). */
  private async finishJobWith(tx: SqlTx, job: string, doc: ReviewDocument, summary: string, more: Partial<JobResult> = {}): Promise<void> {
    const result: JobResult = { documents: [{ id: doc.id, name: doc.name, beads: doc.beads.length, revision: doc.revision }], summary, ...more };
    await this.jobs.finishDone(tx, job, result);
  }

  async undo(id: string, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument> {
    return this.step(id, 'undo', opts);
  }

  async redo(id: string, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument> {
    return this.step(id, 'redo', opts);
  }

  /** Undo or redo: one step on the undo stack, recorded as an entry of its own (off the stack). */
  private step(id: string, direction: Direction, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument> {
    return this.write(async (tx) => {
      const cur = await this.load(tx, id, true);
      const top = await tx.get<HistoryRow>(direction === 'undo' ? SQL.undoTop : SQL.redoTop, [id]);
      if (!top) throw new InvalidOperationError(`there is nothing to ${direction}`);
      const entry = entryFromRow(top);
      checkUndoRedo(cur.doc, entry, opts.baseRevision, await this.unseen(tx, cur.doc, opts.baseRevision));
      const change = stepChange(entry, direction);
      const next = applyChange(cur.doc, change.before, change.after);
      checkInvariants(next);
      await tx.run(SQL.setUndoState, [STEP[direction].leaves, top.seq]);
      return this.commit(tx, id, cur, next, change, { op: { kind: direction, of: top.seq }, author: opts.author, at: new Date().toISOString(), undoState: null });
    });
  }

  async addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string } & JobLink): Promise<ReviewDocument> {
    return this.write(async (tx) => {
      const cur = await this.load(tx, id, true);
      const n = (await tx.get<{ n: number }>(SQL.countVersions, [id]))!.n;
      const known = new Set(cur.doc.beads.map((b) => b.id));
      for (const k of Object.keys(version.textByBead)) {
        if (!known.has(k)) throw new InvalidOperationError(`version text refers to a row that does not exist (${k})`);
      }
      const at = new Date().toISOString();
      const vid = `v${n + 1}_${randomBytes(3).toString('hex')}`;
      const v: StoredVersion = { id: vid, name: version.name, lang: version.lang, textByBead: { ...version.textByBead }, anchors: versionAnchors(cur.doc.beads, version.textByBead) };
      await tx.run(SQL.insertVersion, versionValues(id, v, { at, author: opts.author }));
      // Recorded like every change (who, when, new revision); not on the undo stack: delete is explicit.
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'addVersion', versionId: vid, name: v.name };
      await tx.run(...insertRow('history', historyValues(id, revision, { op, author: opts.author, at, change: null, undoState: null })));
      const stamp = await this.touch(tx, id, revision, at);
      const doc: ReviewDocument = { ...cur.doc, versions: [...cur.doc.versions, projected(v, cur.doc.beads)], revision, updatedAt: at };
      this.cache.set(id, { doc, ords: cur.ords, versions: [...cur.versions, v], stamp });
      if (opts.job) await this.finishJobWith(tx, opts.job, doc, `version “${v.name}” added`, { versionId: vid });
      return doc;
    });
  }

  // ─────────────────────────── jobs ───────────────────────────

  async createJob(job: NewJob, limits: JobLimits, opts: { enqueue?: QueueSend } = {}): Promise<JobRecord> {
    return this.write((tx) => this.jobs.create(tx, job, limits, opts.enqueue));
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.jobs.get(this.sql.once, id);
  }

  async startJob(id: string, runner?: JobRecord['runner']): Promise<boolean> {
    return this.jobs.start(this.sql.once, id, runner);
  }

  async updateJob(id: string, progress: { progress: number; message: string }): Promise<JobRecord['state'] | null> {
    return this.jobs.update(this.sql.once, id, progress);
  }

  async finishJob(id: string, end: { state: 'done'; result: JobResult; file?: readonly Uint8Array[] } | { state: 'failed'; message: string }): Promise<boolean> {
    if (end.state === 'failed') return this.jobs.fail(this.sql.once, id, end.message);
    try {
      await this.write((tx) => this.jobs.finishDone(tx, id, end.result, end.file));
      return true;
    } catch (e) {
      if ((e as Error).name === 'JobNotRunningError') return false;
      throw e;
    }
  }

  async cancelJob(id: string, message: string): Promise<JobRecord | null> {
    return this.jobs.cancel(this.sql.once, id, message);
  }

  async activeJobs(): Promise<JobRecord[]> {
    return this.jobs.active(this.sql.once);
  }

  async heartbeat(runnerId: string): Promise<void> {
    // Never makes the caller wait for another transaction's lock (a large import committing): a beat
    // skipped now is taken at the next one.
    await this.sql.write((tx) => this.jobs.heartbeat(tx, runnerId), { noWait: true });
  }

  async jobFileChunk(id: string, seq: number): Promise<Uint8Array | null> {
    return this.jobs.chunk(this.sql.once, id, seq);
  }

  // ─────────────────────────── glossaries ───────────────────────────

  async listGlossaries(): Promise<GlossarySummary[]> {
    return this.glossaries.list(this.sql.once);
  }

  async getGlossary(id: number): Promise<StoredGlossary> {
    return this.sql.read((tx) => this.glossaries.get(tx, id));
  }

  async createGlossary(g: { name: string; entries: readonly GlossaryEntry[] }, opts: { author: string; onceKey?: string }): Promise<number | null> {
    return this.write((tx) => this.glossaries.create(tx, g, opts));
  }

  async deleteGlossary(id: number, opts: { author: string }): Promise<void> {
    await this.write((tx) => this.glossaries.remove(tx, id, opts));
    this.cache.clear();
  }

  async setDefaultGlossary(id: number, opts: { author: string }): Promise<void> {
    await this.write((tx) => this.glossaries.setDefault(tx, id, opts));
  }

  async addGlossaryEntries(id: number, entries: readonly GlossaryEntry[], opts: { author: string }): Promise<StoredGlossaryEntry[]> {
    return this.write((tx) => this.glossaries.add(tx, id, entries, opts));
  }

  async updateGlossaryEntry(id: number, entryId: number, entry: GlossaryEntry, opts: { author: string; baseRevision: number }): Promise<StoredGlossaryEntry> {
    return this.write((tx) => this.glossaries.update(tx, id, entryId, entry, opts));
  }

  async deleteGlossaryEntry(id: number, entryId: number, opts: { author: string; baseRevision: number }): Promise<void> {
    await this.write((tx) => this.glossaries.removeEntry(tx, id, entryId, opts));
  }

  async glossaryHistory(id: number, opts: { limit?: number } = {}): Promise<GlossaryChange[]> {
    return this.sql.read((tx) => this.glossaries.history(tx, id, Math.max(1, Math.min(opts.limit ?? 200, 10_000))));
  }

  async documentGlossary(docId: string): Promise<StoredGlossary | null> {
    return this.sql.read(async (tx) => {
      const row = await tx.get<{ id: string; glossary_id: number | null }>(SQL.docGlossary, [docId]);
      if (!row) throw new NotFoundError(`document ${docId} does not exist`);
      const id = row.glossary_id ?? (await this.glossaries.defaultId(tx));
      return id === null ? null : this.glossaries.get(tx, id);
    });
  }

  async setDocumentGlossary(docId: string, glossaryId: number | null, opts: { author: string }): Promise<ReviewDocument> {
    return this.write(async (tx) => {
      const cur = await this.load(tx, docId, true);
      await this.glossaries.lock(tx);
      const name = glossaryId === null ? 'default' : (await this.glossaries.get(tx, glossaryId)).name;
      if (glossaryId === null) await tx.run(SQL.clearDocGlossary, [docId]);
      else await tx.run(SQL.setDocGlossary, [docId, glossaryId]);
      const at = new Date().toISOString();
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'setGlossary', glossaryId, name };
      await tx.run(...insertRow('history', historyValues(docId, revision, { op, author: opts.author, at, change: null, undoState: null })));
      const stamp = await this.touch(tx, docId, revision, at);
      const doc: ReviewDocument = { ...cur.doc, revision, updatedAt: at };
      this.cache.set(docId, { doc, ords: cur.ords, versions: cur.versions, stamp });
      return doc;
    });
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.sql.close();
  }

  // ─────────────────────────── internals ───────────────────────────

  /** History entries the poster has not seen, without their snapshots (empty when baseRevision is current or absent). */
  private async unseen(tx: SqlTx, doc: ReviewDocument, baseRevision: number | undefined): Promise<HistoryEntry[]> {
    const after = unseenAfter(doc.revision, baseRevision);
    return after === null ? [] : (await tx.all<HistoryRow>(SQL.historySince, [doc.id, after])).map(entryFromRow);
  }

  /** The document's new revision and update time; answers the row's new version (for the cache). */
  private async touch(tx: SqlTx, id: string, revision: number, at: string): Promise<string | null> {
    return (await tx.get<{ stamp: string | null }>(this.sql.dialect.touchDocument, [revision, at, id]))?.stamp ?? null;
  }

  /** Writes the touched rows and the history entry; returns the new document (cached, checked against the row after commit). */
  private async commit(
    tx: SqlTx,
    id: string,
    cur: StoredDocument,
    next: ReviewDocument,
    change: DocumentChange,
    h: { op: HistoryEntry['op']; author: string; at: string; undoState: UndoState | null },
  ): Promise<ReviewDocument> {
    const revision = cur.doc.revision + 1;
    const ords = await this.writeBeads(tx, id, cur.ords, change, next);
    if (change.after.issues) {
      const { at } = change.after.issues;
      const removed = change.before.issues?.items.length ?? 0;
      if (removed === change.after.issues.items.length) {
        await tx.run(SQL.deleteIssuesFrom, [id, at, at + removed]);
        for (const [k, x] of change.after.issues.items.entries()) await this.writeIssue(tx, id, x, at + k);
      } else {
        // Issues are appended at the end, so the tail rewritten here is short.
        await tx.run(SQL.deleteIssuesAfter, [id, at]);
        for (let k = at; k < next.issues.length; k++) await this.writeIssue(tx, id, next.issues[k]!, k);
      }
    }
    for (const s of change.after.target) await tx.run(SQL.setSentenceText, [s.text, id, s.index]);
    await tx.run(...insertRow('history', historyValues(id, revision, { ...h, change })));
    const stamp = await this.touch(tx, id, revision, h.at);
    // Versions follow the rows: projected again when the rows changed.
    const versions = change.after.beads && cur.versions.length ? cur.versions.map((v) => projected(v, next.beads)) : next.versions;
    const doc: ReviewDocument = { ...next, versions, revision, updatedAt: h.at };
    this.cache.set(id, { doc, ords, versions: cur.versions, stamp });
    return doc;
  }

  /** Rewrites rows [at, at + n) of the change with order keys between their unchanged neighbours. */
  private async writeBeads(tx: SqlTx, id: string, ords: number[], change: DocumentChange, next: ReviewDocument): Promise<number[]> {
    const before = change.before.beads;
    const after = change.after.beads;
    if (!before || !after) return ords;
    const keepIds = new Set(after.items.map((b) => b.id));
    for (const b of before.items) if (!keepIds.has(b.id)) await tx.run(SQL.deleteBead, [id, b.id]);
    const placed = placeRows(ords, after.at, before.items.length, after.items.length);
    for (const [k, b] of after.items.entries()) await this.writeBead(tx, id, b, placed.keys[k]!);
    if (placed.renumbered) {
      for (const [i, b] of next.beads.entries()) if (!keepIds.has(b.id)) await tx.run(SQL.setBeadOrd, [placed.ords[i]!, id, b.id]);
    }
    return placed.ords;
  }

  private async writeBead(tx: SqlTx, id: string, b: ReviewBead, ord: number): Promise<void> {
    await tx.run(SQL.upsertBead, beadValues(id, b, ord));
  }

  private async writeIssue(tx: SqlTx, id: string, x: ReviewIssue, ord: number): Promise<void> {
    await tx.run(SQL.insertIssue, issueValues(id, x, ord));
  }
}

/** Is the cached entry the stored document? Same revision and update time, and (PostgreSQL) the same row version. */
function current(entry: StoredDocument, row: StampRow): boolean {
  return row.revision === entry.doc.revision && row.updated_at === entry.doc.updatedAt && (row.stamp === null || row.stamp === entry.stamp);
}
