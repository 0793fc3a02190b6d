/**
 * `npm start`: opens the store (SQLite in DATA_DIR, default ./data; or PostgreSQL at DATABASE_URL),
 * imports the corpus folders not imported yet, and serves http://HOST:PORT (default 127.0.0.1:3000).
 * The server listens first and imports in the background, so the document list is usable at once;
 * imports appear as they finish. Graceful shutdown on SIGTERM/SIGINT.
 *
 * Jobs: on SQLite a pool of worker threads in this process; on PostgreSQL a queue in the database
 * (server/jobs/queue.ts), taken by this server's own workers (WORKERS, 0 for none) and by any
 * `npm run worker` process that reaches the database.
 */
import { resolve } from 'node:path';
import { importCorpus, type CorpusImporter } from '../import/index.js';
import { InProcessJobs, workerCount, type Jobs } from '../jobs/index.js';
import { describeLocation, openStoreAt, storeLocation } from '../store/open.js';
import type { Store } from '../store/store.js';
import { createApp, projectRoot } from './app.js';
import type { AppContext } from './context.js';
import { importStarterGlossary } from './controllers/glossaries.js';
import { httpServer, serverKey } from './security.js';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** Why the server could not listen, in words the user can act on. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.code === 'EADDRINUSE') return `port ${port} is in use; set PORT`;
  return `cannot listen on ${host}:${port}: ${error.message}`;
}

const HELP = `Usage: npm start

Serves the review tool. Environment:
  PORT          port (default 3000)
  HOST          address to bind (default 127.0.0.1)
  DATA_DIR      SQLite database folder (default ./data)
  DATABASE_URL  postgres://user:password@host:5432/db: the store in PostgreSQL instead (several app
                servers and job workers share it; see README, Team deployment)
  SECRET_KEY    the key that signs CSRF tokens (at least 32 characters; default: one kept in the store)
  CORPUS_DIR    folders of zh.txt + en.txt imported on first start (default ./corpus)
  IMPORT_MODEL  model for the corpus import (default auto)
  WORKERS       job worker threads (default: cores - 1, at least 1; with DATABASE_URL 0 = none here,
                the jobs are done by \`npm run worker\` processes)
  JOBS_PER_REVIEWER, JOBS_TOTAL  jobs queued or running at once (default 4 and 16)
  REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS  (default 30000, 10000, 5000)
`;

/** The jobs of this server: in-process threads on SQLite; the queue (and WORKERS local workers) on PostgreSQL. */
async function startJobs(store: Store, log: (line: string) => void): Promise<{ jobs: Jobs; sweep: () => Promise<number>; close: () => Promise<void> }> {
  if (store.location.kind === 'sqlite') {
    const jobs = new InProcessJobs({ store });
    return { jobs, sweep: () => jobs.sweep(), close: () => jobs.close() };
  }
  const { QueueJobs, QueueWorker, startQueue } = await import('../jobs/queue.js');
  const boss = await startQueue(store.location.url, log);
  const threads = process.env.WORKERS === '0' ? 0 : workerCount();
  const worker = threads > 0 ? new QueueWorker({ store, boss, threads, log }) : null;
  await worker?.start();
  const jobs = new QueueJobs({ store, boss, log, ...(worker ? { local: worker } : {}) });
  log(threads > 0 ? `job queue: ${threads} worker thread(s) in this server` : 'job queue: no workers in this server (WORKERS=0): jobs wait for `npm run worker`');
  return {
    jobs,
    sweep: () => jobs.sweep(),
    close: async () => {
      await jobs.close();
      await worker?.close();
      await boss.stop({ graceful: false, close: true });
    },
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const t0 = performance.now();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const root = projectRoot();
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);
  const host = process.env.HOST ?? '127.0.0.1';
  const corpusDir = resolve(process.env.CORPUS_DIR ?? resolve(root, 'corpus'));
  let store: Store;
  let where = '';
  try {
    const location = storeLocation();
    where = describeLocation(location);
    store = await openStoreAt(location);
  } catch (e) {
    fail(`cannot open the store${where ? ` in ${where}` : ''}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await serverKey(store);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  let running: Awaited<ReturnType<typeof startJobs>>;
  try {
    running = await startJobs(store, log);
  } catch (e) {
    fail(`cannot start the job queue: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { jobs } = running;
  // Jobs of a process that stopped (this one before a restart, or a dead one) are marked failed.
  await running.sweep();
  const ctx: AppContext = { store, jobs, corpusDir };
  const app = createApp(ctx);
  const server = httpServer(app);
  server.listen(port, host, () => {
    const addr = server.address();
    const shown = typeof addr === 'object' && addr ? `http://${addr.address}:${addr.port}` : `${host}:${port}`;
    log(`listening on ${shown} (data: ${where}) after ${Math.round(performance.now() - t0)} ms`);
  });
  server.on('error', (e) => fail(listenFailure(e, host, port)));

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
    const exit = (): void => {
      void running
        .close()
        .then(() => store.close())
        .finally(() => process.exit(0));
    };
    server.close(exit);
    server.closeAllConnections();
    // Do not hang on a stuck connection.
    setTimeout(exit, 3000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // The starter glossary (the QA config's glossary file), once per store.
  await importStarterGlossary(store).catch((e: unknown) => log(`starter glossary not imported: ${e instanceof Error ? e.message : String(e)}`));
  // The corpus is aligned by the job workers, one document after the other, off this thread. Several
  // servers starting at once ask for the same job (same dedupe key): each folder is aligned once.
  const importer: CorpusImporter = async (input, o) => {
    const job = await jobs.submit('import-texts', { ...input, corpusKey: o.corpusKey }, { owner: o.author, label: `Import of corpus/${o.corpusKey}`, dedupeKey: `corpus:${o.corpusKey}` });
    const end = await jobs.wait(job.id, 30 * 60_000);
    const id = end?.state === 'done' ? end.result?.documents?.[0]?.id : undefined;
    if (!id) throw new Error(end?.message ?? 'the import job did not finish');
    return id;
  };
  const result = await importCorpus(store, corpusDir, { model: process.env.IMPORT_MODEL ?? 'auto', log, importer });
  if (result.imported.length) log(`ready: ${result.imported.length} corpus document(s) imported, ${Math.round(performance.now() - t0)} ms after start`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
