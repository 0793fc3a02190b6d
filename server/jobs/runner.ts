/**
 * The in-process job runner: job records in the store, the work on a pool of worker threads
 * (piscina) sized to the cores less one, so the thread that answers requests never does it.
 *
 * - submit: records the job (the limits per reviewer and in all are checked in the same
 *   transaction, so they hold across processes on one store), then queues it on the pool.
 * - cancel: marks the job cancelled in the store and aborts its task (piscina removes a queued task
 *   and terminates the thread of a running one); the work's own transaction refuses a cancelled job.
 * - A sweep (at start, then every SWEEP_MS) fails the jobs whose runner is gone: on this machine a
 *   runner whose process is dead (or whose pid is this process's, from before a restart), elsewhere
 *   one whose heartbeat is older than STALE_MS. A failed job's partial work was never stored.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { JobRecord } from '../domain.js';
import type { JobLimits, Store } from '../store/store.js';
import { FINAL_STATES, type JobInputs, type JobKind, type JobTask, type Jobs } from './types.js';

export interface RunnerOptions {
  /** The store the web process uses (records are read and written through it). */
  store: Store;
  /** Where each worker opens its own store connection (the SQLite DATA_DIR). */
  dataDir: string;
  /** Worker threads (default: WORKERS, else the cores less one, at least 1). */
  workers?: number;
  limits?: Partial<JobLimits>;
  /** Logs sweeps and worker errors (default: stderr). */
  log?: (line: string) => void;
}

export const HEARTBEAT_MS = 10_000;
export const SWEEP_MS = 15_000;
/** A runner on another machine that has not beaten for this long is taken for dead. */
export const STALE_MS = 60_000;
export const INTERRUPTED = 'interrupted: the server process running this job stopped before it finished (a restart?); nothing of it was stored. Submit it again.';

/** Env var → positive integer, else the default. */
function envInt(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/** The limits from JOBS_PER_REVIEWER and JOBS_TOTAL (defaults 4 and 16). */
export function jobLimits(over: Partial<JobLimits> = {}): JobLimits {
  return { perOwner: over.perOwner ?? envInt('JOBS_PER_REVIEWER', 4), total: over.total ?? envInt('JOBS_TOTAL', 16) };
}

/** Worker threads: WORKERS, else the cores less one, at least one. */
export function workerCount(): number {
  return envInt('WORKERS', Math.max(1, availableParallelism() - 1));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class InProcessJobs implements Jobs {
  readonly runner = { id: `r${randomBytes(6).toString('hex')}`, host: hostname(), pid: process.pid };
  readonly limits: JobLimits;
  private pool: Piscina<JobTask, { state: string }> | null = null;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(private readonly opts: RunnerOptions) {
    this.limits = jobLimits(opts.limits);
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    const sweep = setInterval(() => void this.sweep().catch((e: unknown) => this.log(`job sweep failed: ${String(e)}`)), SWEEP_MS);
    const beat = setInterval(() => void this.opts.store.heartbeat(this.runner.id).catch(() => undefined), HEARTBEAT_MS);
    sweep.unref();
    beat.unref();
    this.timers.push(sweep, beat);
  }

  /** The pool, started on the first job (tests that never submit one start no thread). */
  private workers(): Piscina<JobTask, { state: string }> {
    if (!this.pool) {
      const here = import.meta.url;
      const ts = here.endsWith('.ts');
      const threads = this.opts.workers ?? workerCount();
      this.pool = new Piscina<JobTask, { state: string }>({
        filename: fileURLToPath(new URL(ts ? './worker-tsx.mjs' : './worker.js', here)),
        minThreads: 1,
        maxThreads: threads,
        idleTimeout: 60_000,
        workerData: { dataDir: this.opts.dataDir },
      });
      this.pool.on('error', (e: unknown) => this.log(`job worker error: ${String(e)}`));
    }
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

  async wait(id: string, timeoutMs: number): Promise<JobRecord | null> {
    const until = Date.now() + timeoutMs;
    const mine = this.running.get(id);
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const job = await this.get(id);
      if (!job || FINAL_STATES.has(job.state) || Date.now() >= until) return job;
      const left = until - Date.now();
      // A job of this runner: woken when its task settles; else poll (it may run on another process).
      await (mine ? Promise.race([mine.done, sleep(Math.min(left, 1000))]) : sleep(Math.min(pause, left)));
    }
  }

  /** Fails the jobs whose runner is gone (see the module comment); answers how many. */
  async sweep(now = Date.now()): Promise<number> {
    let failed = 0;
    for (const job of await this.opts.store.activeJobs()) {
      const r = job.runner;
      let dead: boolean;
      if (r.id === this.runner.id) dead = !this.running.has(job.id);
      else if (r.host === this.runner.host) dead = r.pid === this.runner.pid || !alive(r.pid);
      else dead = now - Date.parse(job.heartbeatAt) > STALE_MS;
      if (dead && (await this.opts.store.finishJob(job.id, { state: 'failed', message: INTERRUPTED }))) failed++;
    }
    if (failed) this.log(`${failed} interrupted job(s) marked failed`);
    return failed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.pool?.destroy();
    this.pool = null;
  }
}
