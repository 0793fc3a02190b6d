/**
 * The HTML pages through the whole app (createApp with security middleware) on a temporary DATA_DIR:
 * every page renders, user text is escaped, forms carry the CSRF token, operations redirect back to
 * the row, filters and search, the 409 page, import errors keep the values and store nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/web/app.js';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { landingOf, makeDoc } from './fixtures.js';

const NASTY_ZH = '<script>alert("zh")</script>中文 & “引号” \'单\'';
const NASTY_EN = '<script>alert(\'en\')</script> Tom & "Jerry" <b>bold</b>';

let dir: string;
let store: Store;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let token = '';

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no _csrf field in the page');
  return m[1];
}

/** Every POST form carries a hidden _csrf with the current token (`min`: how many the page has at least). */
function expectCsrfOnEveryPostForm(html: string, min = 1): void {
  const forms = html.match(/<form\b[^>]*method="post"[\s\S]*?<\/form>/g) ?? [];
  expect(forms.length).toBeGreaterThanOrEqual(min);
  for (const f of forms) expect(f).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
}

async function newDoc(n: number, opts: Parameters<typeof makeDoc>[1] = {}): Promise<string> {
  return await store.createDocument(makeDoc(n, opts), { author: 'tester' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-pages-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  agent = request.agent(app);
  const home = await agent.get('/').expect(200);
  token = csrfOf(home.text);
  // A change from the pages carries the reviewer's name, asked once (tests of asking: below).
  await agent.post('/reviewer').type('form').send({ _csrf: token, name: 'tester' }).expect(303);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('documents list', () => {
  it('lists documents with escaped names, progress and delete/re-align', async () => {
    const id = await newDoc(6, { name: 'Doc <script>x</script> & "q"' });
    const res = await agent.get('/').expect(200).expect('content-type', /html/);
    expect(res.text).toContain('Doc &lt;script&gt;x&lt;/script&gt; &amp; &#34;q&#34;');
    expect(res.text).not.toContain('<script>x</script>');
    expect(res.text).toContain(`href="/documents/${id}"`);
    expect(res.text).toMatch(/<progress max="6" value="0">/);
    expect(res.text).toContain(`/documents/${id}/delete`);
    // Re-align asks first: the list links to the confirmation page.
    expect(res.text).toContain(`href="/documents/${id}/realign"`);
    // No change is made from the list itself any more (the header's name form is there until a name is set).
    expectCsrfOnEveryPostForm(res.text, 0);
    expectCsrfOnEveryPostForm((await request.agent(app).get('/').expect(200)).text);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('review page', () => {
  it('renders one row per bead with paragraph headers and escapes both sides', async () => {
    const id = await newDoc(8, { zh: (i) => (i === 2 ? NASTY_ZH : `第${i + 1}句。`), en: (i) => (i === 2 ? NASTY_EN : `Sentence ${i + 1}.`) });
    const res = await agent.get(`/documents/${id}`).expect(200);
    expect(res.text.match(/<tr id="b-/g)?.length).toBe(8);
    // One <tbody> per row (a change replaces its rows in place), numbered 1…N.
    expect([...res.text.matchAll(/<tbody class="rg" data-bead="([^"]+)" data-n="(\d+)">/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual(
      Array.from({ length: 8 }, (_, i) => `b${i + 1}:${i + 1}`),
    );
    expect(res.text).toContain('class="para"');
    expect(res.text).not.toMatch(/<script>alert/);
    expect(res.text).toContain('&lt;script&gt;alert(&#34;zh&#34;)&lt;/script&gt;中文 &amp; “引号” &#39;单&#39;');
    expect(res.text).toContain('&lt;script&gt;alert(&#39;en&#39;)&lt;/script&gt; Tom &amp; &#34;Jerry&#34; &lt;b&gt;bold&lt;/b&gt;');
    // No inline script or style (the CSP forbids them).
    expect(res.text).not.toMatch(/<script>(?!<)/);
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.text).toMatch(/class="conf conf-\d"/);
    expectCsrfOnEveryPostForm(res.text);
    expect(res.text).toContain(`name="baseRevision" value="0"`);
    // Re-align asks first (a link to what it keeps and changes), and says what it keeps.
    expect(res.text).toContain(`<a class="button" href="/documents/${id}/realign" data-realign`);
    expect(res.text).toContain('confirmed, flagged and hand-aligned rows stay as they are');
    // The glossary (used by the QA checks) is reachable from every page.
    expect(res.text).toMatch(/<nav class="main-nav">[\s\S]*href="\/glossary"[\s\S]*<\/nav>/);
  });

  it('filters: unconfirmed, confidence below a threshold, flagged; search either side', async () => {
    const id = await newDoc(10, { zh: (i) => `中文句子${i + 1}号。`, en: (i) => `English row ${i + 1} here.` });
    const doc = await store.getDocument(id);
    await store.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 't' });
    await store.apply(id, { kind: 'flag', beadId: 'b3' }, { author: 't' });
    const rowsOf = (html: string): string[] => [...html.matchAll(/<tr id="b-([^"]+)"/g)].map((m) => m[1]!);

    const unconf = await agent.get(`/documents/${id}?filter=unconfirmed`).expect(200);
    expect(rowsOf(unconf.text)).not.toContain('b1');
    expect(rowsOf(unconf.text)).toHaveLength(9);

    const flagged = await agent.get(`/documents/${id}?filter=flagged`).expect(200);
    expect(rowsOf(flagged.text)).toEqual(['b3']);

    const low = await agent.get(`/documents/${id}?below=0.3`).expect(200);
    const expected = doc.beads.filter((b) => b.confidence < 0.3).map((b) => b.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(rowsOf(low.text)).toEqual(expected);

    const zh = await agent.get(`/documents/${id}?q=${encodeURIComponent('句子7号')}`).expect(200);
    expect(rowsOf(zh.text)).toEqual(['b7']);
    const en = await agent.get(`/documents/${id}?q=ROW%204%20`).expect(200);
    expect(rowsOf(en.text)).toEqual(['b4']);
    expect(en.text).toContain('value="ROW 4 "');
  });

  it('gives the symbol buttons of each row an accessible name that says what and which row', async () => {
    const id = await newDoc(3);
    await store.apply(id, { kind: 'confirm', beadId: 'b2' }, { author: 't' });
    await store.apply(id, { kind: 'flag', beadId: 'b3' }, { author: 't' });
    const res = await agent.get(`/documents/${id}`).expect(200);
    const ops = [...res.text.matchAll(/<td class="ops">([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    expect(ops).toHaveLength(3);
    ops.forEach((cell, i) => {
      const buttons = cell.match(/<button\b[^>]*>/g) ?? [];
      expect(buttons.length).toBeGreaterThanOrEqual(4);
      for (const b of buttons) expect(b).toMatch(new RegExp(`aria-label="[A-Z][^"]*\\b[Rr]ow ${i + 1}\\b[^"]*"`));
      expect(cell).toMatch(new RegExp(`<a [^>]*aria-label="[^"]*\\b[Rr]ow ${i + 1}\\b[^"]*"`));
    });
    expect(ops[0]).toContain('aria-label="Confirm row 1"');
    expect(ops[1]).toContain('aria-label="Unconfirm row 2"');
    expect(ops[2]).toContain('aria-label="Remove the flag of row 3"');
  });

  it('marks the language of the texts, not of the English column headings; the threshold takes any two decimals', async () => {
    const id = await newDoc(3);
    await store.apply(id, { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: 'awkward' }, { author: 't' });
    for (const path of ['', '/rows/b1', '/paragraphs']) {
      const res = await agent.get(`/documents/${id}${path}`).expect(200);
      // "Chinese" / "English" are words of the (English) interface: a lang="zh" on them is wrong.
      expect(res.text, path).not.toMatch(/<th[^>]* lang=/);
      expect(res.text, path).toMatch(/<td[^>]* lang="zh"/);
      expect(res.text, path).toMatch(/<td[^>]* lang="en"/);
    }
    const review = await agent.get(`/documents/${id}`).expect(200);
    // step="0.05" made a browser refuse e.g. 0.33 ("enter a valid value") without saying why.
    expect(review.text).toMatch(/<input name="below" type="number" min="0" max="1" step="0.01"/);
    // An issue reads as its category's name and comment, with severity icon, and who raised it.
    expect(review.text).toContain(
      '<span class="mark mark-issue by-reviewer sev-minor" title="Style: awkward (minor; issue by t)"><span class="sev" aria-hidden="true">●</span><span class="who" aria-hidden="true">✎</span> <b>Style</b>: awkward</span>',
    );
  });

  it('shows QA findings of the rows by name, with what is wrong in words, apart from issues; a legend says how to read them', async () => {
    const id = await newDoc(3, {
      zh: (i) => (i === 1 ? '我们有25个成员。' : `第${i + 1}句。`),
      en: (i) => (i === 1 ? 'We have 52 members.' : `Sentence ${i + 1}.`),
    });
    const res = await agent.get(`/documents/${id}`).expect(200);
    const row = /<tr id="b-b2"[\s\S]*?<\/tr>/.exec(res.text)?.[0] ?? '';
    expect(row).toMatch(/<span class="mark mark-finding by-qa sev-major" title="Mistranslation: [^"]*52[^"]*\(major; QA check numbers\)"><span class="sev" aria-hidden="true">▲<\/span> <b>Mistranslation<\/b>: [^<]*52/);
    expect(res.text).toContain('<ul class="legend marks-legend" aria-label="What the marks mean">');
    expect(res.text).toContain('QA finding (automatic, not decided yet)');
    expect(res.text).toContain('issue a reviewer added');
  });

  it('jumps to the next unconfirmed row on the right page', async () => {
    const id = await newDoc(620);
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b550' }, { author: 't' });
    const page = await agent.get(`/documents/${id}`).expect(200);
    expect(page.text.match(/<tr id="b-/g)?.length).toBe(500);
    expect(page.text).toContain(`href="/documents/${id}/next"`);
    await agent.get(`/documents/${id}/next`).expect(303).expect('location', `/documents/${id}/go/b551`);
    await agent.get(`/documents/${id}/next?after=b560`).expect(303).expect('location', `/documents/${id}/go/b561`);
    expect(page.text).toContain(`data-next="/documents/${id}/next?after=b500"`);
    const go = await agent.get(`/documents/${id}/go/b551`).expect(303);
    expect(go.headers.location).toBe(`/documents/${id}?page=2#b-b551`);
    const p2 = await agent.get(`/documents/${id}?page=2`).expect(200);
    expect(p2.text.match(/<tr id="b-/g)?.length).toBe(120);
    const all = await agent.get(`/documents/${id}?page=all`).expect(200);
    expect(all.text.match(/<tr id="b-/g)?.length).toBe(620);
  });
});

describe('operations through the forms', () => {
  it('confirm, merge, split, move, insert counterpart, confirm above: each redirects back to the row', async () => {
    const id = await newDoc(6);
    const post = (fields: Record<string, string>) =>
      agent.post(`/documents/${id}/op`).type('form').send({ _csrf: token, back: `/documents/${id}?filter=all`, ...fields });

    let res = await post({ act: 'confirm:b2', baseRevision: '0' }).expect(303);
    expect(res.headers.location).toBe(`/documents/${id}?filter=all#b-b2`);
    expect((await store.getDocument(id)).beads[1]!.status).toBe('confirmed');

    await post({ act: 'merge:b3' }).expect(303);
    let doc = await store.getDocument(id);
    expect(doc.beads[2]!.source).toEqual([2, 3]);

    res = await post({ op: 'split', beadId: 'b3', sourceAt: '1', targetAt: '1' }).expect(303);
    doc = await store.getDocument(id);
    expect(doc.beads).toHaveLength(6);
    expect(doc.beads[2]!.source).toEqual([2]);

    await post({ act: 'shiftUp:target:b5' }).expect(303);
    doc = await store.getDocument(id);
    expect(doc.beads.find((b) => b.target.includes(4))?.source).toEqual([3]);

    await post({ act: 'detach:source:b6' }).expect(303);
    doc = await store.getDocument(id);
    expect(doc.beads.some((b) => b.source.length === 1 && b.target.length === 0)).toBe(true);

    await post({ act: 'confirmAbove:b2' }).expect(303);
    expect((await store.getDocument(id)).beads[0]!.status).toBe('confirmed');

    const history = await agent.get(`/documents/${id}/history`).expect(200);
    // Row numbers (positions at the time), not ids.
    expect(history.text).toContain('merged rows 3–4');
    expect(history.text).toContain('split row 3 into rows 3–4');
    expect(history.text).not.toMatch(/row b\d/);
    expect(history.text).toContain('tester');
    expectCsrfOnEveryPostForm(history.text);
  });

  it('edits a target sentence and shows the character diff against the machine output', async () => {
    const id = await newDoc(3, { zh: (i) => `原来的第${i + 1}句。` });
    await agent
      .post(`/documents/${id}/op`)
      .type('form')
      .send({ _csrf: token, op: 'editTarget', beadId: 'b2', sentence: '1', text: '修改后的第2句 & <i>。', back: `/documents/${id}/rows/b2` })
      .expect(303)
      .expect('location', `/documents/${id}/rows/b2#b-b2`);
    const row = await agent.get(`/documents/${id}/rows/b2`).expect(200);
    expect(row.text).toContain('<ins>');
    expect(row.text).toContain('<del>');
    expect(row.text).toContain('&lt;i&gt;');
    expect(row.text).toContain('原来的第2句。'); // the machine original is kept and shown
    expectCsrfOnEveryPostForm(row.text);
    const review = await agent.get(`/documents/${id}`).expect(200);
    expect(review.text).toContain('class="s edited"');
  });

  it('adds an issue with an escaped comment shown as a marker tooltip; undo and redo', async () => {
    const id = await newDoc(3);
    await agent
      .post(`/documents/${id}/op`)
      .type('form')
      .send({ _csrf: token, op: 'addIssue', beadId: 'b1', category: 'Accuracy/Omission', severity: 'major', comment: '<script>x</script> & "it"' })
      .expect(303);
    let review = await agent.get(`/documents/${id}`).expect(200);
    expect(review.text).toMatch(/class="mark mark-issue by-reviewer sev-major" title="Omission: &lt;script&gt;x&lt;\/script&gt; &amp; &#34;it&#34; \(major; issue by tester\)"/);
    await agent.post(`/documents/${id}/undo`).type('form').send({ _csrf: token }).expect(303);
    expect((await store.getDocument(id)).issues).toHaveLength(0);
    review = await agent.get(`/documents/${id}`).expect(200);
    expect(review.text).not.toMatch(/<td class="marks"><span class="mark mark-issue/);
    await agent.post(`/documents/${id}/redo`).type('form').send({ _csrf: token }).expect(303);
    expect((await store.getDocument(id)).issues).toHaveLength(1);
  });

  it('answers the script with JSON when asked', async () => {
    const id = await newDoc(3);
    const res = await agent
      .post(`/documents/${id}/op`)
      .set('accept', 'application/json')
      .set('x-csrf-token', token)
      .type('form')
      .send({ act: 'flag:b2', back: `/documents/${id}` })
      .expect(200);
    expect(res.body).toMatchObject({ ok: true, revision: 1, location: `/documents/${id}#b-b2`, beadId: 'b2', message: 'Flagged row 2' });
    expect(res.body.counts).toMatchObject({ total: 3, flagged: 1 });
    // The page asks for the changed rows too: they come rendered (and the row below, for its number and header).
    const rows = await agent
      .post(`/documents/${id}/op`)
      .set('accept', 'application/json')
      .set('x-csrf-token', token)
      .set('x-review-view', '')
      .type('form')
      .send({ act: 'merge:b1', back: `/documents/${id}` })
      .expect(200);
    expect(rows.body.message).toBe('Merged rows 1–2');
    expect(rows.body.rows).toMatchObject({ remove: ['b2'], context: 'b3', span: { at: 0, before: 2, after: 1 }, refresh: false });
    expect([...String(rows.body.rows.html).matchAll(/<tbody class="rg" data-bead="([^"]+)" data-n="(\d+)">/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual(['b1:1', 'b3:2']);
  });

  it('asks for the reviewer name before the first change, and changes nothing until given', async () => {
    const id = await newDoc(2);
    const fresh = request.agent(app);
    const t = csrfOf((await fresh.get('/').expect(200)).text);
    const plain = await fresh.post(`/documents/${id}/op`).type('form').send({ _csrf: t, act: 'confirm:b1', back: `/documents/${id}` }).expect(303);
    expect(plain.headers.location).toBe(`/reviewer?returnTo=${encodeURIComponent(`/documents/${id}`)}`);
    const script = await fresh.post(`/documents/${id}/op`).set('accept', 'application/json').set('x-csrf-token', t).type('form').send({ act: 'confirm:b1' }).expect(403);
    expect(script.body).toMatchObject({ needsReviewer: true });
    expect((await store.getDocument(id)).revision).toBe(0);
    await fresh.post('/reviewer').type('form').send({ _csrf: t, name: 'Newcomer', returnTo: `/documents/${id}` }).expect(303);
    await fresh.post(`/documents/${id}/op`).type('form').send({ _csrf: t, act: 'confirm:b1' }).expect(303);
    expect((await store.history(id)).at(-1)!.author).toBe('Newcomer');
    // An API client names itself in a header.
    const api = request.agent(app);
    const apiToken = ((await api.get('/api/csrf').expect(200)).body as { token: string }).token;
    await api.post(`/api/documents/${id}/ops`).set('x-csrf-token', apiToken).set('x-reviewer', 'Batch Script').send({ op: { kind: 'flag', beadId: 'b2' } }).expect(200);
    expect((await store.history(id)).at(-1)!.author).toBe('Batch Script');
  });

  it('goes to a row by its number', async () => {
    const id = await newDoc(620);
    await agent.get(`/documents/${id}/at/3`).expect(303).expect('location', `/documents/${id}/go/b3`);
    await agent.get(`/documents/${id}/at/9999`).expect(303).expect('location', `/documents/${id}/go/b620`);
    await agent.get(`/documents/${id}/at/0`).expect(400);
  });

  it('refuses a POST without the CSRF token', async () => {
    const id = await newDoc(2);
    await request(app).post(`/documents/${id}/op`).type('form').send({ act: 'confirm:b1' }).expect(403);
    expect((await store.getDocument(id)).beads[0]!.status).toBe('automatic');
  });

  it('shows a 409 page with what changed when the change conflicts', async () => {
    const id = await newDoc(4);
    await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'Alice <a&b>' });
    const res = await agent
      .post(`/documents/${id}/op`)
      .type('form')
      .send({ _csrf: token, act: 'confirm:b3', baseRevision: '0', back: `/documents/${id}` })
      .expect(409);
    expect(res.text).toContain('Someone else changed this document');
    expect(res.text).toContain('merged rows 2–3');
    expect(res.text).toContain('Alice &lt;a&amp;b&gt;');
    expect((await store.getDocument(id)).revision).toBe(1);
    // A change that touches nothing changed since is still accepted.
    await agent.post(`/documents/${id}/op`).type('form').send({ _csrf: token, act: 'confirm:b4', baseRevision: '0' }).expect(303);
  });

  it('after a move that empties the row, goes back to the row that took the sentence (not to a 404)', async () => {
    const id = await newDoc(4);
    await store.apply(id, { kind: 'detach', side: 'source', beadId: 'b3' }, { author: 't' }); // b3: Chinese only
    // The row page's forms return to /go/<row>; b3 disappears when its only sentence moves up into b2.
    const res = await agent.post(`/documents/${id}/op`).type('form').send({ _csrf: token, act: 'shiftUp:target:b3', back: `/documents/${id}/go/b3` }).expect(303);
    expect((await store.getDocument(id)).beads.some((b) => b.id === 'b3')).toBe(false);
    expect(res.headers.location).toBe(`/documents/${id}/go/b2#b-b2`);
    await agent.get(String(res.headers.location)).expect(303);
  });

  it('the 409 page links back to a row that still exists and says which change was refused', async () => {
    const id = await newDoc(4);
    await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'Alice' }); // b3 merged into b2
    const res = await agent
      .post(`/documents/${id}/op`)
      .type('form')
      .send({ _csrf: token, act: 'shiftUp:target:b3', baseRevision: '0', back: `/documents/${id}/go/b3` })
      .expect(409);
    expect(res.text).toContain('merged rows 2–3');
    // The refused change, named by the row numbers the poster saw… as far as they still exist (b3 is gone).
    expect(res.text).toContain('Your change (not applied): <strong>moved the first Chinese sentence of a row to the row above</strong>');
    const reload = /<a class="button" href="([^"]+)">Reload/.exec(res.text)?.[1] ?? '';
    expect(reload).toBe(`/documents/${id}/go/b2`);
    await agent.get(reload).expect(303);
  });

  it('an undo posted from a stale page is refused with 409, saying what changed and what was refused', async () => {
    const id = await newDoc(3);
    await store.apply(id, { kind: 'flag', beadId: 'b2' }, { author: 'Alice' });
    const res = await agent.post(`/documents/${id}/undo`).type('form').send({ _csrf: token, baseRevision: '0', back: `/documents/${id}` }).expect(409);
    expect(res.text).toContain('flagged row 2');
    expect(res.text).toContain('Your change (not applied): <strong>undo the last change</strong>');
    expect((await store.getDocument(id)).beads[1]!.status).toBe('flagged');
  });

  it('refuses an oversized request with a clear message on the error page', async () => {
    const id = await newDoc(2);
    const res = await agent
      .post(`/documents/${id}/op`)
      .type('form')
      .send({ _csrf: token, op: 'editTarget', sentence: '0', text: '长'.repeat(200_000) })
      .expect(413);
    expect(res.text).toContain('Error 413');
    expect(res.text).toContain('too large');
    expect((await store.getDocument(id)).revision).toBe(0);
  });

  it('the error page of a refused request leads back to the page the form was on (this site only)', async () => {
    const id = await newDoc(2);
    const res = await agent
      .post(`/documents/${id}/op`)
      .set('Referer', `http://127.0.0.1/documents/${id}/rows/b1?filter=all`)
      .type('form')
      .send({ _csrf: token, op: 'editTarget', sentence: '0', text: '长'.repeat(200_000) })
      .expect(413);
    expect(res.text).toContain(`<a href="/documents/${id}/rows/b1?filter=all">Back</a>`);
    const other = await agent.post(`/documents/${id}/op`).set('Referer', 'https://evil.example//evil.example/x').type('form').send({ text: 'x' }).expect(403);
    expect(other.text).toContain('<a href="/">Back</a>');
  });

  it('shows a clear message for an invalid operation and never redirects off-site', async () => {
    const id = await newDoc(2);
    const res = await agent.post(`/documents/${id}/op`).type('form').send({ _csrf: token, act: 'merge:b2', back: '//evil.example/' }).expect(422);
    expect(res.text).toContain('cannot be merged');
    const ok = await agent.post(`/documents/${id}/op`).type('form').send({ _csrf: token, act: 'confirm:b1', back: 'https://evil.example/' }).expect(303);
    expect(ok.headers.location).toBe(`/documents/${id}#b-b1`);
  });
});

describe('re-align', () => {
  it('asks first, then re-aligns the rows nobody decided on, keeping confirmed and hand-aligned rows; undo restores them', async () => {
    // A document whose rows 5–8 are misaligned by one sentence (the aligner's mistake to fix).
    const base = makeDoc(8);
    const beads = base.beads.map((b, i) => (i >= 4 && i < 7 ? { ...b, target: [i + 1] } : b));
    beads[3] = { ...beads[3]!, target: [3, 4] };
    beads[7] = { ...beads[7]!, target: [] };
    const id = await store.createDocument({ ...base, beads, model: 'length' }, { author: 'tester' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b2' }, { author: 't' });
    await store.apply(id, { kind: 'merge', beadId: 'b3' }, { author: 't' }); // b3 + b4: aligned by hand
    const before = await store.getDocument(id);
    // Without confirm=yes the form leads to the confirmation page, which says what is kept.
    await agent.post(`/documents/${id}/realign`).type('form').send({ _csrf: token, back: `/documents/${id}` }).expect(303).expect('location', `/documents/${id}/realign`);
    const ask = await agent.get(`/documents/${id}/realign`).expect(200);
    expect(ask.text).toContain('<strong>2</strong> confirmed');
    expect(ask.text).toContain('<strong>1</strong> hand-aligned row');
    expect(ask.text).toContain('Re-align 4 rows');
    expectCsrfOnEveryPostForm(ask.text);
    expect((await store.getDocument(id)).revision).toBe(before.revision);
    // Re-aligning runs as a job: the form leads to its page, which lands on the first re-aligned row.
    const job = await agent.post(`/documents/${id}/realign`).type('form').send({ _csrf: token, confirm: 'yes', baseRevision: String(before.revision), back: `/documents/${id}` }).expect(303);
    const landing = await landingOf(agent, String(job.headers.location));
    const known = new Set(before.beads.map((b) => b.id));
    const first = (await store.getDocument(id)).beads.find((b) => !known.has(b.id))!;
    expect(landing).toBe(`/documents/${id}/go/${first.id}`);
    expect((await agent.get(landing).expect(303)).headers.location).toBe(`/documents/${id}#b-${first.id}`);
    const after = await store.getDocument(id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.beads.slice(0, 3)).toEqual(before.beads.slice(0, 3));
    expect(after.beads.slice(3).every((b) => b.status === 'automatic')).toBe(true);
    const history = await agent.get(`/documents/${id}/history`).expect(200);
    expect(history.text).toContain('re-aligned');
    await agent.post(`/documents/${id}/undo`).type('form').send({ _csrf: token }).expect(303);
    expect((await store.getDocument(id)).beads).toEqual(before.beads);
    // From a row: only that stretch; a fixed row cannot start one.
    const fromFixed = await agent.get(`/documents/${id}/realign?from=b3`).expect(200);
    expect(fromFixed.text).toContain('Row 3 is confirmed, flagged or aligned by hand');
    await store.apply(id, { kind: 'confirmAbove', beadId: before.beads.at(-1)!.id }, { author: 't' });
    // Nothing to re-align: refused at once (no job), saying why.
    const none = await agent.post(`/documents/${id}/realign`).type('form').send({ _csrf: token, confirm: 'yes' }).expect(422);
    expect(none.text).toContain('nothing to re-align');
  });
});

describe('versions', () => {
  it('imports a further target version and shows the per-row diff against it', async () => {
    const id = await newDoc(4, { zh: (i) => `第${i + 1}句说的是数字${i * 3}。`, en: (i) => `Sentence ${i + 1} is about the number ${i * 3}.` });
    const text = ['第1句讲的是数字0。', '第2句说的是数字3。', '第3句说的是数字6。', '第4句说的是数字9 & <b>。'].join('\n');
    const bad = await agent.post(`/documents/${id}/versions/import`).field('_csrf', token).field('name', 'official').field('lang', 'zh').field('text', '').expect(422);
    expect(bad.text).toContain('Text: no text');
    expect(bad.text).toContain('value="official"');
    const res = await agent
      .post(`/documents/${id}/versions/import`)
      .field('_csrf', token)
      .field('name', 'Official <v>')
      .field('lang', 'zh')
      .field('text', text)
      .expect(303);
    // Aligned by a job: its page lands on the review page with the version's diff.
    const location = await landingOf(agent, String(res.headers.location));
    expect(location).toMatch(new RegExp(`^/documents/${id}\\?version=`));
    const page = await agent.get(location).expect(200);
    expect(page.text).toContain('Official &lt;v&gt;');
    expect(page.text.match(/class="vdiff"/g)?.length).toBe(4);
    expect(page.text).toMatch(/<del>说<\/del>|<ins>讲<\/ins>/);
    expect(page.text).toContain('&amp; &lt;b&gt;');
    // Each diff line says which version it compares with.
    expect(page.text.match(/<div class="vdiff" title="Official &lt;v&gt;"><span class="diff-label">Official &lt;v&gt;:<\/span>/g)?.length).toBe(4);
    const versions = await agent.get(`/documents/${id}/versions`).expect(200);
    expect(versions.text).toContain('Official &lt;v&gt;');
  });
});

describe('other pages', () => {
  it('renders row, paragraphs, map, history, versions, delete and reviewer pages', async () => {
    const id = await newDoc(7, { zh: (i) => (i === 0 ? NASTY_ZH : `第${i + 1}句。`), en: (i) => (i === 0 ? NASTY_EN : `Sentence ${i + 1}.`) });
    await store.apply(id, { kind: 'flag', beadId: 'b4' }, { author: 't' });
    for (const path of ['rows/b1', 'paragraphs', 'map', 'history', 'versions', 'delete', 'realign']) {
      const res = await agent.get(`/documents/${id}/${path}`).expect(200);
      expect(res.text).not.toMatch(/<script>alert/);
      expect(res.text).not.toMatch(/\sstyle="/);
      // Paragraphs and map change nothing (no POST form once the reviewer has a name).
      expectCsrfOnEveryPostForm(res.text, path === 'paragraphs' || path === 'map' ? 0 : 1);
    }
    const map = await agent.get(`/documents/${id}/map`).expect(200);
    expect(map.text).toContain('<svg');
    expect(map.text.match(/<a href="\/documents\/[^"]+\/go\/b\d+">/g)?.length).toBe(7);
    expect(map.text).toContain('class="flag-mark"');
    const paras = await agent.get(`/documents/${id}/paragraphs`).expect(200);
    expect(paras.text).toContain('&lt;script&gt;alert(&#34;zh&#34;)');
    // Every tab of the document's navigation leads somewhere, and so does every format of its export menu.
    const nav = /<nav class="doc-nav">[\s\S]*?<\/nav>/.exec(map.text)?.[0] ?? '';
    const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(links.length).toBeGreaterThanOrEqual(6);
    for (const href of links) expect((await agent.get(href)).status, href).toBe(200);
    const menu = /<form method="get" action="([^"]+)" class="export-form">([\s\S]*?)<\/form>/.exec(nav);
    const formats = [...(menu?.[2] ?? '').matchAll(/<option value="(\w+)">/g)].map((m) => m[1]!).filter((f) => f !== 'source' && f !== 'target');
    expect(formats).toEqual(['tmx', 'xliff', 'json', 'jsonl', 'tsv', 'csv', 'bitext']);
    for (const f of formats) expect((await agent.get(`${menu![1]}?format=${f}&side=target&confirmedOnly=1&empty=0`)).status, f).toBe(200);
    const rev = await agent.get('/reviewer').expect(200);
    expectCsrfOnEveryPostForm(rev.text);
    await agent.get('/documents/nope').expect(404);
  });

  it('history names rows by number, then and now, and links only to rows that still exist', async () => {
    const id = await newDoc(6);
    await store.apply(id, { kind: 'confirm', beadId: 'b5' }, { author: 't' });
    await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 't' }); // b3 is gone, b5 is row 4 now
    const res = await agent.get(`/documents/${id}/history`).expect(200);
    const links = [...res.text.matchAll(/href="(\/documents\/[^"]+\/go\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links).toContain(`/documents/${id}/go/b2`);
    for (const href of links) expect((await agent.get(href)).status, href).toBe(303);
    expect(res.text).toContain('merged rows 2–3');
    expect(res.text).toContain('confirmed row 5');
    expect(res.text).toContain(`<a href="/documents/${id}/go/b5" title="id b5">row 4</a>`);
    expect(res.text).toMatch(/<span class="gone"[^>]*>1 gone<\/span>/);
  });

  it('QA report: text cells carry the document\'s languages, not fixed ones', async () => {
    const base = makeDoc(3, { zh: (i) => (i === 1 ? '我们有25个成员。' : `第${i + 1}句。`), en: (i) => (i === 1 ? 'We have 52 members.' : `Sentence ${i + 1}.`) });
    const id = await store.createDocument({ ...base, source: { ...base.source, lang: 'en-GB' }, target: { ...base.target, lang: 'zh-Hant' } }, { author: 'tester' });
    const res = await agent.get(`/documents/${id}/qa`).expect(200);
    const rows = [...res.text.matchAll(/<tr class="sev-[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toMatch(/<td lang="zh-Hant">/);
      expect(r).toMatch(/<td lang="en-GB">/);
    }
  });

  it('glossary page: the Chinese fields of the add form are marked as Chinese, every POST form has the token', async () => {
    const gid = (await store.createGlossary({ name: 'Page test', entries: [] }, { author: 't' }))!;
    const res = await agent.get(`/glossaries/${gid}`).expect(200);
    const add = /<form method="post" action="\/glossaries\/\d+\/entries" class="stack glossary-add">[\s\S]*?<\/form>/.exec(res.text)?.[0] ?? '';
    expect(add).toMatch(/<input name="accepted"[^>]* lang="zh">/);
    expect(add).toMatch(/<input name="forbidden"[^>]* lang="zh">/);
    expectCsrfOnEveryPostForm(res.text);
  });

  it('deletes a document only after the confirmation step', async () => {
    const id = await newDoc(2);
    await agent.post(`/documents/${id}/delete`).type('form').send({ _csrf: token }).expect(303).expect('location', `/documents/${id}/delete`);
    expect((await store.getDocument(id)).id).toBe(id);
    await agent.post(`/documents/${id}/delete`).type('form').send({ _csrf: token, confirm: 'yes' }).expect(303).expect('location', '/');
    expect((await store.listDocuments()).some((d) => d.id === id)).toBe(false);
  });

  it('changing the reviewer name returns to the page it was asked from (this site only)', async () => {
    const res = await agent.get('/reviewer').set('Referer', 'http://127.0.0.1:3000/documents/abc/rows/b2?filter=all').expect(200);
    expect(res.text).toContain('name="returnTo" value="/documents/abc/rows/b2?filter=all"');
    const evil = await agent.get('/reviewer').set('Referer', 'https://evil.example//evil.example/').expect(200);
    expect(evil.text).toContain('name="returnTo" value="/"');
    const explicit = await agent.get('/reviewer?returnTo=%2Fimport').set('Referer', 'http://127.0.0.1/documents/abc').expect(200);
    expect(explicit.text).toContain('name="returnTo" value="/import"');
  });

  it('shows the reviewer name once set and records it with changes', async () => {
    const a = request.agent(app);
    const t = csrfOf((await a.get('/').expect(200)).text);
    await a.post('/reviewer').type('form').send({ _csrf: t, name: 'Zoë <b>' }).expect(303);
    const home = await a.get('/').expect(200);
    expect(home.text).toContain('Reviewer: <strong>Zoë &lt;b&gt;</strong>');
    const id = await newDoc(2);
    await a.post(`/documents/${id}/op`).type('form').send({ _csrf: t, act: 'confirm:b1' }).expect(303);
    expect((await store.history(id)).at(-1)!.author).toBe('Zoë <b>');
  });
});

describe('import page', () => {
  it('keeps the entered values and stores nothing on error', async () => {
    const before = (await store.listDocuments()).length;
    const res = await agent
      .post('/import')
      .field('_csrf', token)
      .field('name', '')
      .field('targetLang', 'zh')
      .field('sourceLang', 'en')
      .field('targetText', '保留<我>的文字 & “引号”')
      .field('sourceText', '')
      .expect(422);
    expect(res.text).toContain('Name: please give the document a name.');
    expect(res.text).toContain('Original: no text');
    expect(res.text).toContain('保留&lt;我&gt;的文字 &amp; “引号”');
    expect((await store.listDocuments()).length).toBe(before);
    expectCsrfOnEveryPostForm(res.text);
  });

  it('refuses a text in a wrong encoding with a clear message, and imports an uploaded GB18030 file', async () => {
    // "中文。" in GB18030.
    const zhGb = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0xa1, 0xa3, 0x0a]);
    const bad = await agent
      .post('/import')
      .field('_csrf', token)
      .field('name', 'gb')
      .field('targetEncoding', 'utf-8')
      .attach('targetFile', zhGb, 'zh.txt')
      .field('sourceText', 'Chinese.')
      .expect(422);
    expect(bad.text).toContain('not valid UTF-8');
    const ok = await agent
      .post('/import')
      .field('_csrf', token)
      .field('name', 'gb detected')
      .field('model', 'length')
      .field('targetEncoding', 'auto')
      .attach('targetFile', zhGb, 'zh.txt')
      .field('sourceText', 'Chinese.')
      .expect(303);
    const id = decodeURIComponent((await landingOf(agent, String(ok.headers.location))).replace('/documents/', ''));
    expect((await store.getDocument(id)).target.sentences[0]!.text).toBe('中文。');
  });

  it('imports pasted texts and opens the review page', async () => {
    const res = await agent
      .post('/import')
      .field('_csrf', token)
      .field('name', 'pasted')
      .field('model', 'length')
      .field('targetText', '第一句。第二句。')
      .field('sourceText', 'First sentence. Second sentence.')
      .expect(303);
    // Aligned by a job: the form leads to the job's page, which lands on the new document.
    expect(res.headers.location).toMatch(/^\/jobs\//);
    const landing = await landingOf(agent, String(res.headers.location));
    expect(landing).toMatch(/^\/documents\//);
    const page = await agent.get(landing).expect(200);
    expect(page.text).toContain('第一句。');
    expect(page.text).toContain('Second sentence.');
  });
});
