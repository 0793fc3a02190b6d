/**
 * bitext-review worker [--database-url URL] [--threads N] [--grace SEC]      (npm run worker)
 * A job worker for a team deployment: takes jobs from the queue in the PostgreSQL store and runs
 * them, each in a thread of its own. Any number of workers, on any machine that reaches the database.
 */
import { QueueWorker, startQueue } from '../server/jobs/queue.js';
import { workerCount } from '../server/jobs/liveness.js';
import { describeLocation, isDatabaseUrl, openStoreAt } from '../server/store/open.js';
import type { Store } from '../server/store/store.js';
import { CliError, isEntry, parseCli, runMain, UsageError, type CliIo, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  name: 'worker',
  description: [
    'Takes jobs from the queue in the PostgreSQL store (imports and alignment, re-aligning, TMX/JSON',
    'imports, large exports and QA reports) and runs them, N at a time, each in a thread; progress and',
    'results go to the store, where every app server sees them. Run any number of workers, on any',
    'machine that reaches the database; app servers with WORKERS=0 run none themselves. A worker that',
    'dies is noticed by the others (no heartbeat for 60 s, or its process gone on the same machine):',
    'its jobs are marked failed with a message and nothing of them is stored.',
    'SIGTERM or SIGINT stops it: it takes no new job, gives the running ones --grace seconds, then',
    'stops them (marked failed: nothing of them is stored).',
  ].join('\n'),
  options: {
    'database-url': { type: 'string', arg: 'URL', help: 'the store (default: $DATABASE_URL)' },
    threads: { type: 'string', arg: 'N', help: 'jobs at once (default: $WORKERS, else the cores less one, at least 1)' },
    grace: { type: 'string', arg: 'SEC', default: '30', help: 'seconds the running jobs get to finish on SIGTERM' },
  },
};

/** Resolves when the process is asked to stop. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function worker(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const url = cli.string('database-url') ?? io.env.DATABASE_URL;
  if (!url) throw new UsageError('a worker takes its jobs from the PostgreSQL store: give --database-url or set DATABASE_URL (with SQLite the server runs its jobs itself)');
  if (!isDatabaseUrl(url)) throw new UsageError('--database-url must be a postgres:// URL');
  const threads = cli.number('threads', { integer: true }) ?? workerCount();
  const grace = Number(cli.string('grace'));
  if (!Number.isFinite(grace) || grace < 0) throw new UsageError('--grace must be a number of seconds ≥ 0');
  const log = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const location = { kind: 'postgres', url } as const;
  let store: Store;
  try {
    store = await openStoreAt(location, { applicationName: 'bitext-review worker' });
  } catch (e) {
    throw new CliError(`cannot open the store at ${describeLocation(location)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const boss = await startQueue(url, log);
  const w = new QueueWorker({ store, boss, threads, log });
  await w.start();
  log(`worker ${w.runner.id} (pid ${process.pid}) on ${describeLocation(location)}: ${threads} thread(s), taking jobs`);
  const signal = await stopSignal();
  log(`${signal}: no new jobs; ${w.busy} running get ${grace} s to finish`);
  await w.close(grace * 1000);
  await boss.stop({ graceful: false, close: true });
  await store.close();
  log('worker stopped');
}

if (isEntry(import.meta.url)) runMain('worker', worker);
