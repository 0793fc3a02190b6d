import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BeadMeta, HistoryEntry, ReviewDocument } from '../../server/domain.js';
import { syntheticDocument } from '../../server/review/index.js';
import { MIGRATIONS } from '../../server/store/migrations.js';
import { migrate } from '../../server/store/migrate.js';
import { DB_FILE, openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { InvalidOperationError, type Store } from '../../server/store/store.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

let dir: string;
let store: SqliteStore;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-meta-'));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
function openIn(sub: string): SqliteStore {
  const s = openStore(join(dir, sub));
  open.push(s);
  return s;
}

const metaA: BeadMeta = { props: [{ type: 'x-project', value: 'Acme & <Co>' }], notes: ['checked by Kim'] };
const metaB: BeadMeta = { props: [{ type: 'x-context', value: 'ui' }], notes: [] };
const columns = (s: SqliteStore): string[] => (s.db.prepare('PRAGMA table_info(beads)').all() as { name: string }[]).map((c) => c.name);
const version = (db: Database.Database): number => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v;

// Databases made by releases before PostgreSQL: SQLite only.
describe('migration 2 (beads.meta) of a SQLite database', () => {
  it('a fresh database ends at the latest version with the meta column', () => {
    store = openIn('fresh');
    expect(version(store.db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(columns(store)).toContain('meta');
  });

  it('a database at version 1 is migrated to 2 (and the later ones); its documents load and can take meta afterwards', async () => {
    // A database as the previous release left it: migration 1 only, one document in it.
    const sub = join(dir, 'old');
    mkdirSync(sub);
    const v1 = MIGRATIONS.filter((m) => m.version === 1);
    const db = new Database(join(sub, DB_FILE));
    expect(migrate(db, v1)).toBe(1);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare(`INSERT INTO documents (id, name, source_lang, target_lang, source_text, target_text, paragraph_pairs, model, revision, created_at, updated_at)
                VALUES ('old1', 'old', 'en', 'zh', 'A. B.', '甲。乙。', '[]', 'lexical', 0, ?, ?)`).run(at, at);
    const sent = db.prepare('INSERT INTO sentences (doc_id, side, idx, paragraph, text, original, start_offset, end_offset) VALUES (?, ?, ?, 0, ?, ?, ?, ?)');
    sent.run('old1', 'source', 0, 'A.', null, 0, 2);
    sent.run('old1', 'source', 1, 'B.', null, 3, 5);
    sent.run('old1', 'target', 0, '甲。', '甲。', 0, 2);
    sent.run('old1', 'target', 1, '乙。', '乙。', 2, 4);
    const bead = db.prepare("INSERT INTO beads (doc_id, id, ord, source, target, confidence, status, origin) VALUES ('old1', ?, ?, ?, ?, 0.5, 'automatic', 'lexical')");
    bead.run('b1', 1024, '[0]', '[0]');
    bead.run('b2', 2048, '[1]', '[1]');
    db.prepare("INSERT INTO history (doc_id, revision, author, at, op, bead_ids) VALUES ('old1', 0, 'a', ?, '{\"kind\":\"import\"}', '[]')").run(at);
    db.close();

    store = openIn('old');
    expect(version(store.db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(columns(store)).toContain('meta');
    const doc = await store.getDocument('old1');
    expect(doc.beads.map((b) => b.id)).toEqual(['b1', 'b2']);
    expect(doc.beads[0]).not.toHaveProperty('meta');
    const id = await store.createDocument(withMeta(syntheticDocument(3)), { author: 'a' });
    expect((await store.getDocument(id)).beads[0]!.meta).toEqual(metaA);
    expect((await store.apply('old1', { kind: 'merge', beadId: 'b1' }, { author: 'a' })).beads).toHaveLength(1);
  });
});

function withMeta(doc: ReviewDocument): ReviewDocument {
  doc.beads[0] = { ...doc.beads[0]!, meta: metaA };
  doc.beads[1] = { ...doc.beads[1]!, meta: metaB };
  return doc;
}

/** A document with history made by real store calls: statuses, an edit, issues, an undone op. */
async function reviewed(s: Store): Promise<string> {
  const id = await s.createDocument(syntheticDocument(8), { author: 'importer' });
  await s.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'ann' });
  await s.apply(id, { kind: 'flag', beadId: 'b3' }, { author: 'bob' });
  await s.apply(id, { kind: 'editTarget', sentence: 1, text: '改过的译文。' }, { author: 'ann' });
  await s.apply(id, { kind: 'addIssue', beadId: 'b2', category: 'Terminology', severity: 'major', comment: 'term' }, { author: 'bob' });
  await s.apply(id, { kind: 'merge', beadId: 'b5' }, { author: 'ann' });
  await s.undo(id, { author: 'ann' });
  await s.apply(id, { kind: 'confirm', beadId: 'b6' }, { author: 'carol' });
  return id;
}
/** What a JSON export keeps of the history: no before/after. */
const exported = (h: HistoryEntry[]): HistoryEntry[] => h.map(({ before: _b, after: _a, ...rest }) => rest);

describe.each(BACKENDS)('bead meta and restored documents in the store on %s', (backend) => {
  const places: StorePlace[] = [];
  const stores: Store[] = [];
  /** The store place named `name` in this test (made on first use), opened once more. */
  const named = new Map<string, StorePlace>();
  async function openIn(name: string): Promise<Store> {
    let place = named.get(name);
    if (!place) {
      place = await newPlace(backend);
      places.push(place);
      named.set(name, place);
    }
    const s = await place.open();
    stores.push(s);
    return s;
  }
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const p of places.splice(0)) await p.remove();
    named.clear();
  });

  it('bead meta is stored, survives a reopen, is concatenated by merge and restored by undo', async () => {
    let store = await openIn('s');
    const id = await store.createDocument(withMeta(syntheticDocument(5)), { author: 'a' });
    store = await openIn('s');
    expect((await store.getDocument(id)).beads.slice(0, 3).map((b) => b.meta)).toEqual([metaA, metaB, undefined]);
    const merged = await store.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'a' });
    const both = { props: [...metaA.props, ...metaB.props], notes: metaA.notes };
    expect(merged.beads[0]!.meta).toEqual(both);
    store = await openIn('s');
    expect((await store.getDocument(id)).beads[0]!.meta).toEqual(both);
    const undone = await store.undo(id, { author: 'a' });
    expect(undone.beads.slice(0, 2).map((b) => b.meta)).toEqual([metaA, metaB]);
    store = await openIn('s');
    expect((await store.getDocument(id)).beads.slice(0, 2).map((b) => b.meta)).toEqual([metaA, metaB]);
  });

  describe('importDocument (restoring a document with its history)', () => {
    it('keeps id, revision, dates and every entry in a fresh store; new ops continue the revision', async () => {
      const a = await openIn('a');
      const id = await reviewed(a);
      const doc = await a.getDocument(id);
      const history = exported(await a.history(id));
      const b = await openIn('b');
      const newId = await b.importDocument(doc, { author: 'restorer', history });
      expect(newId).toBe(id);
      expect(await b.getDocument(id)).toEqual(doc);
      expect(await b.history(id)).toEqual(history);
      expect((await b.listDocuments())[0]).toMatchObject({ id, revision: doc.revision, confirmed: 2, flagged: 1, openIssues: 1 });
      // The imported entries have no undo data: refused, clearly, and nothing changes.
      await expect(b.undo(id, { author: 'x' })).rejects.toThrow(InvalidOperationError);
      await expect(b.undo(id, { author: 'x' })).rejects.toThrow(/confirm by carol at .* was imported from a file without the data needed to undo or redo it: it cannot be undone/);
      expect(await b.getDocument(id)).toEqual(doc);
      await expect(b.redo(id, { author: 'x' })).rejects.toThrow(/nothing to redo/);
      // New work continues from the imported revision and is undoable as usual.
      const next = await b.apply(id, { kind: 'confirm', beadId: 'b7' }, { author: 'dave' });
      expect(next.revision).toBe(doc.revision + 1);
      expect((await b.history(id)).at(-1)!.seq).toBeGreaterThan(history.at(-1)!.seq);
      expect((await b.undo(id, { author: 'dave' })).beads).toEqual(doc.beads);
      await expect(b.undo(id, { author: 'dave' })).rejects.toThrow(/cannot be undone/);
    });

    it('gives a new id and new seqs when they are taken, with undo references renumbered', async () => {
      const a = await openIn('a');
      const id = await reviewed(a);
      const doc = await a.getDocument(id);
      const history = exported(await a.history(id));
      const again = await a.importDocument(doc, { author: 'restorer', history });
      expect(again).not.toBe(id);
      const h = await a.history(again);
      expect(h.map(({ seq: _s, documentId: _d, op: _o, ...rest }) => rest)).toEqual(history.map(({ seq: _s, documentId: _d, op: _o, ...rest }) => rest));
      expect(h.every((e) => e.documentId === again && e.seq > history.at(-1)!.seq)).toBe(true);
      const undo = h.find((e) => e.op.kind === 'undo')!;
      const merge = h.find((e) => e.op.kind === 'merge')!;
      expect(undo.op).toEqual({ kind: 'undo', of: merge.seq });
      expect(merge.undone).toBe(true);
      expect(await a.getDocument(again)).toEqual({ ...doc, id: again });
    });

    it('undo works on imported entries that carry their before/after', async () => {
      const a = await openIn('a');
      const id = await reviewed(a);
      const doc = await a.getDocument(id);
      const b = await openIn('b');
      await b.importDocument(doc, { author: 'restorer', history: await a.history(id) });
      expect((await b.undo(id, { author: 'x' })).beads).toEqual((await a.undo(id, { author: 'x' })).beads);
    });

    it('refuses a history that does not fit the document, storing nothing', async () => {
      const store = await openIn('s');
      const doc = { ...syntheticDocument(3), id: 'x1', revision: 1 };
      const history: HistoryEntry[] = [{ seq: 1, documentId: 'x1', revision: 2, author: 'a', at: doc.createdAt, op: { kind: 'confirm', beadId: 'b1' }, beadIds: ['b1'] }];
      await expect(store.importDocument(doc, { author: 'a', history })).rejects.toThrow(/does not fit the document/);
      await expect(store.importDocument({ ...doc, beads: doc.beads.slice(1) }, { author: 'a', history: [] })).rejects.toThrow(InvalidOperationError);
      expect(await store.listDocuments()).toEqual([]);
      // With no history at all, an 'import' entry records the restore.
      const id = await store.importDocument(doc, { author: 'a', history: [] });
      expect((await store.history(id)).map((e) => [e.op.kind, e.revision, e.author])).toEqual([['import', 1, 'a']]);
    });
  });
});
