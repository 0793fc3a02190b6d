/**
 * The scorecard pages (HTML with SVG charts, JSON, CSV, API) and the word-alignment API, on a stored
 * document, through the real app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';

const EN = ['Media Statement', '', '1. The Ministers called upon the States Parties to the Chemical Weapons Convention to preserve its integrity.', '', '2. They welcomed the World Bank and the World Health Organization.'].join('\n');
const ZH = ['媒体声明', '', '1. 部长们呼吁国家党《禁止化学武器公约》保护其完整性。', '', '2. 他们欢迎世界银行和世界卫生组织。'].join('\n');

let dir: string;
let store: SqliteStore;
let app: Express;
let docId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scorecard-'));
  store = openStore(dir);
  const result = await alignTexts(EN, ZH, { aLang: 'en', bLang: 'zh', model: 'lexical' });
  const { id: _id, revision: _rev, createdAt: _c, updatedAt: _u, ...doc } = reviewDocumentFromAlignment(result, { name: 'score <test>', sourceSide: 'a' });
  docId = await store.createDocument(doc, { author: 'test' });
  app = createApp({ store, corpusDir: join(dir, 'no-corpus') }, { log: false });
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CardBody {
  revision: number;
  scorecard: { sourceWords: number; accepted: { errors: number; points: number; pass: boolean }; automatic: { errors: number; points: number; pass: boolean; byCategory: { category: string }[] } };
}

describe('scorecard', () => {
  it('shows the scorecard with both sets, pass/fail, and SVG charts per category and per paragraph', async () => {
    const res = await request(app).get(`/documents/${docId}/scorecard`).expect(200);
    expect(res.text).toContain('Quality scorecard');
    expect(res.text).toContain('Accepted issues');
    expect(res.text).toContain('Open automatic findings');
    expect(res.text).toMatch(/<svg id="chart-categories" class="chart"[^>]*role="img"/);
    expect(res.text).toMatch(/<svg id="chart-paragraphs" class="chart"/);
    expect(res.text).toContain('<rect class="automatic"');
    expect(res.text).toContain('score &lt;test&gt;');
    expect(res.text).toContain(`href="/documents/${docId}/scorecard"`);
  });

  it('answers JSON (page and API) and CSV, and counts a finding made an issue as accepted', async () => {
    const before = (await request(app).get(`/api/documents/${docId}/scorecard`).expect(200)).body as CardBody;
    expect(before.scorecard.accepted).toMatchObject({ errors: 0, points: 0, pass: true });
    expect(before.scorecard.automatic.errors).toBeGreaterThan(0);
    expect(before.scorecard.automatic.byCategory.map((c) => c.category)).toContain('Terminology');
    expect(before.scorecard.sourceWords).toBe(28);
    const same = (await request(app).get(`/documents/${docId}/scorecard.json`).expect(200)).body as CardBody;
    expect(same).toEqual(before);

    // Turn the 国家党 finding into an issue: it moves from the automatic set to the accepted one.
    const agent = request.agent(app);
    const page = await agent.get(`/documents/${docId}/qa?check=terminology`).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const row = page.text.split('<tr class="sev-').find((r) => r.includes('<mark>国家党</mark>')) ?? '';
    const key = /name="key" value="([^"]+)"/.exec(row)?.[1] ?? '';
    await agent.post(`/documents/${docId}/qa/issue`).type('form').send({ _csrf: token, key }).expect(303);
    const after = (await request(app).get(`/api/documents/${docId}/scorecard`).expect(200)).body as CardBody;
    expect(after.scorecard.accepted).toMatchObject({ errors: 1, points: 5, pass: false });
    expect(after.scorecard.automatic.errors).toBe(before.scorecard.automatic.errors - 1);

    const csv = await request(app).get(`/documents/${docId}/scorecard.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('set,category,errors,minor,major,critical,points,points_per_1000_words,score,pass');
    expect(lines).toContain('accepted,Terminology,1,,,,5,,,');
  });

  it('answers 404 for an unknown document', async () => {
    await request(app).get('/documents/nope/scorecard').expect(404);
    const api = await request(app).get('/api/documents/nope/scorecard').expect(404);
    expect(api.type).toBe('application/json');
  });
});

interface WordsBody {
  revision: number;
  beads: Record<string, { source: { sentence: number; start: number; end: number; text: string; kind: string }[]; target: { text: string }[]; links: [number, number, number, string][]; score: number }>;
}

describe('word alignment API', () => {
  it('gives each row its words (sentence and offsets) and the links between them', async () => {
    const doc = await store.getDocument(docId);
    const row = doc.beads.find((b) => doc.source.sentences[b.source[0] ?? -1]?.text.includes('World Bank'))!;
    const res = await request(app).get(`/api/documents/${docId}/words?beads=${row.id}`).expect(200);
    const body = res.body as WordsBody;
    expect(Object.keys(body.beads)).toEqual([row.id]);
    const w = body.beads[row.id]!;
    const sentence = doc.source.sentences[row.source[0]!]!.text;
    for (const t of w.source) expect(sentence.slice(t.start, t.end)).toBe(t.text);
    const link = (en: string) => w.links.filter(([s]) => w.source[s]?.text === en).map(([, t]) => w.target[t]?.text);
    expect(link('Bank')).toEqual(['世界银行']);
    expect(link('Health')).toEqual(['世界卫生组织']);
    expect(w.score).toBeGreaterThan(0.5);
  });

  it('gives every row without a list, names rows no longer there, and refuses over-long lists', async () => {
    const all = (await request(app).get(`/api/documents/${docId}/words`).expect(200)).body as WordsBody;
    expect(Object.keys(all.beads)).toHaveLength((await store.getDocument(docId)).beads.length);
    const some = (await request(app).get(`/api/documents/${docId}/words?beads=b1,nope`).expect(200)).body as WordsBody & { missing: string[] };
    expect(Object.keys(some.beads)).toEqual(['b1']);
    expect(some.missing).toEqual(['nope']);
    await request(app).get('/api/documents/nope/words?beads=b1').expect(404);
    const many = Array.from({ length: 1001 }, (_, i) => `x${i}`).join(',');
    await request(app).get(`/api/documents/${docId}/words?beads=${many}`).expect(400);
  });
});
