/**
 * The store on PostgreSQL (node-postgres), for several app servers and workers on one database: the
 * store's logic is sql-store.ts; this is its driver. `DATABASE_URL=postgres://…` selects it.
 *
 * A write transaction is READ COMMITTED with explicit locks: a change of a document first locks the
 * document's row (SELECT … FOR UPDATE), so changes of one document are serialised across servers
 * while other documents are written at the same time; job creation and glossary changes take an
 * advisory lock each. A multi-statement read runs in one REPEATABLE READ snapshot. The document cache
 * is checked against the row's xmin, which every committed update of the row changes.
 */
import pg from 'pg';
import { migratePostgres } from './migrate.js';
import type { Dialect, DocumentWrites, IdTable, SqlDatabase, SqlTx, WriteOptions } from './sql.js';
import { PgLearnt } from './learnt-pg.js';
import { SqlStore } from './sql-store.js';
import { freshSql } from './statements.js';
import type { FreshRow } from './catch-up.js';

/** Statements longer than this are not kept in the placeholder cache (multi-row inserts vary in length). */
const CACHE_TEXT_MAX = 4096;
const placeholders = new Map<string, string>();

/** `?` → `$1`, `$2` … (outside quoted strings and identifiers). */
export function numbered(sql: string): string {
  const known = placeholders.get(sql);
  if (known !== undefined) return known;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === '?' ? `$${++n}` : ch;
  }
  if (sql.length <= CACHE_TEXT_MAX) placeholders.set(sql, out);
  return out;
}

/** `?` → each value as a literal (outside quoted strings and identifiers), for a statement sent in a script. */
function withLiterals(sql: string, values: readonly unknown[]): string {
  return numbered(sql).replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

const sequenceOf = (table: IdTable, column: string): string => `pg_get_serial_sequence('${table}', '${column}')::regclass`;

const ORDS = 'SELECT json_agg(json_build_array(b.id, b.ord) ORDER BY b.ord)::text FROM beads b WHERE b.doc_id = d.id';
const FRESH = freshSql('d.xmin::text', ORDS);
const LOCK_DOCUMENT = 'SELECT 1 AS locked FROM documents WHERE id = ? FOR UPDATE';

/** Column types of the history row (the rest are text), for the parameters of commitChange's INSERT … SELECT. */
const HISTORY_TYPES: Record<string, string> = { seq: 'bigint', revision: 'int', undone_seq: 'bigint' };

/**
 * A planned change in one statement: data-modifying CTEs, every one gated on `cas`, the update of the
 * document row that succeeds only while the row is the one the change was planned from (same revision
 * and xmin). All run in one snapshot, committed together; when `cas` matches no row (another server
 * changed the document meanwhile, or deleted it) nothing is written and null is answered. The gate is
 * an uncorrelated EXISTS, evaluated before any row is read, so no row of the document is locked
 * before its document row (as in a transaction that locks the document first): no deadlock.
 */
async function commitChange(once: SqlTx, w: DocumentWrites): Promise<Committed | null> {
  const params: unknown[] = [];
  const text = changeStatement(w, (v, type) => `$${params.push(v)}::${type}`, false);
  return committedOf((await once.raw(text, params)).rows[0]);
}

type Committed = { seq: number; stamp: string | null };

function committedOf(row: unknown): Committed | null {
  const r = row as { stamp: string | null; seq: number | null } | undefined;
  return r && r.seq !== null ? { seq: Number(r.seq), stamp: r.stamp } : null;
}

/**
 * Several planned changes of one document, one after the other, in one round trip: one simple-query
 * message of one statement per change, values written as literals (the extended protocol takes one
 * statement per message). On its own the message is one transaction; inside a transaction, part of
 * it. The first change's gate is commitChange's; each further one's also requires that this
 * transaction wrote the document row last, so when the first finds the document changed by another
 * server, none is written. Answers each change's seq and stamp (null: not written).
 */
async function commitChanges(on: SqlTx, writes: readonly DocumentWrites[], opts: { commit?: boolean } = {}): Promise<(Committed | null)[]> {
  if (writes.length === 1 && !opts.commit) return [await commitChange(on, writes[0]!)];
  const text = writes.map((w, k) => changeStatement(w, (v, type) => `${literal(v)}::${type}`, k > 0)).join(';\n');
  const each = await on.script(text, opts);
  return writes.map((_, k) => committedOf(each[k]?.[0]));
}

/** A value as an SQL literal (strings escaped as node-postgres escapes them; arrays in its array syntax). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'string') return pg.escapeLiteral(v);
  // An array literal: each element quoted (a number too: the cast reads it), " and \ escaped.
  if (Array.isArray(v)) return pg.escapeLiteral(`{${v.map((x) => (x === null || x === undefined ? 'NULL' : `"${String(x).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`);
  throw new Error(`no literal for a ${typeof v}`);
}

/** The statement of commitChange; `p` writes a value of a type (a parameter or a literal). */
function changeStatement(w: DocumentWrites, p: (v: unknown, type: string) => string, chained: boolean): string {
  const doc = p(w.docId, 'text');
  const gate = 'EXISTS (SELECT 1 FROM cas)';
  const ctes = [
    `cas AS (UPDATE documents SET revision = ${p(w.revision, 'int')}, updated_at = ${p(w.at, 'text')}
             WHERE id = ${doc} AND revision = ${p(w.expected.revision, 'int')}${w.expected.stamp === null ? '' : ` AND xmin::text = ${p(w.expected.stamp, 'text')}`}${chained ? ' AND xmin = pg_current_xact_id()::xid' : ''}
             RETURNING xmin::text AS stamp)`,
  ];
  const columns = Object.keys(w.history);
  const values = columns.map((c) => p((w.history as unknown as Record<string, unknown>)[c] ?? null, HISTORY_TYPES[c] ?? 'text'));
  ctes.push(`h AS (INSERT INTO history (${columns.join(', ')}) SELECT ${values.join(', ')} WHERE ${gate} RETURNING seq)`);
  if (w.killRedo !== null) {
    ctes.push(`kr AS (UPDATE history SET undo_state = 'dead', undone_by = NULL, undone_seq = NULL
      WHERE doc_id = ${doc} AND undo_state = 'undone' AND (undone_by = ${p(w.killRedo, 'text')} OR undone_by IS NULL) AND ${gate})`);
  }
  if (w.stepped) {
    const by = w.stepped.undoneBy;
    ctes.push(`us AS (UPDATE history SET undo_state = ${p(w.stepped.state, 'text')}, undone_by = ${p(by, 'text')}, undone_seq = ${by === null ? 'NULL' : '(SELECT seq FROM h)'}
      WHERE seq = ${p(w.stepped.seq, 'bigint')} AND ${gate})`);
  }
  if (w.sentences) {
    // sentenceValues: (doc_id, side, idx, paragraph, text, original, start_offset, end_offset). The
    // rows from `at` are upserted and those past the new end deleted: in one statement a deleted row
    // cannot be inserted again.
    const rows = w.sentences.rows;
    const col = (k: number, type: string) => p(rows.map((r) => r[k] ?? null), type);
    const side = p(w.sentences.side, 'text');
    if (rows.length) {
      ctes.push(`ss AS (INSERT INTO sentences (doc_id, side, idx, paragraph, text, original, start_offset, end_offset)
        SELECT ${doc}, ${side}, u.* FROM unnest(${col(2, 'int[]')}, ${col(3, 'int[]')}, ${col(4, 'text[]')}, ${col(5, 'text[]')}, ${col(6, 'int[]')}, ${col(7, 'int[]')}) AS u
        WHERE ${gate}
        ON CONFLICT (doc_id, side, idx) DO UPDATE SET paragraph = excluded.paragraph, text = excluded.text, original = excluded.original,
          start_offset = excluded.start_offset, end_offset = excluded.end_offset)`);
    }
    ctes.push(`sd AS (DELETE FROM sentences WHERE doc_id = ${doc} AND side = ${side} AND idx >= ${p(w.sentences.at + rows.length, 'int')} AND ${gate})`);
  }
  if (w.versionAnchors.length) {
    ctes.push(`va AS (UPDATE versions v SET anchors = u.anchors FROM unnest(${p(w.versionAnchors.map((x) => x.id), 'text[]')}, ${p(w.versionAnchors.map((x) => x.anchors), 'text[]')}) AS u(id, anchors)
      WHERE v.doc_id = ${doc} AND v.id = u.id AND ${gate})`);
  }
  if (w.deleteBeads.length) ctes.push(`db AS (DELETE FROM beads WHERE doc_id = ${doc} AND id = ANY(${p(w.deleteBeads, 'text[]')}) AND ${gate})`);
  if (w.upsertBeads.length) {
    // beadValues: (doc_id, id, ord, source, target, confidence, status, origin, meta)
    const col = (k: number, type: string) => p(w.upsertBeads.map((r) => r[k] ?? null), type);
    ctes.push(`ub AS (INSERT INTO beads (doc_id, id, ord, source, target, confidence, status, origin, meta)
      SELECT ${doc}, u.* FROM unnest(${col(1, 'text[]')}, ${col(2, 'float8[]')}, ${col(3, 'text[]')}, ${col(4, 'text[]')}, ${col(5, 'float8[]')}, ${col(6, 'text[]')}, ${col(7, 'text[]')}, ${col(8, 'text[]')}) AS u
      WHERE ${gate}
      ON CONFLICT (doc_id, id) DO UPDATE SET ord = excluded.ord, source = excluded.source, target = excluded.target,
        confidence = excluded.confidence, status = excluded.status, origin = excluded.origin, meta = excluded.meta)`);
  }
  if (w.reorderBeads.length) {
    ctes.push(`ob AS (UPDATE beads b SET ord = u.ord FROM unnest(${p(w.reorderBeads.map((r) => r.id), 'text[]')}, ${p(w.reorderBeads.map((r) => r.ord), 'float8[]')}) AS u(id, ord)
      WHERE b.doc_id = ${doc} AND b.id = u.id AND ${gate})`);
  }
  if (w.issues) {
    // issueValues: (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at).
    // The rows of the range are upserted and the others of the range deleted: in one statement a
    // deleted row cannot be inserted again.
    const rows = w.issues.rows;
    const col = (k: number, type: string) => p(rows.map((r) => r[k] ?? null), type);
    const ids = p(rows.map((r) => r[1]), 'text[]');
    if (rows.length) {
      ctes.push(`ui AS (INSERT INTO issues (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at)
        SELECT ${doc}, u.* FROM unnest(${ids}, ${col(2, 'int[]')}, ${col(3, 'text[]')}, ${col(4, 'text[]')}, ${col(5, 'text[]')}, ${col(6, 'text[]')}, ${col(7, 'int[]')}, ${col(8, 'int[]')},
          ${col(9, 'text[]')}, ${col(10, 'text[]')}, ${col(11, 'text[]')}, ${col(12, 'text[]')}, ${col(13, 'text[]')}) AS u
        WHERE ${gate}
        ON CONFLICT (doc_id, id) DO UPDATE SET ord = excluded.ord, bead_id = excluded.bead_id, category = excluded.category, severity = excluded.severity,
          comment = excluded.comment, span_start = excluded.span_start, span_end = excluded.span_end, origin = excluded.origin, check_id = excluded.check_id,
          status = excluded.status, author = excluded.author, created_at = excluded.created_at)`);
    }
    ctes.push(`di AS (DELETE FROM issues WHERE doc_id = ${doc} AND ord >= ${p(w.issues.at, 'int')}${w.issues.until === null ? '' : ` AND ord < ${p(w.issues.until, 'int')}`}
      AND NOT (id = ANY(${ids})) AND ${gate})`);
  }
  if (w.targetTexts.length) {
    ctes.push(`st AS (UPDATE sentences s SET text = u.text FROM unnest(${p(w.targetTexts.map((t) => t.idx), 'int[]')}, ${p(w.targetTexts.map((t) => t.text), 'text[]')}) AS u(idx, text)
      WHERE s.doc_id = ${doc} AND s.side = 'target' AND s.idx = u.idx AND ${gate})`);
  }
  return `WITH ${ctes.join(',\n')} SELECT (SELECT stamp FROM cas) AS stamp, (SELECT seq FROM h) AS seq`;
}

const dialect: Dialect = {
  name: 'postgres',
  documentStamp: 'SELECT revision, updated_at, xmin::text AS stamp FROM documents WHERE id = ?',
  touchDocument: 'UPDATE documents SET revision = ?, updated_at = ? WHERE id = ? AND revision = ? RETURNING xmin::text AS stamp',
  fresh: FRESH,
  async lockedFresh(tx, id, freshParams) {
    // Two statements in one message: the second reads after the first has the lock (each statement
    // of a READ COMMITTED transaction takes its own snapshot).
    const [locked, rows] = await tx.script(`${withLiterals(LOCK_DOCUMENT, [id])};\n${withLiterals(FRESH, freshParams)}`);
    return locked?.length ? (rows as FreshRow[]) : null;
  },
  commitChanges,
  maxHistorySeq: `SELECT GREATEST(COALESCE((SELECT MAX(seq) FROM history), 0), COALESCE(pg_sequence_last_value(${sequenceOf('history', 'seq')}), 0)) AS n`,
  async lockIds(tx, table) {
    // Blocks other inserts into the table (not reads) until this transaction ends.
    await tx.run(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
  },
  async idsInserted(tx, table, column) {
    await tx.get(
      `SELECT setval(${sequenceOf(table, column)}, GREATEST((SELECT MAX(${column}) FROM ${table}), COALESCE(pg_sequence_last_value(${sequenceOf(table, column)}), 1)))`,
    );
  },
  async insertMany(tx, sql, rows) {
    if (!rows.length) return;
    const values = /VALUES\s*(\([?,\s]+\))/i.exec(sql);
    if (!values) throw new Error(`not a one-row INSERT: ${sql.slice(0, 80)}`);
    const head = sql.slice(0, values.index);
    const tail = sql.slice(values.index + values[0].length);
    // At most 65,535 parameters per statement.
    const per = Math.max(1, Math.min(1000, Math.floor(30_000 / rows[0]!.length)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await tx.run(`${head}VALUES ${chunk.map(() => values[1]).join(', ')}${tail}`, chunk.flat());
    }
  },
};

/** COUNT(*) and BIGINT ids as numbers (they stay far below 2^53), like SQLite gives them. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A transaction's connection (or the pool, for statements on their own); `ended`: a script committed it. */
function txOn(client: pg.PoolClient | pg.Pool): SqlTx & { ended: boolean } {
  const tx = {
    ended: false,
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rowCount ?? 0,
    lock: async (name: string) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bitext-review:${name}`]);
    },
    raw: async (text: string, values: readonly unknown[]) => ({ rows: (await client.query(text, values as unknown[])).rows }),
    script: async (text: string, opts: { commit?: boolean } = {}) => {
      const inTransaction = opts.commit === true && !(client instanceof pg.Pool);
      const r = (await client.query(inTransaction ? `${text};\nCOMMIT` : text)) as pg.QueryResult | pg.QueryResult[];
      if (inTransaction) tx.ended = true;
      return (Array.isArray(r) ? r : [r]).map((x) => x.rows as unknown[]);
    },
  };
  return tx;
}

/** A connection's error codes: lock_not_available (lock_timeout), the driver's own failures. */
const LOCK_NOT_AVAILABLE = '55P03';

export class PgDatabase implements SqlDatabase {
  readonly dialect = dialect;
  readonly once: SqlTx;

  constructor(readonly pool: pg.Pool) {
    this.once = txOn(pool);
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn, false) as Promise<T>;
  }

  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: SqlTx) => Promise<T>, opts: WriteOptions): Promise<T | null>;
  write<T>(fn: (tx: SqlTx) => Promise<T>, opts: WriteOptions = {}): Promise<T | null> {
    return this.transaction('BEGIN', fn, opts.noWait ?? false);
  }

  private async transaction<T>(begin: string, fn: (tx: SqlTx) => Promise<T>, noWait: boolean): Promise<T | null> {
    const client = await this.pool.connect();
    // A connection that failed outside SQL (network, a killed backend) is not given back to the pool.
    let broken: Error | undefined;
    try {
      try {
        await client.query(begin);
        if (noWait) await client.query("SET LOCAL lock_timeout = '100ms'");
      } catch (e) {
        broken = e as Error;
        throw e;
      }
      try {
        const tx = txOn(client);
        const result = await fn(tx);
        if (!tx.ended) await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r as Error;
        });
        if (noWait && (e as { code?: string }).code === LOCK_NOT_AVAILABLE) return null;
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  async changeCounter(): Promise<null> {
    return null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Logs a pool error (a connection lost while idle). */
  log?: (line: string) => void;
}

export function pgPool(url: string, opts: PgStoreOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: opts.applicationName ?? 'bitext-review', types: pgTypes });
  pool.on('error', (e) => (opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`database connection lost: ${e.message}`));
  return pool;
}

/** Opens the store in the database at `url`, applying pending migrations first (once, under a lock). */
export async function openPgStore(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
  const pool = pgPool(url, opts);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw e;
  }
  const store = new PgStore(new PgDatabase(pool), url);
  try {
    await store.ready();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

export class PgStore extends SqlStore {
  readonly pool: pg.Pool;

  constructor(db: PgDatabase, url: string) {
    super(db, { kind: 'postgres', url }, new PgLearnt(db.once));
    this.pool = db.pool;
  }

  /** Work done once on open: counts an older learner made are rebuilt. */
  ready(): Promise<void> {
    return this.learnIfOutdated();
  }
}
