/**
 * Several app servers on one store (a DATA_DIR, or a PostgreSQL database): a browser's CSRF token from
 * one server is good on the other (the key is the store's, or SECRET_KEY); a change on one server and
 * a stale change of the same rows on the other is a 409 there; undo takes the change made on the
 * other server; a job asked on one (run by the other server's workers on PostgreSQL, where this one
 * has none) is seen from both.
 */
import type { Express } from 'express';
import type PgBoss from 'pg-boss';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDocument } from '../../server/review/index.js';
import { InProcessJobs, type Jobs } from '../../server/jobs/index.js';
import { QueueJobs, QueueWorker, startQueue } from '../../server/jobs/queue.js';
import type { Store } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

const quiet = (): void => undefined;

describe.each(BACKENDS)('two app servers on one %s store', (backend) => {
  let place: StorePlace;
  const stores: Store[] = [];
  const jobs: Jobs[] = [];
  let boss: PgBoss | null = null;
  let worker: QueueWorker | null = null;
  let a: Express;
  let b: Express;

  beforeAll(async () => {
    place = await newPlace(backend);
    for (let i = 0; i < 2; i++) stores.push(await place.open());
    if (backend === 'postgres') {
      boss = await startQueue(place.address, quiet);
      // Server A runs one worker thread; server B none (WORKERS=0).
      worker = new QueueWorker({ store: stores[0]!, boss, threads: 1, log: quiet });
      await worker.start();
      jobs.push(new QueueJobs({ store: stores[0]!, boss, log: quiet, local: worker }), new QueueJobs({ store: stores[1]!, boss, log: quiet }));
    } else {
      for (const s of stores) jobs.push(new InProcessJobs({ store: s, workers: 1, log: quiet }));
    }
    a = createApp({ store: stores[0]!, jobs: jobs[0]!, corpusDir: '/nonexistent' }, { log: false });
    b = createApp({ store: stores[1]!, jobs: jobs[1]!, corpusDir: '/nonexistent' }, { log: false });
  });
  afterAll(async () => {
    for (const j of jobs) await j.close();
    await worker?.close();
    await boss?.stop({ graceful: false, close: true });
    for (const s of stores) await s.close();
    await place.remove();
  });

  /** A browser: its cookies and token from server A, used on both. */
  async function browser(name: string): Promise<{ on: (app: Express) => { post: (url: string, body?: object) => request.Test; get: (url: string) => request.Test } }> {
    const res = await request(a).get('/api/csrf').expect(200);
    const csrf = String(res.headers['set-cookie']).split(';')[0]!;
    const token = (res.body as { token: string }).token;
    const cookie = `${csrf}; bt_reviewer=${encodeURIComponent(name)}`;
    return {
      on: (app) => ({
        post: (url, body = {}) => request(app).post(url).set('Cookie', cookie).set('x-csrf-token', token).send(body),
        get: (url) => request(app).get(url).set('Cookie', cookie),
      }),
    };
  }

  it('a token from one server is good on the other; a stale change of the same rows is a 409 on either', async () => {
    const id = await stores[0]!.createDocument(syntheticDocument(10), { author: 'test' });
    const ann = await browser('Ann');
    const bob = await browser('Bob');
    // Both read the document through server B (cached there at revision 0).
    expect(((await bob.on(b).get(`/api/documents/${id}`).expect(200)).body as { revision: number }).revision).toBe(0);
    await ann.on(a).post(`/api/documents/${id}/ops`, { op: { kind: 'merge', beadId: 'b2' }, baseRevision: 0 }).expect(200);
    // Bob, on the other server, saw revision 0: b3 was merged away there meanwhile.
    const stale = await bob.on(b).post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b3' }, baseRevision: 0 }).expect(409);
    expect(JSON.stringify(stale.body)).toMatch(/Ann/);
    // A row Ann did not touch is taken, and both servers answer the same document.
    await bob.on(b).post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b7' }, baseRevision: 0 }).expect(200);
    const onA = (await ann.on(a).get(`/api/documents/${id}`).expect(200)).body as { revision: number; beads: unknown[] };
    const onB = (await bob.on(b).get(`/api/documents/${id}`).expect(200)).body as { revision: number; beads: unknown[] };
    expect(onA.revision).toBe(2);
    expect(onB).toEqual(onA);
    // Undo on A takes Bob's change made on B; a stale undo is refused.
    await ann.on(a).post(`/api/documents/${id}/undo`, { baseRevision: 1 }).expect(409);
    await ann.on(a).post(`/api/documents/${id}/undo`, { baseRevision: 2 }).expect(200);
    const { entries } = (await bob.on(b).get(`/api/documents/${id}/history`).expect(200)).body as { entries: { author: string; op: { kind: string } }[] };
    expect(entries.map((e) => [e.op.kind, e.author])).toEqual([['import', 'test'], ['merge', 'Ann'], ['confirm', 'Bob'], ['undo', 'Ann']]);
  });

  it('a job asked on one server is done and seen from both', async () => {
    const cy = await browser('Cy');
    const res = await cy.on(b).post('/api/documents', { name: 'from B', en: 'One. Two. Three.', zh: '一。二。三。', model: 'length' }).expect(202);
    const url = String(res.headers.location);
    let state = '';
    let result: { documents: { id: string }[] } | null = null;
    for (let i = 0; i < 600 && state !== 'done'; i++) {
      const j = (await cy.on(a).get(url).expect(200)).body as { state: string; result: typeof result };
      state = j.state;
      result = j.result;
      if (state !== 'done') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('done');
    const id = result!.documents[0]!.id;
    expect(((await cy.on(a).get(`/api/documents/${id}`).expect(200)).body as { name: string }).name).toBe('from B');
    expect(((await cy.on(b).get(url).expect(200)).body as { state: string }).state).toBe('done');
  });
});
