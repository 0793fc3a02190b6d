/**
 * A document whose original is not English: the French communiqué as the original and the English
 * as its translation, imported over the API; the review page names the languages, and QA compares
 * the numbers and finds the sentence the English has that the French lacks (an addition, seen from
 * this side).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';
import { communique } from '../helpers/communique.js';

let dir: string;
let store: Store;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let id = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-original-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  agent = request.agent(app);
  const token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
  await agent.post('/reviewer').set('x-csrf-token', token).set('Accept', 'application/json').send({ name: 'Ann' }).expect(200);
  const res = await agent
    .post('/api/documents')
    .set('x-csrf-token', token)
    .set('Prefer', 'wait=60')
    .send({ name: 'Communiqué (fr → en)', source: communique('fr'), target: communique('en'), sourceLang: 'fr', targetLang: 'en', model: 'generic' })
    .expect(201);
  id = (res.body as { id: string }).id;
}, 90_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a French original with its English translation', () => {
  it('is reviewed with its languages named and checked by QA in that direction', async () => {
    const doc = await store.getDocument(id);
    expect([doc.source.lang, doc.target.lang]).toEqual(['fr', 'en']);
    const page = await agent.get(`/documents/${id}`).expect(200);
    expect(page.text).toContain('<td class="tgt" lang="en" dir="ltr">');
    expect(page.text).toContain('<td class="src" lang="fr" dir="ltr">');
    const qa = await agent.get(`/documents/${id}/qa`).expect(200);
    const messages = [...qa.text.matchAll(/<td class="clip" title="([^"]*)"/g)].map((m) => m[1]);
    expect(messages).toContain('Number &#34;29&#34; (29) in the source has no counterpart in the target');
    expect(messages).toContain('Number &#34;27&#34; (27) in the target has no counterpart in the source');
    expect(messages.some((m) => m?.startsWith('Added sentence: &#34;They recognised the contribution'))).toBe(true);
    const json = await agent.get(`/api/documents/${id}/export?format=xliff`).expect(200);
    expect(json.text).toContain('srcLang="fr" trgLang="en"');
  });

  it('links the words of a row in that pair (numbers, names and cognates at least) for the word highlighting', async () => {
    const doc = await store.getDocument(id);
    const row = doc.beads.find((b) => doc.source.sentences[b.source[0]!]?.text.includes('Les ministres chargés'))!;
    const res = await agent.get(`/api/documents/${id}/words?beads=${row.id}`).expect(200);
    const words = (res.body as { langs: { source: string; target: string }; beads: Record<string, { source: unknown[]; target: unknown[]; links: [number, number, number, string][] }> });
    expect(words.langs).toEqual({ source: 'fr', target: 'en' });
    const w = words.beads[row.id]!;
    expect(w.source.length).toBeGreaterThan(10);
    expect(w.target.length).toBeGreaterThan(10);
    // Ministres–Ministers, ressources–resources (no: "resso"/"resou"), Genève–Geneva, 14, mars–March, 2026, programme, régional–regional …
    const text = (side: 'source' | 'target', i: number) => (w[side][i] as { text: string }).text;
    const linked = w.links.map(([s, t]) => `${text('source', s)}=${text('target', t)}`);
    for (const pair of ['ministres=Ministers', 'Genève=Geneva', '14=14', 'mars=March', '2026=2026', 'programme=programme', 'régional=regional']) expect(linked).toContain(pair);
  });

  it('takes the languages the texts are written in when the import names none or says auto, and refuses a bad code before reading the texts', async () => {
    const token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
    const post = (body: Record<string, unknown>) => agent.post('/api/documents').set('x-csrf-token', token).set('Prefer', 'wait=60').send(body);
    const es = await post({ name: 'Comunicado', source: communique('en'), target: communique('es'), model: 'generic' }).expect(201);
    const esDoc = await store.getDocument((es.body as { id: string }).id);
    expect([esDoc.source.lang, esDoc.target.lang]).toEqual(['en', 'es']);
    const ru = await post({ name: 'Коммюнике', source: communique('en'), target: communique('ru'), sourceLang: 'auto', targetLang: 'AUTO', model: 'generic' }).expect(201);
    const ruDoc = await store.getDocument((ru.body as { id: string }).id);
    expect([ruDoc.source.lang, ruDoc.target.lang]).toEqual(['en', 'ru']);
    const before = (await store.listDocuments()).length;
    const bad = await post({ name: 'x', source: communique('en'), target: communique('fr'), targetLang: 'f r' }).expect(422);
    expect((bad.body as { error: string }).error).toContain('"f r" is not a language code');
    const same = await post({ name: 'x', source: communique('fr'), target: communique('fr') }).expect(422);
    expect((same.body as { error: string }).error).toContain('source and target language are the same (fr)');
    expect((await store.listDocuments()).length).toBe(before);
    // The import page's form starts at auto for both sides.
    const page = await agent.get('/import').expect(200);
    expect(page.text).toMatch(/name="sourceLang" value="auto"/);
    expect(page.text).toMatch(/name="targetLang" value="auto"/);
  });
});
