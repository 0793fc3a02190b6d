/**
 * bitext-review store:migrate --from DATA_DIR --to URL      (npm run store:migrate -- …)
 * Moves a SQLite store into an empty PostgreSQL database, then checks, entry by entry, that every
 * document, row, history entry and glossary entry arrived (server/store/transfer.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeLocation, isDatabaseUrl } from '../server/store/open.js';
import { openPgStore, type PgStore } from '../server/store/postgres.js';
import { DB_FILE, openStore } from '../server/store/sqlite.js';
import { compareStores, copyStore } from '../server/store/transfer.js';
import { CliError, isEntry, parseCli, runMain, UsageError, type CliIo, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  name: 'store:migrate',
  description: [
    'Moves the SQLite store in DATA_DIR into an empty PostgreSQL database (a team deployment): every',
    'document with its rows, sentences, issues, versions and whole history (ids, revisions, dates, undo),',
    'every glossary with its entries and history, the documents\' glossary choices and the server key, in',
    'one transaction. Then it compares the two stores entry by entry and says what arrived; exit code 1',
    'if anything differs. Jobs are not moved. Stop the server first (its store must not change meanwhile).',
    '',
    'Example:',
    '  npm run store:migrate -- --from data --to postgres://review@db.example/review',
  ].join('\n'),
  options: {
    from: { type: 'string', arg: 'DATA_DIR', help: 'the SQLite store folder (holding review.sqlite)' },
    to: { type: 'string', arg: 'URL', help: 'the PostgreSQL database, postgres://… (migrated to the schema first; must hold no documents)' },
  },
};

export async function storeMigrate(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = parseCli(spec, argv, io.env);
  const fromArg = cli.string('from');
  const to = cli.string('to');
  if (!fromArg || !to) throw new UsageError('give --from DATA_DIR and --to URL');
  if (!isDatabaseUrl(to)) throw new UsageError('--to must be a postgres:// URL');
  const from = resolve(fromArg);
  if (!existsSync(join(from, DB_FILE))) throw new CliError(`no store in ${from} (no ${DB_FILE} there)`);
  const log = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const source = openStore(from);
  let target: PgStore;
  try {
    target = await openPgStore(to, { max: 2, applicationName: 'bitext-review store:migrate' });
  } catch (e) {
    await source.close();
    throw new CliError(`cannot open ${describeLocation({ kind: 'postgres', url: to })}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    log(`copying ${from} into ${describeLocation(target.location)}`);
    const t0 = performance.now();
    try {
      await copyStore(source, target, (line) => log(`  ${line}`));
    } catch (e) {
      throw new CliError(`nothing was copied: ${e instanceof Error ? e.message : String(e)}`);
    }
    log(`copied in ${((performance.now() - t0) / 1000).toFixed(1)} s; checking entry by entry`);
    const c = await compareStores(source, target);
    io.stdout.write(
      `${c.documents.toLocaleString('en')} documents, ${c.rows.toLocaleString('en')} rows, ${c.historyEntries.toLocaleString('en')} history entries, ` +
        `${c.glossaries.toLocaleString('en')} glossaries with ${c.glossaryEntries.toLocaleString('en')} entries: `,
    );
    if (c.differences.length === 0) {
      io.stdout.write('all arrived, identical in both stores\n');
      return 0;
    }
    io.stdout.write(`${c.differences.length} difference(s):\n${c.differences.map((d) => `  ${d}`).join('\n')}\n`);
    return 1;
  } finally {
    await source.close();
    await target.close();
  }
}

if (isEntry(import.meta.url)) runMain('store:migrate', storeMigrate);
