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
 * (history.ts). A change is planned apart from writing it (change-writes.ts): SQLite writes it in a
 * transaction holding the write lock; PostgreSQL commits the changes of a document that queued
 * meanwhile as one run (change-lane.ts), in statements that apply only if the document row is still
 * the one they were planned from, else plans them again on the current document (two servers never
 * interleave two changes of one document; a contended document's runs lock its row). A cached copy
 * another server made stale is brought up to date from the history (catch-up.ts) rather than read
 * again; it keeps its newest entries for the conflict rule. See README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import type {
  GlossaryChange,
  GlossaryEntry,
  GlossarySummary,
  HistoryEntry,
  JobRecord,
  JobResult,
  ReviewDocument,
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
  unseenAfter,
  versionAnchors,
  type DocumentChange,
  type UndoScope,
} from '../review/index.js';
import type { Counts, CountedPair, ExampleRow, Marginals, PairCounts, PairsQuery } from '../learn/counts.js';
import { LEARNER_VERSION } from '../learn/evidence.js';
import { learntLangs, MAX_PROJECT_CHARS, relearn, rowEvidence, teaches, touchedRows, type LearntScope, type LearntSummary, type TeachingDocument } from '../learn/teach.js';
import { DocumentCache } from './cache.js';
import { ChangeLanes, type LaneItem } from './change-lane.js';
import { catchUp, entriesOf, recentCovers, withRecent, type FreshRow } from './catch-up.js';
import { planWrites, runWrites, type PlannedChange } from './change-writes.js';
import { GlossaryTable } from './glossary-table.js';
import { entryFromRow, historyValues, importableHistory, importedHistoryRows, STEP, stepChange, type Direction, type HistoryRow } from './history.js';
import { JobTable } from './job-table.js';
import { checkTranslationSet, insertTranslationSet, translationSetById, translationSetOfDocument } from './translation-sets.js';
import { MIGRATIONS } from './migrations.js';
import { freshKeys } from './order.js';
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
import { insertRow, type LearntRefill, type LearntStore, type SqlDatabase, type SqlTx } from './sql.js';
import { SQL } from './statements.js';
import type {
  AppliedMigration,
  ChangeOptions,
  ChangeRequest,
  ChangeResult,
  DocumentSummary,
  DocumentToStore,
  HistoryOptions,
  JobLimits,
  JobLink,
  NewJob,
  NewGlossary,
  QueueSend,
  StepOptions,
  Store,
  StoreDocumentsOptions,
  TranslationSet,
  StoreLocation,
} from './store.js';

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

/** Computes a change from the document as stored and the entries its poster has not seen (refusing with the review core's errors). */
type Planner = (cur: StoredDocument, unseen: HistoryEntry[], read: SqlTx) => Promise<PlannedChange>;
/** Inside the change's transaction: what else it does (a job it finishes). */
type Finisher = (tx: SqlTx, doc: ReviewDocument) => Promise<void>;
/** How long after another server's change came in between a document's runs lock it first. */
const CONTENDED_MS = 2000;
type RunItem = LaneItem<LaneChange, ChangeResult>;
/** What an attempt at a run did: the changes planned (in order), those refused, and which were written. */
interface RunAttempt {
  planned: { item: RunItem; change: PlannedChange }[];
  refused: { item: RunItem; error: unknown }[];
  done: ({ seq: number; stamp: string | null } | null)[];
}
/** A change waiting in its document's lane. */
interface LaneChange {
  opts: { baseRevision?: number } & JobLink;
  plan: Planner;
  finish?: Finisher;
}

const isRefusal = (e: unknown): boolean => e instanceof InvalidOperationError || e instanceof NotFoundError || e instanceof ConflictError;

export class SqlStore implements Store {
  protected readonly cache = new DocumentCache();
  protected readonly jobs: JobTable;
  protected readonly glossaries: GlossaryTable;

  constructor(
    protected readonly sql: SqlDatabase,
    readonly location: StoreLocation,
    protected readonly learnt: LearntStore,
  ) {
    this.jobs = new JobTable();
    this.glossaries = new GlossaryTable();
  }

  // ─────────────────────────── reading ───────────────────────────

  async listDocuments(): Promise<DocumentSummary[]> {
    return (await this.sql.once.all<SummaryRow>(SQL.list)).map(summaryFromRow);
  }

  async getDocument(id: string): Promise<ReviewDocument> {
    return (await this.fresh(this.sql.once, id, undefined, false)).cur.doc;
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
    const rows = await this.sql.once.all<HistoryRow>(sql, [id, opts.sinceRevision ?? -1, limit, offset]);
    // Every document has at least its import entry: none found is either nothing after the revision
    // or offset asked for, or no such document.
    if (!rows.length && !(await this.sql.once.get(SQL.docExists, [id]))) throw new NotFoundError(`document ${id} does not exist`);
    return rows.map(entryFromRow);
  }

  async changesSince(id: string, revision: number, limit = 1_000_000): Promise<{ revision: number; entries: HistoryEntry[] }> {
    const rows = await this.sql.once.all<FreshRow>(SQL.changesSince, [revision, id, Math.max(1, Math.min(limit, 1_000_000))]);
    if (!rows.length) throw new NotFoundError(`document ${id} does not exist`);
    return { revision: rows[0]!.d_revision, entries: limit > 0 ? entriesOf(rows) : [] };
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
  private async syncCache(): Promise<boolean> {
    const counter = await this.sql.changeCounter();
    if (counter !== null) this.cache.sync(counter);
    return counter !== null;
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
   * The document as stored, and the history entries after `baseRevision` (what its poster has not
   * seen), from one statement (statements.ts `freshSql`): the cached copy when it is current, brought
   * up to date from the history when another server changed it (catch-up.ts), else read again. With
   * `forUpdate` (inside a write transaction), the document row is locked first (PostgreSQL).
   */
  protected async fresh(tx: SqlTx, id: string, baseRevision: number | undefined, forUpdate: boolean): Promise<{ cur: StoredDocument; unseen: HistoryEntry[] }> {
    const counted = await this.syncCache();
    const cached = this.cache.peek(id);
    if (counted && cached && tx !== this.sql.once) {
      // SQLite, in a write transaction: nothing else committed since the copy was cached (the change
      // counter would have emptied the cache), so it is the stored document.
      const after = unseenAfter(cached.doc.revision, baseRevision);
      const unseen = after === null ? [] : (await tx.all<HistoryRow>(SQL.historySince, [id, after])).map(entryFromRow);
      return { cur: this.cache.get(id, () => true)!, unseen };
    }
    const c = cached?.doc.revision ?? null;
    // The entries after the poster's revision up to the cached one, when the copy keeps them all.
    const log = c !== null && recentCovers(cached?.recent, c, baseRevision) ? cached!.recent! : null;
    // Entries from the cached revision's own (to check the copy is of this document), and after the poster's.
    const since = Math.min(c === null ? Number.MAX_SAFE_INTEGER : c - 1, log ? Number.MAX_SAFE_INTEGER : (baseRevision ?? Number.MAX_SAFE_INTEGER), 2 ** 31 - 1);
    // Locked first, then read: a statement that locks a row it reads sees that row as it is after
    // waiting for the lock, but the other tables as they were before (PostgreSQL, READ COMMITTED).
    const params = [c, c, id, c, c, since];
    const lockedFresh = forUpdate ? this.sql.dialect.lockedFresh : undefined;
    const rows = lockedFresh ? await lockedFresh(tx, id, params) : await tx.all<FreshRow>(this.sql.dialect.fresh, params);
    if (!rows) {
      this.cache.delete(id);
      throw new NotFoundError(`document ${id} does not exist`);
    }
    const head = rows[0];
    if (!head) {
      this.cache.delete(id);
      throw new NotFoundError(`document ${id} does not exist`);
    }
    let cur: StoredDocument | null = null;
    if (cached && head.d_revision === c && head.d_updated_at === cached.doc.updatedAt && (head.d_stamp === null || head.d_stamp === cached.stamp)) {
      cur = this.cache.get(id, () => true)!;
    } else if (cached && c !== null && head.d_revision > c) {
      cur = catchUp(cached, rows);
      if (cur) this.cache.set(id, cur);
    }
    const fromRows = cur !== null;
    // Read again: in this transaction, or (outside one) in a snapshot of its own.
    if (!cur) {
      cur = forUpdate || tx !== this.sql.once ? await this.loadRows(tx, id) : await this.sql.read((r) => this.loadRows(r, id));
      // The entries read are every one from `since` to the copy's revision: kept with it.
      if (cur.doc.revision === head.d_revision) cur.recent = withRecent(undefined, entriesOf(rows));
    }
    const at = cur.doc.revision;
    const after = unseenAfter(at, baseRevision);
    let unseen: HistoryEntry[] = [];
    if (after !== null) {
      if (fromRows && log) unseen = [...log, ...entriesOf(rows).filter((e) => e.revision > c!)];
      // Read outside a transaction, the document may have moved on since the statement above.
      else if (!log && (fromRows || at === head.d_revision)) unseen = entriesOf(rows);
      else unseen = (await tx.all<HistoryRow>(SQL.historySince, [id, after])).map(entryFromRow);
      unseen = unseen.filter((e) => e.revision > after && e.revision <= at);
    }
    return { cur, unseen };
  }

  /** Every row of the document (in one transaction or snapshot), cached. */
  private async loadRows(tx: SqlTx, id: string): Promise<StoredDocument> {
    const stamp = await tx.get<{ stamp: string | null }>(this.sql.dialect.documentStamp, [id]);
    const document = await tx.get<DocumentRow>(SQL.docById, [id]);
    if (!document || !stamp) throw new NotFoundError(`document ${id} does not exist`);
    const entry = documentFromRows({
      document,
      paragraphs: { source: await tx.all<ParagraphRow>(SQL.paragraphs, [id, 'source']), target: await tx.all<ParagraphRow>(SQL.paragraphs, [id, 'target']) },
      sentences: { source: await tx.all<SentenceRow>(SQL.sentences, [id, 'source']), target: await tx.all<SentenceRow>(SQL.sentences, [id, 'target']) },
      beads: await tx.all<BeadRow>(SQL.beads, [id]),
      issues: await tx.all<IssueRow>(SQL.issues, [id]),
      versions: await tx.all<VersionRow>(SQL.versions, [id]),
    });
    entry.stamp = stamp.stamp;
    const last = await tx.get<{ seq: number }>(SQL.lastSeq, [id]);
    if (last) entry.lastSeq = last.seq;
    this.cache.set(id, entry);
    return entry;
  }

  /**
   * One change of a document: `plan` computes it from the document as stored and the entries its
   * poster has not seen (refusing with the review core's errors), and the driver commits it: on
   * PostgreSQL in a run with the changes of the document that queued meanwhile (commitRun; `alone`:
   * a run of its own), on SQLite in one transaction holding the document.
   */
  private changeDocument(
    id: string,
    opts: { baseRevision?: number } & JobLink,
    plan: Planner,
    finish?: Finisher,
    alone = false,
  ): Promise<ChangeResult> {
    // PostgreSQL: through the document's lane (change-lane.ts), which commits what queued meanwhile together.
    if (this.sql.dialect.commitChanges) return this.lanes.submit(id, { opts, plan, ...(finish ? { finish } : {}) }, alone || finish !== undefined);
    return this.changeLocked(id, opts, plan, finish);
  }

  /**
   * A run of changes of one document (PostgreSQL, change-lane.ts), committed together (runOn). When
   * another server changed the document meanwhile, what was not written is planned again on the
   * document as it now is, a few times, then each change in a transaction holding the row. A refused
   * change is answered with its refusal and leaves the others as they are.
   */
  private async commitRun(id: string, run: readonly RunItem[]): Promise<void> {
    const commitChanges = this.sql.dialect.commitChanges!;
    let pending = run;
    // Unlocked first (one round trip when no other server writes the document); once another server's
    // change came in between, the document is contended: its runs lock it while they are planned.
    for (let attempt = 0; attempt < 8 && pending.length; attempt++) {
      const locked = attempt > 0 || performance.now() - (this.contended.get(id) ?? -Infinity) < CONTENDED_MS;
      const { planned, refused, done } = locked ? await this.write((tx) => this.runOn(tx, id, pending, commitChanges, true)) : await this.runOn(this.sql.once, id, pending, commitChanges, false);
      // Written: a prefix of the planned changes (all, or none when another server changed the
      // document meanwhile); the rest, and the refusals among them, are planned again.
      const n = done.indexOf(null) === -1 ? planned.length : done.indexOf(null);
      for (let k = 0; k < n; k++) planned[k]!.item.resolve(this.committed(planned[k]!.change, done[k]!));
      const firstAgain = n < planned.length ? pending.indexOf(planned[n]!.item) : pending.length;
      for (const { item, error } of refused) if (pending.indexOf(item) < firstAgain) item.reject(error);
      if (firstAgain < pending.length) this.contended.set(id, performance.now());
      else if (this.contended.size > 1000) this.contended.clear();
      pending = pending.slice(firstAgain);
    }
    for (const item of pending) {
      const { opts, plan, finish } = item.change;
      await this.changeLocked(id, opts, plan, finish).then(item.resolve, item.reject);
    }
  }

  /**
   * One attempt at a run: each change planned on the document as the ones before it leave it (with
   * the entries its poster has not seen, the run's own included), then all committed in one round
   * trip (commitChanges), with the learnt counts and a finished job in the same transaction. `locked`:
   * inside a transaction that locks the document before reading it (every change is then written).
   */
  private async runOn(on: SqlTx, id: string, pending: readonly RunItem[], commitChanges: NonNullable<typeof this.sql.dialect.commitChanges>, locked: boolean): Promise<RunAttempt> {
    const bases = pending.flatMap((x) => (x.change.opts.baseRevision === undefined ? [] : [x.change.opts.baseRevision]));
    const { cur, unseen } = await this.fresh(on, id, bases.length ? Math.min(...bases) : undefined, locked);
    let state = cur;
    const entries = [...unseen];
    const planned: RunAttempt['planned'] = [];
    const refused: RunAttempt['refused'] = [];
    for (const item of pending) {
      const after = unseenAfter(state.doc.revision, item.change.opts.baseRevision);
      const notSeen = after === null ? [] : entries.filter((e) => e.revision > after && e.revision <= state.doc.revision);
      try {
        const change = await item.change.plan(state, notSeen, on);
        planned.push({ item, change });
        // For the conflict rule of the changes after it (rows and authors; not its before/after).
        if (item !== pending[pending.length - 1]) entries.push(entryFromRow({ seq: 0, ...change.writes.history, before: null, after: null }));
        // The next change's gate: the revision, and this transaction's write of the row (commitChanges).
        state = { ...change.stored, stamp: null };
      } catch (error) {
        refused.push({ item, error });
      }
    }
    if (!planned.length) return { planned, refused, done: [] };
    const writes = planned.map((p) => p.change.writes);
    const learn = [...new Set(planned.flatMap((p) => p.change.learn ?? []))];
    const finish = pending.length === 1 ? pending[0]!.change.finish : undefined;
    const rest = async (tx: SqlTx): Promise<RunAttempt> => {
      // Locked, with nothing after the changes: their message commits too (what it wrote stands).
      const commit = locked && !learn.length && !finish;
      const done = await commitChanges(tx, writes, { commit });
      // Committed already (a message of its own, or one that committed): what was written stands.
      if (commit || tx === this.sql.once || done[0] === null) return { planned, refused, done };
      if (done.includes(null)) throw new Error(`document ${id} changed while its changes were written`);
      // Counts of the learnt table, or the job the change finishes, change in the same transaction:
      // the first statement's gate locks the document row, so the rows' records read after it are
      // those of the document the run was planned on.
      if (learn.length) await this.learnRows(tx, id, state.doc, state.doc, learn);
      if (finish) await finish(tx, state.doc);
      return { planned, refused, done };
    };
    if (locked || (!learn.length && !finish)) return rest(on);
    return this.write(rest);
  }

  /** The change in one transaction that holds the document from the start. */
  private changeLocked(
    id: string,
    opts: { baseRevision?: number },
    plan: Planner,
    finish?: Finisher,
  ): Promise<ChangeResult> {
    return this.write(async (tx) => {
      const { cur, unseen } = await this.fresh(tx, id, opts.baseRevision, true);
      const planned = await plan(cur, unseen, tx);
      // PostgreSQL: the rows in one statement here too (its gate holds: the transaction holds the row).
      const commit = this.sql.dialect.commitChanges;
      const done = commit ? (await commit(tx, [planned.writes]))[0] : await runWrites(tx, planned.writes, this.sql.dialect.touchDocument);
      if (!done) throw new Error(`document ${id} changed while its change was written`);
      if (planned.learn) await this.learnRows(tx, id, planned.stored.doc, planned.stored.doc, planned.learn);
      if (finish) await finish(tx, planned.stored.doc);
      return this.committed(planned, done);
    });
  }

  /** A change written: cached, and answered with its entry (without before/after, which can be large). */
  private committed(planned: PlannedChange, done: { seq: number; stamp: string | null }): ChangeResult {
    const entry = entryFromRow({ seq: done.seq, ...planned.writes.history, before: null, after: null });
    const prev = this.cache.peek(planned.writes.docId);
    const recent = withRecent(prev?.doc.revision === entry.revision - 1 ? prev.recent : undefined, [entry]);
    this.cache.set(planned.writes.docId, { ...planned.stored, stamp: done.stamp, lastSeq: done.seq, recent });
    return { doc: planned.stored.doc, entry, ...(planned.stepped ? { stepped: planned.stepped } : {}) };
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
    return this.write(async (tx) => {
      const ids: string[] = [];
      for (const d of prepared) {
        ids.push(d.kind === 'new' ? await this.insertNew(tx, d.doc, d.corpusKey ?? null, d.project, opts.author, at) : await this.insertRestored(tx, d.doc, d.entries, d.project, opts.author, at));
      }
      const set = opts.translationSet ? await insertTranslationSet(tx, ids) : null;
      if (opts.job) {
        const documents = ids.map((id, k) => ({ id, name: docs[k]!.doc.name, beads: docs[k]!.doc.beads.length, revision: docs[k]!.kind === 'restore' ? (docs[k]!.doc as ReviewDocument).revision : 0 }));
        const rows = documents.reduce((n, d) => n + d.beads, 0);
        const what = set ? `${documents.length} translations of one original` : documents.length === 1 ? `“${documents[0]!.name}”` : `${documents.length} documents`;
        await this.jobs.finishDone(tx, opts.job, { documents, summary: `${what} stored, ${rows.toLocaleString('en')} rows`, ...(set ? { translationSet: set } : {}) });
      }
      return ids;
    });
  }

  private async insertNew(tx: SqlTx, doc: NewDocument, corpusKey: string | null, project: string, author: string, at: string): Promise<string> {
    const id = newDocumentId();
    if (corpusKey) {
      // Two servers importing the corpus at once: the second waits here, then finds the first's.
      await tx.lock(`corpus:${corpusKey}`);
      if (await tx.get(SQL.byCorpusKey, [corpusKey])) throw new InvalidOperationError(`corpus folder ${corpusKey} is already imported`);
    }
    await this.insertContent(tx, id, doc, { revision: 0, createdAt: at, updatedAt: at, corpusKey, project, author, at });
    await tx.run(...insertRow('history', historyValues(id, 0, { op: { kind: 'import' }, author, at, change: null, undoState: null })));
    return id;
  }

  private async insertRestored(tx: SqlTx, doc: ReviewDocument, entries: HistoryEntry[], project: string, author: string, at: string): Promise<string> {
    // Kept when free, so a document restored into another store exports exactly as it did.
    let id = newDocumentId();
    if (SAFE_DOC_ID.test(doc.id)) {
      await tx.lock(`document:${doc.id}`);
      if (!(await tx.get(SQL.docExists, [doc.id]))) id = doc.id;
    }
    await this.insertContent(tx, id, doc, { revision: doc.revision, createdAt: doc.createdAt, updatedAt: doc.updatedAt, corpusKey: null, project, author, at });
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
    o: { revision: number; createdAt: string; updatedAt: string; corpusKey: string | null; project: string; author: string; at: string },
  ): Promise<void> {
    await tx.run(...insertRow('documents', documentValues(id, doc, o)));
    if (doc.beads.some(teaches)) await this.learnRows(tx, id, doc, doc, doc.beads.map((b) => b.id));
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

  async translationSet(id: string): Promise<TranslationSet> {
    const set = await translationSetById(this.sql.once, id);
    if (!set) throw new NotFoundError(`translation set ${id.slice(0, 40)} does not exist`);
    return set;
  }

  async translationSetOf(docId: string): Promise<TranslationSet | null> {
    return translationSetOfDocument(this.sql.once, docId);
  }

  async deleteDocument(id: string): Promise<void> {
    await this.write(async (tx) => {
      const { cur } = await this.fresh(tx, id, undefined, true);
      // Its confirmed rows are taken back from the learnt table first.
      await this.learnRows(tx, id, cur.doc, null, [...(await this.learnt.taught(tx, id)).keys()]);
      await tx.run(SQL.deleteDoc, [id]);
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
    const { op } = request;
    const job = opts.job;
    return this.changeDocument(
      id,
      opts,
      async (cur, unseen) => {
        const at = new Date().toISOString();
        const { next, change } = applyPosted(cur.doc, op, unseen, { author: opts.author, at });
        return this.withLearning(cur.doc, next, change, planWrites(cur, next, change, { op, author: opts.author, at, undoState: 'applied' }, { killRedo: opts.author, stepped: null }));
      },
      job ? (tx, doc) => this.finishJobWith(tx, job, doc, `${doc.beads.length.toLocaleString('en')} rows`, opts.jobResult) : undefined,
    );
  }

  /** Inside a write: the job that made this change is done, naming the document (see JobLink). */
  private async finishJobWith(tx: SqlTx, job: string, doc: ReviewDocument, summary: string, more: Partial<JobResult> = {}): Promise<void> {
    const result: JobResult = { documents: [{ id: doc.id, name: doc.name, beads: doc.beads.length, revision: doc.revision }], summary, ...more };
    await this.jobs.finishDone(tx, job, result);
  }

  /**
   * Undo or redo: one step on the undo stack of the document or of one reviewer, recorded as an entry
   * of its own (off the stack). The rows are found where they are now; a reviewer's own step whose
   * rows someone else changed since is refused, naming who.
   */
  private step(id: string, direction: Direction, scope: UndoScope, opts: ChangeOptions): Promise<ChangeResult> {
    return this.changeDocument(
      id,
      opts,
      async (cur, unseen, read) => {
        const top = await this.stepTop(read, id, direction, scope, opts.author);
        if (!top) {
          throw new InvalidOperationError(scope === 'author' ? `there is nothing to ${direction}: no change of yours (${opts.author}) is left to ${direction} here` : `there is nothing to ${direction}`);
        }
        const entry = entryFromRow(top);
        checkUndoRedo(cur.doc, entry, opts.baseRevision, unseen, { scope, author: opts.author });
        const { before: from, after: to } = stepChange(entry, direction);
        let next: ReviewDocument;
        try {
          next = applyChange(cur.doc, from, to);
          checkInvariants(next);
        } catch (e) {
          if (scope === 'author' && e instanceof InvalidOperationError) {
            const touched = new Set(entry.beadIds);
            const later = (await read.all<HistoryRow>(SQL.historySince, [id, entry.revision])).map(entryFromRow).filter((x) => x.seq !== entry.seq && x.beadIds.some((b) => touched.has(b)));
            throw changedSinceError(cur.doc, entry, direction, later);
          }
          throw e;
        }
        const at = new Date().toISOString();
        const undone = direction === 'undo';
        const change = diffDocuments(cur.doc, next);
        const planned = this.withLearning(cur.doc, next, change, planWrites(
          cur,
          next,
          change,
          { op: { kind: direction, of: top.seq }, author: opts.author, at, undoState: null },
          { killRedo: null, stepped: { seq: top.seq, state: STEP[direction].leaves, undoneBy: undone ? opts.author : null } },
        ));
        const { before: _b, after: _a, ...stepped } = entry;
        return { ...planned, stepped: { ...stepped, undone } };
      },
      undefined,
      true, // it reads the history's stack: not planned after other changes of a run
    );
  }

  /** The entry an undo or redo takes (history.ts). */
  private stepTop(read: SqlTx, id: string, direction: Direction, scope: UndoScope, author: string): Promise<HistoryRow | undefined> {
    if (direction === 'undo') return scope === 'author' ? read.get<HistoryRow>(SQL.undoTopBy, [id, author]) : read.get<HistoryRow>(SQL.undoTop, [id]);
    return scope === 'author' ? read.get<HistoryRow>(SQL.redoTopBy, [id, author, id, author]) : read.get<HistoryRow>(SQL.redoTop, [id, id]);
  }

  async addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string } & JobLink): Promise<ReviewDocument> {
    return this.write(async (tx) => {
      const { cur } = await this.fresh(tx, id, undefined, true);
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
      const { seq, stamp } = await this.record(tx, cur, historyValues(id, revision, { op, author: opts.author, at, change: null, undoState: null }));
      const doc: ReviewDocument = { ...cur.doc, versions: [...cur.doc.versions, projected(v, cur.doc.beads)], revision, updatedAt: at };
      this.cache.set(id, { doc, ords: cur.ords, versions: [...cur.versions, v], stamp, lastSeq: seq });
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

  async createGlossary(g: NewGlossary, opts: { author: string; onceKey?: string }): Promise<number | null> {
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
      const { cur } = await this.fresh(tx, docId, undefined, true);
      await this.glossaries.lock(tx);
      const name = glossaryId === null ? 'default' : (await this.glossaries.get(tx, glossaryId)).name;
      if (glossaryId === null) await tx.run(SQL.clearDocGlossary, [docId]);
      else await tx.run(SQL.setDocGlossary, [docId, glossaryId]);
      const at = new Date().toISOString();
      const revision = cur.doc.revision + 1;
      const op: HistoryEntry['op'] = { kind: 'setGlossary', glossaryId, name };
      const { seq, stamp } = await this.record(tx, cur, historyValues(docId, revision, { op, author: opts.author, at, change: null, undoState: null }));
      const doc: ReviewDocument = { ...cur.doc, revision, updatedAt: at };
      this.cache.set(docId, { doc, ords: cur.ords, versions: cur.versions, stamp, lastSeq: seq });
      return doc;
    });
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.sql.close();
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

  /** Every count of a scope in memory (tests compare it with a rebuild). */
  learntCounts(scope: LearntScope): Promise<Counts> {
    return this.learnt.all(scope);
  }

  async rebuildLearnt(scope: LearntScope, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<LearntSummary> {
    await this.write(async (tx) => {
      await this.relearnAll(tx, scope, opts.onProgress);
      if (scope.project === undefined) await this.learnt.setVersion(tx, LEARNER_VERSION);
    });
    return this.learnt.summary(scope);
  }

  /**
   * Counts made by another learner (or none yet: a database from before migration 6) are rebuilt
   * from the confirmed rows, once, in a write transaction (another process may have done it meanwhile).
   */
  protected async learnIfOutdated(): Promise<void> {
    if ((await this.learnt.version(this.sql.once)) === LEARNER_VERSION) return;
    await this.write(async (tx) => {
      await tx.lock('learnt');
      if ((await this.learnt.version(tx)) === LEARNER_VERSION) return;
      await this.relearnAll(tx, { langs: 'zh-en' });
      await this.learnt.setVersion(tx, LEARNER_VERSION);
    });
  }

  /** The scope's counts dropped and learnt again from every confirmed row of its documents (inside a transaction). */
  private async relearnAll(tx: SqlTx, scope: LearntScope, onProgress?: (done: number, total: number) => void): Promise<void> {
    await this.learnt.clear(tx, scope);
    const docs = (await tx.all<{ id: string; source_lang: string; target_lang: string; project: string }>(SQL.docsForLearning)).filter(
      (d) => learntLangs(d.source_lang, d.target_lang) === scope.langs && (scope.project === undefined || d.project === scope.project),
    );
    let total = 0;
    for (const d of docs) total += Number((await tx.get<{ n: number }>(SQL.confirmedCount, [d.id]))!.n);
    let done = 0;
    onProgress?.(0, total);
    const writers = new Map<string, LearntRefill>();
    for (const d of docs) {
      let w = writers.get(d.project);
      if (!w) {
        w = await this.learnt.refill(tx, scope.langs, d.project);
        writers.set(d.project, w);
      }
      const { doc } = await this.loadRows(tx, d.id);
      for (const b of doc.beads) {
        if (!teaches(b)) continue;
        await w.row(d.id, b.id, rowEvidence(doc, b));
        if (++done % 1000 === 0) onProgress?.(done, total);
      }
    }
    for (const w of writers.values()) await w.finish();
    onProgress?.(total, total);
  }

  /** A planned change of rows that taught or now teach carries the rows to relearn (else none). */
  private withLearning(before: ReviewDocument, next: ReviewDocument, change: DocumentChange, planned: PlannedChange): PlannedChange {
    if (!learntLangs(before.source.lang, before.target.lang)) return planned;
    const ids = touchedRows(before, next, change);
    if (!ids.length) return planned;
    // A row has a record exactly while it teaches: rows that neither taught nor teach change nothing.
    const wanted = new Set(ids);
    const teaching = new Set<string>();
    for (const doc of [before, next]) for (const b of doc.beads) if (wanted.has(b.id) && teaches(b)) teaching.add(b.id);
    const learn = ids.filter((id) => teaching.has(id));
    return learn.length ? { ...planned, learn } : planned;
  }

  /**
   * Brings what the rows `ids` of document `id` teach up to date (inside the transaction that changed
   * them): `langsOf` gives the languages, `doc` is the document now (null when it is being deleted).
   */
  private async learnRows(tx: SqlTx, id: string, langsOf: TeachingDocument, doc: TeachingDocument | null, ids: readonly string[]): Promise<void> {
    const langs = learntLangs(langsOf.source.lang, langsOf.target.lang);
    if (!langs || ids.length === 0) return;
    const r = relearn(doc, ids, await this.learnt.taught(tx, id, ids));
    if (r.put.length === 0 && r.drop.length === 0) return;
    const row = (await tx.get<{ project: string }>(SQL.docLearning, [id]))!;
    await this.learnt.record(tx, id, langs, row.project, r);
  }

  // ─────────────────────────── internals ───────────────────────────

  /** When a run of a document last found it changed by another server (performance.now()). */
  private readonly contended = new Map<string, number>();
  private readonly lanes = new ChangeLanes<LaneChange, ChangeResult>((id, run) => this.commitRun(id, run));

  /** Inside a write holding the document: a history entry of a change with no rows to write (a version, a glossary choice), and the document's new revision. */
  private async record(tx: SqlTx, cur: StoredDocument, entry: Omit<HistoryRow, 'seq'>): Promise<{ seq: number; stamp: string | null }> {
    const seq = (await tx.get<{ seq: number }>(...insertRow('history', entry, 'seq')))!.seq;
    const touched = await tx.get<{ stamp: string | null }>(this.sql.dialect.touchDocument, [entry.revision, entry.at, cur.doc.id, cur.doc.revision]);
    if (!touched) throw new Error(`document ${cur.doc.id} changed while its change was written`);
    return { seq, stamp: touched.stamp };
  }
}
