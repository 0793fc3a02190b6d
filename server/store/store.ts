/**
 * The contract of a store (implemented on SQLite in server/store/sqlite.ts). Web routes, CLI scripts and
 * tests talk to the store only through this interface. Every mutating call is one transaction: it
 * either applies completely (and records history) or rejects and changes nothing.
 */
import type { HistoryEntry, ReviewDocument, ReviewOp, TargetVersion } from '../domain.js';
import type { UndoScope } from '../review/conflict.js';

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
  createDocument(doc: Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>, opts: { author: string; corpusKey?: string | null }): Promise<string>;
  /**
   * Restores a document exported with its history (the JSON import): revision, dates, statuses and
   * issues as they were, and `history` stored as it was (authors, dates, revisions, ops, undone
   * flags) instead of a new 'import' entry (one is recorded only when `history` is empty), so the
   * restored document exports as the file it came from. The id, and the entries' seqs, are kept when
   * free in this store, else new ones are given. Later operations continue from the document's
   * revision. Undo of an imported entry works when it carries before/after, and is refused with an
   * InvalidOperationError when it does not (JSON exports leave them out). One transaction; returns the id.
   */
  importDocument(doc: ReviewDocument, opts: { author: string; history: readonly HistoryEntry[] }): Promise<string>;
  deleteDocument(id: string): Promise<void>;
  /**
   * Applies one review operation as `author`. `baseRevision` is the revision the client saw; when it is
   * older than the current one, the op is accepted only if it touches nothing changed since, else
   * ConflictError. Returns the updated document.
   */
  apply(id: string, op: ReviewOp, opts: ChangeOptions): Promise<ReviewDocument>;
  undo(id: string, opts: StepOptions): Promise<ReviewDocument>;
  redo(id: string, opts: StepOptions): Promise<ReviewDocument>;
  /**
   * The one path of apply, undo and redo, answering what was done too: the entry recorded and, for
   * an undo or redo, the entry it undid or redid (the pages say "Undid: merge of rows 12–13").
   */
  change(id: string, request: ChangeRequest, opts: ChangeOptions): Promise<ChangeResult>;
  /**
   * Oldest first by default (the order of replay); `newestFirst` for history pages; `sinceRevision`:
   * entries after it; `changes: false` leaves out the before/after snapshots.
   */
  history(id: string, opts?: HistoryOptions): Promise<HistoryEntry[]>;
  addVersion(id: string, version: Omit<TargetVersion, 'id'>, opts: { author: string }): Promise<ReviewDocument>;
  close(): Promise<void>;
}
