/**
 * The learnt table and the jobs that run in worker threads with their own store connection: an
 * import job aligns with the table it reads from its own connection (as LEARN_SCOPE says) and stores
 * the project; a JSON import job's confirmed rows teach the table in the transaction that stores them;
 * a re-align job leaves the counts as the confirmed rows say.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { alignImport, checkImport, learnedFor, learnScopeSetting } from '../../server/import/index.js';
import { InProcessJobs } from '../../server/jobs/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { exportToString } from '../formats/fixtures.js';
import { PAIRS, storyDocument } from './fixtures.js';

let dir: string;
let store: SqliteStore;
const all = { langs: 'zh-en' } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'learn-jobs-'));
  store = openStore(dir);
  // Rows a reviewer confirmed: the story, twice, in project "Sea" (the table the import jobs read).
  for (const name of ['Sea 1', 'Sea 2']) {
    const doc = storyDocument(name);
    await store.createDocument({ ...doc, beads: doc.beads.map((b) => ({ ...b, status: 'confirmed' as const })) }, { author: 'r', project: 'Sea' });
  }
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs jobs on a fresh pool whose worker threads see `env` (LEARN_SCOPE is read in the thread). */
async function withJobs<T>(env: Record<string, string | undefined>, f: (jobs: InProcessJobs) => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const jobs = new InProcessJobs({ store, workers: 1, log: () => undefined });
  try {
    return await f(jobs);
  } finally {
    await jobs.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('import jobs in worker threads', () => {
  const input = checkImport({
    name: 'Harbour',
    source: PAIRS.map((p) => p[0]).join(' '),
    target: PAIRS.map((p) => p[1]).join(''),
    sourceLang: 'en',
    targetLang: 'zh',
    model: 'lexical',
    project: ' Sea ',
  });
  const confidences = (d: ReviewDocument): number[] => d.beads.map((b) => b.confidence);

  it('align with the table read from the job’s own store connection, and store the project; LEARN_SCOPE=none ignores it', async () => {
    expect(input.project).toBe('Sea');
    const withTable = await alignImport(input, { learned: learnedFor(store, { a: 'en', b: 'zh' }, 'Sea', {}) });
    const without = await alignImport(input);
    // The table does change the scores of this text (its words were confirmed twice).
    expect(confidences(withTable)).not.toEqual(confidences(without));

    const byJob = await withJobs({ LEARN_SCOPE: undefined }, async (jobs) => {
      const sub = await jobs.submit('import-texts', { ...input, corpusKey: null }, { owner: 'ann', label: 'Import of “Harbour”' });
      const end = await jobs.wait(sub.id, 60_000);
      expect(end?.state).toBe('done');
      return store.getDocument(end!.result!.documents![0]!.id);
    });
    expect(byJob.beads.map((b) => [b.source, b.target])).toEqual(withTable.beads.map((b) => [b.source, b.target]));
    expect(confidences(byJob)).toEqual(confidences(withTable));
    expect((await store.listDocuments()).find((d) => d.id === byJob.id)?.project).toBe('Sea');

    // LEARN_SCOPE=project reads the project's rows (all of them here); another project has none.
    const other = await withJobs({ LEARN_SCOPE: 'project' }, async (jobs) => {
      const sub = await jobs.submit('import-texts', { ...input, project: 'Land', corpusKey: null }, { owner: 'ann', label: 'x' });
      const end = await jobs.wait(sub.id, 60_000);
      return store.getDocument(end!.result!.documents![0]!.id);
    });
    expect(confidences(other)).toEqual(confidences(without));

    const none = await withJobs({ LEARN_SCOPE: 'none' }, async (jobs) => {
      const sub = await jobs.submit('import-texts', { ...input, corpusKey: null }, { owner: 'ann', label: 'x' });
      const end = await jobs.wait(sub.id, 60_000);
      return store.getDocument(end!.result!.documents![0]!.id);
    });
    expect(confidences(none)).toEqual(confidences(without));

    // With LEARN_SCOPE unset a document of another project learns nothing from Sea's rows (the
    // default scope is the document's project); LEARN_SCOPE=all reads them.
    expect(learnScopeSetting({})).toBe('project');
    expect(learnScopeSetting({ LEARN_SCOPE: ' ALL ' })).toBe('all');
    const otherByDefault = await alignImport({ ...input, project: 'Land' }, { learned: learnedFor(store, { a: 'en', b: 'zh' }, 'Land', {}) });
    expect(confidences(otherByDefault)).toEqual(confidences(without));
    const otherWithAll = await alignImport({ ...input, project: 'Land' }, { learned: learnedFor(store, { a: 'en', b: 'zh' }, 'Land', { LEARN_SCOPE: 'all' }) });
    expect(confidences(otherWithAll)).toEqual(confidences(withTable));
  });

  it('a JSON import job’s confirmed rows teach the table; a re-align job keeps the counts as the confirmed rows say', async () => {
    const rowsBefore = await store.learntRows(all);
    const pairsBefore = (await store.learntSummary(all)).pairs;
    // A document with three confirmed rows, exported as JSON and imported by a job (another thread).
    const src = storyDocument('Exported');
    const half = { ...src, beads: src.beads.map((b, i) => (i < 3 ? { ...b, status: 'confirmed' as const } : b)) };
    const tmpId = await store.createDocument(half, { author: 'r', project: 'Tmp' });
    const json = await exportToString(await store.getDocument(tmpId), 'json', { history: await store.history(tmpId) });
    await store.deleteDocument(tmpId);
    expect(await store.learntRows(all)).toBe(rowsBefore);

    const restored = await withJobs({}, async (jobs) => {
      const sub = await jobs.submit('import-file', { format: 'json', base64: Buffer.from(json, 'utf8').toString('base64'), name: 'Restored' }, { owner: 'ann', label: 'x' });
      const end = await jobs.wait(sub.id, 60_000);
      expect(end?.state).toBe('done');
      return store.getDocument(end!.result!.documents![0]!.id);
    });
    expect(restored.beads.filter((b) => b.status === 'confirmed')).toHaveLength(3);
    expect(await store.learntRows(all)).toBe(rowsBefore + 3);
    const afterImport = store.learntTable(all);

    // Re-align in a job: confirmed rows are anchors, so the counts stay; then everything is still a rebuild's.
    await withJobs({}, async (jobs) => {
      const sub = await jobs.submit('realign', { docId: restored.id, model: 'lexical' }, { owner: 'ann', label: 'x' });
      const end = await jobs.wait(sub.id, 60_000);
      expect(end?.state).toBe('done');
    });
    expect(store.learntTable(all)).toEqual(afterImport);
    await store.rebuildLearnt(all);
    expect(store.learntTable(all)).toEqual(afterImport);
    expect((await store.learntSummary(all)).pairs).toBeGreaterThanOrEqual(pairsBefore);
  });
});
