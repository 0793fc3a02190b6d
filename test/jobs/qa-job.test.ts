/**
 * The QA report of a large document, computed by a job, is the report the web thread makes for a
 * small one: the checks run in the document's languages (checkDocument), and the report's view
 * groups and sorts the job's findings (reportFindings) the same way. The scorecard of such a
 * document waits for that job as the QA report does, and a JSON export made by a job carries the
 * scorecard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { InProcessJobs } from '../../server/jobs/index.js';
import { buildScorecard, checkDocument, defaultQaConfig, findingStatus, reportFindings, severityRank } from '../../server/qa/index.js';
import { syntheticDocument } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { createQaFindings, INLINE_QA_ROWS, type QaOutcome } from '../../server/web/controllers/qa-findings.js';

let dir: string;
let store: SqliteStore;
let jobs: InProcessJobs;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qa-job-'));
  store = openStore(dir);
  jobs = new InProcessJobs({ store, workers: 1, limits: { perOwner: 8, total: 16 }, log: () => undefined });
});
afterAll(async () => {
  await jobs.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A document above INLINE_QA_ROWS whose every fifth Chinese sentence has a half-width comma (a
 * document-wide kind, grouped into one finding), in the given languages. The comma replaces one
 * character, so every offset holds.
 */
function largeDocument(name: string, langs: { source: string; target: string } = { source: 'en', target: 'zh' }): Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'> {
  const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...doc } = syntheticDocument(INLINE_QA_ROWS + 50, { name });
  const sentences = doc.target.sentences.map((s, i) => (i % 5 === 0 ? { ...s, text: s.text.replace('说明', '说,'), original: s.original.replace('说明', '说,') } : s));
  return {
    ...doc,
    source: { ...doc.source, lang: langs.source },
    target: { ...doc.target, lang: langs.target, sentences, text: sentences.map((s) => s.text).join('') },
  };
}

/** qa.of until the job is done (the first call submits it). */
async function ready(of: () => Promise<QaOutcome>): Promise<Extract<QaOutcome, { ready: true }>> {
  const first = await of();
  if (first.ready) throw new Error('a large document was checked on the web thread');
  expect((await jobs.wait(first.job.id, 60_000))?.state).toBe('done');
  const again = await of();
  if (!again.ready) throw new Error('the QA job is done but its report is not ready');
  return again;
}

describe('the QA report job', () => {
  it('gives the findings and the grouped, most-serious-first report of the inline path', async () => {
    const id = await store.createDocument(largeDocument('large en-zh'), { author: 't' });
    const doc = await store.getDocument(id);
    const qa = createQaFindings(store, jobs);
    const fromJob = await ready(() => qa.of(doc, 'ann'));
    const inline = checkDocument(doc, defaultQaConfig());
    expect(fromJob.findings).toEqual(inline.findings);
    expect(fromJob.report).toEqual(reportFindings(inline.findings, inline.pairs));
    // One line for the half-width commas, listing their 60 places; serious findings first.
    const grouped = fromJob.report.filter((f) => f.occurrences);
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.occurrences).toHaveLength(60);
    expect(fromJob.report.length).toBe(fromJob.findings.length - 59);
    const ranks = fromJob.report.map((f) => severityRank(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBeLessThan(ranks[ranks.length - 1]!);
  }, 90_000);

  it('runs the checks in the document\'s languages: a German–French document gets no Chinese checks', async () => {
    const id = await store.createDocument(largeDocument('large de-fr', { source: 'de', target: 'fr' }), { author: 't' });
    const doc = await store.getDocument(id);
    const fromJob = await ready(() => createQaFindings(store, jobs).of(doc, 'ann'));
    expect(fromJob.findings.length).toBeGreaterThan(0);
    expect(new Set(fromJob.findings.map((f) => f.check))).toEqual(new Set(['alignment']));
    expect(fromJob.findings).toEqual(checkDocument(doc, defaultQaConfig()).findings);
  }, 90_000);
});

describe('the scorecard and the JSON export of a large document', () => {
  it('the scorecard waits for the QA job like the report; a JSON export job carries the scorecard', async () => {
    const app = createApp({ store, jobs, corpusDir: join(dir, 'none') }, { log: false });
    const id = await store.createDocument(largeDocument('large scored'), { author: 't' });
    const doc = await store.getDocument(id);
    const inline = checkDocument(doc, defaultQaConfig());
    const expected = buildScorecard(doc, inline.findings.filter((f) => findingStatus(f, doc.issues) === 'open'), defaultQaConfig().scorecard);
    expect(expected.automatic.errors).toBeGreaterThan(0);

    // The page goes to the job's page, as the QA report does, and it is the QA report's own job.
    const page = await request(app).get(`/documents/${id}/scorecard`).set('Accept', 'text/html').expect(303);
    expect(page.headers.location).toMatch(/^\/jobs\/j[0-9a-f]{16}$/);
    const report = await request(app).get(`/documents/${id}/qa`).set('Accept', 'text/html').expect(303);
    expect(report.headers.location).toBe(page.headers.location);
    // JSON: 202 with the job until it is done; with Prefer: wait, the scorecard itself.
    const pending = await request(app).get(`/api/documents/${id}/scorecard`);
    if (pending.status === 202) expect(pending.headers.location).toBe(`/api${String(page.headers.location)}`);
    else expect(pending.status).toBe(200);
    const waited = await request(app).get(`/api/documents/${id}/scorecard`).set('Prefer', 'wait=60').expect(200);
    expect(waited.body).toEqual({ revision: doc.revision, scorecard: expected });
    const html = await request(app).get(`/documents/${id}/scorecard`).set('Accept', 'text/html').expect(200);
    expect(html.text).toContain('Quality scorecard');
    const csv = await request(app).get(`/documents/${id}/scorecard.csv`).expect(200);
    expect(csv.text).toContain(`automatic,total,${expected.automatic.errors},`);

    // More rows than an export writes inline: the export is a job, and its JSON has the scorecard.
    const file = await request(app).get(`/api/documents/${id}/export?format=json`).set('Prefer', 'wait=60').expect(200);
    const exportJobs = store.db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'export'").get() as { n: number };
    expect(exportJobs.n).toBe(1);
    expect((JSON.parse(file.text) as { scorecard: unknown }).scorecard).toEqual(expected);
  }, 120_000);
});
