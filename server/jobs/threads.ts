/**
 * The pool of job threads (piscina) of a process: a server's in-process runner and a queue worker
 * both run each job in one of them, so the process's own thread stays free (requests, heartbeats,
 * the queue). Each thread opens its own store connection at `location`.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { workerFile } from '../bundle.js';
import type { StoreLocation } from '../store/store.js';
import type { JobTask } from './types.js';

export type JobThreads = Piscina<JobTask, { state: string }>;

export function jobThreads(location: StoreLocation, threads: number, log: (line: string) => void): JobThreads {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const pool = new Piscina<JobTask, { state: string }>({
    filename: ts ? fileURLToPath(new URL('./worker-tsx.mjs', here)) : workerFile(here, './worker.js', 'jobs-worker'),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { location },
  });
  pool.on('error', (e: unknown) => log(`job worker error: ${String(e)}`));
  return pool;
}
