/**
 * The migration runners: bring a database to the latest schema of MIGRATIONS, each version once,
 * even when several processes (servers, workers) open the same empty database at the same moment.
 * `schema_version` records each version applied and when (the migration history: Store.schema()).
 */
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

const latestOf = (migrations: readonly Pick<Migration, 'version'>[]): number => migrations.reduce((m, x) => Math.max(m, x.version), 0);

function newerThanProgram(current: number, latest: number): Error {
  return new Error(`the database schema (version ${current}) is newer than this program (${latest}); update the program`);
}

/** SQLite: applies pending migrations, each in its own BEGIN IMMEDIATE transaction. Returns the schema version. */
export function migrate(db: Database.Database, migrations: readonly Pick<Migration, 'version' | 'sql'>[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  // Stores made before the migration history said when each version was applied get the column (NULL for those).
  const dated = (): boolean => (db.prepare('PRAGMA table_info(schema_version)').all() as { name: string }[]).some((c) => c.name === 'applied_at');
  if (!dated()) {
    db.transaction(() => {
      if (!dated()) db.exec('ALTER TABLE schema_version ADD COLUMN applied_at TEXT');
    }).immediate();
  }
  const version = (): number => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  const applied = (v: number): boolean => db.prepare('SELECT 1 FROM schema_version WHERE version = ?').get(v) !== undefined;
  const latest = latestOf(migrations);
  const current = version();
  if (current > latest) throw newerThanProgram(current, latest);
  // Every step not applied yet, in order: versions are added on branches at the same time, so a
  // database may hold 8 before it meets 7.
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied(m.version)) continue;
    db.transaction(() => {
      // Read again under the write lock: another process opening the same DATA_DIR at the same time
      // may have applied this migration since (running it twice would fail half-way through startup).
      if (applied(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    }).immediate();
  }
  return version();
}

/** What the PostgreSQL runner needs of a connection (a pg Client: one session, for the advisory lock). */
export interface PgSession {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * PostgreSQL: applies pending migrations, each in its own transaction, holding an advisory lock (per
 * schema) for the whole run: a second server starting at the same time waits, then finds the schema
 * up to date. Returns the schema version.
 */
export async function migratePostgres(session: PgSession, migrations: readonly Pick<Migration, 'version' | 'postgres'>[] = MIGRATIONS): Promise<number> {
  const key = "hashtext(COALESCE(current_schema(), '') || ':bitext-review:migrate')";
  await session.query(`SELECT pg_advisory_lock(${key})`);
  try {
    await session.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT)');
    const version = async (): Promise<number> => Number((await session.query('SELECT MAX(version) AS v FROM schema_version')).rows[0]?.v ?? 0);
    const latest = latestOf(migrations);
    const current = await version();
    if (current > latest) throw newerThanProgram(current, latest);
    const done = new Set((await session.query('SELECT version FROM schema_version')).rows.map((r) => Number(r.version)));
    // Every step not applied yet, in order (the advisory lock is held: no one else applies one meanwhile).
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await session.query('BEGIN');
      try {
        await session.query(m.postgres);
        await session.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [m.version, new Date().toISOString()]);
        await session.query('COMMIT');
      } catch (e) {
        await session.query('ROLLBACK');
        throw e;
      }
    }
    return await version();
  } finally {
    await session.query(`SELECT pg_advisory_unlock(${key})`);
  }
}
