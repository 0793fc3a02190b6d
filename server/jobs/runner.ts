/**
 * The in-process job runner: job records in the store, the work on a pool of worker threads
 * (piscina) sized to the cores less one, so the thread that answers requests never does it.
 *
 * - submit: records the job (the limits per reviewer and in all are checked in the same
 *   transaction, so they hold across processes on one store), then queues it on the pool.
 * - cancel: marks the job cancelled in the store and aborts its task (piscina removes a queued task
 *   and terminates the thread of a running one); the work's own transaction refuses a cancelled job.
 * - A sweep (at start, then every SWEEP_MS) fails the jobs whose runner is gone (liveness.ts). A
 *   failed job's partial work was never stored.
 * With DATABASE_URL the jobs go through a queue instead (queue.ts); the Jobs interface is the same.
 */
import type { JobRecord } from '../domain.js';
import type { JobLimits, Store } from '../store/store.js';
import { envInt, INTERRUPTED, keepAlive, newRunner, sweepInterrupted, workerCount } from './liveness.js';
import { jobThreads, type JobThreads } from './threads.js';
import { FINAL_STATES, type JobInputs, type JobKind, type JobTask, type Jobs } from './types.js';

export interface RunnerOptions {
  /** The store the web process uses (records are read and written through it; each worker thread opens its own connection at its location). */
  store: Store;
  /** Worker threads (default: WORKERS, else the cores less one, at least 1). */
  workers?: number;
  limits?: Partial<JobLimits>;
  /** Logs sweeps and worker errors (default: stderr). */
  log?: (line: string) => void;
}

/** The limits from JOBS_PER_REVIEWER and JOBS_TOTAL (defaults 4 and 16). */
export function jobLimits(over: Partial<JobLimits> = {}): JobLimits {
  return { perOwner: over.perOwner ?? envInt('JOBS_PER_REVIEWER', 4), total: over.total ?? envInt('JOBS_TOTAL', 16) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the store until the job has ended or `timeoutMs` passed; `settled`, when given, wakes it early (a local task ended). */
export async function waitForJob(store: Store, id: string, timeoutMs: number, settled?: Promise<unknown>): Promise<JobRecord | null> {
  const until = Date.now() + timeoutMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const job = await store.getJob(id);
    if (!job || FINAL_STATES.has(job.state) || Date.now() >= until) return job;
    const left = until - Date.now();
    await (settled ? Promise.race([settled, sleep(Math.min(left, 1000))]) : sleep(Math.min(pause, left)));
  }
}

export class InProcessJobs implements Jobs {
  readonly runner = newRunner('server');
  readonly limits: JobLimits;
  private pool: JobThreads | null = null;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly stopTimers: () => void;
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(private readonly opts: RunnerOptions) {
    this.limits = jobLimits(opts.limits);
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.stopTimers = keepAlive(opts.store, this.runner, (id) => this.running.has(id), this.log);
  }

  /** The pool, started on the first job (tests that never submit one start no thread). */
  private workers(): JobThreads {
    this.pool ??= jobThreads(this.opts.store.location, this.opts.workers ?? workerCount(), this.log);
    return this.pool;
  }

  async submit<K extends JobKind>(kind: K, input: JobInputs[K], opts: { owner: string; label: string; dedupeKey?: string }): Promise<JobRecord> {
    if (this.closed) throw new Error('the job runner is closed');
    const job = await this.opts.store.createJob({ kind, label: opts.label, owner: opts.owner, runner: this.runner, dedupeKey: opts.dedupeKey ?? null }, this.limits);
    // A deduplicated job may already run (here or elsewhere), or be done.
    if (job.state !== 'queued' || this.running.has(job.id) || job.runner.id !== this.runner.id) return job;
    const abort = new AbortController();
    const task: JobTask<K> = { id: job.id, kind, owner: opts.owner, input };
    const done = this.workers()
      .run(task, { signal: abort.signal })
      .catch(async (e: unknown) => {
        // Aborted (cancel) or the worker thread died: the job must not stay "running".
        const name = (e as Error).name;
        const message = this.closed ? INTERRUPTED : name === 'AbortError' ? 'cancelled: nothing was stored' : 'internal error: the worker stopped (the server log says why); nothing was stored';
        if (name !== 'AbortError') this.log(`job ${job.id} (${kind}): ${String(e)}`);
        await this.opts.store.finishJob(job.id, { state: 'failed', message }).catch(() => undefined);
      })
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, { abort, done });
    return job;
  }

  get(id: string): Promise<JobRecord | null> {
    return this.opts.store.getJob(id);
  }

  async cancel(id: string): Promise<JobRecord | null> {
    const job = await this.opts.store.cancelJob(id, 'cancelled: nothing was stored');
    this.running.get(id)?.abort.abort();
    return job;
  }

  wait(id: string, timeoutMs: number): Promise<JobRecord | null> {
    // A job of this runner: woken when its task settles; else polled (it may run on another process).
    return waitForJob(this.opts.store, id, timeoutMs, this.running.get(id)?.done);
  }

  /** Fails the jobs whose runner is gone (liveness.ts); answers how many. */
  async sweep(now = Date.now()): Promise<number> {
    const failed = await sweepInterrupted(this.opts.store, this.runner, (id) => this.running.has(id), now);
    if (failed) this.log(`${failed} interrupted job(s) marked failed`);
    return failed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTimers();
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.pool?.destroy();
    this.pool = null;
  }
}
