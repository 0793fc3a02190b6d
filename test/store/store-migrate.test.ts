/**
 * `store:migrate`: a SQLite store holding the demo corpus, reviewed (edits, merges, splits, issues,
 * undo and redo, a further version, glossaries with changes, a document's glossary choice, a restored
 * document, a deleted one) is moved into an empty PostgreSQL database; the two stores are then
 * compared here entry by entry, independently of the command's own check, and work goes on in the new
 * one where the old one left off.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMigrate } from '../../scripts/store-migrate.js';
import type { GlossaryEntry } from '../../server/domain.js';
import { importCorpus } from '../../server/import/index.js';
import { openPgStore, type PgStore } from '../../server/store/postgres.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { importStarterGlossary } from '../../server/web/controllers/glossaries.js';
import { runIn } from '../helpers/cli.js';
import { BACKENDS, newPgSchema } from '../helpers/stores.js';

const E = (english: string, accepted: string): GlossaryEntry => ({ english: [english], accepted: [accepted], forbidden: [], note: '', unless: [] });

describe.each(BACKENDS.filter((b) => b === 'postgres'))('store:migrate from SQLite to %s', () => {
  let dir: string;
  let url: string;
  let sqlite: SqliteStore;
  let pg: PgStore;
  let migrated: { code: number; stdout: string; stderr: string };
  let demo: string;
  let key: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'store-migrate-'));
    cpSync('corpus', join(dir, 'corpus'), { recursive: true });
    const data = join(dir, 'data');
    sqlite = openStore(data);
    const imported = await importCorpus(sqlite, join(dir, 'corpus'), { model: 'lexical' });
    expect(imported.failed).toEqual([]);
    demo = imported.imported[0]!.id;
    const author = { author: 'ann' };
    /** The id of row k of the document as it is now. */
    const row = async (k: number, id = demo): Promise<string> => (await sqlite.getDocument(id)).beads[k]!.id;
    await sqlite.apply(demo, { kind: 'confirm', beadId: await row(0) }, author);
    await sqlite.apply(demo, { kind: 'merge', beadId: await row(3) }, { author: 'bob' });
    await sqlite.apply(demo, { kind: 'split', beadId: await row(3), sourceAt: 1, targetAt: 1 }, author);
    await sqlite.apply(demo, { kind: 'editTarget', sentence: 5, text: '修改过的译文。' }, author);
    await sqlite.apply(demo, { kind: 'addIssue', beadId: await row(6), category: 'Terminology', severity: 'major', comment: 'term <b>&' }, author);
    await sqlite.apply(demo, { kind: 'flag', beadId: await row(8) }, { author: 'bob' });
    await sqlite.undo(demo, author);
    await sqlite.redo(demo, author);
    await sqlite.apply(demo, { kind: 'confirm', beadId: await row(9) }, author);
    await sqlite.undo(demo, author);
    const d = await sqlite.getDocument(demo);
    await sqlite.addVersion(demo, { name: 'official', lang: 'zh', textByBead: Object.fromEntries(d.beads.slice(0, 20).map((b, i) => [b.id, `官方${i}。`])) }, author);
    await sqlite.apply(demo, { kind: 'merge', beadId: await row(1) }, author);
    // Glossaries: the starter one (the default), another with changes, chosen by the demo document.
    expect(await importStarterGlossary(sqlite)).not.toBeNull();
    const g = (await sqlite.createGlossary({ name: 'Client X', entries: [E('ministers', '部长们'), E('trade', '贸易')] }, author))!;
    const [added] = await sqlite.addGlossaryEntries(g, [E('security', '安全')], { author: 'bob' });
    await sqlite.updateGlossaryEntry(g, added!.id, E('security', '安全保障'), { author: 'cy', baseRevision: 1 });
    const entries = (await sqlite.getGlossary(g)).entryList;
    await sqlite.deleteGlossaryEntry(g, entries[0]!.id, { author: 'cy', baseRevision: entries[0]!.revision });
    await sqlite.setDocumentGlossary(demo, g, { author: 'dee' });
    // A restored document (history seqs given by the file) and a deleted one (its seqs are not given again).
    const copy = await sqlite.importDocument({ ...(await sqlite.getDocument(demo)), id: 'restored-1' }, { author: 'eve', history: [] });
    expect(copy).toBe('restored-1');
    const gone = await sqlite.createDocument({ ...(await sqlite.getDocument(demo)), name: 'to delete' }, author);
    for (let i = 0; i < 5; i++) await sqlite.apply(gone, { kind: 'flag', beadId: await row(i, gone) }, author);
    await sqlite.deleteDocument(gone);
    // The key a server made to sign its CSRF tokens: open pages keep working after the move.
    key = await sqlite.serverKey('csrf');
    await sqlite.close();

    ({ url } = await newPgSchema());
    migrated = await runIn('store:migrate', storeMigrate, ['--from', data, '--to', url]);
    sqlite = openStore(data);
    pg = await openPgStore(url, { max: 2 });
  }, 120_000);
  afterAll(async () => {
    await sqlite?.close();
    await pg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies everything and says so', () => {
    expect(migrated.stderr).toMatch(/documents: 2 rows/);
    expect(migrated.stdout).toMatch(/^2 documents, [\d,]+ rows, [\d,]+ history entries, 2 glossaries with \d+ entries: all arrived, identical in both stores\n$/);
    expect(migrated.code).toBe(0);
  });

  it('every document, row, history entry (with its recorded change) and glossary entry is the same in both', async () => {
    const docs = await sqlite.listDocuments();
    expect(docs.map((x) => x.id).sort()).toEqual([demo, 'restored-1'].sort());
    expect(await pg.listDocuments()).toEqual(docs);
    for (const { id } of docs) {
      const [a, b] = [await sqlite.getDocument(id), await pg.getDocument(id)];
      expect(b).toEqual(a);
      expect(a.beads.length).toBeGreaterThan(50);
      const [ha, hb] = [await sqlite.history(id), await pg.history(id)];
      expect(hb).toEqual(ha);
      for (let k = 0; k < ha.length; k++) expect(hb[k]).toEqual(ha[k]);
      expect((await pg.documentGlossary(id))?.id ?? null).toBe((await sqlite.documentGlossary(id))?.id ?? null);
    }
    const demoHistory = await pg.history(demo);
    expect(demoHistory.map((e) => e.op.kind)).toEqual(['import', 'confirm', 'merge', 'split', 'editTarget', 'addIssue', 'flag', 'undo', 'redo', 'confirm', 'undo', 'addVersion', 'merge', 'setGlossary']);
    expect(demoHistory.filter((e) => e.undone).map((e) => e.op.kind)).toEqual(['confirm']);
    const gl = await sqlite.listGlossaries();
    expect(await pg.listGlossaries()).toEqual(gl);
    expect(gl.map((g) => g.name)).toContain('Client X');
    for (const g of gl) {
      const [a, b] = [await sqlite.getGlossary(g.id), await pg.getGlossary(g.id)];
      expect(b).toEqual(a);
      expect(await pg.glossaryHistory(g.id, { limit: 10_000 })).toEqual(await sqlite.glossaryHistory(g.id, { limit: 10_000 }));
    }
    // The rows as stored, order keys included: the same in both tables.
    for (const table of ['beads', 'sentences', 'paragraphs', 'issues', 'versions', 'history', 'glossary_entries', 'glossary_history', 'document_glossaries', 'store_once', 'server_keys']) {
      const a = sqlite.db.prepare(`SELECT * FROM ${table}`).all();
      const b = (await pg.pool.query(`SELECT * FROM ${table}`)).rows;
      const key = (r: unknown): string => JSON.stringify(r);
      expect(b.map(key).sort(), table).toEqual(a.map(key).sort());
    }
    expect(await pg.serverKey('csrf')).toEqual(key);
  });

  it('work goes on in the new store: undo of a migrated change, new seqs after every seq SQLite gave', async () => {
    const before = await pg.getDocument(demo);
    const maxSeq = (sqlite.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'history'").get() as { seq: number }).seq;
    const undone = await pg.undo(demo, { author: 'fay' });
    expect(undone.revision).toBe(before.revision + 1);
    expect(undone.beads.length).toBe(before.beads.length + 1);
    const last = (await pg.history(demo, { limit: 1, newestFirst: true }))[0]!;
    expect(last).toMatchObject({ author: 'fay', op: { kind: 'undo' } });
    expect(last.seq).toBe(maxSeq + 1);
    const g = (await pg.createGlossary({ name: 'after', entries: [E('a', '甲')] }, { author: 'fay' }))!;
    expect(g).toBeGreaterThan(Math.max(...(await sqlite.listGlossaries()).map((x) => x.id)));
  });

  it('refuses to copy into a store that holds documents, and changes nothing', async () => {
    const again = await runIn('store:migrate', storeMigrate, ['--from', join(dir, 'data'), '--to', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nothing was copied: the PostgreSQL store is not empty/);
    expect((await pg.listDocuments()).length).toBe(2);
  });
});
