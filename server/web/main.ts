/**
 * `npm start`: opens the store in DATA_DIR (default ./data), imports the corpus folders not imported
 * yet, and serves http://HOST:PORT (default 127.0.0.1:3000). The server listens first and imports
 * in the background, so the document list is usable at once; imports appear as they finish.
 * Graceful shutdown on SIGTERM/SIGINT.
 */
import { resolve } from 'node:path';
import { importCorpus, type CorpusImporter } from '../import/index.js';
import { InProcessJobs, type Jobs } from '../jobs/index.js';
import { openStore } from '../store/sqlite.js';
import { createApp, projectRoot } from './app.js';
import type { AppContext } from './context.js';
import { importStarterGlossary } from './controllers/glossaries.js';
import { httpServer } from './security.js';
import type { Store } from '../store/store.js';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** Why the server could not listen, in words the user can act on. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.code === 'EADDRINUSE') return `port ${port} is in use; set PORT`;
  return `cannot listen on ${host}:${port}: ${error.message}`;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(
      'Usage: npm start\n\nServes the review tool. Environment:\n' +
        '  PORT      port (default 3000)\n  HOST      address to bind (default 127.0.0.1)\n' +
        '  DATA_DIR  database folder (default ./data)\n  CORPUS_DIR folders of zh.txt + en.txt imported on first start (default ./corpus)\n' +
        '  IMPORT_MODEL model for the corpus import (default auto)\n' +
        '  WORKERS   job worker threads (default: cores - 1, at least 1)\n' +
        '  JOBS_PER_REVIEWER, JOBS_TOTAL  jobs queued or running at once (default 4 and 16)\n' +
        '  REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS  (default 30000, 10000, 5000)\n',
    );
    return;
  }
  const t0 = performance.now();
  const root = projectRoot();
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);
  const host = process.env.HOST ?? '127.0.0.1';
  const dataDir = resolve(process.env.DATA_DIR ?? 'data');
  const corpusDir = resolve(process.env.CORPUS_DIR ?? resolve(root, 'corpus'));
  let store: Store;
  try {
    store = openStore(dataDir);
  } catch (e) {
    fail(`cannot open the database in ${dataDir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const jobs: Jobs = new InProcessJobs({ store, dataDir });
  // Jobs of a process that stopped (this one before a restart, or a dead one) are marked failed.
  await (jobs as InProcessJobs).sweep();
  const ctx: AppContext = { store, jobs, dataDir, corpusDir };
  const app = createApp(ctx);
  const server = httpServer(app);
  server.listen(port, host, () => {
    const addr = server.address();
    const shown = typeof addr === 'object' && addr ? `http://${addr.address}:${addr.port}` : `${host}:${port}`;
    process.stderr.write(`listening on ${shown} (data: ${dataDir}) after ${Math.round(performance.now() - t0)} ms\n`);
  });
  server.on('error', (e) => fail(listenFailure(e, host, port)));

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: shutting down\n`);
    const exit = (): void => {
      void jobs
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
  await importStarterGlossary(store).catch((e: unknown) => process.stderr.write(`starter glossary not imported: ${e instanceof Error ? e.message : String(e)}\n`));
  // The corpus is aligned by the job workers, one document after the other, off this thread.
  const importer: CorpusImporter = async (input, o) => {
    const job = await jobs.submit('import-texts', { ...input, corpusKey: o.corpusKey }, { owner: o.author, label: `Import of corpus/${o.corpusKey}` });
    const end = await jobs.wait(job.id, 30 * 60_000);
    const id = end?.state === 'done' ? end.result?.documents?.[0]?.id : undefined;
    if (!id) throw new Error(end?.message ?? 'the import job did not finish');
    return id;
  };
  const result = await importCorpus(store, corpusDir, {
    model: process.env.IMPORT_MODEL ?? 'auto',
    log: (line) => process.stderr.write(`${line}\n`),
    importer,
  });
  if (result.imported.length) process.stderr.write(`ready: ${result.imported.length} corpus document(s) imported, ${Math.round(performance.now() - t0)} ms after start\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
