import type { Counts, CountedPair, ExampleRow, Marginals, PairCounts, PairsQuery } from '../learn/counts.js';
import type { BeadEvidence } from '../learn/evidence.js';
import type { LearntLangs, LearntScope, LearntSummary, Relearning } from '../learn/teach.js';
import type { HistoryRow, UndoState } from './history.js';
import type { FreshRow } from './catch-up.js';

/**
 * The seam between the store's logic (sql-store.ts, job-table.ts, glossary-table.ts) and a database
 * driver: SQLite (sqlite.ts, better-sqlite3) or PostgreSQL (postgres.ts, node-postgres). Statements
 * are written once, with `?` placeholders, in the SQL both understand; what differs (locking, the
 * row version the cache checks, id sequences) is the `Dialect`.
 */

/** The statements of one transaction (or, outside one, of one autocommitted statement each). */
export interface SqlTx {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** A statement without rows; answers how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Serialises this transaction with every other one taking the same lock until it ends
   * (PostgreSQL: a transaction-level advisory lock; SQLite: nothing to do, a write transaction
   * holds the database's only write lock).
   */
  lock(name: string): Promise<void>;
  /** Runs SQL text as given (placeholders `$1`…): what a library writing its own SQL needs (pg-boss). */
  raw(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Several statements of the other database's SQL with no parameters, in one message: each one's
   * rows (PostgreSQL only). `commit`: in a write transaction, the message commits it too (one round
   * trip less while its locks are held); the transaction's function must do nothing after it.
   */
  script(text: string, opts?: { commit?: boolean }): Promise<unknown[][]>;
}

export interface WriteOptions {
  /** Give up at once (answer null) instead of waiting for another transaction's lock. */
  noWait?: boolean;
}

export interface SqlDatabase {
  readonly dialect: Dialect;
  /** One statement on its own (autocommitted). */
  readonly once: SqlTx;
  /** Several reads that see one state of the database (one snapshot). */
  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * One write transaction: committed when `fn` resolves, rolled back when it rejects. With
   * `noWait`, null when a lock it needs is held by someone else.
   */
  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: SqlTx) => Promise<T>, opts: WriteOptions): Promise<T | null>;
  /**
   * A number that changes whenever another connection commits (SQLite's data_version), so every
   * cached document can be dropped at once; null when the database has none (PostgreSQL: each hit
   * is checked against its row's version instead).
   */
  changeCounter(): Promise<number | null>;
  close(): Promise<void>;
}

/** The rows one change of a document writes (planned by change-writes.ts, committed by a driver). */
export interface DocumentWrites {
  docId: string;
  /** The document row the change was computed from: it is written only if the row is still so. */
  expected: { revision: number; stamp: string | null };
  revision: number;
  at: string;
  history: Omit<HistoryRow, 'seq'>;
  /** A new operation clears its author's redo list (this author; null: not an operation). */
  killRedo: string | null;
  /**
   * An undo or redo: the state the entry it took is left in, and who undid it (an undo; the entry's
   * `undone_seq` is then the new entry's seq; a redo: null, both cleared).
   */
  stepped: { seq: number; state: UndoState; undoneBy: string | null } | null;
  /** A segmentation change: `side`'s sentences from index `at` on replaced by `rows` (sentenceValues, indices from `at`). */
  sentences: { side: 'source' | 'target'; at: number; rows: unknown[][] } | null;
  /** Further versions whose anchors moved with a segmentation change. */
  versionAnchors: { id: string; anchors: string }[];
  deleteBeads: string[];
  /** beadValues rows (doc_id, id, ord, source, target, confidence, status, origin, meta). */
  upsertBeads: unknown[][];
  /** Rows not otherwise written that get a new order key (a gap ran out: every row renumbered). */
  reorderBeads: { id: string; ord: number }[];
  /** Issues from ord `at` (to `until`, exclusive; null: to the end) replaced by `rows` (issueValues, ords from `at`). */
  issues: { at: number; until: number | null; rows: unknown[][] } | null;
  /** Target sentences whose reviewed text changed. */
  targetTexts: { idx: number; text: string }[];
}

/** A rebuild's writer for one (langs, project) whose table was just cleared. */
export interface LearntRefill {
  row(docId: string, beadId: string, ev: BeadEvidence): Promise<void>;
  finish(): Promise<void>;
}

/**
 * The learnt table's counts (tables learnt_*), one per driver (SQLite: learnt.ts, synchronous and
 * tuned for the aligner's reads; PostgreSQL: learnt-pg.ts). Writes take the store's transaction;
 * reads run on their own.
 */
export interface LearntStore {
  /** What the rows `ids` of a document taught (all its rows when `ids` is absent), as recorded. */
  taught(tx: SqlTx, docId: string, ids?: readonly string[]): Promise<Map<string, BeadEvidence>>;
  /** Writes a relearning of a document's rows: the counts of (langs, project), then the rows' records. */
  record(tx: SqlTx, docId: string, langs: LearntLangs, project: string, r: Relearning): Promise<void>;
  refill(tx: SqlTx, langs: LearntLangs, project: string): Promise<LearntRefill>;
  clear(tx: SqlTx, scope: LearntScope): Promise<void>;
  version(tx: SqlTx): Promise<number | null>;
  setVersion(tx: SqlTx, v: number): Promise<void>;
  marginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Promise<Marginals>;
  pairs(scope: LearntScope, q: PairsQuery): Promise<PairCounts>;
  counted(scope: LearntScope, min: number): Promise<CountedPair[]>;
  examples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Promise<Map<string, ExampleRow[]>>;
  rows(scope: LearntScope): Promise<number>;
  summary(scope: LearntScope): Promise<LearntSummary>;
  /** Every count of the scope, in memory (tests compare it with a rebuild). */
  all(scope: LearntScope): Promise<Counts>;
}

export type IdTable = 'history' | 'glossaries' | 'glossary_entries' | 'glossary_history' | 'learnt_tables';

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /**
   * `SELECT revision, updated_at, stamp FROM documents WHERE id = ?`: the row version the document
   * cache is checked against (PostgreSQL: xmin, which every update of the row changes; SQLite: null).
   */
  documentStamp: string;
  /**
   * `UPDATE documents SET revision = ?, updated_at = ? WHERE id = ? AND revision = ?` (the revision the
   * change was made on), answering the row's new `stamp`.
   */
  touchDocument: string;
  /** The freshness statement (statements.ts `freshSql`). */
  fresh: string;
  /**
   * Locks the document row (a write transaction holds the document from here on), then reads
   * `fresh` (with `freshParams`), in one round trip: the fresh statement's rows, or null when there
   * is no such document. None on SQLite, whose write transaction holds the only write lock.
   */
  lockedFresh?(tx: SqlTx, id: string, freshParams: readonly unknown[]): Promise<FreshRow[] | null>;
  /**
   * Changes planned one on the other (each `expected` the one before's result), committed in order in
   * one round trip, each only if the document row is still the one it was planned from (null
   * otherwise: plan it again) and the one before it was written; on `once`, in one transaction.
   * Drivers without it (SQLite, whose statements cost no round trip) commit with runWrites in a
   * transaction.
   */
  commitChanges?(on: SqlTx, writes: readonly DocumentWrites[], opts?: { commit?: boolean }): Promise<({ seq: number; stamp: string | null } | null)[]>;
  /** `n`: the highest history seq ever given (seqs are never reused, even after a delete). */
  maxHistorySeq: string;
  /** Before ids are given here rather than by the database: no one else may insert into the table meanwhile. */
  lockIds(tx: SqlTx, table: IdTable): Promise<void>;
  /** After rows were inserted with given ids: the table's id generator moves past them. */
  idsInserted(tx: SqlTx, table: IdTable, column: string): Promise<void>;
  /**
   * Runs a one-row INSERT statement (`… VALUES (?, …) [ON CONFLICT …]`) for each of `rows`, in as
   * few statements as suits the database (PostgreSQL: many rows each, every statement is a round trip).
   */
  insertMany(tx: SqlTx, sql: string, rows: readonly (readonly unknown[])[]): Promise<void>;
}

/** `INSERT INTO table (keys of row) VALUES (?, …)`, and the values in the same order. */
export function insertRow(table: string, row: object, returning?: string): [string, unknown[]] {
  const keys = Object.keys(row);
  const sql = `INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})${returning ? ` RETURNING ${returning}` : ''}`;
  return [sql, keys.map((k) => (row as Record<string, unknown>)[k] ?? null)];
}
