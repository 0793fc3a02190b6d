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
import { importStarterGlossary } from '../../server/web/controllers/glossaries.js';

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
  writeFileSync(join(dir, 'qa.json'), JSON.stringify({ glossary: 'glossary.tsv', checks: { omission: { enabled: false } } }));
  // The app builds the QA router itself: its config (and so the glossary it edits) comes from QA_CONFIG.
  process.env.QA_CONFIG = join(dir, 'qa.json');
  store = openStore(dir);
  const result = await alignTexts(EN, ZH, { aLang: 'en', bLang: 'zh', model: 'length' });
  const { id: _id, revision: _rev, createdAt: _c, updatedAt: _u, ...doc } = reviewDocumentFromAlignment(result, { name: 'qa-test', sourceSide: 'a' });
  docId = await store.createDocument(doc, { author: 'test' });
  app = createApp({ store, corpusDir: join(dir, 'no-corpus') }, { log: false });
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

describe('glossary editor (glossaries in the store)', () => {
  let gid: number;
  beforeAll(async () => {
    // What the server does on first start: the QA config's glossary file becomes the default glossary.
    gid = (await importStarterGlossary(store))!;
    expect(await importStarterGlossary(store)).toBeNull(); // once per store
  });

  const page = async (path = `/glossaries/${gid}`) => {
    const res = await agent.get(path).expect(200);
    return { token: tokenOf(res.text), html: res.text };
  };
  const entries = async () => (await store.getGlossary(gid)).entryList;

  it('lists the entries, escaped; /glossary leads to the default glossary', async () => {
    await agent.get('/glossary').expect(303).expect('location', `/glossaries/${gid}`);
    const { html } = await page();
    expect(html).toContain('国家党');
    expect(html).toContain(`Entries (${(await entries()).length})`);
    expect((await entries()).length).toBe(parseGlossary(readFileSync(glossaryFile, 'utf8')).entries.length);
    // No path of the machine on the page.
    expect(html).not.toContain(dir);
  });

  it('adds, edits and deletes (after a confirmation) an entry, each change recorded with its reviewer', async () => {
    const n = (await entries()).length;
    let f = await page();
    await agent.post('/reviewer').type('form').send({ _csrf: f.token, name: 'Gloss Editor' }).expect(303);
    await agent.post(`/glossaries/${gid}/entries`).type('form').send({ _csrf: f.token, english: 'Secretariat', accepted: '秘书处', forbidden: '书记处', note: '<script>x</script>' }).expect(303);
    const added = (await entries()).at(-1)!;
    expect(await entries()).toHaveLength(n + 1);
    expect(added).toMatchObject({ english: ['Secretariat'], accepted: ['秘书处'], forbidden: ['书记处'], revision: 1, updatedBy: 'Gloss Editor' });
    f = await page();
    expect(f.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(f.html).not.toContain('<script>x</script>');

    await agent.post(`/glossaries/${gid}/entries/${added.id}`).type('form').send({ _csrf: f.token, revision: '1', english: 'Secretariat', accepted: '秘书处|秘书厅' }).expect(303);
    expect((await entries()).at(-1)).toMatchObject({ accepted: ['秘书处', '秘书厅'], revision: 2 });

    // Delete asks first; the confirmation page posts the entry's revision.
    const confirm = await agent.get(`/glossaries/${gid}/entries/${added.id}/delete`).expect(200);
    expect(confirm.text).toContain('Delete this entry');
    expect(confirm.text).toContain('name="revision" value="2"');
    expect(await entries()).toHaveLength(n + 1);
    await agent.post(`/glossaries/${gid}/entries/${added.id}/delete`).type('form').send({ _csrf: tokenOf(confirm.text), revision: '2' }).expect(303);
    expect(await entries()).toHaveLength(n);
    const history = await store.glossaryHistory(gid);
    expect(history.slice(0, 3).map((h) => [h.action, h.author, h.entryId])).toEqual([
      ['delete', 'Gloss Editor', added.id],
      ['update', 'Gloss Editor', added.id],
      ['add', 'Gloss Editor', added.id],
    ]);
    expect(history[1]!.before?.accepted).toEqual(['秘书处']);
    expect(history[1]!.after?.accepted).toEqual(['秘书处', '秘书厅']);
    const hp = await agent.get(`/glossaries/${gid}/history`).expect(200);
    expect(hp.text).toContain('Gloss Editor');
  });

  it('rejects invalid input, stale revisions and unknown entries without writing', async () => {
    const before = await store.getGlossary(gid);
    const f = await page();
    const target = before.entryList[0]!;
    const bad = await agent.post(`/glossaries/${gid}/entries`).type('form').send({ _csrf: f.token, english: '', accepted: '', forbidden: '' }).expect(422);
    expect(bad.text).toContain('needs an English term');
    const stale = await agent.post(`/glossaries/${gid}/entries/${target.id}`).type('form').send({ _csrf: f.token, revision: String(target.revision + 5), english: 'x', accepted: 'y' }).expect(409);
    expect(stale.text).toContain('was changed by');
    expect(stale.text).toContain('value="x"'); // what was typed is kept
    await agent.post(`/glossaries/${gid}/entries/999999/delete`).type('form').send({ _csrf: f.token, revision: '1' }).expect(404);
    await agent.post(`/glossaries/${gid}/entries`).type('form').send({ english: 'x', accepted: 'y' }).expect(403);
    await agent.post(`/glossaries/${gid}/entries`).set('Origin', 'http://evil.example').type('form').send({ _csrf: f.token, english: 'x', accepted: 'y' }).expect(403);
    const after = await store.getGlossary(gid);
    expect(after.revision).toBe(before.revision);
    expect(after.entryList).toEqual(before.entryList);
  });

  it('a broken QA config is a 503 that names the file without the machine\'s paths', async () => {
    const cfg = join(dir, 'qa.json');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, '{ broken');
    try {
      const report = await agent.get(`/documents/${docId}/qa`).expect(503);
      expect(report.text).toContain('The QA configuration cannot be loaded');
      expect(report.text).not.toContain(dir);
    } finally {
      writeFileSync(cfg, good);
    }
    await agent.get(`/documents/${docId}/qa`).expect(200);
  });

  it('uses the edited glossary in later reports, and the one the document chose', async () => {
    const f = await page();
    await agent.post(`/glossaries/${gid}/entries`).type('form').send({ _csrf: f.token, english: 'Ministers', forbidden: '部长们', note: 'test rule' }).expect(303);
    const res = await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200);
    expect(res.text).toContain('test rule');
    expect(res.text).toContain('国家党');
    // Another glossary chosen for this document: its terms apply, the default's do not.
    const other = (await store.createGlossary({ name: 'Other client', entries: [{ english: ['terrorism'], accepted: ['恐怖行径'], forbidden: [], note: 'client term', unless: [] }] }, { author: 't' }))!;
    await agent.post(`/documents/${docId}/glossary`).type('form').send({ _csrf: f.token, glossary: String(other) }).expect(303);
    const chosen = await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200);
    expect(chosen.text).toContain('client term');
    expect(chosen.text).not.toContain('test rule');
    // The review page's markers follow the same glossary.
    const review = await agent.get(`/documents/${docId}`).expect(200);
    expect(review.text).toContain('client term');
    expect(review.text).not.toContain('test rule');
    expect((await store.history(docId)).at(-1)!.op).toEqual({ kind: 'setGlossary', glossaryId: other, name: 'Other client' });
    // So do the rows a change sends back to the page's script.
    const withTerm = (await store.getDocument(docId)).beads.find((b) => /client term/.test(review.text.split(`data-bead="${b.id}"`)[2]?.split('</tbody>')[0] ?? ''))!;
    const changed = await agent
      .post(`/documents/${docId}/op`)
      .set('Accept', 'application/json')
      .set('x-csrf-token', f.token)
      .set('x-reviewer', 'Gloss Ary')
      .set('x-review-view', '')
      .type('form')
      .send({ act: `flag:${withTerm.id}` })
      .expect(200);
    expect(changed.body.rows.html).toContain('client term');
    expect(changed.body.rows.html).not.toContain('test rule');
    await agent.post(`/documents/${docId}/glossary`).type('form').send({ _csrf: f.token, glossary: 'default' }).expect(303);
    expect((await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200)).text).toContain('test rule');
  });

  it('exports TSV and TBX and imports them back as new glossaries with the same entries', async () => {
    const g = await store.getGlossary(gid);
    const content = (e: { english: string[]; accepted: string[]; forbidden: string[]; note: string; unless: string[] }) => ({ english: e.english, accepted: e.accepted, forbidden: e.forbidden, note: e.note, unless: e.unless });
    for (const [path, ext] of [
      [`/glossaries/${gid}/export.tsv`, 'tsv'],
      [`/glossaries/${gid}/export.tbx`, 'tbx'],
      [`/glossaries/${gid}/export.tbx?version=2`, 'tbx'],
    ] as const) {
      const file = await agent.get(path).buffer(true).parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      }).expect(200);
      expect(String(file.headers['content-disposition'])).toContain(`.${ext}`);
      const f = await page('/glossaries');
      const res = await agent.post(`/glossaries/import?_csrf=${encodeURIComponent(f.token)}`).field('name', `Round trip ${path}`).attach('file', file.body as Buffer, `g.${ext}`).expect(303);
      const copy = await store.getGlossary(Number(String(res.headers.location).split('/').pop()));
      expect(copy.entryList.map(content)).toEqual(g.entryList.map(content));
    }
  });
});
