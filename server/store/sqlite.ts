/**
 * The store on SQLite (better-sqlite3): one `review.sqlite` in DATA_DIR, WAL mode, foreign keys on,
 * versioned migrations. The store's logic is sql-store.ts; this is its driver.
 *
 * better-sqlite3 is synchronous, so each statement runs at once; the calls of this thread go one at a
 * time (a queue), and a write transaction is BEGIN IMMEDIATE: the write lock is taken (waiting up
 * to busy_timeout) before anything is read, so no other connection or process commits between a
 * transaction's read of a document and its writes. Nothing in a transaction waits for anything but
 * its own statements, so no other work of the process runs in between either.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { ReviewDocument } from '../domain.js';
import type { Counts, PairsQuery } from '../learn/counts.js';
import { LEARNER_VERSION } from '../learn/evidence.js';
import { learntLangs, rowEvidence, teaches, type LearntLangs, type LearntScope, type Relearning } from '../learn/teach.js';
import { versionAnchors } from '../review/index.js';
import { DB_FILE } from './files.js';
import { migrate } from './migrate.js';
import { documentFromRows, type BeadRow, type DocumentRow, type IssueRow, type ParagraphRow, type SentenceRow, type VersionRow } from './rows.js';
import { LearntTables } from './learnt.js';
import type { Dialect, LearntRefill, LearntStore, SqlDatabase, SqlTx, WriteOptions } from './sql.js';
import { SqlStore } from './sql-store.js';
import { freshSql, SQL } from './statements.js';

export { DB_FILE };
const BUSY_TIMEOUT_MS = 5000;

// Loaded by `require`: an ESM import makes Node scan the driver's CommonJS sources for named exports
// first (about 7 ms more per process, which a CLI call that only reads the learnt table notices).
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

const FRESH = freshSql('NULL', 'SELECT json_group_array(json_array(id, ord)) FROM (SELECT id, ord FROM beads WHERE doc_id = d.id ORDER BY ord)');

const dialect: Dialect = {
  name: 'sqlite',
  documentStamp: 'SELECT revision, updated_at, NULL AS stamp FROM documents WHERE id = ?',
  touchDocument: 'UPDATE documents SET revision = ?, updated_at = ? WHERE id = ? AND revision = ? RETURNING NULL AS stamp',
  fresh: FRESH,
  // AUTOINCREMENT never reuses a seq, even after a delete: sqlite_sequence remembers the highest.
  maxHistorySeq: "SELECT MAX(n) AS n FROM (SELECT COALESCE(MAX(seq), 0) AS n FROM history UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'history')",
  // The write transaction holds the only write lock; AUTOINCREMENT moves past ids given explicitly.
  lockIds: async () => undefined,
  idsInserted: async () => undefined,
  async insertMany(tx, sql, rows) {
    // In-process calls: one prepared statement, run per row, is as fast as it gets.
    for (const r of rows) await tx.run(sql, r);
  },
};

/**
 * The SQLite calls of this thread, one at a time, whatever the connection: a transaction's
 * statements are never interleaved with another call's. (Two connections of one thread interleaved,
 * the second's BEGIN IMMEDIATE would wait for the first's lock inside better-sqlite3's synchronous
 * busy wait, which blocks the very thread that would release it.)
 */
let tail: Promise<unknown> = Promise.resolve();

/** better-sqlite3 behind the SqlDatabase port. */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = dialect;
  readonly once: SqlTx;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly tx: SqlTx;

  constructor(readonly db: BetterSqlite3.Database) {
    const prepare = (sql: string): BetterSqlite3.Statement => this.prepared(sql);
    this.tx = {
      all: async <T>(sql: string, params: readonly unknown[] = []) => prepare(sql).all(...params) as T[],
      get: async <T>(sql: string, params: readonly unknown[] = []) => prepare(sql).get(...params) as T | undefined,
      run: async (sql: string, params: readonly unknown[] = []) => prepare(sql).run(...params).changes,
      lock: async () => undefined,
      raw: async () => {
        throw new Error('raw SQL text of another database is not run on SQLite');
      },
      script: async () => {
        throw new Error('raw SQL text of another database is not run on SQLite');
      },
    };
    this.once = {
      all: (sql, params) => this.serially(() => this.tx.all(sql, params)),
      get: (sql, params) => this.serially(() => this.tx.get(sql, params)),
      run: (sql, params) => this.serially(() => this.tx.run(sql, params)),
      lock: async () => undefined,
      raw: (text, values) => this.tx.raw(text, values),
      script: (text, opts) => this.tx.script(text, opts),
    };
  }

  private prepared(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    // A deferred transaction: its reads see one state of the database (WAL), whatever other processes commit meanwhile.
    return this.serially(() => this.transaction('BEGIN', fn));
  }

  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: SqlTx) => Promise<T>, opts: WriteOptions): Promise<T | null>;
  write<T>(fn: (tx: SqlTx) => Promise<T>, opts: WriteOptions = {}): Promise<T | null> {
    return this.serially(async () => {
      if (!opts.noWait) return this.transaction('BEGIN IMMEDIATE', fn);
      this.db.pragma('busy_timeout = 0');
      try {
        return await this.transaction('BEGIN IMMEDIATE', fn);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') return null;
        throw e;
      } finally {
        this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    });
  }

  private async transaction<T>(begin: string, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    // Prepared once, like every statement here (exec and pragma compile their SQL on every call).
    this.prepared(begin).run();
    try {
      const result = await fn(this.tx);
      this.prepared('COMMIT').run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.prepared('ROLLBACK').run();
      throw e;
    }
  }

  async changeCounter(): Promise<number> {
    return this.prepared('PRAGMA data_version').pluck().get() as number;
  }

  async close(): Promise<void> {
    await tail;
    if (!this.db.open) return;
    // Keeps the query planner's statistics fresh; cheap when nothing changed.
    this.db.pragma('optimize');
    this.db.close();
  }
}

/** Opens (creating if needed) the store in `dataDir`. */
export function openStore(dataDir: string): SqliteStore {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(dataDir);
}

export class SqliteStore extends SqlStore {
  readonly db: BetterSqlite3.Database;
  private readonly learntTables: LearntTables;

  constructor(dataDir: string) {
    const db = new Database(join(dataDir, DB_FILE));
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a killed process (not necessarily a power cut).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
    fillVersionAnchors(db);
    const sql = new SqliteDatabase(db);
    const learnt = new LearntTables(db);
    learnIfOutdated(db, learnt);
    super(sql, { kind: 'sqlite', dataDir }, new SqliteLearnt(learnt, sql));
    this.db = db;
    this.learntTables = learnt;
  }

  /** Every count of a scope in memory, at once (tests compare it with a rebuild, bench:learn times it). */
  learntTable(scope: LearntScope): Counts {
    return this.learntTables.all(scope);
  }
}

/** The document as stored, read synchronously (work done on open, before the store answers calls). */
function loadDocument(db: BetterSqlite3.Database, id: string): ReviewDocument {
  const all = <T>(sql: string, ...params: unknown[]): T[] => db.prepare(sql).all(...params) as T[];
  return documentFromRows({
    document: db.prepare(SQL.docById).get(id) as DocumentRow,
    paragraphs: { source: all<ParagraphRow>(SQL.paragraphs, id, 'source'), target: all<ParagraphRow>(SQL.paragraphs, id, 'target') },
    sentences: { source: all<SentenceRow>(SQL.sentences, id, 'source'), target: all<SentenceRow>(SQL.sentences, id, 'target') },
    beads: all<BeadRow>(SQL.beads, id),
    issues: all<IssueRow>(SQL.issues, id),
    versions: all<VersionRow>(SQL.versions, id),
  }).doc;
}

/**
 * Versions stored before migration 3 have no anchors: they are taken from the rows as they are now
 * (what those versions showed until then), once. Only SQLite stores can be that old.
 */
function fillVersionAnchors(db: BetterSqlite3.Database): void {
  const rows = db.prepare(SQL.versionsWithoutAnchors).all() as { doc_id: string; id: string; text_by_bead: string }[];
  if (!rows.length) return;
  db.transaction(() => {
    for (const r of rows) {
      const doc = loadDocument(db, r.doc_id);
      const anchors = versionAnchors(doc.beads, JSON.parse(r.text_by_bead) as Record<string, string>);
      db.prepare(SQL.setVersionAnchors).run(JSON.stringify(anchors), r.doc_id, r.id);
    }
  }).immediate();
}

/**
 * Counts made by another learner (or none yet: a database from before migration 6) are rebuilt from
 * the confirmed rows, once, on open, under the write lock (another process may have done it meanwhile).
 * (SqlStore.rebuildLearnt does the same on demand, through the driver port.)
 */
function learnIfOutdated(db: BetterSqlite3.Database, learnt: LearntTables): void {
  if (learnt.version() === LEARNER_VERSION) return;
  db.transaction(() => {
    if (learnt.version() === LEARNER_VERSION) return;
    learnt.clear({ langs: 'zh-en' });
    const writers = new Map<string, ReturnType<LearntTables['refill']>>();
    for (const d of db.prepare(SQL.docsForLearning).all() as { id: string; source_lang: string; target_lang: string; project: string }[]) {
      if (learntLangs(d.source_lang, d.target_lang) !== 'zh-en') continue;
      let w = writers.get(d.project);
      if (!w) {
        w = learnt.refill('zh-en', d.project);
        writers.set(d.project, w);
      }
      const doc = loadDocument(db, d.id);
      for (const b of doc.beads) if (teaches(b)) w.row(d.id, b.id, rowEvidence(doc, b));
    }
    for (const w of writers.values()) w.finish();
    learnt.setVersion(LEARNER_VERSION);
  }).immediate();
}

/**
 * The learnt table of learnt.ts (synchronous, tuned for the aligner's reads) behind the driver port:
 * writes run inside the store's transaction (the same connection); reads are queued like every
 * other call, so they never see a transaction half done.
 */
class SqliteLearnt implements LearntStore {
  constructor(
    private readonly t: LearntTables,
    private readonly sql: SqlDatabase,
  ) {}

  async taught(_tx: SqlTx, docId: string, ids?: readonly string[]) {
    return this.t.taught(docId, ids);
  }
  async record(_tx: SqlTx, docId: string, langs: LearntLangs, project: string, r: Relearning) {
    this.t.record(docId, langs, project, r);
  }
  async refill(_tx: SqlTx, langs: LearntLangs, project: string): Promise<LearntRefill> {
    const w = this.t.refill(langs, project);
    return { row: async (docId, beadId, ev) => w.row(docId, beadId, ev), finish: async () => w.finish() };
  }
  async clear(_tx: SqlTx, scope: LearntScope) {
    this.t.clear(scope);
  }
  async version(_tx: SqlTx) {
    return this.t.version();
  }
  async setVersion(_tx: SqlTx, v: number) {
    this.t.setVersion(v);
  }
  marginals(scope: LearntScope, words: readonly string[], terms: readonly string[]) {
    return this.sql.read(async () => this.t.marginals(scope, words, terms));
  }
  pairs(scope: LearntScope, q: PairsQuery) {
    return this.sql.read(async () => this.t.pairs(scope, q));
  }
  counted(scope: LearntScope, min: number) {
    return this.sql.read(async () => this.t.counted(scope, min));
  }
  examples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number) {
    return this.sql.read(async () => this.t.examples(scope, pairs, perPair));
  }
  rows(scope: LearntScope) {
    return this.sql.read(async () => this.t.rows(scope));
  }
  summary(scope: LearntScope) {
    return this.sql.read(async () => this.t.summary(scope));
  }
  all(scope: LearntScope) {
    return this.sql.read(async () => this.t.all(scope));
  }
}
