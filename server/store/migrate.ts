/** The migration runner: brings a database to the latest schema of MIGRATIONS, once per version. */
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

/** Applies pending migrations, each in its own transaction. Returns the schema version. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const version = (): number => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  const applied = (v: number): boolean => db.prepare('SELECT 1 FROM schema_version WHERE version = ?').get(v) !== undefined;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  const current = version();
  if (current > latest) throw new Error(`the database schema (version ${current}) is newer than this program (${latest}); update the program`);
  // Every step not applied yet, in order: versions are added on branches at the same time, so a
  // database may hold 7 before it meets 6.
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied(m.version)) continue;
    db.transaction(() => {
      // Read again under the write lock: another process opening the same DATA_DIR at the same time
      // may have applied this migration since (running it twice would fail half-way through startup).
      if (applied(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
    }).immediate();
  }
  return version();
}
