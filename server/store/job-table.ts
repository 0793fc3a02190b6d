/**
 * The job records (table `jobs`, files in `job_files`), for both databases. Every method runs inside
 * the caller's transaction or is a single statement (`SqlDatabase.once`); SqlStore puts them behind
 * the Store interface. See server/jobs for what runs the jobs.
 */
import { randomBytes } from 'node:crypto';
import type { JobRecord, JobResult, JobState } from '../domain.js';
import { insertRow, type SqlTx } from './sql.js';
import { JobNotRunningError, TooManyJobsError, type JobLimits, type NewJob, type QueueSend } from './store.js';

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

const SQL = {
  byId: 'SELECT * FROM jobs WHERE id = ?',
  byKey: "SELECT * FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running', 'done') ORDER BY created_at DESC LIMIT 1",
  countOwner: `SELECT COUNT(*) AS n FROM jobs WHERE ${ACTIVE} AND owner = ?`,
  countAll: `SELECT COUNT(*) AS n FROM jobs WHERE ${ACTIVE}`,
  removeOld: 'DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?',
  start: "UPDATE jobs SET state = 'running', started_at = ?, heartbeat_at = ?, message = 'started' WHERE id = ? AND state = 'queued'",
  startBy: "UPDATE jobs SET state = 'running', started_at = ?, heartbeat_at = ?, message = 'started', runner_id = ?, runner_host = ?, runner_pid = ? WHERE id = ? AND state = 'queued'",
  update: "UPDATE jobs SET progress = ?, message = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'",
  state: 'SELECT state FROM jobs WHERE id = ?',
  done: `UPDATE jobs SET state = 'done', progress = 1, message = ?, result = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`,
  fail: `UPDATE jobs SET state = 'failed', message = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`,
  cancel: `UPDATE jobs SET state = 'cancelled', message = ?, finished_at = ? WHERE id = ? AND ${ACTIVE}`,
  active: `SELECT * FROM jobs WHERE ${ACTIVE} ORDER BY created_at`,
  heartbeat: `UPDATE jobs SET heartbeat_at = ? WHERE runner_id = ? AND ${ACTIVE}`,
  insertChunk: 'INSERT INTO job_files (job_id, seq, data) VALUES (?, ?, ?)',
  chunk: 'SELECT data FROM job_files WHERE job_id = ? AND seq = ?',
} as const;

export class JobTable {
  /** Inside a write transaction. */
  async create(tx: SqlTx, job: NewJob, limits: JobLimits, enqueue?: QueueSend): Promise<JobRecord> {
    // The limits and the dedupe hold across servers: one job creation at a time.
    await tx.lock('jobs');
    const now = new Date();
    await tx.run(SQL.removeOld, [new Date(now.getTime() - JOB_KEEP_MS).toISOString()]);
    if (job.dedupeKey) {
      const same = await tx.get<JobRow>(SQL.byKey, [job.dedupeKey]);
      if (same) return jobFromRow(same);
    }
    const mine = (await tx.get<{ n: number }>(SQL.countOwner, [job.owner]))!.n;
    if (mine >= limits.perOwner) {
      throw new TooManyJobsError(`You have ${mine} jobs queued or running (at most ${limits.perOwner} at a time): wait for one to finish, then try again.`);
    }
    const all = (await tx.get<{ n: number }>(SQL.countAll))!.n;
    if (all >= limits.total) {
      throw new TooManyJobsError(`The server has ${all} jobs queued or running (at most ${limits.total} at a time): try again in a minute.`);
    }
    const id = `j${randomBytes(8).toString('hex')}`;
    const at = now.toISOString();
    await tx.run(
      ...insertRow('jobs', {
        id,
        kind: job.kind,
        label: job.label.slice(0, 300),
        owner: job.owner,
        state: 'queued',
        progress: 0,
        message: 'waiting for a worker',
        result: null,
        runner_id: job.runner.id,
        runner_host: job.runner.host,
        runner_pid: job.runner.pid,
        dedupe_key: job.dedupeKey ?? null,
        created_at: at,
        heartbeat_at: at,
      }),
    );
    const record = (await this.get(tx, id))!;
    if (enqueue) await enqueue(record, { executeSql: (text, values) => tx.raw(text, values) });
    return record;
  }

  async get(tx: SqlTx, id: string): Promise<JobRecord | null> {
    const r = await tx.get<JobRow>(SQL.byId, [id]);
    return r ? jobFromRow(r) : null;
  }

  async start(tx: SqlTx, id: string, runner?: JobRecord['runner']): Promise<boolean> {
    const at = new Date().toISOString();
    return (runner ? await tx.run(SQL.startBy, [at, at, runner.id, runner.host, runner.pid, id]) : await tx.run(SQL.start, [at, at, id])) === 1;
  }

  async update(tx: SqlTx, id: string, p: { progress: number; message: string }): Promise<JobState | null> {
    const progress = Number.isFinite(p.progress) ? Math.min(1, Math.max(0, p.progress)) : 0;
    await tx.run(SQL.update, [progress, p.message.slice(0, 500), new Date().toISOString(), id]);
    return (await tx.get<{ state: JobState }>(SQL.state, [id]))?.state ?? null;
  }

  /** Inside a write transaction: marks the job done (refused when it is no longer queued or running). */
  async finishDone(tx: SqlTx, id: string, result: JobResult, file: readonly Uint8Array[] = []): Promise<void> {
    const changed = await tx.run(SQL.done, [result.summary ?? 'done', JSON.stringify(result), new Date().toISOString(), id]);
    if (changed !== 1) throw new JobNotRunningError(`job ${id} is no longer running (${(await tx.get<{ state: string }>(SQL.state, [id]))?.state ?? 'removed'})`);
    let seq = 0;
    for (const part of file) {
      for (let at = 0; at < part.byteLength; at += JOB_FILE_CHUNK) {
        await tx.run(SQL.insertChunk, [id, seq++, Buffer.from(part.buffer, part.byteOffset + at, Math.min(JOB_FILE_CHUNK, part.byteLength - at))]);
      }
    }
  }

  async fail(tx: SqlTx, id: string, message: string): Promise<boolean> {
    return (await tx.run(SQL.fail, [message.slice(0, 2000), new Date().toISOString(), id])) === 1;
  }

  async cancel(tx: SqlTx, id: string, message: string): Promise<JobRecord | null> {
    await tx.run(SQL.cancel, [message, new Date().toISOString(), id]);
    return this.get(tx, id);
  }

  async active(tx: SqlTx): Promise<JobRecord[]> {
    return (await tx.all<JobRow>(SQL.active)).map(jobFromRow);
  }

  async heartbeat(tx: SqlTx, runnerId: string): Promise<void> {
    await tx.run(SQL.heartbeat, [new Date().toISOString(), runnerId]);
  }

  async chunk(tx: SqlTx, id: string, seq: number): Promise<Uint8Array | null> {
    const data = (await tx.get<{ data: Buffer }>(SQL.chunk, [id, seq]))?.data;
    return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  }
}
