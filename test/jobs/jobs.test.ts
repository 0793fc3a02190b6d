/**
 * Jobs: records in the store (state, progress, result, limits, dedupe, files), the in-process
 * runner (worker threads, cancel, the sweep that fails interrupted jobs) and the HTTP side (202 and
 * the job URL, Prefer: wait, 429, the job page). Work that ends without finishing never leaves a
 * document behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDocument } from '../../server/review/index.js';
import { InProcessJobs, INTERRUPTED } from '../../server/jobs/index.js';
import { runJob } from '../../server/jobs/worker.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { JobNotRunningError, TooManyJobsError } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';

let dir: string;
let store: SqliteStore;
const me = { id: 'rtest', host: hostname(), pid: process.pid };
const limits = { perOwner: 2, total: 3 };
const docCount = async (): Promise<number> => (store.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-test-'));
  store = openStore(dir);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('job records in the store', () => {
  it('queued → running → done with a document written in the same transaction', async () => {
    const job = await store.createJob({ kind: 'import-texts', label: 'Import of “x”', owner: 'ann', runner: me }, limits);
    expect(job).toMatchObject({ state: 'queued', progress: 0, owner: 'ann', label: 'Import of “x”', result: null });
    expect(await store.startJob(job.id)).toBe(true);
    expect(await store.startJob(job.id)).toBe(false);
    expect(await store.updateJob(job.id, { progress: 0.5, message: 'aligning' })).toBe('running');
    expect(await store.getJob(job.id)).toMatchObject({ progress: 0.5, message: 'aligning' });
    const id = await store.createDocument(syntheticDocument(3), { author: 'ann', job: job.id });
    const done = (await store.getJob(job.id))!;
    expect(done.state).toBe('done');
    expect(done.progress).toBe(1);
    expect(done.result?.documents).toEqual([{ id, name: expect.any(String), beads: 3, revision: 0 }]);
    expect(done.finishedAt).not.toBeNull();
  });

  it('a cancelled job cannot finish: its document is refused and nothing is stored', async () => {
    const job = await store.createJob({ kind: 'import-texts', label: 'x', owner: 'bob', runner: me }, limits);
    await store.startJob(job.id);
    expect((await store.cancelJob(job.id, 'cancelled: nothing was stored'))!.state).toBe('cancelled');
    const before = await docCount();
    await expect(store.createDocument(syntheticDocument(3), { author: 'bob', job: job.id })).rejects.toThrow(JobNotRunningError);
    await expect(store.storeDocuments([{ kind: 'new', doc: syntheticDocument(2) }, { kind: 'new', doc: syntheticDocument(2) }], { author: 'bob', job: job.id })).rejects.toThrow(JobNotRunningError);
    expect(await docCount()).toBe(before);
    expect(await store.finishJob(job.id, { state: 'failed', message: 'late' })).toBe(false);
    expect((await store.getJob(job.id))!.state).toBe('cancelled');
  });

  it('limits jobs per owner and in all (TooManyJobsError), and a dedupe key answers the same job', async () => {
    const a1 = await store.createJob({ kind: 'export', label: 'x', owner: 'carol', runner: me }, limits);
    await store.createJob({ kind: 'export', label: 'x', owner: 'carol', runner: me }, limits);
    await expect(store.createJob({ kind: 'export', label: 'x', owner: 'carol', runner: me }, limits)).rejects.toThrow(TooManyJobsError);
    await store.createJob({ kind: 'export', label: 'x', owner: 'dave', runner: me }, limits);
    await expect(store.createJob({ kind: 'export', label: 'x', owner: 'erin', runner: me }, limits)).rejects.toThrow(/server has 3 jobs/);
    for (const j of await store.activeJobs()) await store.cancelJob(j.id, 'test');
    const k1 = await store.createJob({ kind: 'export', label: 'x', owner: 'carol', runner: me, dedupeKey: 'k' }, limits);
    const k2 = await store.createJob({ kind: 'export', label: 'x', owner: 'dave', runner: me, dedupeKey: 'k' }, limits);
    expect(k2.id).toBe(k1.id);
    expect(a1.id).not.toBe(k1.id);
    await store.cancelJob(k1.id, 'test');
    const k3 = await store.createJob({ kind: 'export', label: 'x', owner: 'carol', runner: me, dedupeKey: 'k' }, limits);
    expect(k3.id).not.toBe(k1.id); // a cancelled job is not reused
    await store.cancelJob(k3.id, 'test');
  });

  it('keeps a finished job\'s file in chunks, read back in order', async () => {
    const job = await store.createJob({ kind: 'export', label: 'x', owner: 'f', runner: me }, limits);
    await store.startJob(job.id);
    const big = Buffer.alloc(2.5 * 1024 * 1024, 0x61);
    expect(await store.finishJob(job.id, { state: 'done', result: { file: { name: 'a.txt', contentType: 'text/plain', bytes: big.length + 3 } }, file: [big, Buffer.from('end')] })).toBe(true);
    const parts: Uint8Array[] = [];
    for (let seq = 0; ; seq++) {
      const c = await store.jobFileChunk(job.id, seq);
      if (!c) break;
      parts.push(c);
    }
    expect(parts.length).toBe(4);
    expect(Buffer.concat(parts).equals(Buffer.concat([big, Buffer.from('end')]))).toBe(true);
  });
});

describe('the in-process runner', () => {
  it('runs a job in a worker thread with its own store connection, reporting progress, and stores the result', async () => {
    const jobs = new InProcessJobs({ store, workers: 1, log: () => undefined });
    try {
      const sub = await jobs.submit(
        'import-texts',
        { name: 'threaded', source: 'One. Two. Three.', target: '一。二。三。', sourceLang: 'en', targetLang: 'zh', model: 'length', presplit: false, corpusKey: null },
        { owner: 'ann', label: 'Import of “threaded”' },
      );
      const end = await jobs.wait(sub.id, 30_000);
      expect(end).toMatchObject({ state: 'done', progress: 1 });
      const doc = await store.getDocument(end!.result!.documents![0]!.id);
      expect(doc.name).toBe('threaded');
      expect((await store.history(doc.id))[0]!.author).toBe('ann');
    } finally {
      await jobs.close();
    }
  });

  it('a job the worker cannot do fails with the user\'s message and stores nothing', async () => {
    const jobs = new InProcessJobs({ store, workers: 1, log: () => undefined });
    try {
      const before = await docCount();
      const sub = await jobs.submit('import-file', { format: 'tmx', base64: Buffer.from('<tmx version="1.1"><header/><body/></tmx>').toString('base64') }, { owner: 'ann', label: 'bad' });
      const end = await jobs.wait(sub.id, 30_000);
      expect(end).toMatchObject({ state: 'failed' });
      expect(end!.message).toMatch(/unsupported TMX version/);
      expect(await docCount()).toBe(before);
    } finally {
      await jobs.close();
    }
  });

  it('cancels a running job: its thread stops and no document appears', async () => {
    const jobs = new InProcessJobs({ store, workers: 1, log: () => undefined });
    try {
      const before = await docCount();
      // Long enough to be caught running: 4,000 sentences a side.
      const en = Array.from({ length: 4000 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
      const zh = Array.from({ length: 4000 }, (_, i) => `这是第${i}句。`).join('');
      const sub = await jobs.submit('import-texts', { name: 'cancel me', source: en, target: zh, sourceLang: 'en', targetLang: 'zh', model: 'length', presplit: false, corpusKey: null }, { owner: 'ann', label: 'x' });
      for (let i = 0; i < 300 && (await jobs.get(sub.id))!.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 20));
      const cancelled = await jobs.cancel(sub.id);
      expect(cancelled!.state).toBe('cancelled');
      await new Promise((r) => setTimeout(r, 300));
      expect((await jobs.get(sub.id))!.state).toBe('cancelled');
      expect(await docCount()).toBe(before);
    } finally {
      await jobs.close();
    }
  });

  it('after a restart, jobs of the stopped process are marked failed with a message (their work was never stored)', async () => {
    // Records as a killed process left them: one of a dead pid on this machine, one of this very pid
    // under an earlier runner (a restart in a container keeps pid 1), one of another machine gone quiet.
    const dead = await store.createJob({ kind: 'import-texts', label: 'x', owner: 'g', runner: { id: 'r-dead', host: hostname(), pid: 2 ** 22 + 12345 } }, { perOwner: 10, total: 10 });
    const samePid = await store.createJob({ kind: 'import-texts', label: 'x', owner: 'g', runner: { id: 'r-before', host: hostname(), pid: process.pid } }, { perOwner: 10, total: 10 });
    const remote = await store.createJob({ kind: 'export', label: 'x', owner: 'g', runner: { id: 'r-far', host: 'elsewhere', pid: 1 } }, { perOwner: 10, total: 10 });
    const fresh = await store.createJob({ kind: 'export', label: 'x', owner: 'g', runner: { id: 'r-alive', host: 'elsewhere', pid: 1 } }, { perOwner: 10, total: 10 });
    await store.startJob(dead.id);
    const jobs = new InProcessJobs({ store, workers: 1, log: () => undefined });
    try {
      // The remote runner's last beat is two minutes old; the other remote one beats now.
      store.db.prepare('UPDATE jobs SET heartbeat_at = ? WHERE id = ?').run(new Date(Date.now() - 120_000).toISOString(), remote.id);
      expect(await jobs.sweep()).toBe(3);
      for (const id of [dead.id, samePid.id, remote.id]) expect(await store.getJob(id)).toMatchObject({ state: 'failed', message: INTERRUPTED });
      expect((await store.getJob(fresh.id))!.state).toBe('queued');
      await store.cancelJob(fresh.id, 'test');
    } finally {
      await jobs.close();
    }
  });

  it('runJob on a job already cancelled does nothing', async () => {
    const job = await store.createJob({ kind: 'realign', label: 'x', owner: 'h', runner: me }, limits);
    await store.cancelJob(job.id, 'cancelled');
    expect(await runJob({ id: job.id, kind: 'realign', owner: 'h', input: { docId: 'nope' } }, store)).toEqual({ state: 'not started' });
  });
});

describe('jobs over HTTP', () => {
  it('answers 202 with the job URL; the job reports progress and links its result; limits are a clear 429', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'jobs-http-'));
    const s = openStore(sub);
    const jobs = new InProcessJobs({ store: s, workers: 1, limits: { perOwner: 1, total: 5 }, log: () => undefined });
    const app = createApp({ store: s, jobs, corpusDir: join(sub, 'none') }, { log: false });
    try {
      const agent = request.agent(app);
      const token = ((await agent.get('/api/csrf')).body as { token: string }).token;
      await agent.post('/reviewer').set('x-csrf-token', token).set('Accept', 'application/json').send({ name: 'Ann' }).expect(200);
      const body = { name: 'async', en: 'One. Two.', zh: '一。二。', model: 'length' };
      const res = await agent.post('/api/documents').set('x-csrf-token', token).send(body).expect(202);
      expect(res.headers.location).toMatch(/^\/api\/jobs\/j[0-9a-f]{16}$/);
      const job = (res.body as { job: { id: string; state: string; links: { api: string; page: string } } }).job;
      expect(job.links.api).toBe(res.headers.location);
      // A second job of the same reviewer while the first is queued or running (the worker thread
      // alone takes longer than this to start): 429, and nothing recorded for it.
      const again = await agent.post('/api/documents').set('x-csrf-token', token).send(body).expect(429);
      expect((again.body as { error: string }).error).toMatch(/at most 1 at a time/);
      expect(again.headers['retry-after']).toBe('30');
      expect((s.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n).toBe(1);
      let state = '';
      for (let i = 0; i < 300 && state !== 'done'; i++) {
        const j = (await agent.get(job.links.api).expect(200)).body as { state: string; progress: number; result: { documents: { id: string }[] } | null; links: { landing: string } };
        expect(j.progress).toBeGreaterThanOrEqual(0);
        expect(j.progress).toBeLessThanOrEqual(1);
        state = j.state;
        if (state === 'done') {
          expect(j.links.landing).toBe(`/documents/${j.result!.documents[0]!.id}`);
          expect((await agent.get(job.links.page).expect(303)).headers.location).toBe(j.links.landing);
        } else await new Promise((r) => setTimeout(r, 30));
      }
      expect(state).toBe('done');
      await agent.get('/api/jobs/j0000000000000000').expect(404);
      await agent.get('/api/jobs/../../etc').expect(404);
      // Prefer: wait answers as the synchronous call did.
      const waited = await agent.post('/api/documents').set('x-csrf-token', token).set('Prefer', 'wait=30').send(body).expect(201);
      expect((waited.body as { id: string; job: { state: string } }).job.state).toBe('done');

      // A large export is a job; asked again (same revision and options) it is the same job, and its file.
      const big = await s.createDocument(syntheticDocument(400, { name: 'big' }), { author: 't' });
      const first = await agent.get(`/api/documents/${big}/export?format=tsv&bom=1`);
      const firstJob = first.status === 202 ? (first.body as { job: { id: string } }).job.id : null;
      const file = await agent.get(`/api/documents/${big}/export?format=tsv&bom=1`).set('Prefer', 'wait=30').expect(200);
      expect(file.text.replace(/^\uFEFF/, '').trim().split('\n')).toHaveLength(401);
      expect(String(file.headers['content-disposition'])).toContain('big.tsv');
      const exportJobs = s.db.prepare("SELECT id FROM jobs WHERE kind = 'export'").all() as { id: string }[];
      expect(exportJobs).toHaveLength(1);
      if (firstJob) expect(exportJobs[0]!.id).toBe(firstJob);
      // A large document's QA report: the page goes to the job's page, which lands on the report.
      const qa = await agent.get(`/documents/${big}/qa`).set('Accept', 'text/html').expect(303);
      expect(qa.headers.location).toMatch(/^\/jobs\/j[0-9a-f]{16}$/);
      let landing = '';
      for (let i = 0; i < 300 && !landing; i++) {
        const r = await agent.get(String(qa.headers.location));
        if (r.status === 303) landing = String(r.headers.location);
        else await new Promise((res) => setTimeout(res, 50));
      }
      expect(landing).toBe(`/documents/${big}/qa`);
      const report = await agent.get(landing).set('Accept', 'text/html').expect(200);
      expect(report.text).toContain('QA report');
    } finally {
      await jobs.close();
      await s.close();
      rmSync(sub, { recursive: true, force: true });
    }
  });
});
