/**
 * The two doors onto review operations (review-page forms and the JSON API) share one parser:
 * the same limits with the same message, the same normalisation, the same id check. And the old
 * /docs/:id addresses of the pages redirect to /documents/:id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMENT_CHARS, MAX_EDIT_CHARS } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { makeDoc } from './fixtures.js';

let dir: string;
let store: SqliteStore;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let token = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-doors-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  agent = request.agent(app);
  token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
  // The pages record every change with the reviewer's name and ask for it first.
  await agent.post('/reviewer').type('form').send({ _csrf: token, name: 'Door Tester' }).expect(303);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const newDoc = (): Promise<string> => store.createDocument(makeDoc(3), { author: 'tester' });

/** An op through the JSON API. */
const api = (id: string, op: object) => agent.post(`/api/documents/${id}/ops`).set('x-csrf-token', token).send({ op });
/** The same op through the row page's form (the page script asks for JSON; a browser gets the page). */
const form = (id: string, fields: Record<string, string>, accept = 'application/json') =>
  agent.post(`/documents/${id}/op`).set('Accept', accept).type('form').send({ _csrf: token, ...fields });
const errorOf = (res: request.Response): string => (res.body as { error: string }).error;

describe('one parser for both doors', () => {
  it('an edit one character over the limit is refused at both doors with the same message, and one at the limit is accepted', async () => {
    const id = await newDoc();
    const tooLong = '长'.repeat(MAX_EDIT_CHARS + 1);
    const viaApi = await api(id, { kind: 'editTarget', sentence: 0, text: tooLong }).expect(400);
    const viaForm = await form(id, { op: 'editTarget', sentence: '0', text: tooLong }).expect(422);
    expect(errorOf(viaApi)).toBe(errorOf(viaForm));
    expect(errorOf(viaApi)).toBe('op editTarget: "text" is too long (10,001 characters; at most 10,000)');
    // A browser without the script gets the same message on the page.
    const page = await form(id, { op: 'editTarget', sentence: '0', text: tooLong }, 'text/html').expect(422);
    expect(page.text).toContain('op editTarget: &#34;text&#34; is too long (10,001 characters; at most 10,000)');
    expect((await store.getDocument(id)).revision).toBe(0);
    // 10,000 Chinese characters fit in a form post (the body limit is 100 kB) and in a JSON one.
    const atLimit = '长'.repeat(MAX_EDIT_CHARS);
    await form(id, { op: 'editTarget', sentence: '0', text: atLimit }).expect(200);
    await api(id, { kind: 'editTarget', sentence: 1, text: atLimit }).expect(200);
    expect((await store.getDocument(id)).target.sentences.slice(0, 2).map((s) => s.text.length)).toEqual([MAX_EDIT_CHARS, MAX_EDIT_CHARS]);
  });

  it('a comment over the limit is refused at both doors with the same message', async () => {
    const id = await newDoc();
    const comment = 'x'.repeat(MAX_COMMENT_CHARS + 1);
    const viaApi = await api(id, { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment }).expect(400);
    const viaForm = await form(id, { op: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment }).expect(422);
    expect(errorOf(viaApi)).toBe(errorOf(viaForm));
    expect(errorOf(viaApi)).toMatch(/"comment" is too long \(2,001 characters; at most 2,000\)/);
    expect((await store.getDocument(id)).issues).toEqual([]);
  });

  it('normalises texts the same way at both doors: line ends to \\n, NFC, a comment trimmed', async () => {
    const id = await newDoc();
    const decomposed = 'Cafe\u0301\r\nzwei'; // é as e + combining accent, a Windows line end
    await api(id, { kind: 'editTarget', sentence: 0, text: decomposed }).expect(200);
    await form(id, { op: 'editTarget', sentence: '1', text: decomposed }).expect(200);
    await api(id, { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: '  Cafe\u0301 ' }).expect(200);
    await form(id, { op: 'addIssue', beadId: 'b2', category: 'Style', severity: 'minor', comment: '  Cafe\u0301 ' }).expect(200);
    const doc = await store.getDocument(id);
    expect(doc.target.sentences.slice(0, 2).map((s) => s.text)).toEqual(['Café\nzwei', 'Café\nzwei']);
    expect(doc.issues.map((i) => i.comment)).toEqual(['Café', 'Café']);
  });

  it('checks ids at both doors with the same message', async () => {
    const id = await newDoc();
    const viaApi = await api(id, { kind: 'confirm', beadId: '../b1' }).expect(400);
    const viaForm = await form(id, { act: 'confirm:../b1' }).expect(422);
    expect(errorOf(viaApi)).toBe(errorOf(viaForm));
    expect(errorOf(viaApi)).toMatch(/"beadId" must be an id/);
  });

  it('refuses the same wrong values at both doors with the same message (side, number, category)', async () => {
    const id = await newDoc();
    const pairs: [object, Record<string, string>][] = [
      [{ kind: 'detach', beadId: 'b1', side: 'left' }, { act: 'detach:left:b1' }],
      [{ kind: 'split', beadId: 'b1', sourceAt: '1x', targetAt: 0 }, { op: 'split', beadId: 'b1', sourceAt: '1x', targetAt: '0' }],
      [{ kind: 'addIssue', beadId: 'b1', category: 'Nonsense', severity: 'minor' }, { op: 'addIssue', beadId: 'b1', category: 'Nonsense', severity: 'minor' }],
    ];
    for (const [op, fields] of pairs) {
      const viaApi = await api(id, op).expect(400);
      const viaForm = await form(id, fields).expect(422);
      expect(errorOf(viaForm), JSON.stringify(fields)).toBe(errorOf(viaApi));
    }
    expect((await store.getDocument(id)).revision).toBe(0);
  });
});

describe('one URL prefix for a document', () => {
  it('old /docs/:id links answer 301 to the same page under /documents/:id, query kept', async () => {
    const id = await newDoc();
    for (const path of ['', '?filter=flagged&q=x', '/rows/b1', '/history?offset=0', '/export.tmx?qa=0']) {
      const res = await agent.get(`/docs/${id}${path}`).expect(301);
      expect(res.headers.location, path).toBe(`/documents/${id}${path}`);
      await agent.get(String(res.headers.location)).expect(200);
    }
  });

  it('a form posted to an old address is sent on with 308 (method and body kept), and nothing changes before that', async () => {
    const id = await newDoc();
    const res = await agent.post(`/docs/${id}/op`).type('form').send({ _csrf: token, act: 'confirm:b1' }).redirects(0).expect(308);
    expect(res.headers.location).toBe(`/documents/${id}/op`);
    expect((await store.getDocument(id)).revision).toBe(0);
  });

  it('every link of the pages uses /documents/:id', async () => {
    const id = await newDoc();
    for (const path of ['/', `/documents/${id}`, `/documents/${id}/rows/b1`, `/documents/${id}/history`, `/documents/${id}/qa`]) {
      const html = (await agent.get(path).expect(200)).text;
      expect(html, path).not.toMatch(/(href|action)="\/docs\//);
      expect(html, path).toContain(`/documents/${id}`);
    }
  });
});
