import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCorpus } from '../../server/import/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';

let dir: string;
let store: SqliteStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-test-'));
  const corpus = join(dir, 'corpus');
  cpSync('corpus/brics-fm-2020-09-04', join(corpus, 'brics-fm-2020-09-04'), { recursive: true });
  mkdirSync(join(corpus, 'only-zh'));
  writeFileSync(join(corpus, 'only-zh', 'zh.txt'), '只有中文。');
  mkdirSync(join(corpus, 'broken'));
  writeFileSync(join(corpus, 'broken', 'zh.txt'), Buffer.from([0xc3, 0x28, 0x41]));
  writeFileSync(join(corpus, 'broken', 'en.txt'), 'English.');
  store = openStore(join(dir, 'data'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importCorpus', () => {
  it('imports each folder with zh.txt and en.txt once, reports failures, skips on the next start', async () => {
    const first = await importCorpus(store, join(dir, 'corpus'), { model: 'length' });
    expect(first.imported.map((x) => x.key)).toEqual(['brics-fm-2020-09-04']);
    expect(first.failed.map((x) => x.key)).toEqual(['broken']);
    expect(first.failed[0]!.error).toMatch(/UTF-8/);
    const [doc] = await store.listDocuments();
    expect(doc).toMatchObject({ corpusKey: 'brics-fm-2020-09-04', sourceLang: 'en', targetLang: 'zh', model: 'length' });
    expect(doc!.beads).toBeGreaterThan(50);
    const second = await importCorpus(store, join(dir, 'corpus'), { model: 'length' });
    expect(second.imported).toEqual([]);
    expect(second.skipped).toEqual(['brics-fm-2020-09-04']);
    expect(await store.listDocuments()).toHaveLength(1);
  });

  it('does nothing for a missing corpus folder', async () => {
    expect(await importCorpus(store, join(dir, 'nope'))).toEqual({ imported: [], skipped: [], failed: [] });
  });
});
