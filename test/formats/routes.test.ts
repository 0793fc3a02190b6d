import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { downloadName } from '../../server/web/routes/export.js';
import { adversarialDoc, makeDoc, xmllint } from './fixtures.js';

let dir: string;
let store: SqliteStore;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let token: string;
let docId: string;

function storable() {
  const { doc } = adversarialDoc();
  const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
  return rest;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'export-routes-'));
  store = openStore(dir);
  docId = await store.createDocument(storable(), { author: 'tester' });
  await store.apply(docId, { kind: 'confirm', beadId: 'b2' }, { author: 'Ann' });
  app = createApp({ store, corpusDir: join(dir, 'none') }, { log: false });
  agent = request.agent(app);
  token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = (res: request.Response): string => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);
const binary = (r: request.Test) => r.buffer(true).parse((res, cb) => {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
});

describe('export downloads', () => {
  it('serves TMX with its content type and file name; it validates and carries the store history', async () => {
    const res = await binary(agent.get(`/documents/${docId}/export.tmx?qa=0`)).expect(200);
    expect(res.headers['content-type']).toBe('application/x-tmx+xml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="Synthetic & _test_ _doc.tmx"');
    const xml = text(res);
    expect(xmllint(xml, 'tmx')).toBe('');
    expect(xml).toMatch(/<tu tuid="b2"[^>]* changeid="Ann"/);
  });

  it.each([
    ['xliff', 'application/xliff+xml; charset=utf-8'],
    ['json', 'application/json; charset=utf-8'],
    ['jsonl', 'application/x-ndjson; charset=utf-8'],
    ['tsv', 'text/tab-separated-values; charset=utf-8'],
    ['csv', 'text/csv; charset=utf-8'],
    ['bitext', 'text/plain; charset=utf-8'],
  ])('serves %s as %s', async (format, type) => {
    const res = await binary(agent.get(`/api/documents/${docId}/export?format=${format}&qa=0`)).expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    expect(text(res).length).toBeGreaterThan(50);
    if (format === 'xliff') expect(xmllint(text(res), 'xliff')).toBe('');
  });

  it('applies confirmedOnly, empty=0, bom and languages', async () => {
    const res = await binary(agent.get(`/documents/${docId}/export.jsonl?confirmedOnly=1&targetLang=zh-CN&qa=0`)).expect(200);
    const ids = text(res).trim().split('\n').map((l) => (JSON.parse(l) as { id: string; translation: Record<string, string> }));
    expect(ids.map((l) => l.id)).toEqual(['b1', 'b2', 'b7']);
    expect(Object.keys(ids[0]!.translation)).toEqual(['en', 'zh-CN']);
    const csv = await binary(agent.get(`/documents/${docId}/export.csv?empty=0&bom=1&qa=0`)).expect(200);
    expect(csv.body[0]).toBe(0xef);
    expect(text(csv).split('\r\n').length).toBe(1 + 5 + 1);
    const side = await binary(agent.get(`/documents/${docId}/export.bitext?side=target&qa=0`)).expect(200);
    expect(side.headers['content-disposition']).toContain('.zh.txt');
  });

  it('exports all documents in one file', async () => {
    const res = await binary(agent.get('/api/export?format=tmx&qa=0')).expect(200);
    expect(xmllint(text(res), 'tmx')).toBe('');
    expect(text(res)).toContain(`tuid="${docId}/b1"`);
  });

  it('answers 404 for an unknown document and 400 for a bad format or option', async () => {
    await agent.get('/documents/nope/export.tmx').expect(404);
    const bad = await agent.get(`/api/documents/${docId}/export?format=docx`).expect(400);
    expect((bad.body as { error: string }).error).toMatch(/format must be one of/);
    await agent.get(`/api/documents/${docId}/export?format=tmx&targetLang=%22%3E%3Cx`).expect(400);
  });

  it('makes safe download names', () => {
    expect(downloadName('../../etc/passwd', 'tmx', {}, { source: 'en', target: 'zh' })).toBe('etc_passwd.tmx');
    expect(downloadName('金砖 "会晤"\n', 'bitext', { side: 'target' }, { source: 'en', target: 'zh' })).toBe('金砖 _会晤.zh.txt');
  });
});

describe('imports over HTTP', () => {
  // File imports are jobs (202 + a job URL); `Prefer: wait` answers when they are done.
  const post = (url: string, body: string | Buffer, type = 'application/octet-stream') =>
    agent.post(url).set('x-csrf-token', token).set('Prefer', 'wait=30').set('Content-Type', type).send(body);

  it('imports a TMX export back as a new document (201), and the project JSON', async () => {
    const tmx = text(await binary(agent.get(`/documents/${docId}/export.tmx?qa=0`)).expect(200));
    const res = await post('/api/import/tmx?name=Reimported', tmx, 'application/x-tmx+xml').expect(201);
    const [created] = (res.body as { documents: { id: string; name: string; beads: number }[] }).documents;
    expect(created).toMatchObject({ name: 'Reimported', beads: 7 });
    const doc = await store.getDocument(created!.id);
    expect(doc.beads.map((b) => b.status)).toEqual((await store.getDocument(docId)).beads.map((b) => b.status));
    expect(doc.issues).toHaveLength(2);
    const json = text(await binary(agent.get(`/documents/${docId}/export.json?qa=0`)).expect(200));
    const res2 = await post('/api/import/json', json).expect(201);
    const again = await store.getDocument((res2.body as { documents: { id: string }[] }).documents[0]!.id);
    expect(again.target.sentences).toEqual((await store.getDocument(docId)).target.sentences);
  });

  it('refuses bad files with 400/413/422 and stores nothing', async () => {
    const before = (await store.listDocuments()).length;
    const lol = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">]><tmx version="1.4">&a;</tmx>';
    const r1 = await post('/api/import/tmx', lol).expect(422);
    expect((r1.body as { error: string }).error).toMatch(/<!DOCTYPE>.*refused/);
    await post('/api/import/tmx', '<tmx version="1.1"><header/><body/></tmx>').expect(422);
    await post('/api/import/tmx', '<tmx version="1.4"><body>').expect(422);
    await post('/api/import/json', '{"format":"x"}', 'text/plain').expect(422);
    await post('/api/import/tmx', '').expect(400);
    await post('/api/import/tmx', Buffer.alloc(21 * 1024 * 1024, 0x20)).expect(413);
    expect((await store.listDocuments()).length).toBe(before);
  });

  it('needs the CSRF token like every POST', async () => {
    await agent.post('/api/import/tmx').set('Content-Type', 'text/xml').send('<tmx/>').expect(403);
    expect(makeDoc([{ src: ['x'], tgt: ['y'] }]).beads).toHaveLength(1);
  });
});
