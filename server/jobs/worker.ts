/**
 * A job worker (a piscina worker thread here; the same function can run in a queue worker process):
 * opens its own store connection, starts the job, runs its handler, and records a failure with a
 * message the user can act on. It needs nothing from the web process's memory.
 */
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { workerData } from 'piscina';
import { openStoreAt } from '../store/open.js';
import type { Store, StoreLocation } from '../store/store.js';
import { runHandler } from './handlers.js';
import type { JobContext, JobTask } from './types.js';
import { failureMessage } from './failure.js';

/** Progress is written at most this often (each write is a small transaction). */
const PROGRESS_EVERY_MS = 500;

let store: Promise<Store> | null = null;

/**
 * A job thread yields the CPU to the thread that answers requests: on Linux a thread has its own
 * nice value, so this lowers only the worker thread (JOB_NICE, default 10; 0 keeps it). Elsewhere the
 * call would lower the whole process, so it is not made.
 */
if (!isMainThread && process.platform === 'linux') {
  const nice = Number(process.env.JOB_NICE ?? 10);
  if (Number.isInteger(nice) && nice > 0 && nice <= 19) {
    try {
      setPriority(nice);
    } catch {
      // not permitted: the job runs at the normal priority
    }
  }
}

/** The thread's own store connection (a few connections on PostgreSQL: one job runs at a time here). */
function ownStore(): Promise<Store> {
  const data = workerData as { location?: StoreLocation } | undefined;
  if (!data?.location) throw new Error('job worker started without a store location');
  store ??= openStoreAt(data.location, { connections: 3, applicationName: 'bitext-review job' });
  return store;
}

/** Runs one job to its end; never throws (the outcome is in the store). */
export async function runJob(task: JobTask, given?: Store): Promise<{ state: string }> {
  const s = given ?? (await ownStore());
  if (!(await s.startJob(task.id, task.runner))) return { state: 'not started' }; // cancelled while queued
  const controller = new AbortController();
  let last = 0;
  const ctx: JobContext = {
    id: task.id,
    owner: task.owner,
    store: s,
    signal: controller.signal,
    progress(fraction, message) {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && fraction < 1) return;
      last = now;
      void s.updateJob(task.id, { progress: fraction, message }).then((state) => {
        if (state === 'cancelled' || state === 'failed') controller.abort();
      });
    },
  };
  try {
    await runHandler(task.kind, task.input, ctx);
    const after = await s.getJob(task.id);
    if (after && (after.state === 'running' || after.state === 'queued')) {
      await s.finishJob(task.id, { state: 'failed', message: 'internal error: the job ended without a result' });
    }
    return { state: after?.state ?? 'removed' };
  } catch (e) {
    const { message, internal } = failureMessage(e);
    if (internal) process.stderr.write(`job ${task.id} (${task.kind}) failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    await s.finishJob(task.id, { state: 'failed', message });
    return { state: 'failed' };
  }
}

export default function piscinaTask(task: JobTask): Promise<{ state: string }> {
  return runJob(task);
}
