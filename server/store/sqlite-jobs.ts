/**
 * The job records on SQLite (table `jobs`, files in `job_files`). Every method here runs inside the
 * caller's transaction (SqliteStore.write) or is a single statement; SqliteStore puts them behind the
 * Store interface. See server/jobs for what runs the jobs.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JobRecord, JobResult, JobState } from '../domain.js';
import { JobNotRunningError, TooManyJobsError, type JobLimits, type NewJob } from './store.js';

/** Finished jobs (and their files) are kept this long, then removed when a new job is made. */
export const JOB_KEEP_MS = 24 * 60 * 60 * 1000;
/** Files are stored in chunks of this size (streamed back one at a time). */
export const JOB_FILE_CHUNK = 1024 * 1024;

interface JobRow {
  id: string;
  kind: string;
  label: string;
  owner: string;
  state: JobState;
  progress: number;
  message: string;
  result: string | null;
  runner_id: string;
  runner_host: string;
  runner_pid: number;
  dedupe_key: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string;
}

function jobFromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    owner: r.owner,
    state: r.state,
    progress: r.progress,
    message: r.message,
    result: r.result === null ? null : (JSON.parse(r.result) as JobResult),
    runner: { id: r.runner_id, host: r.runner_host, pid: r.runner_pid },
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
  };
}

const ACTIVE = "state IN ('queued', 'running')";

export class SqliteJobs {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      byId: p('SELECT * FROM jobs WHERE id = ?'),
      byKey: p("SELECT * FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running', 'done') ORDER BY created_at DESC LIMIT 1"),
      countOwner: p(`SELECT COUNT(*) FROM jobs WHERE ${ACTIVE} AND owner = ?`).pluck(),
      countAll: p(`SELECT COUNT(*) FROM jobs WHERE ${ACTIVE}`).pluck(),
      insert: p(`INSERT INTO jobs (id, kind, label, owner, state, progress, message, result, runner_id, runner_host, runner_pid, dedupe_key, created_at, heartbeat_at)
                 VALUES (@id, @kind, @label, @owner, 'queued', 0, 'waiting for a worker', NULL, @runner_id, @runner_host, @runner_pid, @dedupe_key, @at, @at)`),
      removeOld: p("DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?"),
      start: p("UPDATE jobs SET state = 'running', started_at = ?, heartbeat_at = ?, message = 'started' WHERE id = ? AND state = 'queued'"),
      update: p("UPDATE jobs SET progress = ?, message = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'"),
      state: p('SELECT state FROM jobs WHERE id = ?').pluck(),
      done: p(`UPDATE jobs SET state = 'done', progress = 1, message = ?, result = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`),
      fail: p(`UPDATE jobs SET state = 'failed', message = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`),
      cancel: p(`UPDATE jobs SET state = 'cancelled', message = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`),
      active: p(`SELECT * FROM jobs WHERE ${ACTIVE} ORDER BY created_at`),
      heartbeat: p(`UPDATE jobs SET heartbeat_at = ? WHERE runner_id = ? AND ${ACTIVE}`),
      insertChunk: p('INSERT INTO job_files (job_id, seq, data) VALUES (?, ?, ?)'),
      chunk: p('SELECT data FROM job_files WHERE job_id = ? AND seq = ?').pluck(),
    };
  }

  /** Inside a write transaction. */
  create(job: NewJob, limits: JobLimits): JobRecord {
    const now = new Date();
    this.s.removeOld.run(new Date(now.getTime() - JOB_KEEP_MS).toISOString());
    if (job.dedupeKey) {
      const same = this.s.byKey.get(job.dedupeKey) as JobRow | undefined;
      if (same) return jobFromRow(same);
    }
    const mine = this.s.countOwner.get(job.owner) as number;
    if (mine >= limits.perOwner) {
      throw new TooManyJobsError(`You have ${mine} jobs queued or running (at most ${limits.perOwner} at a time): wait for one to finish, then try again.`);
    }
    const all = this.s.countAll.get() as number;
    if (all >= limits.total) {
      throw new TooManyJobsError(`The server has ${all} jobs queued or running (at most ${limits.total} at a time): try again in a minute.`);
    }
    const id = `j${randomBytes(8).toString('hex')}`;
    this.s.insert.run({
      id,
      kind: job.kind,
      label: job.label.slice(0, 300),
      owner: job.owner,
      runner_id: job.runner.id,
      runner_host: job.runner.host,
      runner_pid: job.runner.pid,
      dedupe_key: job.dedupeKey ?? null,
      at: now.toISOString(),
    });
    return this.get(id)!;
  }

  get(id: string): JobRecord | null {
    const r = this.s.byId.get(id) as JobRow | undefined;
    return r ? jobFromRow(r) : null;
  }

  start(id: string): boolean {
    const at = new Date().toISOString();
    return this.s.start.run(at, at, id).changes === 1;
  }

  update(id: string, p: { progress: number; message: string }): JobState | null {
    const progress = Number.isFinite(p.progress) ? Math.min(1, Math.max(0, p.progress)) : 0;
    this.s.update.run(progress, p.message.slice(0, 500), new Date().toISOString(), id);
    return (this.s.state.get(id) as JobState | undefined) ?? null;
  }

  /** Inside a write transaction: marks the job done (refused when it is no longer queued or running). */
  finishDone(id: string, result: JobResult, file: readonly Uint8Array[] = []): void {
    const r = this.s.done.run(result.summary ?? 'done', JSON.stringify(result), new Date().toISOString(), id);
    if (r.changes !== 1) throw new JobNotRunningError(`job ${id} is no longer running (${String(this.s.state.get(id) ?? 'removed')})`);
    let seq = 0;
    for (const part of file) {
      for (let at = 0; at < part.byteLength; at += JOB_FILE_CHUNK) {
        this.s.insertChunk.run(id, seq++, Buffer.from(part.buffer, part.byteOffset + at, Math.min(JOB_FILE_CHUNK, part.byteLength - at)));
      }
    }
  }

  fail(id: string, message: string): boolean {
    return this.s.fail.run(message.slice(0, 2000), new Date().toISOString(), id).changes === 1;
  }

  cancel(id: string, message: string): JobRecord | null {
    this.s.cancel.run(message, new Date().toISOString(), id);
    return this.get(id);
  }

  active(): JobRecord[] {
    return (this.s.active.all() as JobRow[]).map(jobFromRow);
  }

  heartbeat(runnerId: string): void {
    this.s.heartbeat.run(new Date().toISOString(), runnerId);
  }

  chunk(id: string, seq: number): Uint8Array | null {
    const data = this.s.chunk.get(id, seq) as Buffer | undefined;
    return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  }
}
