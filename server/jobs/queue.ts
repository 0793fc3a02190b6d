/**
 * Jobs on a queue in PostgreSQL (pg-boss), when the store is there (DATABASE_URL): any number of
 * worker processes on any machine that reaches the database take the jobs; an app server may run
 * workers of its own (WORKERS) or none (WORKERS=0). The same Jobs interface as the in-process runner.
 *
 * - submit (QueueJobs): the job's record and its queue message are written in one transaction
 *   (Store.createJob with `enqueue`), so a job is recorded if and only if it is queued; while it
 *   waits, its runner is the queue (no process's death fails it).
 * - a worker (QueueWorker) takes a message, runs the job in one of its threads (threads.ts, the same
 *   worker.ts as the in-process runner) which starts the record under the worker's runner, beats for
 *   it, and stops a job that was cancelled (the record says so) by terminating its thread.
 * - a worker that dies: its jobs stop beating and are marked failed with a message by the sweep of
 *   any process (liveness.ts); their work was never stored (JobLink). The queue's copy of the message
 *   is not retried (retryLimit 0): the record decides.
 */
import PgBoss from 'pg-boss';
import type { JobRecord } from '../domain.js';
import type { JobLimits, Store } from '../store/store.js';
import { INTERRUPTED_WORKER, keepAlive, newRunner, QUEUE_RUNNER, sweepInterrupted } from './liveness.js';
import { jobLimits, waitForJob } from './runner.js';
import { jobThreads, type JobThreads } from './threads.js';
import { FINAL_STATES, type JobInputs, type JobKind, type JobTask, type Jobs } from './types.js';

export const QUEUE = 'bitext-review-jobs';
/** How often an idle worker asks the queue for a job. */
const POLL_SECONDS = 0.5;
/** How often a worker checks whether one of its running jobs was cancelled. */
const CANCEL_CHECK_MS = 1000;

/**
 * pg-boss's schema for a store: `pgboss`, or `<schema>_pgboss` when the URL sets a search_path (several
 * stores in one database, as the tests make them, each get their own queue).
 */
export function queueSchema(url: string): string {
  let options = '';
  try {
    options = new URL(url).searchParams.get('options') ?? '';
  } catch {
    // not a URL: the default schema
  }
  const schema = /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(options)?.[1];
  return schema ? `${schema}_pgboss` : 'pgboss';
}

/** Starts pg-boss on the store's database (creating its schema and the jobs' queue on first use). */
export async function startQueue(url: string, log: (line: string) => void): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: queueSchema(url), max: 3, application_name: 'bitext-review queue', schedule: false });
  boss.on('error', (e: Error) => log(`job queue: ${e.message}`));
  await boss.start();
  if (!(await boss.getQueue(QUEUE))) {
    try {
      // Jobs may run for hours (a whole corpus); a dead worker is found by the heartbeat, not by expiry.
      await boss.createQueue(QUEUE, { name: QUEUE, policy: 'standard', retryLimit: 0, expireInSeconds: 23 * 3600 });
    } catch (e) {
      // Another server created it at the same moment.
      if (!(await boss.getQueue(QUEUE))) throw e;
    }
  }
  return boss;
}

export interface QueueOptions {
  store: Store;
  boss: PgBoss;
  limits?: Partial<JobLimits>;
  log?: (line: string) => void;
  /** Woken at once when this process sends a job (a worker of this process; others poll). */
  local?: QueueWorker;
}

/** The doors' side: records and queues jobs, answers their state from the store. */
export class QueueJobs implements Jobs {
  /** This process's identity in the sweep (it runs no job itself). */
  readonly runner = newRunner('server');
  readonly limits: JobLimits;
  private readonly log: (line: string) => void;
  private readonly stopTimers: () => void;
  private closed = false;

  constructor(private readonly opts: QueueOptions) {
    this.limits = jobLimits(opts.limits);
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.stopTimers = keepAlive(opts.store, this.runner, () => false, this.log);
  }

  async submit<K extends JobKind>(kind: K, input: JobInputs[K], o: { owner: string; label: string; dedupeKey?: string }): Promise<JobRecord> {
    if (this.closed) throw new Error('the job queue is closed');
    let sent = false;
    const job = await this.opts.store.createJob({ kind, label: o.label, owner: o.owner, runner: QUEUE_RUNNER, dedupeKey: o.dedupeKey ?? null }, this.limits, {
      enqueue: async (record, db) => {
        const task: JobTask<K> = { id: record.id, kind, owner: o.owner, input };
        await this.opts.boss.send(QUEUE, task as object, { db });
        sent = true;
      },
    });
    if (sent) this.opts.local?.notify();
    return job;
  }

  get(id: string): Promise<JobRecord | null> {
    return this.opts.store.getJob(id);
  }

  async cancel(id: string): Promise<JobRecord | null> {
    // A queued job is skipped by the worker that takes it; a running one is stopped by its worker.
    return this.opts.store.cancelJob(id, 'cancelled: nothing was stored');
  }

  wait(id: string, timeoutMs: number): Promise<JobRecord | null> {
    return waitForJob(this.opts.store, id, timeoutMs);
  }

  /** Fails the jobs whose runner is gone (liveness.ts); answers how many. */
  async sweep(): Promise<number> {
    const failed = await sweepInterrupted(this.opts.store, this.runner, () => false);
    if (failed) this.log(`${failed} interrupted job(s) marked failed`);
    return failed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTimers();
  }
}

export interface WorkerOptions {
  store: Store;
  boss: PgBoss;
  /** Jobs run at once, each in a thread (default WORKERS, else the cores less one). */
  threads: number;
  log?: (line: string) => void;
}

/** Takes jobs from the queue and runs them in its threads (`npm run worker`, or inside an app server). */
export class QueueWorker {
  readonly runner = newRunner('worker');
  private readonly pool: JobThreads;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly workerIds: string[] = [];
  private readonly log: (line: string) => void;
  private stopTimers: () => void = () => undefined;
  private cancelCheck: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(private readonly opts: WorkerOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.pool = jobThreads(opts.store.location, opts.threads, this.log);
  }

  /** Starts taking jobs: one queue consumer per thread, so a job waits only while every thread is busy. */
  async start(): Promise<void> {
    this.stopTimers = keepAlive(this.opts.store, this.runner, (id) => this.running.has(id), this.log);
    this.cancelCheck = setInterval(() => void this.stopCancelled().catch(() => undefined), CANCEL_CHECK_MS);
    this.cancelCheck.unref();
    for (let i = 0; i < this.opts.threads; i++) {
      this.workerIds.push(await this.opts.boss.work<JobTask>(QUEUE, { batchSize: 1, pollingIntervalSeconds: POLL_SECONDS }, async ([message]) => this.run(message!.data)));
    }
  }

  /** A job was just sent by this process: ask the queue now instead of at the next poll. */
  notify(): void {
    for (const id of this.workerIds) this.opts.boss.notifyWorker(id);
  }

  /** Jobs running here now. */
  get busy(): number {
    return this.running.size;
  }

  private async run(task: JobTask): Promise<void> {
    const t0 = performance.now();
    // Taken while this worker stops: put back for another worker (the record is still queued).
    if (this.closing) {
      await this.opts.boss.send(QUEUE, task as object);
      return;
    }
    const abort = new AbortController();
    const done = this.pool
      .run({ ...task, runner: this.runner }, { signal: abort.signal })
      .catch(async (e: unknown) => {
        // Aborted (cancelled, or this worker stopping) or the thread died: the job must not stay "running".
        const name = (e as Error).name;
        const message = this.closing ? INTERRUPTED_WORKER : name === 'AbortError' ? 'cancelled: nothing was stored' : 'internal error: the worker stopped (its log says why); nothing was stored';
        if (name !== 'AbortError') this.log(`job ${task.id} (${task.kind}): ${String(e)}`);
        await this.opts.store.finishJob(task.id, { state: 'failed', message }).catch(() => undefined);
      })
      .finally(() => this.running.delete(task.id));
    this.running.set(task.id, { abort, done });
    this.log(`job ${task.id} (${task.kind}) started`);
    const end = await done;
    this.log(`job ${task.id} (${task.kind}) ${end?.state ?? 'stopped'} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  /** A running job cancelled (or failed by a sweep) elsewhere: its thread is stopped. */
  private async stopCancelled(): Promise<void> {
    for (const [id, r] of this.running) {
      const job = await this.opts.store.getJob(id);
      if (!job || FINAL_STATES.has(job.state)) r.abort.abort();
    }
  }

  /**
   * Stops taking jobs; the running ones get `graceMs` to finish, then are stopped (and marked
   * failed with a message: nothing of them is stored).
   */
  async close(graceMs = 0): Promise<void> {
    for (const id of this.workerIds) await this.opts.boss.offWork({ id });
    if (graceMs > 0) await Promise.race([Promise.allSettled([...this.running.values()].map((r) => r.done)), new Promise((r) => setTimeout(r, graceMs))]);
    this.closing = true;
    this.stopTimers();
    if (this.cancelCheck) clearInterval(this.cancelCheck);
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.pool.destroy();
  }
}
