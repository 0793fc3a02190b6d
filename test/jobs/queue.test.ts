/**
 * Jobs on the PostgreSQL queue (pg-boss): submitted by app servers, run by worker processes
 * (`bitext-review worker`) started in folders of their own, with nothing shared but the database.
 * A job runs once, under its worker's runner; a cancelled job stops its worker's thread; a worker
 * killed with SIGKILL leaves its job failed with a message and nothing stored; the same work asked on
 * two servers is one job. Loopback only; every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type PgBoss from 'pg-boss';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_WORKER } from '../../server/jobs/liveness.js';
import { QueueJobs, startQueue } from '../../server/jobs/queue.js';
import type { ImportTextsInput } from '../../server/jobs/types.js';
import type { Store } from '../../server/store/store.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const quiet = (): void => undefined;

interface Worker {
  child: ChildProcess;
  /** Its runner id, from its first line. */
  runner: string;
  log: () => string;
}

/** A worker process in a temporary folder of its own ("another machine": only the database is shared). */
function startWorker(url: string, threads = 1): Promise<Worker> {
  const cwd = mkdtempSync(join(tmpdir(), 'worker-'));
  // tsx by its path: the worker's folder has no node_modules.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'scripts/worker.ts'), '--database-url', url, '--threads', String(threads), '--grace', '0'], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: join(cwd, 'nothing-here') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.on('exit', () => rmSync(cwd, { recursive: true, force: true }));
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    err += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 30 s: ${err}`)), 30_000);
    const check = (): void => {
      const m = /worker (w[0-9a-f]{12}) .*taking jobs/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, runner: m[1]!, log: () => err });
      }
    };
    child.stderr!.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!/taking jobs/.test(err)) reject(new Error(`worker exited (${code ?? signal}): ${err}`));
    });
  });
}

async function stop(w: Worker, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill(signal);
  await exited;
}

const texts = (name: string, n: number): ImportTextsInput => ({
  name,
  source: Array.from({ length: n }, (_, i) => `Sentence number ${i} is here.`).join(' '),
  target: Array.from({ length: n }, (_, i) => `这是第${i}句。`).join(''),
  sourceLang: 'en',
  targetLang: 'zh',
  model: 'length',
  presplit: false,
  corpusKey: null,
});

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(BACKENDS.filter((b) => b === 'postgres'))('jobs on the queue (%s)', () => {
  let place: StorePlace;
  let store: Store;
  let boss: PgBoss;
  let jobs: QueueJobs;
  const workers: Worker[] = [];
  const docCount = async (): Promise<number> => (await place.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents'))[0]!.n;

  beforeAll(async () => {
    place = await newPlace('postgres');
    store = await place.open();
    boss = await startQueue(place.address, quiet);
    jobs = new QueueJobs({ store, boss, log: quiet, limits: { perOwner: 10, total: 10 } });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await stop(w, 'SIGKILL');
  });
  afterAll(async () => {
    await jobs.close();
    await boss.stop({ graceful: false, close: true });
    await store.close();
    await place.remove();
  });

  it('a job submitted by a server with no workers waits, then runs once in a worker process of its own folder', async () => {
    const sub = await jobs.submit('import-texts', texts('queued', 20), { owner: 'ann', label: 'Import of “queued”' });
    expect(sub).toMatchObject({ state: 'queued', runner: { id: 'queue' } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await jobs.get(sub.id))!.state).toBe('queued');
    const w = await startWorker(place.address);
    workers.push(w);
    const end = await jobs.wait(sub.id, 60_000);
    expect(end).toMatchObject({ state: 'done', progress: 1, runner: { id: w.runner } });
    const doc = await store.getDocument(end!.result!.documents![0]!.id);
    expect(doc.name).toBe('queued');
    expect(doc.beads.length).toBeGreaterThan(0);
    expect((await store.history(doc.id))[0]!.author).toBe('ann');
    // Once: the queue holds no other copy of it.
    expect(await boss.getQueueSize('bitext-review-jobs')).toBe(0);
    expect(w.log()).toMatch(new RegExp(`job ${sub.id} \\(import-texts\\) done after`));
  });

  it('a job the worker cannot do fails with the user\'s message and stores nothing', async () => {
    workers.push(await startWorker(place.address));
    const before = await docCount();
    const sub = await jobs.submit('import-file', { format: 'tmx', base64: Buffer.from('<tmx version="1.1"><header/><body/></tmx>').toString('base64') }, { owner: 'ann', label: 'bad' });
    const end = await jobs.wait(sub.id, 60_000);
    expect(end).toMatchObject({ state: 'failed' });
    expect(end!.message).toMatch(/unsupported TMX version/);
    expect(await docCount()).toBe(before);
  });

  it('cancelling a running job stops its worker\'s thread; no document appears; the worker takes the next job', async () => {
    workers.push(await startWorker(place.address));
    const before = await docCount();
    const sub = await jobs.submit('import-texts', texts('cancel me', 4000), { owner: 'bob', label: 'x' });
    await until('state', async () => (await jobs.get(sub.id))!.state, (s) => s === 'running');
    expect((await jobs.cancel(sub.id))!.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await jobs.get(sub.id))!.state).toBe('cancelled');
    expect(await docCount()).toBe(before);
    const next = await jobs.submit('import-texts', texts('after', 10), { owner: 'bob', label: 'y' });
    expect(await jobs.wait(next.id, 60_000)).toMatchObject({ state: 'done' });
    expect(await docCount()).toBe(before + 1);
  });

  it('a worker killed with SIGKILL: its job is failed with a message, nothing of it stored; another worker goes on', async () => {
    const first = await startWorker(place.address);
    workers.push(first);
    const before = await docCount();
    const sub = await jobs.submit('import-texts', texts('interrupted', 5000), { owner: 'carl', label: 'x' });
    await until('state', async () => (await jobs.get(sub.id))!.state, (s) => s === 'running');
    expect((await jobs.get(sub.id))!.runner.id).toBe(first.runner);
    await stop(first, 'SIGKILL');
    // Any process's sweep finds the runner gone (on this machine: its pid is dead).
    expect(await jobs.sweep()).toBe(1);
    expect(await jobs.get(sub.id)).toMatchObject({ state: 'failed', message: INTERRUPTED_WORKER });
    expect(await docCount()).toBe(before);
    expect((await place.query<{ n: number }>("SELECT COUNT(*) AS n FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.doc_id)"))[0]!.n).toBe(0);
    const second = await startWorker(place.address);
    workers.push(second);
    const next = await jobs.submit('import-texts', texts('next', 10), { owner: 'carl', label: 'y' });
    expect(await jobs.wait(next.id, 60_000)).toMatchObject({ state: 'done', runner: { id: second.runner } });
  });

  it('two servers asking for the same work get one job; the limits count the jobs of every server', async () => {
    const other = new QueueJobs({ store: await place.open(), boss, log: quiet, limits: { perOwner: 2, total: 10 } });
    try {
      const queued = await boss.getQueueSize('bitext-review-jobs');
      const a = await jobs.submit('import-texts', texts('corpus once', 5), { owner: 'srv', label: 'x', dedupeKey: 'corpus:once' });
      const b = await other.submit('import-texts', texts('corpus once', 5), { owner: 'srv', label: 'x', dedupeKey: 'corpus:once' });
      expect(b.id).toBe(a.id);
      expect(await boss.getQueueSize('bitext-review-jobs')).toBe(queued + 1);
      await other.submit('export', { docIds: [], format: 'tsv', options: { qa: false }, fileName: 'x.tsv', multi: false }, { owner: 'dee', label: 'x' });
      await jobs.submit('export', { docIds: [], format: 'tsv', options: { qa: false }, fileName: 'x.tsv', multi: false }, { owner: 'dee', label: 'x' });
      await expect(other.submit('export', { docIds: [], format: 'tsv', options: { qa: false }, fileName: 'x.tsv', multi: false }, { owner: 'dee', label: 'x' })).rejects.toThrow(/at most 2 at a time/);
      for (const j of await store.activeJobs()) await jobs.cancel(j.id);
    } finally {
      await other.close();
    }
  });
});
