/**
 * The Store on SQLite (better-sqlite3, synchronous): WAL, foreign keys, versioned migrations.
 * The Store's methods answer with Promises; each does its whole work (one transaction) synchronously
 * inside the call, so a transaction never spans an await and nothing else runs in between.
 *
 * Each mutating call is one transaction (BEGIN IMMEDIATE). An operation is computed by the pure review
 * core on the document in memory (cache.ts, checked against the database on every use, so other
 * connections or processes on the same DATA_DIR are seen) under the conflict rule (review/conflict.ts),
 * then only the touched rows are written — beads carry a sparse order key (order.ts) so inserting or
 * removing a row rewrites no other row — together with a history entry holding the change (before/after
 * of the touched part), from which undo, redo, conflict checks and replay work (history.ts).
 * See README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
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
  changedSinceError,
  checkInvariants,
  checkUndoRedo,
  ConflictError,
  diffDocuments,
  InvalidOperationError,
  NotFoundError,
  shiftAnchors,
  unseenAfter,
  versionAnchors,
  type DocumentChange,
  type UndoScope,
} from '../review/index.js';
import type { CountedPair, Counts, ExampleRow, Marginals, PairCounts, PairsQuery } from '../learn/counts.js';
import { LEARNER_VERSION } from '../learn/evidence.js';
import { learntLangs, MAX_PROJECT_CHARS, relearn, rowEvidence, teaches, touchedRows, type LearntScope, type LearntSummary, type TeachingDocument } from '../learn/teach.js';
import { DocumentCache } from './cache.js';
import { DB_FILE } from './files.js';
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
import { LearntTables } from './learnt.js';
import { migrate } from './migrate.js';
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
import { SqliteGlossaries } from './sqlite-glossaries.js';
import { SqliteJobs } from './sqlite-jobs.js';
import { prepareStatements, type Statements } from './statements.js';
import type { ChangeOptions, ChangeRequest, ChangeResult, DocumentSummary, DocumentToStore, HistoryOptions, JobLimits, JobLink, NewGlossary, NewJob, StepOptions, Store, StoreDocumentsOptions, TranslationSet } from './store.js';
import { checkTranslationSet, SqliteTranslationSets } from './sqlite-sets.js';

export { DB_FILE };

// Loaded by `require`: an ESM import makes Node scan the driver's CommonJS sources for named exports
// first (about 7 ms more per process, which a CLI call that only reads the learnt table notices).
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
/** Ids an imported document may keep (they appear in URLs and file names). */
const SAFE_DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A project name as stored: trimmed; '' = none. */
export function projectName(project: string | undefined): string {
  const p = (project ?? '').trim();
  if (p.length > MAX_PROJECT_CHARS) throw new InvalidOperationError(`a project name is at most ${MAX_PROJECT_CHARS} characters`);
  return p;
}

function newDocumentId(): string {
  return `d${randomBytes(6).toString('hex')}`;
}

/** Opens (creating if needed) the store in `dataDir`. */
export function openStore(dataDir: string): SqliteStore {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(join(dataDir, DB_FILE));
}

export class SqliteStore implements Store {
  readonly db: BetterSqlite3.Database;
  private readonly cache = new DocumentCache();
  private readonly stmt: Statements;
  private readonly learnt: LearntTables;
  private readonly jobs: SqliteJobs;
  private readonly glossaries: SqliteGlossaries;
  private readonly sets: SqliteTranslationSets;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a killed process (not necessarily a power cut).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmt = prepareStatements(this.db);
    this.learnt = new LearntTables(this.db);
    this.jobs = new SqliteJobs(this.db);
    this.glossaries = new SqliteGlossaries(this.db);
    this.sets = new SqliteTranslationSets(this.db);
    this.fillVersionAnchors();
    this.learnIfOutdated();
  }

  /**
   * Counts made by another learner (or none yet: a database from before migration 6) are rebuilt
   * from the confirmed rows, once, under the write lock (another process may have done it meanwhile).
   */
  private learnIfOutdated(): void {
    if (this.learnt.version() === LEARNER_VERSION) return;
    this.write(() => {
      if (this.learnt.version() === LEARNER_VERSION) return;
      this.relearnAll({ langs: 'zh-en' });
      this.learnt.setVersion(LEARNER_VERSION);
    });
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

  async listDocuments(): Promise<DocumentSummary[]> {
    return (this.stmt.list.all() as SummaryRow[]).map(summaryFromRow);
  }

  async getDocument(id: string): Promise<ReviewDocument> {
    return this.load(id).doc;
  }

  /** The id of the document imported from this corpus folder, if any. */
  async findByCorpusKey(key: string): Promise<string | null> {
    return this.corpusKeyOwner(key);
  }

  private corpusKeyOwner(key: string): string | null {
    const row = this.stmt.byCorpusKey.get(key) as { id: string } | undefined;
    return row?.id ?? null;
  }

  async history(id: string, opts: HistoryOptions = {}): Promise<HistoryEntry[]> {
    this.requireDoc(id);
    const limit = Math.max(0, Math.min(opts.limit ?? 1_000_000, 1_000_000));
    const offset = Math.max(0, opts.offset ?? 0);
    const brief = opts.changes === false;
    const stmt = opts.newestFirst
      ? brief ? this.stmt.historyDescBrief : this.stmt.historyDesc
      : brief ? this.stmt.historyAscBrief : this.stmt.historyAsc;
    const rows = stmt.all(id, opts.sinceRevision ?? -1, limit, offset) as HistoryRow[];
    return rows.map(entryFromRow);
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

  private load(id: string): StoredDocument {
    // Another connection or process on the same DATA_DIR committed since: nothing cached can be trusted.
    this.cache.sync(this.stmt.dataVersion.get() as number);
    // And only while the stored document is the one cached (belt and braces: a rolled-back
    // transaction, or a change made through this.db directly).
    const hit = this.cache.get(id, (doc) => {
      const row = this.stmt.docExists.get(id) as { revision: number; updated_at: string } | undefined;
      return !!row && row.revision === doc.revision && row.updated_at === doc.updatedAt;
    });
    if (hit) return hit;
    const document = this.stmt.docById.get(id) as DocumentRow | undefined;
    if (!document) throw new NotFoundError(`document ${id} does not exist`);
    const s = this.stmt;
    const entry = documentFromRows({
      document,
      paragraphs: { source: s.paragraphs.all(id, 'source') as ParagraphRow[], target: s.paragraphs.all(id, 'target') as ParagraphRow[] },
      sentences: { source: s.sentences.all(id, 'source') as SentenceRow[], target: s.sentences.all(id, 'target') as SentenceRow[] },
      beads: s.beads.all(id) as BeadRow[],
      issues: s.issues.all(id) as IssueRow[],
      versions: s.versions.all(id) as VersionRow[],
    });
    this.cache.set(id, entry);
    return entry;
  }

  // ─────────────────────────── writing ───────────────────────────

  async createDocument(doc: NewDocument, opts: { author: string; corpusKey?: string | null; project?: string } & JobLink): Promise<string> {
    const [id] = await this.storeDocuments([{ kind: 'new', doc, corpusKey: opts.corpusKey ?? null, ...(opts.project !== undefined ? { project: opts.project } : {}) }], opts);
    return id!;
  }

  async importDocument(doc: ReviewDocument, opts: { author: string; history: readonly HistoryEntry[]; project?: string }): Promise<string> {
    const [id] = await this.storeDocuments([{ kind: 'restore', doc, history: opts.history, ...(opts.project !== undefined ? { project: opts.project } : {}) }], opts);
    return id!;
  }

  async storeDocuments(docs: readonly DocumentToStore[], opts: StoreDocumentsOptions): Promise<string[]> {
    if (opts.translationSet) checkTranslationSet(docs);
    const prepared = docs.map((d) => {
      checkInvariants(d.doc);
      const project = projectName(d.project);
      return d.kind === 'restore' ? { ...d, project, entries: importableHistory(d.doc, d.history) } : { ...d, project };
    });
    const at = new Date().toISOString();
    return this.write(() => {
      const ids = prepared.map((d) => (d.kind === 'new' ? this.insertNew(d.doc, d.corpusKey ?? null, d.project, opts.author, at) : this.insertRestored(d.doc, d.entries, d.project, opts.author, at)));
      const set = opts.translationSet ? this.sets.insert(ids) : null;
      if (opts.job) {
        const documents = ids.map((id, k) => ({ id, name: docs[k]!.doc.name, beads: docs[k]!.doc.beads.length, revision: docs[k]!.kind === 'restore' ? (docs[k]!.doc as ReviewDocument).revision : 0 }));
        const rows = documents.reduce((n, d) => n + d.beads, 0);
        const what = set ? `${documents.length} translations of one original` : documents.length === 1 ? `“${documents[0]!.name}”` : `${documents.length} documents`;
        this.jobs.finishDone(opts.job, { documents, summary: `${what} stored, ${rows.toLocaleString('en')} rows`, ...(set ? { translationSet: set } : {}) });
      }
      return ids;
    });
  }

  private insertNew(doc: NewDocument, corpusKey: string | null, project: string, author: string, at: string): string {
    const id = newDocumentId();
    if (corpusKey && this.corpusKeyOwner(corpusKey)) throw new InvalidOperationError(`corpus folder ${corpusKey} is already imported`);
    this.insertContent(id, doc, { revision: 0, createdAt: at, updatedAt: at, corpusKey, project, author, at });
    this.stmt.insertHistory.run(historyValues(id, 0, { op: { kind: 'import' }, author, at, change: null, undoState: null }));
    return id;
  }

  private insertRestored(doc: ReviewDocument, entries: HistoryEntry[], project: string, author: string, at: string): string {
    // Kept when free, so a document restored into another store exports exactly as it did.
    const id = SAFE_DOC_ID.test(doc.id) && !this.stmt.docExists.get(doc.id) ? doc.id : newDocumentId();
    this.insertContent(id, doc, { revision: doc.revision, createdAt: doc.createdAt, updatedAt: doc.updatedAt, corpusKey: null, project, author, at });
    if (entries.length === 0) {
      this.stmt.insertHistory.run(historyValues(id, doc.revision, { op: { kind: 'import' }, author, at, change: null, undoState: null }));
      return id;
    }
    const maxSeq = (this.stmt.maxSeq.get() as { n: number }).n;
    for (const row of importedHistoryRows(id, entries, maxSeq)) this.stmt.insertHistoryAt.run(row);
    return id;
  }

  /** Inserts a document's rows (not its history). */
  private insertContent(
    id: string,
    doc: NewDocument,
    o: { revision: number; createdAt: string; updatedAt: string; corpusKey: string | null; project: string; author: string; at: string },
  ): void {
    this.stmt.insertDoc.run(documentValues(id, doc, o));
    if (doc.beads.some(teaches)) this.learnRows(id, doc, doc, doc.beads.map((b) => b.id));
    for (const side of ['source', 'target'] as const) {
      for (const p of doc[side].paragraphs) this.stmt.insertParagraph.run(paragraphValues(id, side, p));
    }
    for (const side of ['source', 'target'] as const) {
      for (const s of doc[side].sentences) this.stmt.insertSentence.run(sentenceValues(id, side, s));
    }
    const ords = freshKeys(doc.beads.length);
    doc.beads.forEach((b, i) => {
      this.writeBead(id, b, ords[i]!);
    });
    doc.issues.forEach((x, i) => {
      this.writeIssue(id, x, i);
    });
    for (const v of doc.versions) {
      const stored: StoredVersion = { ...v, anchors: versionAnchors(doc.beads, v.textByBead) };
      this.stmt.insertVersion.run(versionValues(id, stored, o));
    }
  }

  async translationSet(id: string): Promise<TranslationSet> {
    const set = this.sets.get(id);
    if (!set) throw new NotFoundError(`translation set ${id.slice(0, 40)} does not exist`);
    return set;
  }

  async translationSetOf(docId: string): Promise<TranslationSet | null> {
    return this.sets.of(docId);
  }

  async deleteDocument(id: string): Promise<void> {
    this.write(() => {
      const doc = this.load(id).doc;
      // Its confirmed rows are taken back from the learnt table first.
      this.learnRows(id, doc, null, [...this.learnt.taught(id).keys()]);
      this.stmt.deleteDoc.run(id);
    });
    this.cache.delete(id);
  }

  async apply(id: string, op: ReviewOp, opts: ChangeOptions & JobLink): Promise<ReviewDocument> {
    return (await this.change(id, { op }, opts)).doc;
  }

  async undo(id: string, opts: StepOptions): Promise<ReviewDocument> {
    return (await this.change(id, { step: 'undo', ...(opts.scope ? { scope: opts.scope } : {}) }, opts)).doc;
  }

  async redo(id: string, opts: StepOptions): Promise<ReviewDocument> {
    return (await this.change(id, { step: 'redo', ...(opts.scope ? { scope: opts.scope } : {}) }, opts)).doc;
  }

  async change(id: string, request: ChangeRequest, opts: ChangeOptions & JobLink): Promise<ChangeResult> {
    if ('step' in request) {
      if (opts.job) throw new InvalidOperationError('an undo or redo does not finish a job');
      return this.step(id, request.step, request.scope ?? 'document', opts);
    }
    return this.write(() => {
      const cur = this.load(id);
      const unseen = this.unseen(cur.doc, opts.baseRevision);
      const at = new Date().toISOString();
      const { next, change } = applyPosted(cur.doc, request.op, unseen, { author: opts.author, at });
      this.stmt.killRedo.run(id, opts.author);
      const result = this.commit(id, cur, next, change, { op: request.op, author: opts.author, at, undoState: 'applied' });
      if (opts.job) this.finishJobWith(opts.job, result.doc, `${result.doc.beads.length.toLocaleString('en')} rows`, opts.jobResult);
      return result;
    });
  }

  /** Inside a write: the job that made this change is done, naming the document (see JobLink). */
  private finishJobWith(job: string, doc: ReviewDocument, summary: string, more: Partial<JobResult> = {}): void {
    const result: JobResult = { documents: [{ id: doc.id, name: doc.name, beads: doc.beads.length, revision: doc.revision }], summary, ...more };
    this.jobs.finishDone(job, result);
  }

  /**
   * Undo or redo: one step on the undo stack of the document or of one reviewer, recorded as an entry
   * of its own (off the stack). The rows are found where they are now; a reviewer's own step whose
   * rows someone else changed since is refused, naming who.
   */
  private step(id: string, direction: Direction, scope: UndoScope, opts: ChangeOptions): ChangeResult {
    return this.write(() => {
      const cur = this.load(id);
      const top = this.stepTop(id, direction, scope, opts.author);
      if (!top) {
        throw new InvalidOperationError(scope === 'author' ? `there is nothing to ${direction}: no change of yours (${opts.author}) is left to ${direction} here` : `there is nothing to ${direction}`);
      }
      const entry = entryFromRow(top);
      checkUndoRedo(cur.doc, entry, opts.baseRevision, this.unseen(cur.doc, opts.baseRevision), { scope, author: opts.author });
      const { before: from, after: to } = stepChange(entry, direction);
      let next: ReviewDocument;
      try {
        next = applyChange(cur.doc, from, to);
        checkInvariants(next);
      } catch (e) {
        if (scope === 'author' && e instanceof InvalidOperationError) {
          const touched = new Set(entry.beadIds);
          const later = (this.stmt.historySince.all(id, entry.revision) as HistoryRow[]).map(entryFromRow).filter((x) => x.seq !== entry.seq && x.beadIds.some((b) => touched.has(b)));
          throw changedSinceError(cur.doc, entry, direction, later);
        }
        throw e;
      }
      const result = this.commit(id, cur, next, diffDocuments(cur.doc, next), { op: { kind: direction, of: top.seq }, author: opts.author, at: new Date().toISOString(), undoState: null });
      const undone = direction === 'undo';
      this.stmt.setUndoState.run(STEP[direction].leaves, undone ? opts.author : null, undone ? result.entry.seq : null, top.seq);
      const { before: _b, after: _a, ...stepped } = entry;
      return { ...result, stepped: { ...stepped, undone } };
    });
  }

  // ─────────────────────────── the learnt table ───────────────────────────

  async learntMarginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Promise<Marginals> {
    return this.learnt.marginals(scope, words, terms);
  }

  async learntPairs(scope: LearntScope, query: PairsQuery): Promise<PairCounts> {
    return this.learnt.pairs(scope, query);
  }

  async learntPairsCounted(scope: LearntScope, minCount: number): Promise<CountedPair[]> {
    return this.learnt.counted(scope, minCount);
  }

  async learntExamples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Promise<Map<string, ExampleRow[]>> {
    return this.learnt.examples(scope, pairs, perPair);
  }

  async learntRows(scope: LearntScope): Promise<number> {
    return this.learnt.rows(scope);
  }

  async learntSummary(scope: LearntScope): Promise<LearntSummary> {
    return this.learnt.summary(scope);
  }

  /** Every count of a scope in memory (SQLite only: tests compare it with a rebuild, bench:learn times it). */
  learntTable(scope: LearntScope): Counts {
    return this.learnt.all(scope);
  }

  async rebuildLearnt(scope: LearntScope, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<LearntSummary> {
    return this.write(() => {
      this.relearnAll(scope, opts.onProgress);
      if (scope.project === undefined) this.learnt.setVersion(LEARNER_VERSION);
      return this.learnt.summary(scope);
    });
  }

  /** The scope's counts dropped and learnt again from every confirmed row of its documents (inside a transaction). */
  private relearnAll(scope: LearntScope, onProgress?: (done: number, total: number) => void): void {
    this.learnt.clear(scope);
    const docs = (this.stmt.docsForLearning.all() as Array<{ id: string; source_lang: string; target_lang: string; project: string }>).filter(
      (d) => learntLangs(d.source_lang, d.target_lang) === scope.langs && (scope.project === undefined || d.project === scope.project),
    );
    const total = docs.reduce((n, d) => n + (this.stmt.confirmedCount.get(d.id) as number), 0);
    let done = 0;
    onProgress?.(0, total);
    const writers = new Map<string, ReturnType<LearntTables['refill']>>();
    for (const d of docs) {
      let w = writers.get(d.project);
      if (!w) {
        w = this.learnt.refill(scope.langs, d.project);
        writers.set(d.project, w);
      }
      const doc = this.load(d.id).doc;
      for (const b of doc.beads) {
        if (!teaches(b)) continue;
        w.row(d.id, b.id, rowEvidence(doc, b));
        if (++done % 1000 === 0) onProgress?.(done, total);
      }
    }
    for (const w of writers.values()) w.finish();
    onProgress?.(total, total);
  }

  /**
   * Brings what the rows `ids` of document `id` teach up to date (inside the transaction that changed
   * them): `langsOf` gives the languages, `doc` is the document now (null when it is being deleted).
   */
  private learnRows(id: string, langsOf: TeachingDocument, doc: TeachingDocument | null, ids: readonly string[]): void {
    const langs = learntLangs(langsOf.source.lang, langsOf.target.lang);
    if (!langs || ids.length === 0) return;
    const r = relearn(doc, ids, this.learnt.taught(id, ids));
    if (r.put.length === 0 && r.drop.length === 0) return;
    const row = this.stmt.docLearning.get(id) as { project: string };
    this.learnt.record(id, langs, row.project, r);
  }

  private stepTop(id: string, direction: Direction, scope: UndoScope, author: string): HistoryRow | undefined {
    const s = this.stmt;
    if (direction === 'undo') return (scope === 'author' ? s.undoTopBy.get(id, author) : s.undoTop.get(id)) as HistoryRow | undefined;
    return (scope === 'author' ? s.redoTopBy.get(id, author, id, author) : s.redoTop.get(id, id)) as HistoryRow | undefined;
  }

  async addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string } & JobLink): Promise<ReviewDocument> {
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
      this.stmt.insertVersion.run(versionValues(id, v, { at, author: opts.author }));
      // Recorded like every change (who, when, new revision); not on the undo stack: delete is explicit.
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'addVersion', versionId: vid, name: v.name };
      this.stmt.insertHistory.run(historyValues(id, revision, { op, author: opts.author, at, change: null, undoState: null }));
      this.stmt.touchDoc.run(revision, at, id);
      const doc: ReviewDocument = { ...cur.doc, versions: [...cur.doc.versions, projected(v, cur.doc.beads)], revision, updatedAt: at };
      this.cache.set(id, { doc, ords: cur.ords, versions: [...cur.versions, v] });
      if (opts.job) this.finishJobWith(opts.job, doc, `version “${v.name}” added`, { versionId: vid });
      return doc;
    });
  }

  // ─────────────────────────── jobs ───────────────────────────

  async createJob(job: NewJob, limits: JobLimits): Promise<JobRecord> {
    return this.write(() => this.jobs.create(job, limits));
  }

  async getJob(id: string): Promise<JobRecord | null> {
    return this.jobs.get(id);
  }

  async startJob(id: string): Promise<boolean> {
    return this.jobs.start(id);
  }

  async updateJob(id: string, progress: { progress: number; message: string }): Promise<JobRecord['state'] | null> {
    return this.jobs.update(id, progress);
  }

  async finishJob(id: string, end: { state: 'done'; result: JobResult; file?: readonly Uint8Array[] } | { state: 'failed'; message: string }): Promise<boolean> {
    if (end.state === 'failed') return this.jobs.fail(id, end.message);
    try {
      this.write(() => this.jobs.finishDone(id, end.result, end.file));
      return true;
    } catch (e) {
      if ((e as Error).name === 'JobNotRunningError') return false;
      throw e;
    }
  }

  async cancelJob(id: string, message: string): Promise<JobRecord | null> {
    return this.jobs.cancel(id, message);
  }

  async activeJobs(): Promise<JobRecord[]> {
    return this.jobs.active();
  }

  async heartbeat(runnerId: string): Promise<void> {
    // Never makes the caller wait for another connection's write lock (a large import committing):
    // a beat skipped now is taken at the next one.
    this.db.pragma('busy_timeout = 0');
    try {
      this.jobs.heartbeat(runnerId);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    } finally {
      this.db.pragma('busy_timeout = 5000');
    }
  }

  async jobFileChunk(id: string, seq: number): Promise<Uint8Array | null> {
    return this.jobs.chunk(id, seq);
  }

  // ─────────────────────────── glossaries ───────────────────────────

  async listGlossaries(): Promise<GlossarySummary[]> {
    return this.glossaries.list();
  }

  async getGlossary(id: number): Promise<StoredGlossary> {
    return this.glossaries.get(id);
  }

  async createGlossary(g: NewGlossary, opts: { author: string; onceKey?: string }): Promise<number | null> {
    return this.write(() => this.glossaries.create(g, opts));
  }

  async deleteGlossary(id: number, opts: { author: string }): Promise<void> {
    this.write(() => this.glossaries.remove(id, opts));
    this.cache.clear();
  }

  async setDefaultGlossary(id: number, opts: { author: string }): Promise<void> {
    this.write(() => this.glossaries.setDefault(id, opts));
  }

  async addGlossaryEntries(id: number, entries: readonly GlossaryEntry[], opts: { author: string }): Promise<StoredGlossaryEntry[]> {
    return this.write(() => this.glossaries.add(id, entries, opts));
  }

  async updateGlossaryEntry(id: number, entryId: number, entry: GlossaryEntry, opts: { author: string; baseRevision: number }): Promise<StoredGlossaryEntry> {
    return this.write(() => this.glossaries.update(id, entryId, entry, opts));
  }

  async deleteGlossaryEntry(id: number, entryId: number, opts: { author: string; baseRevision: number }): Promise<void> {
    this.write(() => this.glossaries.removeEntry(id, entryId, opts));
  }

  async glossaryHistory(id: number, opts: { limit?: number } = {}): Promise<GlossaryChange[]> {
    return this.glossaries.history(id, Math.max(1, Math.min(opts.limit ?? 200, 10_000)));
  }

  async documentGlossary(docId: string): Promise<StoredGlossary | null> {
    const row = this.stmt.docGlossary.get(docId) as { id: string; glossary_id: number | null } | undefined;
    if (!row) throw new NotFoundError(`document ${docId} does not exist`);
    const id = row.glossary_id ?? this.glossaries.defaultId();
    return id === null ? null : this.glossaries.get(id);
  }

  async setDocumentGlossary(docId: string, glossaryId: number | null, opts: { author: string }): Promise<ReviewDocument> {
    return this.write(() => {
      const cur = this.load(docId);
      const name = glossaryId === null ? 'default' : this.glossaries.get(glossaryId).name;
      if (glossaryId === null) this.stmt.clearDocGlossary.run(docId);
      else this.stmt.setDocGlossary.run(docId, glossaryId);
      const at = new Date().toISOString();
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'setGlossary', glossaryId, name };
      this.stmt.insertHistory.run(historyValues(docId, revision, { op, author: opts.author, at, change: null, undoState: null }));
      this.stmt.touchDoc.run(revision, at, docId);
      const doc: ReviewDocument = { ...cur.doc, revision, updatedAt: at };
      this.cache.set(docId, { doc, ords: cur.ords, versions: cur.versions });
      return doc;
    });
  }

  async close(): Promise<void> {
    this.cache.clear();
    if (!this.db.open) return;
    // Keeps the query planner's statistics fresh; cheap when nothing changed.
    this.db.pragma('optimize');
    this.db.close();
  }

  // ─────────────────────────── internals ───────────────────────────

  /** History entries the poster has not seen, without their snapshots (empty when baseRevision is current or absent). */
  private unseen(doc: ReviewDocument, baseRevision: number | undefined): HistoryEntry[] {
    const after = unseenAfter(doc.revision, baseRevision);
    return after === null ? [] : (this.stmt.historySince.all(doc.id, after) as HistoryRow[]).map(entryFromRow);
  }

  /** Writes the touched rows and the history entry; returns the new document (cached after commit) and the entry. */
  private commit(
    id: string,
    cur: StoredDocument,
    next: ReviewDocument,
    change: DocumentChange,
    h: { op: HistoryEntry['op']; author: string; at: string; undoState: UndoState | null },
  ): ChangeResult {
    const revision = cur.doc.revision + 1;
    // A segmentation change first: the rows written below refer to the new sentence indices.
    let stored = cur.versions;
    const seg = change.after.sentences;
    if (seg) {
      this.stmt.deleteSentencesFrom.run(id, seg.side, seg.at);
      for (const x of next[seg.side].sentences.slice(seg.at)) this.stmt.insertSentence.run(sentenceValues(id, seg.side, x));
      const removed = change.before.sentences?.items.length ?? 0;
      stored = cur.versions.map((v) => {
        const anchors = shiftAnchors(v.anchors, seg.side, seg.at, removed, seg.items.length);
        if (anchors === v.anchors) return v;
        this.stmt.replaceVersionAnchors.run(JSON.stringify(anchors), id, v.id);
        return { ...v, anchors };
      });
    }
    const ords = this.writeBeads(id, cur.ords, change, next);
    if (change.after.issues) {
      const { at } = change.after.issues;
      const removed = change.before.issues?.items.length ?? 0;
      if (removed === change.after.issues.items.length) {
        this.stmt.deleteIssuesFrom.run(id, at, at + removed);
        change.after.issues.items.forEach((x, k) => {
          this.writeIssue(id, x, at + k);
        });
      } else {
        // Issues are appended at the end, so the tail rewritten here is short.
        this.stmt.deleteIssuesFrom.run(id, at, Number.MAX_SAFE_INTEGER);
        for (let k = at; k < next.issues.length; k++) this.writeIssue(id, next.issues[k]!, k);
      }
    }
    for (const s of change.after.target) this.stmt.setSentenceText.run(s.text, id, s.index);
    this.learnRows(id, next, next, touchedRows(cur.doc, next, change));
    const values = historyValues(id, revision, { ...h, change });
    const seq = Number(this.stmt.insertHistory.run(values).lastInsertRowid);
    this.stmt.touchDoc.run(revision, h.at, id);
    // Versions follow the rows: projected again when the rows changed.
    const versions = (change.after.beads || seg) && stored.length ? stored.map((v) => projected(v, next.beads)) : next.versions;
    const doc: ReviewDocument = { ...next, versions, revision, updatedAt: h.at };
    this.cache.set(id, { doc, ords, versions: stored });
    // The entry as answered: without its before/after (which can be large; the caller does not need them).
    const entry = entryFromRow({ seq, ...values, before: null, after: null });
    return { doc, entry };
  }

  /** Rewrites rows [at, at + n) of the change with order keys between their unchanged neighbours. */
  private writeBeads(id: string, ords: number[], change: DocumentChange, next: ReviewDocument): number[] {
    const before = change.before.beads;
    const after = change.after.beads;
    if (!before || !after) return ords;
    const keepIds = new Set(after.items.map((b) => b.id));
    for (const b of before.items) if (!keepIds.has(b.id)) this.stmt.deleteBead.run(id, b.id);
    const placed = placeRows(ords, after.at, before.items.length, after.items.length);
    after.items.forEach((b, k) => {
      this.writeBead(id, b, placed.keys[k]!);
    });
    if (placed.renumbered) {
      next.beads.forEach((b, i) => {
        if (!keepIds.has(b.id)) this.stmt.setBeadOrd.run(placed.ords[i]!, id, b.id);
      });
    }
    return placed.ords;
  }

  private writeBead(id: string, b: ReviewBead, ord: number): void {
    this.stmt.upsertBead.run(beadValues(id, b, ord));
  }

  private writeIssue(id: string, x: ReviewIssue, ord: number): void {
    this.stmt.insertIssue.run(issueValues(id, x, ord));
  }
}
