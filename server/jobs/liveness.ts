/**
 * Who runs a job, and how the others tell that it died: every process that runs jobs is a runner
 * (an id, its host and pid) and beats in the store every HEARTBEAT_MS; any process holding a Jobs
 * sweeps every SWEEP_MS, failing the active jobs whose runner is gone: on this machine a runner whose
 * process is dead (or whose pid is this process's, from before a restart in a container), elsewhere
 * one that has not beaten for STALE_MS. A failed job's partial work was never stored (JobLink).
 * Jobs waiting in the queue (runner QUEUE_RUNNER) belong to no process and are left alone.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import type { JobRecord } from '../domain.js';
import type { Store } from '../store/store.js';

export type Runner = JobRecord['runner'];

export const HEARTBEAT_MS = 10_000;
export const SWEEP_MS = 15_000;
/** A runner on another machine that has not beaten for this long is taken for dead. */
export const STALE_MS = 60_000;

export const INTERRUPTED = 'interrupted: the server process running this job stopped before it finished (a restart?); nothing of it was stored. Submit it again.';
export const INTERRUPTED_WORKER = 'interrupted: the worker process running this job stopped before it finished; nothing of it was stored. Submit it again.';

/** The runner of a job waiting in the PostgreSQL queue: a worker takes it over when it starts it. */
export const QUEUE_RUNNER: Runner = { id: 'queue', host: '', pid: 0 };

/** A new runner for this process: `r…` for the in-process pool of a server, `w…` for a queue worker. */
export function newRunner(kind: 'server' | 'worker'): Runner {
  return { id: `${kind === 'server' ? 'r' : 'w'}${randomBytes(6).toString('hex')}`, host: hostname(), pid: process.pid };
}

/** Env var → integer ≥ min, else the default. */
export function envInt(name: string, dflt: number, min = 1): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= min ? v : dflt;
}

/** Job threads of a process: WORKERS, else the cores less one, at least one. */
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

/**
 * Fails the active jobs whose runner is gone (see the module comment); `runsHere(id)` says whether a
 * job of this process's runner `me` is still running here. Answers how many were failed.
 */
export async function sweepInterrupted(store: Store, me: Runner, runsHere: (id: string) => boolean, now = Date.now()): Promise<number> {
  let failed = 0;
  for (const job of await store.activeJobs()) {
    const r = job.runner;
    let dead: boolean;
    if (r.id === QUEUE_RUNNER.id) continue;
    if (r.id === me.id) dead = !runsHere(job.id);
    else if (r.host === me.host) dead = r.pid === me.pid || !alive(r.pid);
    else dead = now - Date.parse(job.heartbeatAt) > STALE_MS;
    if (dead && (await store.finishJob(job.id, { state: 'failed', message: r.id.startsWith('w') ? INTERRUPTED_WORKER : INTERRUPTED }))) failed++;
  }
  return failed;
}

/**
 * The timers every process running or holding jobs keeps: the beat of `me` (never waiting for a
 * lock: a beat skipped is taken at the next one) and the sweep. Answers a function that stops them.
 */
export function keepAlive(store: Store, me: Runner, runsHere: (id: string) => boolean, log: (line: string) => void): () => void {
  const sweep = setInterval(() => {
    void sweepInterrupted(store, me, runsHere)
      .then((n) => {
        if (n) log(`${n} interrupted job(s) marked failed`);
      })
      .catch((e: unknown) => log(`job sweep failed: ${String(e)}`));
  }, SWEEP_MS);
  const beat = setInterval(() => void store.heartbeat(me.id).catch(() => undefined), HEARTBEAT_MS);
  sweep.unref();
  beat.unref();
  return () => {
    clearInterval(sweep);
    clearInterval(beat);
  };
}
