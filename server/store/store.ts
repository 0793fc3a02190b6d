/**
 * The contract of a store (implemented on SQLite in server/store/sqlite.ts). Web routes, CLI scripts and
 * tests talk to the store only through this interface. Every mutating call is one transaction: it
 * either applies completely (and records history) or rejects and changes nothing.
 */
import type { HistoryEntry, ReviewDocument, ReviewOp, TargetVersion } from '../domain.js';
import type { CountedPair, ExampleRow, Marginals, PairCounts, PairsQuery } from '../learn/counts.js';
import type { LearntScope, LearntSummary } from '../learn/teach.js';

export type { CountedPair, ExampleRow, LearntScope, LearntSummary, Marginals, PairCounts, PairsQuery };

// The errors a store throws are the review core's; named here too, so the store's callers need one import.
export { ConflictError, InvalidOperationError, NotFoundError } from '../review/errors.js';

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

/**
 * Every method answers with a Promise, so that a backend with an asynchronous driver (PostgreSQL)
 * implements the same contract; SQLite does its work synchronously inside each call. A rejection
 * carries the same errors a synchronous throw did (NotFoundError, InvalidOperationError,
 * ConflictError), and a refused or failed call has changed nothing.
 */
export interface Store {
  listDocuments(): Promise<DocumentSummary[]>;
  /** Rejects with NotFoundError. */
  getDocument(id: string): Promise<ReviewDocument>;
  /** Stores a new document (already aligned) and records an 'import' history entry. Returns its id. */
  createDocument(doc: Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>, opts: { author: string; corpusKey?: string | null; project?: string }): Promise<string>;
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
  deleteDocument(id: string): Promise<void>;
  /**
   * Applies one review operation as `author`. `baseRevision` is the revision the client saw; when it is
   * older than the current one, the op is accepted only if it touches nothing changed since, else
   * ConflictError. Returns the updated document.
   */
  apply(id: string, op: ReviewOp, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument>;
  undo(id: string, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument>;
  redo(id: string, opts: { author: string; baseRevision?: number }): Promise<ReviewDocument>;
  /**
   * Oldest first by default (the order of replay); `newestFirst` for history pages; `sinceRevision`:
   * entries after it; `changes: false` leaves out the before/after snapshots.
   */
  history(id: string, opts?: HistoryOptions): Promise<HistoryEntry[]>;
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
  /** Recomputes the scope's counts from its documents' confirmed rows, in one transaction. */
  rebuildLearnt(scope: LearntScope, opts?: { onProgress?: (done: number, total: number) => void }): Promise<LearntSummary>;
  addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string }): Promise<ReviewDocument>;
  close(): Promise<void>;
}
