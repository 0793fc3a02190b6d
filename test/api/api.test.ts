import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, ReviewDocument } from '../../server/domain.js';
import { applyChange, syntheticDocument } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';

let dir: string;
let store: SqliteStore;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let token: string;

const EN = 'The ministers met in Moscow. They discussed trade and security. The next meeting is in 2021.';
const ZH = '部长们在莫斯科会晤。他们讨论了贸易和安全问题。下次会议将于2021年举行。';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-test-'));
  store = openStore(dir);
  app = createApp({ store, corpusDir: join(dir, 'no-corpus') }, { log: false });
  agent = request.agent(app);
  const res = await agent.get('/api/csrf').expect(200);
  token = (res.body as { token: string }).token;
  await agent.post('/reviewer').set('x-csrf-token', token).set('Accept', 'application/json').send({ name: 'Ann <Reviewer>' }).expect(200);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Imports, versions and re-aligns are jobs (202 + a job URL); `Prefer: wait` answers when they are done.
const post = (url: string, body: object = {}) => agent.post(url).set('x-csrf-token', token).set('Prefer', 'wait=30').send(body);
const getDoc = async (id: string): Promise<ReviewDocument> => (await agent.get(`/api/documents/${id}`).expect(200)).body as ReviewDocument;
const synthetic = async (rows = 12): Promise<string> => await store.createDocument(syntheticDocument(rows), { author: 'test' });

describe('security', () => {
  it('sends a CSP without inline script and the other headers, JSON with its content type', async () => {
    const res = await agent.get('/api/documents').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sets the CSRF cookie HttpOnly and SameSite=Strict', async () => {
    const res = await request(app).get('/api/csrf').expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses every mutation without a valid CSRF token (403)', async () => {
    const id = await synthetic(3);
    await agent.post(`/api/documents/${id}/ops`).send({ op: { kind: 'confirm', beadId: 'b1' } }).expect(403);
    await agent.post(`/api/documents/${id}/ops`).set('x-csrf-token', 'forged').send({ op: { kind: 'confirm', beadId: 'b1' } }).expect(403);
    await agent.delete(`/api/documents/${id}`).expect(403);
    await agent.post('/api/documents').send({ name: 'x', en: EN, zh: ZH }).expect(403);
    // A token from another browser (cookie) does not work either.
    const other = request.agent(app);
    const t2 = ((await other.get('/api/csrf')).body as { token: string }).token;
    const res = await agent.post(`/api/documents/${id}/ops`).set('x-csrf-token', t2).send({ op: { kind: 'confirm', beadId: 'b1' } }).expect(403);
    expect((res.body as { error: string }).error).toMatch(/CSRF/);
    // Without any cookie, even with a token.
    await request(app).post(`/api/documents/${id}/undo`).set('x-csrf-token', token).send({}).expect(403);
    expect((await getDoc(id)).revision).toBe(0);
  });

  it('accepts the token in the _csrf body field of a form', async () => {
    const id = await synthetic(3);
    await agent.post(`/api/documents/${id}/undo`).type('form').send({ _csrf: token }).expect(422);
  });

  it('records the reviewer name from the cookie and refuses a bad name', async () => {
    const id = await synthetic(3);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b1' } }).expect(200);
    const h = (await agent.get(`/api/documents/${id}/history`).expect(200)).body as { entries: { author: string }[] };
    expect(h.entries[1]!.author).toBe('Ann <Reviewer>');
    await agent.post('/reviewer').set('x-csrf-token', token).set('Accept', 'application/json').send({ name: '' }).expect(422);
  });

  it('limits body sizes: 100 kB for ops, 20 MB for imports', async () => {
    const id = await synthetic(3);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'editTarget', sentence: 0, text: 'x'.repeat(150_000) } }).expect(413);
    const res = await post('/api/documents', { name: 'big', en: 'A. '.repeat(7_000_000), zh: '甲。' }).expect(413);
    expect((res.body as { error: string }).error).toMatch(/too large/);
  });
});

describe('documents', () => {
  it('imports, lists, reads and deletes a document', async () => {
    const res = await post('/api/documents', { name: 'Moscow <meeting> & "friends"', en: EN, zh: ZH, model: 'length' }).expect(201);
    const { id, beads } = res.body as { id: string; beads: number };
    expect(beads).toBeGreaterThanOrEqual(3);
    const list = (await agent.get('/api/documents').expect(200)).body as { documents: { id: string; name: string; sourceSentences: number }[] };
    expect(list.documents.find((d) => d.id === id)).toMatchObject({ name: 'Moscow <meeting> & "friends"', sourceSentences: 3 });
    const doc = await getDoc(id);
    expect(doc.source.lang).toBe('en');
    expect(doc.target.lang).toBe('zh');
    expect(doc.target.sentences[0]!.text).toBe('部长们在莫斯科会晤。');
    expect(doc.model).toBe('length');
    await agent.delete(`/api/documents/${id}`).set('x-csrf-token', token).expect(204);
    await agent.get(`/api/documents/${id}`).expect(404);
    await agent.delete(`/api/documents/${id}`).set('x-csrf-token', token).expect(404);
  });

  it('imports bytes in GB18030 given as base64', async () => {
    const gb = Buffer.from('d6d0cec4a1a3', 'hex'); // 中文。 in GB18030
    const res = await post('/api/documents', { name: 'gb', en: 'Chinese.', zhBase64: gb.toString('base64'), encoding: 'gb18030', model: 'length' }).expect(201);
    expect((await getDoc((res.body as { id: string }).id)).target.sentences[0]!.text).toBe('中文。');
  });

  it('refuses bad imports with 400/422 and stores nothing', async () => {
    const count = (await agent.get('/api/documents')).body.documents.length as number;
    await post('/api/documents', { name: 'x', en: EN, zh: ZH, color: 'red' }).expect(400);
    await post('/api/documents', { name: 'x', en: 5, zh: ZH }).expect(400);
    await post('/api/documents', { en: EN, zh: ZH }).expect(422);
    await post('/api/documents', { name: 'x', zh: ZH }).expect(422);
    await post('/api/documents', { name: 'x', en: '   ', zh: ZH, model: 'length' }).expect(422);
    await post('/api/documents', { name: 'x', en: EN, zh: ZH, model: 'magic' }).expect(422);
    await post('/api/documents', { name: 'x', en: EN, zh: ZH, sourceLang: '../../etc' }).expect(422);
    const bad = Buffer.from([0xff, 0xfe, 0x41, 0x00]).toString('base64');
    await post('/api/documents', { name: 'x', en: EN, zhBase64: Buffer.from([0xc3, 0x28]).toString('base64'), model: 'length' }).expect(422);
    expect(bad).toBeTruthy();
    const res = await agent.post('/api/documents').set('x-csrf-token', token).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect((res.body as { error: string }).error).toMatch(/not valid JSON/);
    expect((await agent.get('/api/documents')).body.documents.length).toBe(count);
  });

  it('validates ids (no path traversal) and answers 404 for unknown documents', async () => {
    await agent.get('/api/documents/..%2F..%2Fetc%2Fpasswd').expect(400);
    await agent.get('/api/documents/dnothere').expect(404);
    await post('/api/documents/dnothere/ops', { op: { kind: 'confirm', beadId: 'b1' } }).expect(404);
  });

  it('imports a further target version aligned to the same source sentences', async () => {
    const id = (await post('/api/documents', { name: 'v', en: EN, zh: ZH, model: 'length' }).expect(201)).body.id as string;
    const res = await post(`/api/documents/${id}/versions`, { name: 'official', text: '部长会晤。他们讨论贸易与安全。下次会议在2021年。', model: 'length' }).expect(201);
    const doc = await getDoc(id);
    const v = doc.versions.find((x) => x.id === (res.body as { id: string }).id)!;
    expect(v.name).toBe('official');
    expect(Object.keys(v.textByBead).sort()).toEqual(doc.beads.map((b) => b.id).sort());
    expect(Object.values(v.textByBead).join('')).toBe('部长会晤。他们讨论贸易与安全。下次会议在2021年。');
    await post(`/api/documents/${id}/versions`, { name: 'x', text: '', model: 'length' }).expect(422);
    await post(`/api/documents/${id}/versions`, { name: 'x', text: 'a', oops: 1 }).expect(400);
  });
});

describe('operations', () => {
  it('applies every op kind through the API', async () => {
    const id = await synthetic(12);
    const ops = [
      { kind: 'confirm', beadId: 'b1' },
      { kind: 'unconfirm', beadId: 'b1' },
      { kind: 'confirmAbove', beadId: 'b2' },
      { kind: 'merge', beadId: 'b5' },
      { kind: 'split', beadId: 'b5', sourceAt: 1, targetAt: 1 },
      { kind: 'shiftUp', beadId: 'b8', side: 'target' },
      { kind: 'shiftDown', beadId: 'b9', side: 'source' },
      { kind: 'detach', beadId: 'b11', side: 'target' },
      { kind: 'editTarget', sentence: 0, text: '<script>alert(1)</script> & "q"' },
      { kind: 'flag', beadId: 'b3' },
      { kind: 'addIssue', beadId: 'b3', category: 'Accuracy/Mistranslation', severity: 'critical', comment: 'wrong' },
      { kind: 'setIssueStatus', issueId: 'i11', status: 'resolved' },
    ];
    let revision = 0;
    for (const op of ops) {
      const res = await post(`/api/documents/${id}/ops`, { op, baseRevision: revision }).expect(200);
      const body = res.body as { revision: number; entry: { op: { kind: string }; beadIds: string[] } };
      expect(body.revision).toBe(revision + 1);
      expect(body.entry.op.kind).toBe(op.kind);
      revision = body.revision;
    }
    const doc = await getDoc(id);
    expect(doc.revision).toBe(ops.length);
    expect(doc.target.sentences[0]!.text).toBe('<script>alert(1)</script> & "q"');
    expect(doc.issues[0]).toMatchObject({ id: 'i11', status: 'resolved', author: 'Ann <Reviewer>' });
    expect(doc.beads.find((b) => b.id === 'b3')!.status).toBe('flagged');
  });

  it('answers each change with the entry it made, also when others change the document at the same moment', async () => {
    const id = await synthetic(30);
    const ops = Array.from({ length: 20 }, (_, k) => ({ kind: k % 2 ? 'flag' : 'confirm', beadId: `b${k + 1}` }));
    const answers = await Promise.all(ops.map((op) => post(`/api/documents/${id}/ops`, { op }).expect(200)));
    const entries = answers.map((r) => (r.body as { revision: number; entry: { seq: number; revision: number; op: { kind: string; beadId: string } } }));
    for (const [k, a] of entries.entries()) {
      expect(a.entry.op).toEqual(ops[k]);
      expect(a.entry.revision).toBe(a.revision);
    }
    expect(new Set(entries.map((a) => a.entry.seq)).size).toBe(ops.length);
  });

  it('answers 400 for malformed ops and 422 for ops impossible on this document', async () => {
    const id = await synthetic(4);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'teleport', beadId: 'b1' } }).expect(400);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b1', x: 1 } }).expect(400);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b1' }, extra: true }).expect(400);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b1' }, baseRevision: 'x' }).expect(400);
    await post(`/api/documents/${id}/ops`, {}).expect(400);
    const res = await post(`/api/documents/${id}/ops`, { op: { kind: 'merge', beadId: 'b4' } }).expect(422);
    expect((res.body as { error: string }).error).toMatch(/last row/);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b99' } }).expect(404);
    expect((await getDoc(id)).revision).toBe(0);
  });

  it('refuses a conflicting change against an old revision with 409 and the changes', async () => {
    const id = await synthetic(10);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'merge', beadId: 'b2' }, baseRevision: 0 }).expect(200);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b8' }, baseRevision: 0 }).expect(200);
    const res = await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: 'b3' }, baseRevision: 0 }).expect(409);
    const body = res.body as { error: string; currentRevision: number; changes: { op: { kind: string }; author: string }[] };
    expect(body.currentRevision).toBe(2);
    expect(body.changes.map((c) => c.op.kind)).toEqual(['merge', 'confirm']);
    expect(body.error).toMatch(/changed since you loaded it/);
  });

  it('undoes and redoes, and lists the history', async () => {
    const id = await synthetic(6);
    const before = await getDoc(id);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'merge', beadId: 'b1' } }).expect(200);
    const merged = await getDoc(id);
    const u = await post(`/api/documents/${id}/undo`, { baseRevision: 1 }).expect(200);
    expect((u.body as { entry: { op: { kind: string } } }).entry.op.kind).toBe('undo');
    expect((await getDoc(id)).beads).toEqual(before.beads);
    await post(`/api/documents/${id}/undo`).expect(422);
    await post(`/api/documents/${id}/redo`).expect(200);
    expect((await getDoc(id)).beads).toEqual(merged.beads);
    await post(`/api/documents/${id}/redo`).expect(422);
    await post(`/api/documents/${id}/undo`, { baseRevision: 0 }).expect(409);
    await post(`/api/documents/${id}/undo`, { nope: 1 }).expect(400);
    const h = (await agent.get(`/api/documents/${id}/history?limit=10`).expect(200)).body as { entries: { op: { kind: string } }[] };
    expect(h.entries.map((e) => e.op.kind)).toEqual(['import', 'merge', 'undo', 'redo']);
    expect(((await agent.get(`/api/documents/${id}/history?limit=1&offset=1`)).body as { entries: unknown[] }).entries).toHaveLength(1);
    await agent.get(`/api/documents/${id}/history?limit=-1`).expect(400);
    await agent.get(`/api/documents/${id}/history?order=sideways`).expect(400);
    const desc = (await agent.get(`/api/documents/${id}/history?order=desc&limit=1`).expect(200)).body as { entries: { op: { kind: string } }[] };
    expect(desc.entries.map((e) => e.op.kind)).toEqual(['redo']);
  });

  it('brings a client copy up to date with the changes since its revision', async () => {
    const id = await synthetic(8);
    const copy = await getDoc(id);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 } }).expect(200);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'editTarget', sentence: 2, text: '新' } }).expect(200);
    await post(`/api/documents/${id}/undo`).expect(200);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: '' } }).expect(200);
    const res = (await agent.get(`/api/documents/${id}/history?since=${copy.revision}`).expect(200)).body as { revision: number; entries: HistoryEntry[] };
    expect(res.entries.map((e) => e.op.kind)).toEqual(['split', 'editTarget', 'undo', 'addIssue']);
    let doc: ReviewDocument = copy;
    for (const e of res.entries) doc = applyChange(doc, e.before!, e.after!);
    const now = await getDoc(id);
    expect(res.revision).toBe(now.revision);
    expect(doc.beads).toEqual(now.beads);
    expect(doc.issues).toEqual(now.issues);
    expect(doc.target.sentences).toEqual(now.target.sentences);
    // Nothing new: the revision, no entries; at most `limit`; an unknown document is a 404.
    expect((await agent.get(`/api/documents/${id}/history?since=${now.revision}`).expect(200)).body).toEqual({ revision: now.revision, entries: [] });
    const two = (await agent.get(`/api/documents/${id}/history?since=${copy.revision}&limit=2`).expect(200)).body as { revision: number; entries: HistoryEntry[] };
    expect([two.revision, two.entries.map((e) => e.op.kind)]).toEqual([now.revision, ['split', 'editTarget']]);
    await agent.get('/api/documents/dnope/history?since=0').expect(404);
  });

  it('re-aligns the rows nobody decided on, keeping confirmed and hand-aligned rows', async () => {
    const en = `${EN} The talks will go on. They were held online.`;
    const zh = `${ZH}会谈将继续进行。会谈在网上举行。`;
    const id = (await post('/api/documents', { name: 'r', en, zh, model: 'length' }).expect(201)).body.id as string;
    const doc = await getDoc(id);
    expect(doc.beads.length).toBeGreaterThanOrEqual(4);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'confirm', beadId: doc.beads[0]!.id } }).expect(200);
    await post(`/api/documents/${id}/ops`, { op: { kind: 'merge', beadId: doc.beads[1]!.id } }).expect(200);
    const merged = (await getDoc(id)).beads[1]!;
    expect(merged.origin).toBe('manual');
    const res = await post(`/api/documents/${id}/realign`, { model: 'length' }).expect(200);
    expect((res.body as { model: string }).model).toBe('length');
    const after = await getDoc(id);
    expect(after.beads[0]).toEqual({ ...doc.beads[0]!, status: 'confirmed' });
    expect(after.beads[1]).toEqual(merged);
    expect(after.beads.slice(2).every((b) => b.origin === 'length')).toBe(true);
    const changed = (res.body as { changedRows: number }).changedRows;
    if (changed > 0) {
      await post(`/api/documents/${id}/undo`).expect(200);
      expect((await getDoc(id)).beads.length).toBe(doc.beads.length - 1);
    }
    await post(`/api/documents/${id}/realign`, { model: 'nope' }).expect(422);
    // From a row: a fixed row is refused before any job; without `Prefer: wait` the answer is 202 and
    // the job, whose result says what it re-aligned and where the page goes back to.
    const now = await getDoc(id);
    expect((await post(`/api/documents/${id}/realign`, { from: now.beads[1]!.id }).expect(422)).body.error).toMatch(/aligned by hand/);
    const from = now.beads[2]!.id;
    const accepted = await agent.post(`/api/documents/${id}/realign`).set('x-csrf-token', token).send({ model: 'length', from }).expect(202);
    const links = accepted.body.job.links as { api: string; landing: string | null };
    expect(accepted.headers.location).toBe(links.api);
    let job = accepted.body.job as { state: string; result: { realigned?: { model: string; rows: number; at: string | null } } | null; links: typeof links };
    for (const until = Date.now() + 30_000; job.state === 'queued' || job.state === 'running'; ) {
      expect(Date.now()).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 50));
      job = (await agent.get(links.api).expect(200)).body;
    }
    expect(job.state).toBe('done');
    const realigned = job.result!.realigned!;
    expect(realigned.model).toBe('length');
    const final = await getDoc(id);
    const at = realigned.rows ? final.beads.find((b) => !now.beads.some((x) => x.id === b.id))!.id : from;
    expect(realigned.at).toBe(at);
    expect(job.links.landing).toBe(`/documents/${id}/go/${at}`);
    expect(final.beads.slice(0, 2)).toEqual(now.beads.slice(0, 2));
  });
});

describe('errors', () => {
  it('answers the health check', async () => {
    expect((await agent.get('/healthz').expect(200)).body).toEqual({ ok: true });
  });

  it('answers unknown API routes with JSON 404', async () => {
    const res = await agent.get('/api/nothing').expect(404);
    expect(res.headers['content-type']).toMatch(/json/);
  });
});
