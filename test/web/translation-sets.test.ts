/**
 * Translation sets through the whole app: several translations imported at once (API with
 * `Prefer: wait`, and the import page's plain form), the side-by-side page (chosen translations,
 * "(none)" where a sentence was left out, links to each translation's rows), the review page's link
 * to it, the multilingual TMX (page and API, valid against the DTD), and the refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDocument } from '../../server/review/index.js';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';
import { xmllint } from '../formats/fixtures.js';
import { communique, PLANTED } from '../helpers/communique.js';
import { landingOf } from './fixtures.js';

let dir: string;
let store: Store;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let token = '';
let setId = '';
let docIds: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-sets-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, "corpus") }, { log: false });
  agent = request.agent(app);
  token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
  await agent.post('/reviewer').set('x-csrf-token', token).set('Accept', 'application/json').send({ name: 'Ann' }).expect(200);
  const res = await agent
    .post('/api/translation-sets')
    .set('x-csrf-token', token)
    .set('Prefer', 'wait=60')
    .send({ name: 'Communiqué', source: communique('en'), sourceLang: 'en', model: 'generic', translations: (['fr', 'es', 'ru'] as const).map((lang) => ({ lang, text: communique(lang) })) })
    .expect(201);
  setId = (res.body as { id: string }).id;
  docIds = (res.body as { documents: { id: string }[] }).documents.map((d) => d.id);
}, 90_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('translation sets on the web', () => {
  it('imports over the API and answers the set with its documents and rows', async () => {
    expect(setId).toMatch(/^s[0-9a-f]{12}$/);
    const set = (await agent.get(`/api/translation-sets/${setId}`).expect(200)).body as { name: string; sourceLang: string; documents: { id: string; targetLang: string }[]; rows: { source: string; targets: { text: string }[] }[] };
    expect(set.name).toBe('Communiqué');
    expect(set.documents.map((d) => [d.id, d.targetLang])).toEqual([
      [docIds[0], 'fr'],
      [docIds[1], 'es'],
      [docIds[2], 'ru'],
    ]);
    expect(set.rows.filter((r) => r.targets.some((t) => t.text === ''))).toHaveLength(3);
    await agent.get('/api/translation-sets/s0000').expect(404);
    await agent.get('/api/translation-sets/..%2F..').expect(400);
  });

  it('shows the original with the chosen translations side by side, without JavaScript', async () => {
    const all = await agent.get(`/sets/${setId}`).expect(200);
    expect(all.text).toMatch(/<th>English \(original\)<\/th><th>French<\/th><th>Spanish<\/th><th>Russian<\/th>/);
    expect(all.text.match(/<span class="empty-side">\(none\)<\/span>/g)).toHaveLength(3);
    expect(all.text).toContain(`href="/documents/${docIds[0]}/go/`);
    expect(all.text).toMatch(/<input type="checkbox" name="show" value="fr" checked> French \(fr\), 1 row without text/);
    const two = await agent.get(`/sets/${setId}?show=ru&show=fr`).expect(200);
    expect(two.text).toMatch(/<th>English \(original\)<\/th><th>French<\/th><th>Russian<\/th><\/tr>/);
    expect(two.text).toContain('lang="ru" dir="ltr"');
    expect(two.text).toContain(`href="/sets/${setId}/export.tmx?show=fr&amp;show=ru"`);
    expect(two.text.match(/<span class="empty-side">\(none\)<\/span>/g)).toHaveLength(2);
    const review = await agent.get(`/documents/${docIds[1]}`).expect(200);
    expect(review.text).toContain(`<a href="/sets/${setId}" id="translation-set">All 3 translations side by side</a>`);
    expect(review.text).toContain('lang="es" dir="ltr"');
    await agent.get('/sets/s0000').expect(404);
  });

  it('exports multilingual TMX that the DTD validates, all translations or the chosen ones', async () => {
    const all = await agent.get(`/sets/${setId}/export.tmx`).expect(200);
    expect(all.headers['content-type']).toMatch(/^application\/x-tmx\+xml/);
    expect(all.headers['content-disposition']).toContain('.tmx');
    const xml = all.text;
    expect(xmllint(xml, 'tmx')).toBe('');
    expect(xml.match(/<tu /g)).toHaveLength(15);
    expect(xml.match(/<tuv xml:lang="fr">/g)).toHaveLength(14);
    const api = await agent.get(`/api/translation-sets/${setId}/export?format=tmx&show=es`).expect(200);
    expect(xmllint(api.text, 'tmx')).toBe('');
    expect(api.text).not.toContain('xml:lang="fr"');
    expect(api.text).toContain(`<note>No es translation of this segment</note>`);
  });

  it('imports from the import page’s plain form and lands on the set', async () => {
    const page = await agent.get('/import').expect(200);
    expect(page.text).toContain('id="translations-import-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const bad = await agent.post('/import/translations').field('_csrf', csrf).field('name', 'Form set').field('sourceLang', 'en').field('sourceText', communique('en')).field('t1Lang', 'f r').field('t1Text', 'x').expect(422);
    expect(bad.text).toContain('Translation 1: “f r” is not a language code');
    expect(bad.text).toContain('value="Form set"');
    const res = await agent
      .post('/import/translations')
      .field('_csrf', csrf)
      .field('name', 'Form set')
      .field('sourceLang', 'en')
      .field('sourceText', communique('en'))
      .field('model', 'generic')
      .field('t1Lang', 'ru')
      .field('t1Text', communique('ru'))
      .field('t2Lang', '')
      .field('t2Text', '')
      .attach('t3File', Buffer.from(communique('es')), 'es.txt')
      .field('t3Lang', 'es');
    expect(res.status, /<div class="errors"[\s\S]*?<\/div>/.exec(res.text)?.[0] ?? '').toBe(303);
    const landing = await landingOf(agent, String(res.headers.location));
    expect(landing).toMatch(/^\/sets\/s[0-9a-f]+$/);
    const set = await agent.get(landing).expect(200);
    expect(set.text).toMatch(/<th>English \(original\)<\/th><th>Russian<\/th><th>Spanish<\/th>/);
    expect(set.text).toContain(PLANTED.es.omitted);
  }, 60_000);

  it('refuses a second translation in one language and a translation without text, storing nothing', async () => {
    const count = (await store.listDocuments()).length;
    const post = (body: object) => agent.post('/api/translation-sets').set('x-csrf-token', token).send(body);
    const dup = await post({ name: 'x', source: communique('en'), translations: [{ lang: 'fr', text: communique('fr') }, { lang: 'fr', text: communique('fr') }] }).expect(422);
    expect((dup.body as { error: string }).error).toContain('a second translation in fr');
    await post({ name: 'x', source: communique('en'), translations: [{ lang: 'fr' }] }).expect(422);
    await post({ name: 'x', source: communique('en'), translations: [] }).expect(422);
    expect((await store.listDocuments()).length).toBe(count);
  });

  it('keeps a glossary per language pair: an en → fr glossary chosen for the French translation finds its terms there', async () => {
    const g = await agent
      .post('/api/glossaries')
      .set('x-csrf-token', token)
      .send({ name: 'Water terms', sourceLang: 'en', targetLang: 'fr', entries: [{ english: 'treatment plants', accepted: ["stations d'épuration"], forbidden: ['stations de traitement'] }] })
      .expect(201);
    const gid = (g.body as { id: number; sourceLang: string; targetLang: string }).id;
    expect(g.body).toMatchObject({ sourceLang: 'en', targetLang: 'fr' });
    await agent.post('/api/glossaries').set('x-csrf-token', token).send({ name: 'Bad', sourceLang: 'f r' }).expect(400);
    const list = await agent.get('/glossaries').expect(200);
    expect(list.text).toContain('<td>en → fr</td>');
    const page = await agent.get(`/glossaries/${gid}`).expect(200);
    expect(page.text).toContain('For English → French documents');
    expect(page.text).toContain('<label>Accepted French <input name="accepted"');
    await store.setDocumentGlossary(docIds[0]!, gid, { author: 'Ann' });
    const qa = await agent.get(`/documents/${docIds[0]}/qa`).expect(200);
    expect(qa.text).toContain('&#34;stations de traitement&#34; is a wrong rendering of &#34;treatment plants&#34;; use stations d&#39;épuration');
    // The Spanish translation with the same glossary: another pair, not checked against it.
    await store.setDocumentGlossary(docIds[1]!, gid, { author: 'Ann' });
    const es = await agent.get(`/documents/${docIds[1]}/qa`).expect(200);
    expect(es.text).not.toContain('wrong rendering');
  });

  it('writes the TMX of a large set in a job: the page goes to the job, the API answers with the file when done in time', async () => {
    const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...doc } = syntheticDocument(1600, { name: 'Large (zh)' });
    const fr = { ...doc, name: 'Large (fr)', target: { ...doc.target, lang: 'fr' } };
    const ids = await store.storeDocuments([{ kind: 'new', doc }, { kind: 'new', doc: fr }], { author: 'Ann', translationSet: true });
    const large = (await store.translationSetOf(ids[0]!))!.id;
    const page = await agent.get(`/sets/${large}/export.tmx`).expect(303);
    expect(page.headers.location).toMatch(/^\/jobs\/j[0-9a-f]{16}$/);
    const api = await agent.get(`/api/translation-sets/${large}/export?format=tmx`).set('Prefer', 'wait=60').expect(200);
    expect(api.headers['content-disposition']).toContain('Large.tmx');
    expect(xmllint(api.text, 'tmx')).toBe('');
    expect(api.text.match(/<tu /g)).toHaveLength(1600);
    // The job's page offers the file instead of moving on.
    const job = await agent.get(String(page.headers.location)).expect(200);
    expect(job.text).toContain('/file');
  }, 90_000);
});
