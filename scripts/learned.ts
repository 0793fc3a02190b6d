/**
 * The learnt table for the CLI (`align`, `eval`, `export --src/--tgt`): the store in --data-dir DIR
 * ($DATA_DIR, else ./data) when one exists there, all documents' confirmed rows or one project's;
 * `--no-learned` ignores it. The store is opened once per process (per thread in a batch), read only
 * for the words of each text, and the driver is not even loaded when there is no store.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CountsLexicon, scopedReader, type LearnedUse } from '../server/learn/lexicon.js';
import type { LearntScope } from '../server/learn/teach.js';
import { DB_FILE } from '../server/store/files.js';
import { describeLocation, isDatabaseUrl } from '../server/store/open.js';
import type { Store } from '../server/store/store.js';
import { UsageError, type OptionSpec, type ParsedCli } from './cli-util.js';

/** Where the table is read: a plain object, so a batch hands it to its worker threads. */
export interface LearnedFrom {
  /** The SQLite store folder, or the PostgreSQL database (postgres://…). */
  dataDir: string;
  /** One project's documents only (absent: all documents). */
  project?: string;
}

export const LEARNED_OPTIONS: Record<string, OptionSpec> = {
  'database-url': { type: 'string', arg: 'URL', help: 'read the learnt table of this PostgreSQL store instead (default: $DATABASE_URL when no --data-dir is given)' },
  'no-learned': { type: 'boolean', help: 'ignore the table learnt from confirmed rows (the store in --data-dir)' },
  project: { type: 'string', arg: 'NAME', help: "learn only from the confirmed rows of this project's documents (default: all documents)" },
};

/** The store folder a command reads: --data-dir, else $DATA_DIR, else ./data. */
export function storeDir(cli: ParsedCli, env: NodeJS.ProcessEnv): string {
  return resolve(cli.string('data-dir') ?? env.DATA_DIR ?? 'data');
}

/** Where to read the learnt table, or undefined (--no-learned, or no store in the folder). */
export function learnedFrom(cli: ParsedCli, env: NodeJS.ProcessEnv): LearnedFrom | undefined {
  const project = cli.string('project');
  if (cli.flag('no-learned')) {
    if (project !== undefined) throw new UsageError('--project chooses the learnt table: it does not go with --no-learned');
    return undefined;
  }
  const scoped = (at: string): LearnedFrom => ({ dataDir: at, ...(project !== undefined ? { project: project.trim() } : {}) });
  const url = cli.string('database-url') ?? (cli.string('data-dir') === undefined ? env.DATABASE_URL || undefined : undefined);
  if (url !== undefined) {
    if (cli.string('data-dir') !== undefined) throw new UsageError('give --data-dir or --database-url, not both');
    if (!isDatabaseUrl(url)) throw new UsageError('--database-url must be a postgres:// URL');
    return scoped(url);
  }
  const dataDir = storeDir(cli, env);
  if (!existsSync(join(dataDir, DB_FILE))) {
    if (project !== undefined) throw new UsageError(`--project: there is no store in ${dataDir} (set --data-dir or DATA_DIR)`);
    return undefined;
  }
  return scoped(dataDir);
}

const stores = new Map<string, Promise<Store>>();
const lexicons = new Map<string, CountsLexicon>();

/** The table of `from` as the aligner reads it (zh–en), the store opened on first use. */
export function learnedLexicon(from: LearnedFrom): CountsLexicon {
  const key = `${from.dataDir}\u0000${from.project ?? '\u0001'}`;
  let lex = lexicons.get(key);
  if (!lex) {
    const scope: LearntScope = from.project !== undefined ? { langs: 'zh-en', project: from.project } : { langs: 'zh-en' };
    lex = new CountsLexicon(scopedReader(() => storeIn(from.dataDir), scope));
    lexicons.set(key, lex);
  }
  return lex;
}

function storeIn(dir: string): Promise<Store> {
  let s = stores.get(dir);
  if (!s) {
    // Loaded on demand: no driver for a command that finds no store.
    s = isDatabaseUrl(dir)
      ? import('../server/store/postgres.js').then((m) => m.openPgStore(dir, { max: 2, applicationName: 'bitext-review cli' }))
      : import('../server/store/sqlite.js').then((m) => m.openStore(dir));
    stores.set(dir, s);
  }
  return s;
}

/** Closes the stores opened for the learnt table. */
export async function closeLearned(): Promise<void> {
  const open = [...stores.values()];
  stores.clear();
  lexicons.clear();
  for (const s of open) await (await s).close();
}

/** The folder, or the database without its password. */
const where = (from: LearnedFrom): string => (isDatabaseUrl(from.dataDir) ? describeLocation({ kind: 'postgres', url: from.dataDir }) : from.dataDir);
const scopeName = (from: LearnedFrom): string => (from.project !== undefined ? `project "${from.project}"` : 'all documents');
/** 12345 → "12,345" (not toLocaleString: its first call loads locale data, some 30 ms of an align call). */
const n = (x: number): string => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Which table: "learnt table: DIR (all documents)". */
export function describeSource(from: LearnedFrom): string {
  return `learnt table: ${where(from)} (${scopeName(from)})`;
}

/** One line for stderr: which table, how many confirmed rows it learnt from, what the text(s) used of it. */
export function describeLearned(from: LearnedFrom, use: LearnedUse | null): string {
  if (!use) return `${describeSource(from)}: not used (not a zh–en text, or not the dictionary model)`;
  return `learnt table: ${n(use.rows)} confirmed rows (${scopeName(from)}, ${where(from)}); ${n(use.pairs)} learnt pairs used for ${n(use.words)} words`;
}
