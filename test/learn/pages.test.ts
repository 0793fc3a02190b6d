/**
 * The learnt table on the pages: the Documents page says how many confirmed pairs the aligner has
 * learnt from; a glossary's page suggests entries from them, each accepted into that glossary with
 * one click (its add form), and the suggestions are served as JSON too.
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
import { landingOf } from '../web/fixtures.js';
import { storyDocument } from './fixtures.js';

let dir: string;
let store: Store;
let app: Express;
let agent: ReturnType<typeof request.agent>;
let glossaryId: number;

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'learn-pages-'));
  store = openStore(join(dir, 'data'));
  glossaryId = (await store.createGlossary({ name: 'Terms', entries: [] }, { author: 't' }))!;
  app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  agent = request.agent(app);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Documents page', () => {
  it('says how many confirmed pairs the aligner has learnt from, and each document’s project', async () => {
    expect((await agent.get('/').expect(200)).text).toMatch(/The aligner has learnt from <strong>0<\/strong> confirmed pairs/);
    const id = await store.createDocument(storyDocument('Harbour story'), { author: 't', project: 'Client <A>' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b3' }, { author: 't' });
    const page = (await agent.get('/').expect(200)).text;
    expect(page).toMatch(/The aligner has learnt from <strong>3<\/strong> confirmed pairs/);
    expect(page).toContain('<td>Client &lt;A&gt;</td>');
    await store.apply(id, { kind: 'unconfirm', beadId: 'b1' }, { author: 't' });
    expect((await agent.get('/').expect(200)).text).toMatch(/learnt from <strong>2<\/strong> confirmed pairs/);
  });
});

describe('Import page', () => {
  it('takes a project for the new document', async () => {
    const form = (await agent.get('/import').expect(200)).text;
    expect(form).toContain('name="project"');
    const res = await agent
      .post('/import')
      .field('_csrf', csrfOf(form))
      .field('name', 'With a project')
      .field('model', 'length')
      .field('targetText', '渔夫笑了。')
      .field('sourceText', 'The fisherman laughed.')
      .field('project', '  Client B ')
      .expect(303);
    // Aligned by a job (in a worker thread, with its own store connection) that stores the project.
    const landing = await landingOf(agent, String(res.headers.location));
    const id = /^\/documents\/([^/?#]+)/.exec(landing)?.[1];
    expect((await store.listDocuments()).find((d) => d.id === id)?.project).toBe('Client B');
    const long = await agent.post('/import').field('_csrf', csrfOf(form)).field('name', 'x').field('targetText', '甲。').field('sourceText', 'A.').field('project', 'p'.repeat(101)).expect(422);
    expect(long.text).toContain('Project: at most 100 characters.');
  });
});

describe('Glossary page: entries suggested from confirmed rows', () => {
  it('lists consistent renderings with how often and example rows, and Accept adds one to the glossary', async () => {
    const doc = storyDocument('Fishing');
    await store.createDocument({ ...doc, beads: doc.beads.map((b) => ({ ...b, status: 'confirmed' as const })) }, { author: 't' });
    // /glossary leads to the default glossary's page, which lists the suggestions.
    const page = (await agent.get((await agent.get('/glossary').expect(303)).headers.location!).expect(200)).text;
    expect(page).toMatch(/Suggested from confirmed rows \(\d+\)/);
    // 渔夫 is "fisherman" in every row that has either (three of the story's rows, twice more above).
    const row = /<tr>\s*<td>fisherman<\/td>\s*<td lang="zh">渔夫<\/td>\s*<td>(\d+)<\/td>\s*<td>100%<\/td>([\s\S]*?)<\/tr>/.exec(page);
    expect(row).not.toBeNull();
    expect(Number(row![1])).toBeGreaterThanOrEqual(3);
    expect(row![2]).toMatch(/href="\/documents\/[^/]+\/go\/b1"/);
    expect(row![2]).toContain('The old fisherman walked to the harbour at dawn.');
    const action = `/glossaries/${glossaryId}/entries`;
    const form = new RegExp(`<form method="post" action="${action}" class="inline">((?:(?!</form>)[\\s\\S])*?name="english" value="fisherman"[\\s\\S]*?)</form>`).exec(page)![1]!;
    const field = (name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
    await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfOf(page), english: field('english'), accepted: field('accepted'), note: field('note') })
      .expect(303);
    const added = (await store.getGlossary(glossaryId)).entryList;
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ english: ['fisherman'], accepted: ['渔夫'], forbidden: [] });
    expect(added[0]!.note).toMatch(/^suggested from \d+ confirmed rows$/);
    // Accepted: no longer suggested.
    const after = (await agent.get(`/glossaries/${glossaryId}`).expect(200)).text;
    expect(after).not.toMatch(/<td>fisherman<\/td>\s*<td lang="zh">渔夫<\/td>\s*<td>\d+<\/td>/);
    expect(after).toContain('value="fisherman"');
    const json = await agent.get(`/api/glossaries/${glossaryId}/suggestions`).expect(200);
    expect(json.body.suggestions.map((x: { english: string }) => x.english)).not.toContain('fisherman');
  });

  it('are served as JSON, for all documents or one project', async () => {
    const all = await agent.get('/api/glossary/suggestions').expect(200).expect('content-type', /json/);
    expect(all.body.rows).toBe(14);
    expect(all.body.project).toBeNull();
    expect(all.body.suggestions.length).toBeGreaterThan(0);
    const first = all.body.suggestions[0];
    expect(first).toEqual({ english: expect.any(String), chinese: expect.any(String), rows: expect.any(Number), share: expect.any(Number), examples: expect.any(Array) });
    expect(first.examples[0]).toMatchObject({ docId: expect.any(String), beadId: expect.any(String), source: expect.any(String), target: expect.any(String) });
    const client = await agent.get('/api/glossary/suggestions').query({ project: 'Client <A>', limit: 5 }).expect(200);
    expect(client.body.rows).toBe(2);
    expect(client.body.project).toBe('Client <A>');
    await agent.get('/api/glossary/suggestions').query({ limit: 0 }).expect(400);
  });
});
