/**
 * Further target versions follow the rows: merge, split, shifts, re-align, undo and redo, reopen, and a
 * database from before migration 3.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { syntheticDocument } from '../../server/review/index.js';
import { MIGRATIONS } from '../../server/store/migrations.js';
import { migrate } from '../../server/store/migrate.js';
import { DB_FILE, openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { BACKENDS, storeEachTest, type StorePlace } from '../helpers/stores.js';

/** The official text of row bN is "官N。". */
const official = (doc: ReviewDocument): Record<string, string> => Object.fromEntries(doc.beads.map((b, i) => [b.id, `官${i + 1}。`]));
const text = (d: ReviewDocument): Record<string, string> => d.versions[0]!.textByBead;

describe.each(BACKENDS)('version text follows the rows on %s', (backend) => {
  let place: StorePlace;
  let store: Store;
  storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);

  it('merge shows both texts on the merged row; undo and redo bring each state back', async () => {
    const id = await store.createDocument(syntheticDocument(8), { author: 'a' });
    const v0 = text(await store.addVersion(id, { name: 'official', lang: 'zh', textByBead: official(await store.getDocument(id)) }, { author: 'a' }));
    expect(v0).toEqual(official(syntheticDocument(8)));
    const merged = await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'a' });
    // Before: the merged row showed 官2。 only and 官3。 was lost from view.
    expect(text(merged).b2).toBe('官2。官3。');
    expect(text(merged)).not.toHaveProperty('b3');
    expect(text(await store.undo(id, { author: 'a' }))).toEqual(v0);
    expect(text(await store.redo(id, { author: 'a' }))).toEqual(text(merged));
    await store.close();
    store = await place.open();
    expect(text(await store.getDocument(id))).toEqual(text(merged));
  });

  it('split keeps the text on the part that keeps the first sentence; a row emptied by a shift hands it on', async () => {
    const id = await store.createDocument(syntheticDocument(8), { author: 'a' });
    await store.addVersion(id, { name: 'official', lang: 'zh', textByBead: official(await store.getDocument(id)) }, { author: 'a' });
    const split = await store.apply(id, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 }, { author: 'a' });
    expect(text(split).b4).toBe('官4。');
    expect(text(split)[split.beads[4]!.id] ?? '').toBe('');
    const shifted = await store.apply(id, { kind: 'shiftUp', beadId: 'b6', side: 'source' }, { author: 'a' });
    const emptied = await store.apply(id, { kind: 'shiftUp', beadId: 'b6', side: 'target' }, { author: 'a' });
    expect(shifted.beads.map((b) => b.id)).toContain('b6');
    expect(emptied.beads.map((b) => b.id)).not.toContain('b6');
    expect(text(emptied).b5).toBe('官5。官6。');
  });

  it('re-aligned rows show the texts of the rows they replaced (English versions joined with a space)', async () => {
    const id = await store.createDocument(syntheticDocument(6), { author: 'a' });
    const doc = await store.getDocument(id);
    await store.addVersion(id, { name: 'back-translation', lang: 'en', textByBead: Object.fromEntries(doc.beads.map((b, i) => [b.id, `V${i + 1}.`])) }, { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b2' }, { author: 'a' });
    // Everything after b2 in one new row: it shows the texts of b3…b6.
    const tail = { id: 'r1', source: [2, 3, 4, 5], target: doc.target.sentences.slice(2).map((s) => s.index), confidence: 0.5, status: 'automatic' as const, origin: 'test' };
    const d = await store.apply(id, { kind: 'realign', beads: [tail] }, { author: 'a' });
    expect(text(d)).toEqual({ b1: 'V1.', b2: 'V2.', r1: 'V3. V4. V5. V6.' });
    expect(text(await store.undo(id, { author: 'a' }))).toEqual({ b1: 'V1.', b2: 'V2.', b3: 'V3.', b4: 'V4.', b5: 'V5.', b6: 'V6.' });
  });
});

// Only SQLite stores can be that old (PostgreSQL came with migration 5).
describe('a SQLite database from before migration 3', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-versions-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a version stored before migration 3 takes the rows as they are when the database is opened', async () => {
    const sub = join(dir, 'old');
    mkdirSync(sub);
    const old = openStore(sub);
    const id = await old.createDocument(syntheticDocument(4), { author: 'a' });
    await old.close();
    // Take the database back to version 2 and store a version the way that release did.
    const db = new Database(join(sub, DB_FILE));
    // (Later migrations' tables and columns are dropped too: that release had none of them.)
    db.exec('DROP TABLE server_keys; DROP TABLE translation_sets; DROP TABLE document_glossaries; DROP TABLE glossary_history; DROP TABLE glossary_entries; DROP TABLE glossaries; DROP TABLE store_once; DROP TABLE job_files; DROP TABLE jobs');
    db.exec('DROP TABLE learnt_rows; DROP TABLE learnt_pairs; DROP TABLE learnt_words; DROP TABLE learnt_tables; DROP TABLE learnt_version; ALTER TABLE documents DROP COLUMN project');
    db.exec(
      'DROP INDEX history_doc_author; ALTER TABLE history DROP COLUMN undone_by; ALTER TABLE history DROP COLUMN undone_seq; ALTER TABLE history DROP COLUMN row_span; ' +
        'ALTER TABLE versions DROP COLUMN anchors; DELETE FROM schema_version WHERE version >= 3',
    );
    db.prepare("INSERT INTO versions (doc_id, id, name, lang, text_by_bead, created_at, author) VALUES (?, 'v1', 'official', 'zh', ?, '2026-01-01T00:00:00.000Z', 'a')")
      .run(id, JSON.stringify({ b1: '官1。', b2: '官2。', b3: '', b4: '官4。' }));
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 2))).toBe(2);
    db.close();
    const s = openStore(sub);
    try {
      expect(text(await s.getDocument(id))).toEqual({ b1: '官1。', b2: '官2。', b3: '', b4: '官4。' });
      expect(text(await s.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'a' }))).toEqual({ b1: '官1。官2。', b3: '', b4: '官4。' });
      const anchors = (s.db.prepare('SELECT anchors FROM versions').get() as { anchors: string }).anchors;
      expect(JSON.parse(anchors)).toEqual([['b1', 'source', 0], ['b2', 'source', 1], ['b3', 'source', 2], ['b4', 'source', 3]]);
    } finally {
      await s.close();
    }
  });
});
