/**
 * Where a store lives and how to open it: a SQLite DATA_DIR (the default), or a PostgreSQL database
 * named by DATABASE_URL (then nothing is kept in DATA_DIR). The server, the CLI, the job workers and
 * the tools all open their store here, so the choice is made in one place.
 */
import { resolve } from 'node:path';
import type { Store, StoreLocation } from './store.js';

export type { StoreLocation } from './store.js';

/** Is this a PostgreSQL connection URL (postgres:// or postgresql://)? */
export function isDatabaseUrl(s: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(s);
}

/**
 * The store to use: `databaseUrl` (a command's --database-url), else DATABASE_URL, selects
 * PostgreSQL; otherwise SQLite in `dataDir` (a command's --data-dir), else DATA_DIR, else ./data.
 */
export function storeLocation(given: { databaseUrl?: string | undefined; dataDir?: string | undefined } = {}, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = given.databaseUrl ?? (given.dataDir === undefined ? env.DATABASE_URL : undefined);
  if (url) {
    if (!isDatabaseUrl(url)) throw new Error(`DATABASE_URL must be a postgres:// URL (got “${url.replace(/\/\/[^@/]*@/, '//…@').slice(0, 60)}”)`);
    return { kind: 'postgres', url };
  }
  return { kind: 'sqlite', dataDir: resolve(given.dataDir ?? env.DATA_DIR ?? 'data') };
}

/** Where the location is, for messages: the folder, or the database without its password. */
export function describeLocation(at: StoreLocation): string {
  if (at.kind === 'sqlite') return at.dataDir;
  try {
    const u = new URL(at.url);
    return `postgres://${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://…';
  }
}

export interface OpenOptions {
  /** PostgreSQL connections this process keeps open (default 10). */
  connections?: number;
  /** Shown in PostgreSQL's pg_stat_activity. */
  applicationName?: string;
}

/**
 * Opens the store, migrating its schema first (PostgreSQL: under an advisory lock, so servers starting
 * together migrate once). Each driver is loaded only when its store is opened (a command that only
 * looks for a store loads neither).
 */
export async function openStoreAt(at: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  if (at.kind === 'sqlite') return (await import('./sqlite.js')).openStore(at.dataDir);
  const { openPgStore } = await import('./postgres.js');
  return openPgStore(at.url, { ...(opts.connections ? { max: opts.connections } : {}), ...(opts.applicationName ? { applicationName: opts.applicationName } : {}) });
}
