/**
 * The contract of a store (sql-store.ts, on SQLite or PostgreSQL). Web routes, CLI scripts and tests
 * talk to the store only through this interface. Every mutating call is one transaction: it
 * either applies completely (and records history) or rejects and changes nothing.
 */
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
import type { UndoScope } from '../review/conflict.js';
import type { CountedPair, Counts, ExampleRow, Marginals, PairCounts, PairsQuery } from '../learn/counts.js';
import type { LearntScope, LearntSummary } from '../learn/teach.js';

export type { CountedPair, ExampleRow, LearntScope, LearntSummary, Marginals, PairCounts, PairsQuery };

// The errors a store throws are the review core's; named here too, so the store's callers need one import.
export { ConflictError, InvalidOperationError, NotFoundError } from '../review/errors.js';

/** Too many jobs queued or running (per reviewer or in all): HTTP 429. */
export class TooManyJobsError extends Error {
  override name = 'TooManyJobsError';
}

/**
 * A write that was to finish a job found the job no longer running (cancelled, or failed because its
 * runner was found dead): nothing was written.
 */
export class JobNotRunningError extends Error {
  override name = 'JobNotRunningError';
}

export type NewDocument = Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>;

/** Where a store lives: a SQLite DATA_DIR, or a PostgreSQL database (DATABASE_URL). */
export type StoreLocation = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

/**
 * `job` on a write: the write finishes that job in the same transaction (state done, its result
 * naming the documents written), and is refused with JobNotRunningError when the job is no longer
 * running. So a cancelled or interrupted job never leaves a document behind, and a job is never
 * marked done without its work.
 */
export interface JobLink {
  job?: string;
  /** More of the finished job's result than the documents written (a re-align's rows); ops honour it. */
  jobResult?: Partial<JobResult>;
}

/**
 * A document to store: a new one (aligned or read from TMX), or one restored with its history (JSON);
 * `project` (project or client, '' = none) scopes the learnt table its confirmed rows teach.
 */
export type DocumentToStore =
  | { kind: 'new'; doc: NewDocument; corpusKey?: string | null; project?: string }
  | { kind: 'restore'; doc: ReviewDocument; history: readonly HistoryEntry[]; project?: string };

/**
 * Translations of one original, each a document of its own (source: the original, target: one
 * translation) aligned to the same original text: the set groups them for the side-by-side view and
 * the multilingual export. `documents`: their ids in the order they were given.
 */
export interface TranslationSet {
  id: string;
  documents: string[];
}

/** Options of storeDocuments: `translationSet` stores the new documents as one translation set. */
export interface StoreDocumentsOptions extends JobLink {
  author: string;
  /**
   * The documents (all new, all with the same original: language and text) are translations of one
   * original, stored as one set; refused (InvalidOperationError) otherwise.
   */
  translationSet?: boolean;
}

/** A glossary to create: its name, entries and language pair (default en → zh). */
export interface NewGlossary {
  name: string;
  entries: readonly GlossaryEntry[];
  sourceLang?: string;
  targetLang?: string;
}

export interface NewJob {
  kind: string;
  label: string;
  owner: string;
  runner: JobRecord['runner'];
  /** The same work asked again (same key) while a job for it is queued, running or done reuses that job. */
  dedupeKey?: string | null;
}

/**
 * Sends a job's message to a queue in the same database, inside the transaction that records the job
 * (so a job is recorded if and only if its message is queued): pg-boss's `db` option.
 */
export type QueueSend = (job: JobRecord, db: { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<void>;

/** A schema migration applied to the store. */
export interface AppliedMigration {
  version: number;
  description: string;
  /** When it was applied (null: before the store recorded it). */
  appliedAt: string | null;
}

export interface JobLimits {
  /** Jobs queued or running per owner. */
  perOwner: number;
  /** Jobs queued or running in all. */
  total: number;
}

export interface DocumentSummary {
  id: string;
  name: string;
  sourceLang: string;
  targetLang: string;
  sourceSentences: number;
  targetSentences: number;
  beads: number;
  confirmed: number;
  flagged: number;
  openIssues: number;
  model: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Folder in corpus/ it was imported from, if any (so a restart does not import it twice). */
  corpusKey: string | null;
  /** Project or client ('' = none): a scope of the learnt table. */
  project: string;
}

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

/** Who makes a change, and the revision they saw (the conflict rule compares it with the current one). */
export interface ChangeOptions {
  author: string;
  baseRevision?: number;
}

/**
 * Options of an undo or redo. `scope` 'document' (default) takes the document's newest applied
 * change (undo) or its most recent undo (redo); 'author' only `author`'s own, and refuses (ConflictError)
 * when someone changed those rows since, naming who.
 */
export interface StepOptions extends ChangeOptions {
  scope?: UndoScope;
}

/** One change: a review operation, or one step of undo or redo. */
export type ChangeRequest = { op: ReviewOp } | { step: 'undo' | 'redo'; scope?: UndoScope };

/** What a change did: the document after it and the history entry it recorded (without before/after). */
export interface ChangeResult {
  doc: ReviewDocument;
  entry: HistoryEntry;
  /** For an undo or redo: the entry it undid or redid (without before/after). */
  stepped?: HistoryEntry;
}

/**
 * Every method answers with a Promise: PostgreSQL's driver is asynchronous; on SQLite each call's
 * statements run one after the other, with no other call of the process between them. A rejection
 * carries the same errors a synchronous throw did (NotFoundError, InvalidOperationError,
 * ConflictError), and a refused or failed call has changed nothing.
 */
export interface Store {
  /** Where it lives: a job worker (a thread, another process) opens its own connection there. */
  readonly location: StoreLocation;
  listDocuments(): Promise<DocumentSummary[]>;
  /** Rejects with NotFoundError. */
  getDocument(id: string): Promise<ReviewDocument>;
  /** Stores a new document (already aligned) and records an 'import' history entry. Returns its id. */
  createDocument(doc: NewDocument, opts: { author: string; corpusKey?: string | null; project?: string } & JobLink): Promise<string>;
  /**
   * Restores a document exported with its history (the JSON import): revision, dates, statuses and
   * issues as they were, and `history` stored as it was (authors, dates, revisions, ops, undone
   * flags) instead of a new 'import' entry (one is recorded only when `history` is empty), so the
   * restored document exports as the file it came from. The id, and the entries' seqs, are kept when
   * free in this store, else new ones are given. Later operations continue from the document's
   * revision. Undo of an imported entry works when it carries before/after, and is refused with an
   * InvalidOperationError when it does not (JSON exports leave them out). One transaction; returns the id.
   */
  importDocument(doc: ReviewDocument, opts: { author: string; history: readonly HistoryEntry[]; project?: string }): Promise<string>;
  /**
   * Stores several documents in one transaction, all or none (as createDocument or importDocument
   * would each); returns their ids in order.
   */
  storeDocuments(docs: readonly DocumentToStore[], opts: StoreDocumentsOptions): Promise<string[]>;
  /** A translation set by its id; rejects with NotFoundError (also when all its documents were deleted). */
  translationSet(id: string): Promise<TranslationSet>;
  /** The set a document belongs to, or null. */
  translationSetOf(docId: string): Promise<TranslationSet | null>;
  deleteDocument(id: string): Promise<void>;
  /**
   * Applies one review operation as `author`. `baseRevision` is the revision the client saw; when it is
   * older than the current one, the op is accepted only if it touches nothing changed since, else
   * ConflictError. Returns the updated document.
   */
  apply(id: string, op: ReviewOp, opts: ChangeOptions & JobLink): Promise<ReviewDocument>;
  undo(id: string, opts: StepOptions): Promise<ReviewDocument>;
  redo(id: string, opts: StepOptions): Promise<ReviewDocument>;
  /**
   * The one path of apply, undo and redo, answering what was done too: the entry recorded and, for
   * an undo or redo, the entry it undid or redid (the pages say "Undid: merge of rows 12–13"). With
   * `job` (an op only): finishes that job in the same transaction (JobLink).
   */
  change(id: string, request: ChangeRequest, opts: ChangeOptions & JobLink): Promise<ChangeResult>;
  /**
   * Oldest first by default (the order of replay); `newestFirst` for history pages; `sinceRevision`:
   * entries after it; `changes: false` leaves out the before/after snapshots.
   */
  history(id: string, opts?: HistoryOptions): Promise<HistoryEntry[]>;
  /**
   * The document's revision and the entries after `revision` (oldest first, at most `limit`), read
   * together: what a client needs to bring its copy up to date.
   */
  changesSince(id: string, revision: number, limit?: number): Promise<{ revision: number; entries: HistoryEntry[] }>;
  /**
   * The translation table learnt from confirmed rows (server/learn), summed over the scope's
   * projects: how many rows taught it and hold each of some words and terms. Every mutating call
   * above keeps the counts in step with the confirmed rows, in its own transaction: a row confirmed
   * (by an operation, a redo, an import) adds what it teaches, a row unconfirmed, changed, undone or
   * deleted takes back exactly that.
   */
  learntMarginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Promise<Marginals>;
  /** The pair counts of the learnt table that a query asks for (see PairsQuery). */
  learntPairs(scope: LearntScope, query: PairsQuery): Promise<PairCounts>;
  /** Pairs of the learnt table counted at least `minCount` times, with the counts of their two sides (glossary suggestions). */
  learntPairsCounted(scope: LearntScope, minCount: number): Promise<CountedPair[]>;
  /** For each pair, up to `perPair` confirmed rows that taught it, with their texts (keyed `word \0 term`). */
  learntExamples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Promise<Map<string, ExampleRow[]>>;
  /** How many confirmed rows the scope's table learnt from (cheap: for pages and CLI lines). */
  learntRows(scope: LearntScope): Promise<number>;
  /** How many confirmed rows the scope's table learnt from, and how many words, terms and pairs it holds (reads the whole table). */
  learntSummary(scope: LearntScope): Promise<LearntSummary>;
  /** Every count of the scope, in memory (store:migrate compares the two stores' tables; tests compare it with a rebuild). */
  learntCounts(scope: LearntScope): Promise<Counts>;
  /** Recomputes the scope's counts from its documents' confirmed rows, in one transaction. */
  rebuildLearnt(scope: LearntScope, opts?: { onProgress?: (done: number, total: number) => void }): Promise<LearntSummary>;
  addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string } & JobLink): Promise<ReviewDocument>;

  // ───────────── jobs (server/jobs runs them; any process on the same store sees them) ─────────────

  /**
   * Records a queued job, or answers the job already doing the same work (same `dedupeKey`, not failed
   * or cancelled). Rejects with TooManyJobsError when the owner, or everyone, has `limits` jobs queued
   * or running. Finished jobs older than a day are removed with their files. `enqueue` runs inside the
   * same transaction for a new job (a queue in the same database).
   */
  createJob(job: NewJob, limits: JobLimits, opts?: { enqueue?: QueueSend }): Promise<JobRecord>;
  /** Null when there is no such job (or it was removed). */
  getJob(id: string): Promise<JobRecord | null>;
  /**
   * Queued → running (by `runner` when given: a queue worker takes over the job from the queue);
   * false (and nothing changes) when the job is no longer queued.
   */
  startJob(id: string, runner?: JobRecord['runner']): Promise<boolean>;
  /** Progress of a running job (0..1) and what it does; answers the job's state (cancelled: stop). */
  updateJob(id: string, progress: { progress: number; message: string }): Promise<JobRecord['state'] | null>;
  /**
   * A running or queued job ends: done with its result (and its file, in chunks), or failed with a
   * message. False (nothing written) when it had ended already (cancelled, failed by a sweep).
   */
  finishJob(id: string, end: { state: 'done'; result: JobResult; file?: readonly Uint8Array[] } | { state: 'failed'; message: string }): Promise<boolean>;
  /** Queued or running → cancelled; answers the job as it now is (null when unknown). */
  cancelJob(id: string, message: string): Promise<JobRecord | null>;
  /** Jobs queued or running, oldest first (for the sweep that fails those whose runner is gone). */
  activeJobs(): Promise<JobRecord[]>;
  /** Marks the runner's queued and running jobs as alive (now). */
  heartbeat(runnerId: string): Promise<void>;
  /** Chunk `seq` (0, 1, …) of a finished job's file, or null after the last. */
  jobFileChunk(id: string, seq: number): Promise<Uint8Array | null>;

  // ───────────── glossaries (the QA terminology check reads the document's chosen one) ─────────────

  listGlossaries(): Promise<GlossarySummary[]>;
  /** Rejects with NotFoundError. */
  getGlossary(id: number): Promise<StoredGlossary>;
  /**
   * A new glossary with its entries, one transaction (the first one becomes the default). With
   * `onceKey`, created only if no creation with that key ever happened in this store (the starter
   * glossary on first start, even with two servers starting at once): null otherwise.
   */
  createGlossary(g: NewGlossary, opts: { author: string; onceKey?: string }): Promise<number | null>;
  /** Deletes a glossary (not the default one: InvalidOperationError); documents that chose it use the default again. */
  deleteGlossary(id: number, opts: { author: string }): Promise<void>;
  setDefaultGlossary(id: number, opts: { author: string }): Promise<void>;
  /** Appends entries (one: the add form; many: an import into this glossary), one transaction. */
  addGlossaryEntries(id: number, entries: readonly GlossaryEntry[], opts: { author: string }): Promise<StoredGlossaryEntry[]>;
  /** Rejects with ConflictError when the entry's revision is not `baseRevision`, NotFoundError when it is gone. */
  updateGlossaryEntry(id: number, entryId: number, entry: GlossaryEntry, opts: { author: string; baseRevision: number }): Promise<StoredGlossaryEntry>;
  deleteGlossaryEntry(id: number, entryId: number, opts: { author: string; baseRevision: number }): Promise<void>;
  /** Newest first. */
  glossaryHistory(id: number, opts?: { limit?: number }): Promise<GlossaryChange[]>;
  /** The glossary a document's QA uses: the one it chose, else the default (null when there is none). */
  documentGlossary(docId: string): Promise<StoredGlossary | null>;
  /** The document's choice (null: the default), recorded in its history; bumps its revision. */
  setDocumentGlossary(docId: string, glossaryId: number | null, opts: { author: string }): Promise<ReviewDocument>;

  /**
   * A secret of the store (made once, at random, by the first server to ask): every app server on the
   * store signs and checks the same CSRF tokens with it.
   */
  serverKey(name: string): Promise<Buffer>;
  /** The schema migrations applied, oldest first. */
  schema(): Promise<AppliedMigration[]>;

  close(): Promise<void>;
}
