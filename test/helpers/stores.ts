/**
 * The store's tests run on both backends: `BACKENDS` lists them (PostgreSQL when the global setup
 * has a server, test/setup/postgres.ts), and `newPlace(backend)` gives a fresh, empty store place
 * per test: a temporary DATA_DIR, or a schema of its own in a database made for this test file
 * (dropped when the file is done). A place can be opened several times (several connections,
 * processes or servers on one store) and queried directly, with `?` placeholders on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, inject } from 'vitest';
import type { StoreLocation } from '../../server/store/open.js';
import { numbered, openPgStore, pgTypes, type PgStore } from '../../server/store/postgres.js';
import { DB_FILE, openStore, type SqliteStore } from '../../server/store/sqlite.js';

export type BackendName = 'sqlite' | 'postgres';

/** The backends this run tests: both, unless TEST_BACKENDS=sqlite left PostgreSQL out. */
export const BACKENDS: BackendName[] = inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

export interface StorePlace {
  backend: BackendName;
  location: StoreLocation;
  /** A DATA_DIR or a database URL (for a child process's command line). */
  address: string;
  open(): Promise<SqliteStore | PgStore>;
  /** SQL on the place's database, outside any store. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  remove(): Promise<void>;
}

// ── PostgreSQL: one database per test file, one schema per place ──

let fileDatabase: Promise<string> | null = null;
let schemas = 0;

function withDatabase(url: string, database: string, schema?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (schema) u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('pgUrl')! });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The test file's database, made on first use and dropped after the file's tests. */
function testDatabase(): Promise<string> {
  if (!fileDatabase) {
    const name = `t_${process.pid}_${Date.now().toString(36)}`;
    fileDatabase = admin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      return name;
    });
    afterAll(async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    });
  }
  return fileDatabase;
}

/** A fresh schema in the test file's database: its URL (search_path set) and the database's. */
export async function newPgSchema(): Promise<{ url: string; schema: string; databaseUrl: string }> {
  const database = await testDatabase();
  const schema = `s${++schemas}_${Math.random().toString(36).slice(2, 8)}`;
  const databaseUrl = withDatabase(inject('pgUrl')!, database);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await c.end();
  }
  return { url: withDatabase(inject('pgUrl')!, database, schema), schema, databaseUrl };
}

export async function newPlace(backend: BackendName): Promise<StorePlace> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'store-place-'));
    let db: Database.Database | null = null;
    const raw = (): Database.Database => {
      db ??= new Database(join(dir, DB_FILE));
      return db;
    };
    return {
      backend,
      location: { kind: 'sqlite', dataDir: dir },
      address: dir,
      open: async () => openStore(dir),
      query: async <T>(sql: string, params: unknown[] = []) => {
        const s = raw().prepare(sql);
        if (s.reader) return s.all(...params) as T[];
        s.run(...params);
        return [];
      },
      exec: async (sql) => {
        raw().exec(sql);
      },
      remove: async () => {
        db?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, schema, databaseUrl } = await newPgSchema();
  let client: pg.Client | null = null;
  const raw = async (): Promise<pg.Client> => {
    if (!client) {
      client = new pg.Client({ connectionString: url, types: pgTypes });
      await client.connect();
    }
    return client;
  };
  return {
    backend,
    location: { kind: 'postgres', url },
    address: url,
    open: () => openPgStore(url, { max: 4 }),
    query: async <T>(sql: string, params: unknown[] = []) => (await (await raw()).query(numbered(sql), params)).rows as T[],
    exec: async (sql) => {
      await (await raw()).query(sql);
    },
    remove: async () => {
      await client?.end();
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A fresh store on `backend` for each test of the enclosing describe: `take` receives the place and
 * the opened store before the test; after it the store the test left (`current`: a test may close and
 * reopen it) is closed and the place removed.
 */
export function storeEachTest(
  backend: BackendName,
  take: (opened: { place: StorePlace; store: SqliteStore | PgStore }) => void,
  current: () => { close(): Promise<void> },
): void {
  let place: StorePlace | null = null;
  beforeEach(async () => {
    place = await newPlace(backend);
    take({ place, store: await place.open() });
  });
  afterEach(async () => {
    await current().close();
    await place?.remove();
    place = null;
  });
}
