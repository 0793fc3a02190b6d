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
import type { Dialect, IdTable, SqlDatabase, SqlTx, WriteOptions } from './sql.js';
import { SqlStore } from './sql-store.js';

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

const sequenceOf = (table: IdTable, column: string): string => `pg_get_serial_sequence('${table}', '${column}')::regclass`;

const dialect: Dialect = {
  name: 'postgres',
  documentStamp: (forUpdate) => `SELECT revision, updated_at, xmin::text AS stamp FROM documents WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`,
  touchDocument: 'UPDATE documents SET revision = ?, updated_at = ? WHERE id = ? RETURNING xmin::text AS stamp',
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

function txOn(client: pg.PoolClient | pg.Pool): SqlTx {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rowCount ?? 0,
    lock: async (name: string) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bitext-review:${name}`]);
    },
    raw: async (text: string, values: readonly unknown[]) => ({ rows: (await client.query(text, values as unknown[])).rows }),
  };
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
        const result = await fn(txOn(client));
        await client.query('COMMIT');
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
  return new PgStore(new PgDatabase(pool), url);
}

export class PgStore extends SqlStore {
  readonly pool: pg.Pool;

  constructor(db: PgDatabase, url: string) {
    super(db, { kind: 'postgres', url });
    this.pool = db.pool;
  }
}
