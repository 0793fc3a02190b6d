/**
 * The store a command works on, chosen the same way as the server's: --database-url (else
 * DATABASE_URL) selects PostgreSQL, --data-dir (else DATA_DIR, else ./data) SQLite. Commands that
 * read must not leave an empty database behind in a mistyped folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeLocation, openStoreAt, storeLocation, type StoreLocation } from '../server/store/open.js';
import { DB_FILE } from '../server/store/files.js';
import type { Store } from '../server/store/store.js';
import { CliError, UsageError, type OptionSpec, type ParsedCli } from './cli-util.js';

/** The two options every command that opens the store takes. */
export const STORE_OPTIONS: Record<'data-dir' | 'database-url', OptionSpec> = {
  'data-dir': { type: 'string', arg: 'DIR', help: 'SQLite store folder (default: $DATA_DIR or ./data)' },
  'database-url': { type: 'string', arg: 'URL', help: 'PostgreSQL store, postgres://… (default: $DATABASE_URL; takes precedence over DATA_DIR)' },
};

export function cliStoreLocation(cli: ParsedCli, env: NodeJS.ProcessEnv): StoreLocation {
  const databaseUrl = cli.string('database-url');
  const dataDir = cli.string('data-dir');
  if (databaseUrl !== undefined && dataDir !== undefined) throw new UsageError('give --data-dir or --database-url, not both');
  try {
    return storeLocation({ databaseUrl, dataDir }, env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function withStore<T>(at: StoreLocation, fn: (store: Store) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  if (at.kind === 'sqlite' && !opts.create && !existsSync(join(at.dataDir, DB_FILE))) {
    throw new CliError(`no store in ${at.dataDir} (set DATA_DIR or --data-dir, or DATABASE_URL; the server creates it on first start)`);
  }
  let store: Store;
  try {
    store = await openStoreAt(at, { connections: 2, applicationName: 'bitext-review cli' });
  } catch (e) {
    throw new CliError(`cannot open the store in ${describeLocation(at)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
