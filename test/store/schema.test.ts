/**
 * The two backends' schemas are the same: after every migration, the same tables, columns (type,
 * NOT NULL, default), primary keys, unique keys, foreign keys (with ON DELETE), CHECK constraints
 * and indexes, read back from each database's own catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

interface Column {
  name: string;
  type: 'integer' | 'text' | 'real' | 'blob';
  notNull: boolean;
  default: string | null;
}
interface Table {
  columns: Column[];
  primaryKey: string[];
  /** Unique keys other than the primary key: columns, and the WHERE of a partial one. */
  unique: string[];
  foreignKeys: string[];
  checks: string[];
  /** Indexes made by CREATE INDEX: name and columns. */
  indexes: string[];
}
type Schema = Record<string, Table>;

const SQLITE_TYPES: Record<string, Column['type']> = { INTEGER: 'integer', TEXT: 'text', REAL: 'real', BLOB: 'blob' };
const PG_TYPES: Record<string, Column['type']> = { integer: 'integer', bigint: 'integer', text: 'text', 'double precision': 'real', bytea: 'blob' };

/** `side IN ('source', 'target')` and PostgreSQL's `(side = ANY (ARRAY['source'::text, …]))` both as `side: source|target`. */
function check(column: string, values: string): string {
  const list = [...values.matchAll(/'([^']*)'|(-?\d+)/g)].map((m) => m[1] ?? m[2]);
  return `${column}: ${list.join('|')}`;
}
const noCast = (v: string | null): string | null => (v === null ? null : v.replace(/::[a-z ]+/g, '').replace(/^\((.*)\)$/, '$1'));

async function sqliteSchema(place: StorePlace): Promise<Schema> {
  const q = <T>(sql: string): Promise<T[]> => place.query<T>(sql);
  const tables = await q<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Schema = {};
  for (const t of tables) {
    const info = await q<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`PRAGMA table_info(${t.name})`);
    const fks = await q<{ table: string; from: string; to: string; on_delete: string }>(`PRAGMA foreign_key_list(${t.name})`);
    const indexList = await q<{ name: string; unique: number; origin: string; partial: number }>(`PRAGMA index_list(${t.name})`);
    const unique: string[] = [];
    const indexes: string[] = [];
    for (const ix of indexList) {
      if (ix.origin === 'pk') continue;
      const cols = (await q<{ name: string }>(`PRAGMA index_info(${ix.name})`)).map((c) => c.name).join(',');
      const where = ix.partial ? (await q<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = '${ix.name}'`))[0]!.sql.replace(/.*WHERE\s+/i, '') : '';
      if (ix.unique) unique.push(`${cols}${where ? ` WHERE ${where}` : ''}`);
      else indexes.push(`${ix.name}(${cols})`);
    }
    out[t.name] = {
      columns: info.map((c) => ({ name: c.name, type: SQLITE_TYPES[c.type]!, notNull: c.notnull === 1 || c.pk > 0, default: c.dflt_value })),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      unique: unique.sort(),
      foreignKeys: fks.map((f) => `${f.from} → ${f.table}(${f.to}) ON DELETE ${f.on_delete}`).sort(),
      checks: [
        ...[...t.sql.matchAll(/CHECK \((\w+) IN \(([^)]*)\)\)/g)].map((m) => check(m[1]!, m[2]!)),
        ...[...t.sql.matchAll(/CHECK \((\w+) ([<>]=?) (-?\d+)\)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`),
      ].sort(),
      indexes: indexes.sort(),
    };
  }
  return out;
}

async function postgresSchema(place: StorePlace): Promise<Schema> {
  const q = <T>(sql: string, params: unknown[] = []): Promise<T[]> => place.query<T>(sql, params);
  const tables = await q<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1");
  const out: Schema = {};
  for (const { name } of tables) {
    const cols = await q<{ name: string; type: string; nullable: string; dflt: string | null }>(
      'SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS dflt FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position',
      [name],
    );
    const constraints = await q<{ kind: string; def: string; name: string }>(
      "SELECT contype AS kind, pg_get_constraintdef(c.oid) AS def, conname AS name FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relname = ? AND r.relnamespace = current_schema()::regnamespace",
      [name],
    );
    const idx = await q<{ name: string; def: string; unique: boolean; constraint: boolean }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, x.indisunique AS unique, EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) AS constraint
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class r ON r.oid = x.indrelid
       WHERE r.relname = ? AND r.relnamespace = current_schema()::regnamespace`,
      [name],
    );
    const columnsOf = (def: string): string => /\(([^)]*)\)/.exec(def)![1]!.split(',').map((c) => c.trim().replace(/^"|"$/g, '')).join(',');
    const pk = constraints.find((c) => c.kind === 'p');
    const unique: string[] = [];
    const indexes: string[] = [];
    for (const i of idx) {
      if (pk && i.name === pk.name) continue;
      const where = /WHERE \((.*)\)$/.exec(i.def)?.[1]?.replace(/^\((.*)\)$/, '$1');
      if (i.unique) unique.push(`${columnsOf(i.def.replace(/.* USING \w+ /, ''))}${where ? ` WHERE ${where}` : ''}`);
      else indexes.push(`${i.name}(${columnsOf(i.def.replace(/.* USING \w+ /, ''))})`);
    }
    out[name] = {
      columns: cols.map((c) => ({ name: c.name, type: PG_TYPES[c.type]!, notNull: c.nullable === 'NO', default: noCast(c.dflt) })),
      primaryKey: pk ? columnsOf(pk.def).split(',') : [],
      unique: unique.sort(),
      foreignKeys: constraints
        .filter((c) => c.kind === 'f')
        .map((c) => {
          const m = /FOREIGN KEY \((\w+)\) REFERENCES (\w+)\((\w+)\)(?: ON DELETE (\w+))?/.exec(c.def)!;
          return `${m[1]} → ${m[2]}(${m[3]}) ON DELETE ${m[4] ?? 'NO ACTION'}`;
        })
        .sort(),
      checks: constraints
        .filter((c) => c.kind === 'c')
        .map((c) => {
          const cmp = /^CHECK \(\((\w+) ([<>]=?) (-?\d+)\)\)$/.exec(c.def);
          if (cmp) return `${cmp[1]} ${cmp[2]} ${cmp[3]}`;
          const m = /CHECK \(\(?(\w+) = ANY \(ARRAY\[(.*)\]\)\)?\)/.exec(c.def)!;
          return check(m[1]!, m[2]!);
        })
        .sort(),
      indexes: indexes.sort(),
    };
  }
  return out;
}

describe.each(BACKENDS.filter((b) => b === 'postgres'))('the schema on SQLite and on %s', () => {
  const places: StorePlace[] = [];
  let sqlite: Schema;
  let postgres: Schema;
  beforeAll(async () => {
    for (const backend of ['sqlite', 'postgres'] as const) {
      const place = await newPlace(backend);
      places.push(place);
      await (await place.open()).close();
    }
    sqlite = await sqliteSchema(places[0]!);
    postgres = await postgresSchema(places[1]!);
  });
  afterAll(async () => {
    for (const p of places) await p.remove();
  });

  it('has the same tables', () => {
    expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite)).toContain('server_keys');
    expect(Object.keys(sqlite).length).toBeGreaterThanOrEqual(15);
  });

  it('has the same columns, keys, constraints and indexes in every table', () => {
    for (const name of Object.keys(sqlite)) {
      expect({ table: name, ...postgres[name] }).toEqual({ table: name, ...sqlite[name] });
    }
  });

  it('is at the latest migration on both', async () => {
    for (const p of places) expect((await p.query<{ v: number }>('SELECT MAX(version) AS v FROM schema_version'))[0]!.v).toBe(MIGRATIONS.at(-1)!.version);
  });
});
