import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { parseGlossary } from '../../server/qa/glossary.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;
let store: SqliteStore;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let docId: string;
let glossaryFile: string;

const EN = [
  'Media Statement',
  '',
  '1. The Ministers called upon the States Parties to the Chemical Weapons Convention to preserve its integrity.',
  '',
  '2. They condemned terrorism whenever, wherever and by whomsoever committed.',
  '',
  '3. They reaffirmed their commitment to <b>human rights</b>.',
].join('\n');
const ZH = ['媒体声明', '', '1. 部长们呼吁国家党《禁止化学武器公约》保护其完整性。', '', '2. 他们谴责无论何时、何地 and 由何人所为的恐怖主义。', '', '3. 双方重申致力于<b>人权</b>。'].join('\n');

/** The CSRF token of a rendered page. */
const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qa-routes-'));
  glossaryFile = join(dir, 'glossary.tsv');
  copyFileSync(join(ROOT, 'glossary/un-diplomatic.tsv'), glossaryFile);
  writeFileSync(join(dir, 'qa.json'), JSON.stringify({ glossary: 'glossary.tsv', checks: { coverage: { enabled: false } } }));
  // The app builds the QA router itself: its config (and so the glossary it edits) comes from QA_CONFIG.
  process.env.QA_CONFIG = join(dir, 'qa.json');
  store = openStore(dir);
  const result = await alignTexts(EN, ZH, { aLang: 'en', bLang: 'zh', model: 'length' });
  const { id: _id, revision: _rev, createdAt: _c, updatedAt: _u, ...doc } = reviewDocumentFromAlignment(result, { name: 'qa-test', sourceSide: 'a' });
  docId = await store.createDocument(doc, { author: 'test' });
  app = createApp({ store, dataDir: dir, corpusDir: join(dir, 'no-corpus') }, { log: false });
  agent = request.agent(app);
});
afterAll(async () => {
  delete process.env.QA_CONFIG;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('QA report', () => {
  it('lists the findings with counts, escaped text and action forms carrying the CSRF token', async () => {
    const res = await agent.get(`/documents/${docId}/qa`).expect(200);
    expect(res.text).toContain('国家党');
    expect(res.text).toContain('Untranslated English');
    expect(res.text).toContain('&lt;b&gt;');
    expect(res.text).not.toContain('<b>人权</b>');
    expect(res.text).toMatch(/<a href="[^"]*\?check=terminology">terminology<\/a>&nbsp;<strong>\d+<\/strong>/);
    expect(tokenOf(res.text)).not.toBe('');
    expect(res.text).toContain(`action="/documents/${docId}/qa/dismiss"`);
  });

  it('is reached from the old /docs/:id prefix through a permanent redirect (old links to the QA tab)', async () => {
    const moved = await agent.get(`/docs/${docId}/qa?check=terminology`).expect(301);
    expect(moved.headers.location).toBe(`/documents/${docId}/qa?check=terminology`);
    const res = await agent.get(`/docs/${docId}/qa`).redirects(1).expect(200);
    expect(res.text).toContain('QA report');
  });

  it('filters by check, category and severity', async () => {
    const t = await agent.get(`/documents/${docId}/qa?check=untranslated`).expect(200);
    expect(t.text).toContain('Untranslated English');
    expect(t.text).not.toContain('国家党');
    const s = await agent.get(`/documents/${docId}/qa?severity=critical`).expect(200);
    expect(s.text).toContain('No findings match these filters');
    const c = await agent.get(`/documents/${docId}/qa?category=Terminology`).expect(200);
    expect(c.text).toContain('国家党');
    expect(c.text).not.toContain('Untranslated English');
  });

  it('answers JSON when asked', async () => {
    const res = await agent.get(`/documents/${docId}/qa?check=terminology`).set('Accept', 'application/json').expect(200);
    const body = res.body as { counts: { byCheck: Record<string, number> }; findings: { check: string; key: string; status: string; target_text: string }[] };
    expect(body.findings.length).toBeGreaterThan(0);
    expect(body.findings.every((f) => f.check === 'terminology' && f.key && f.status === 'open')).toBe(true);
    expect(body.findings.some((f) => f.target_text === '国家党')).toBe(true);
  });

  it('downloads the report as CSV', async () => {
    const res = await agent.get(`/documents/${docId}/qa.csv?check=terminology`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('qa-test-qa.csv');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toMatch(/^paragraph,row,bead,check,category,severity,message/);
    expect(lines.slice(1).every((l) => l.includes(',terminology,'))).toBe(true);
    expect(lines.some((l) => l.includes('国家党'))).toBe(true);
  });

  it('refuses a POST without the CSRF token', async () => {
    const page = await agent.get(`/documents/${docId}/qa`).expect(200);
    const key = /name="key" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    await agent.post(`/documents/${docId}/qa/dismiss`).type('form').send({ key }).expect(403);
  });

  it('dismisses a finding in one recorded operation, hides it, and one undo brings it back', async () => {
    const page = await agent.get(`/documents/${docId}/qa?check=untranslated`).expect(200);
    // The row of the stray "and" (the test text has another Latin word: the "b" of <b>).
    const row = page.text.split('<tr class="sev-').find((r) => r.includes('<mark>and</mark>')) ?? '';
    const key = /name="key" value="([^"]+)"/.exec(row)?.[1] ?? '';
    expect(key).not.toBe('');
    const entriesBefore = (await store.history(docId)).length;
    const base = /name="baseRevision" value="(\d+)"/.exec(row)?.[1];
    expect(base).toBe(String((await store.getDocument(docId)).revision));
    const res = await agent
      .post(`/documents/${docId}/qa/dismiss`)
      .type('form')
      .send({ _csrf: tokenOf(page.text), key, baseRevision: base, returnTo: `/documents/${docId}/qa?check=untranslated` })
      .expect(303);
    expect(res.headers.location).toBe(`/documents/${docId}/qa?check=untranslated`);
    const doc = await store.getDocument(docId);
    const issue = doc.issues.at(-1);
    expect(issue).toMatchObject({ origin: 'automatic', check: 'untranslated', status: 'dismissed' });
    const entries = await store.history(docId);
    expect(entries.length).toBe(entriesBefore + 1);
    expect(entries.at(-1)!.op).toMatchObject({ kind: 'addIssue', status: 'dismissed', check: 'untranslated' });
    const after = await agent.get(`/documents/${docId}/qa?check=untranslated`).expect(200);
    expect(after.text).not.toContain('<mark>and</mark>');
    const dismissed = await agent.get(`/documents/${docId}/qa?status=dismissed`).expect(200);
    expect(dismissed.text).toContain('<mark>and</mark>');
    // The same finding cannot be dismissed twice.
    await agent.post(`/documents/${docId}/qa/dismiss`).type('form').send({ _csrf: tokenOf(page.text), key }).expect(409);
    // One undo and the finding is open again.
    await store.undo(docId, { author: 'test' });
    const reopened = await agent.get(`/documents/${docId}/qa?check=untranslated`).expect(200);
    expect(reopened.text).toContain('<mark>and</mark>');
  });

  it('turns a finding into an open issue of its row', async () => {
    const page = await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200);
    const key = /name="key" value="(terminology:[^"]+)"/.exec(page.text)?.[1] ?? '';
    await agent.post(`/documents/${docId}/qa/issue`).type('form').send({ _csrf: tokenOf(page.text), key }).expect(303);
    const issue = (await store.getDocument(docId)).issues.at(-1);
    expect(issue).toMatchObject({ origin: 'automatic', check: 'terminology', status: 'open', category: 'Terminology' });
    const issues = await agent.get(`/documents/${docId}/qa?status=issue`).expect(200);
    expect(issues.text).toContain('status-badge');
  });

  it('answers 404 for an unknown document and 409 for an unknown finding', async () => {
    await agent.get('/documents/nope/qa').expect(404);
    const page = await agent.get(`/documents/${docId}/qa`).expect(200);
    await agent.post(`/documents/${docId}/qa/issue`).type('form').send({ _csrf: tokenOf(page.text), key: 'x:y' }).expect(409);
  });
});

describe('glossary editor', () => {
  const form = async () => {
    const page = await agent.get('/glossary').expect(200);
    return { token: tokenOf(page.text), version: /name="version" value="([^"]+)"/.exec(page.text)?.[1] ?? '', html: page.text };
  };
  const entries = () => parseGlossary(readFileSync(glossaryFile, 'utf8')).entries;

  it('lists the entries, escaped', async () => {
    const { html } = await form();
    expect(html).toContain('国家党');
    expect(html).toContain(`Entries (${entries().length})`);
  });

  it('adds, edits and deletes an entry, writing the TSV file', async () => {
    const n = entries().length;
    let f = await form();
    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'add', english: 'Secretariat', accepted: '秘书处', forbidden: '书记处', note: '<script>x</script>' }).expect(303);
    expect(entries()).toHaveLength(n + 1);
    expect(entries().at(-1)).toMatchObject({ english: ['Secretariat'], accepted: ['秘书处'], forbidden: ['书记处'] });
    f = await form();
    expect(f.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(f.html).not.toContain('<script>x</script>');

    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'update', index: String(n), english: 'Secretariat', accepted: '秘书处|秘书厅' }).expect(303);
    expect(entries()[n]?.accepted).toEqual(['秘书处', '秘书厅']);

    f = await form();
    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'delete', index: String(n) }).expect(303);
    expect(entries()).toHaveLength(n);
  });

  it('rejects invalid input, stale versions and unknown entries without writing', async () => {
    const before = readFileSync(glossaryFile, 'utf8');
    const f = await form();
    const bad = await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'add', english: '', accepted: '', forbidden: '' }).expect(422);
    expect(bad.text).toContain('needs an English term');
    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: 'stale', action: 'add', english: 'x', accepted: 'y' }).expect(409);
    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'delete', index: '9999' }).expect(422);
    await agent.post('/glossary').type('form').send({ version: f.version, action: 'add', english: 'x', accepted: 'y' }).expect(403);
    expect(readFileSync(glossaryFile, 'utf8')).toBe(before);
  });

  it('reports a broken glossary file clearly and still opens the editor on it', async () => {
    const good = readFileSync(glossaryFile, 'utf8');
    writeFileSync(glossaryFile, `${good}broken line without tabs\n`);
    try {
      const report = await agent.get(`/documents/${docId}/qa`).expect(503);
      expect(report.text).toContain('The QA configuration cannot be loaded');
      const page = await agent.get('/glossary').expect(422);
      expect(page.text).toMatch(/glossary\.tsv:\d+: expected 2 to 5/);
      const f = { token: tokenOf(page.text), version: /name="version" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
      await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'add', english: 'x', accepted: 'y' }).expect(409);
    } finally {
      writeFileSync(glossaryFile, good);
    }
    await agent.get(`/documents/${docId}/qa`).expect(200);
  });

  it('uses the edited glossary in later reports', async () => {
    const f = await form();
    await agent.post('/glossary').type('form').send({ _csrf: f.token, version: f.version, action: 'add', english: 'Ministers', forbidden: '部长们', note: 'test rule' }).expect(303);
    const res = await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200);
    expect(res.text).toContain('test rule');
  });
});
