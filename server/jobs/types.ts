/**
 * What a job is: a kind, an input that is plain JSON (so it can be queued in a database and run by a
 * process on another machine), and a handler that runs with its own store connection and finishes
 * the job itself, in the same transaction as its work (Store's JobLink), or stores a file with it.
 */
import type { ExportFormat, ExportOptions } from '../formats/index.js';
import type { JobRecord } from '../domain.js';
import type { CheckedTranslations } from '../import/index.js';
import type { Store } from '../store/store.js';

/** Two texts aligned into a new document (the import page, POST /api/documents, the corpus on first start). */
export interface ImportTextsInput {
  name: string;
  /** Decoded and checked by the door (see server/import/check.ts). */
  source: string;
  target: string;
  sourceLang: string;
  targetLang: string;
  model: string;
  presplit: boolean;
  corpusKey: string | null;
  /** Project or client ('' or absent = none): the scope of the learnt table the rows teach (and, with LEARN_SCOPE=project, use). */
  project?: string;
}

/** Several translations of one original, each aligned to it, stored as one translation set. */
export type ImportTranslationsInput = CheckedTranslations;

/** A TMX or JSON file read into documents (the import page, /api/import/*). */
export interface ImportFileInput {
  format: 'tmx' | 'json';
  /** The file's bytes, base64 (inputs are JSON). */
  base64: string;
  sourceLang?: string;
  targetLang?: string;
  name?: string;
}

/** A further target version aligned to a document's source. */
export interface ImportVersionInput {
  docId: string;
  name: string;
  text: string;
  lang?: string;
  model?: string;
}

/**
 * The rows nobody decided on aligned again, each stretch between fixed rows (confirmed, flagged,
 * aligned by hand) on its own; with `from`, only the stretch from that row to the next fixed one.
 */
export interface RealignInput {
  docId: string;
  baseRevision?: number;
  model?: string;
  /** A row's id: re-align from it to the next fixed row. */
  from?: string;
}

/** One or more documents written in an export format, as a file kept with the job. */
export interface ExportInput {
  docIds: string[];
  format: ExportFormat;
  options: ExportOptions & { qa: boolean };
  fileName: string;
  multi: boolean;
}

/** A translation set's multilingual TMX, as a file kept with the job (sets too large to write on the web thread). */
export interface SetExportInput {
  setId: string;
  /** The chosen translations (indices into the set's documents), in order; null: all. */
  only: number[] | null;
  fileName: string;
}

/** The QA findings of a document's content (qaContentKey) with its glossary, as a JSON file kept with the job. */
export interface QaReportInput {
  docId: string;
  contentKey: string;
}

export interface JobInputs {
  'import-texts': ImportTextsInput;
  'import-translations': ImportTranslationsInput;
  'import-file': ImportFileInput;
  'import-version': ImportVersionInput;
  realign: RealignInput;
  export: ExportInput;
  'set-export': SetExportInput;
  'qa-report': QaReportInput;
}

export type JobKind = keyof JobInputs;
export const JOB_KINDS: readonly JobKind[] = ['import-texts', 'import-translations', 'import-file', 'import-version', 'realign', 'export', 'set-export', 'qa-report'];

/** What a running job's handler gets: its own store connection, a progress reporter, a stop signal. */
export interface JobContext {
  id: string;
  /** Who asked for it: recorded as the author of what it stores. */
  owner: string;
  store: Store;
  /** Fraction done (0..1) and what is happening; written to the job record at most a few times a second. */
  progress(fraction: number, message: string): void;
  /** Aborted when the job was cancelled (checked at the handler's stages). */
  signal: AbortSignal;
}

export type JobHandler<K extends JobKind> = (input: JobInputs[K], ctx: JobContext) => Promise<void>;

/** A job handed to a worker: the record's id and kind, its owner and its input. */
export interface JobTask<K extends JobKind = JobKind> {
  id: string;
  kind: K;
  owner: string;
  input: JobInputs[K];
  /** The queue worker that took it from the queue: it becomes the job's runner when it starts. */
  runner?: JobRecord['runner'];
}

/**
 * The one interface the doors use (web routes, first-start import). The in-process runner
 * (runner.ts) runs jobs on a worker-thread pool; a queue on PostgreSQL can implement the same.
 */
export interface Jobs {
  /**
   * Records the job (TooManyJobsError when the owner or the server has too many) and runs it when a
   * worker is free. With `dedupeKey`, the same work asked again answers the existing job.
   */
  submit<K extends JobKind>(kind: K, input: JobInputs[K], opts: { owner: string; label: string; dedupeKey?: string }): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /** Stops a queued or running job; nothing of it is stored. Answers the job as it now is. */
  cancel(id: string): Promise<JobRecord | null>;
  /** The job once it has ended, or as it is after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<JobRecord | null>;
  close(): Promise<void>;
}

export const FINAL_STATES: ReadonlySet<JobRecord['state']> = new Set(['done', 'failed', 'cancelled']);
