/**
 * The store, on each backend (SQLite and PostgreSQL, test/helpers/stores.ts): schema and migration
 * history, documents, transactions, conflicts, undo and redo, order keys.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewDocument, ReviewOp } from '../../server/domain.js';
import { replayHistory, syntheticDocument } from '../../server/review/index.js';
import { migrate, migratePostgres } from '../../server/store/migrate.js';
import { MIGRATIONS } from '../../server/store/migrations.js';
import type { PgStore } from '../../server/store/postgres.js';
import type { SqliteStore } from '../../server/store/sqlite.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../../server/store/store.js';
import { BACKENDS, storeEachTest, type StorePlace } from '../helpers/stores.js';

const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences, versions: d.versions });

describe.each(BACKENDS)('the store on %s', (backend) => {
  let place: StorePlace;
  let store: SqliteStore | PgStore;
  storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);

  /** Rows inserted, updated or deleted in the store's tables so far (SQLite: by the store's connection). */
  async function rowWrites(): Promise<() => Promise<number>> {
    if (backend === 'sqlite') {
      const db = (store as SqliteStore).db;
      return async () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    }
    await place.exec(`CREATE TABLE row_writes (n BIGINT NOT NULL); INSERT INTO row_writes VALUES (0);
      CREATE FUNCTION count_row_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE row_writes SET n = n + 1; RETURN NULL; END $$;`);
    for (const t of ['documents', 'paragraphs', 'sentences', 'beads', 'issues', 'versions', 'history', 'learnt_tables', 'learnt_words', 'learnt_pairs', 'learnt_rows']) {
      await place.exec(`CREATE TRIGGER count_${t} AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION count_row_write()`);
    }
    return async () => (await place.query<{ n: number }>('SELECT n FROM row_writes'))[0]!.n;
  }

  describe('schema', () => {
    it('a fresh database is migrated, its history readable; SQLite in WAL mode with foreign keys on', async () => {
      const [v] = await place.query<{ v: number }>('SELECT MAX(version) AS v FROM schema_version');
      expect(v!.v).toBe(MIGRATIONS.at(-1)!.version);
      const applied = await store.schema();
      expect(applied.map((m) => [m.version, m.description])).toEqual(MIGRATIONS.map((m) => [m.version, m.description]));
      for (const m of applied) expect(Date.parse(m.appliedAt!)).toBeGreaterThan(Date.now() - 60_000);
      if (backend === 'sqlite') {
        const db = (store as SqliteStore).db;
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      }
      const tables =
        backend === 'sqlite'
          ? (await place.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name)
          : (await place.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()')).map((t) => t.name);
      for (const t of ['documents', 'paragraphs', 'sentences', 'beads', 'versions', 'history', 'issues']) expect(tables).toContain(t);
    });

    it('migrations run once and a newer schema is refused', async () => {
      const next = MIGRATIONS.at(-1)!.version + 1;
      const count = async (): Promise<number> => (await place.query<{ n: number }>('SELECT COUNT(*) AS n FROM schema_version'))[0]!.n;
      const extra = [
        { version: 1, description: 'x', sql: '', postgres: '' },
        { version: next, description: 'add a column', sql: 'ALTER TABLE documents ADD COLUMN note TEXT', postgres: 'ALTER TABLE documents ADD COLUMN note TEXT' },
      ];
      if (backend === 'sqlite') {
        const db = (store as SqliteStore).db;
        expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
        expect(await count()).toBe(MIGRATIONS.length);
        expect(migrate(db, extra)).toBe(next);
        expect(() => migrate(db)).toThrow(/newer than this program/);
      } else {
        const client = await (store as PgStore).pool.connect();
        try {
          expect(await migratePostgres(client)).toBe(MIGRATIONS.at(-1)!.version);
          expect(await count()).toBe(MIGRATIONS.length);
          expect(await migratePostgres(client, extra)).toBe(next);
          await expect(migratePostgres(client)).rejects.toThrow(/newer than this program/);
        } finally {
          client.release();
        }
      }
      expect(await count()).toBe(MIGRATIONS.length + 1);
      await expect(place.open()).rejects.toThrow(/newer than this program/);
    });
  });

  describe('documents', () => {
    it('stores, lists, reopens and deletes a document', async () => {
      const doc = syntheticDocument(20);
      const id = await store.createDocument(doc, { author: 'ann', corpusKey: 'demo' });
      const got = await store.getDocument(id);
      expect(state(got)).toEqual(state(doc));
      expect(got.source).toEqual(doc.source);
      expect(got.target).toEqual(doc.target);
      expect(got.paragraphPairs).toEqual(doc.paragraphPairs);
      expect(got.revision).toBe(0);
      await store.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'ann' });
      await store.apply(id, { kind: 'addIssue', beadId: 'b2', category: 'Terminology', severity: 'minor', comment: '<b>&' }, { author: 'ann' });
      const [summary] = await store.listDocuments();
      expect(summary).toMatchObject({ id, name: doc.name, beads: 20, confirmed: 1, openIssues: 1, sourceSentences: 20, revision: 2, corpusKey: 'demo' });
      expect(await store.findByCorpusKey('demo')).toBe(id);
      const before = await store.getDocument(id);
      await store.close();
      store = await place.open();
      expect(await store.getDocument(id)).toEqual(before);
      expect((await store.history(id)).map((h) => h.op.kind)).toEqual(['import', 'confirm', 'addIssue']);
      await store.deleteDocument(id);
      await expect(store.getDocument(id)).rejects.toThrow(NotFoundError);
      expect((await place.query<{ n: number }>('SELECT COUNT(*) AS n FROM beads'))[0]!.n).toBe(0);
      await expect(store.deleteDocument(id)).rejects.toThrow(NotFoundError);
    });

    it('refuses a second import of the same corpus folder and stores nothing', async () => {
      await store.createDocument(syntheticDocument(3), { author: 'a', corpusKey: 'k' });
      await expect(store.createDocument(syntheticDocument(3), { author: 'a', corpusKey: 'k' })).rejects.toThrow(/already imported/);
      expect(await store.listDocuments()).toHaveLength(1);
    });

    it('adds target versions', async () => {
      const id = await store.createDocument(syntheticDocument(3), { author: 'a' });
      const d = await store.addVersion(id, { name: 'official', lang: 'zh', textByBead: { b1: '官方一', b2: '', b3: '官方三' } }, { author: 'a' });
      expect(d.versions[0]).toMatchObject({ name: 'official', textByBead: { b1: '官方一' } });
      await store.close();
      store = await place.open();
      expect((await store.getDocument(id)).versions).toEqual(d.versions);
      await expect(store.addVersion(id, { name: 'x', lang: 'zh', textByBead: { nope: 'x' } }, { author: 'a' })).rejects.toThrow(InvalidOperationError);
    });
  });

  describe('transactions', () => {
    it('an invalid operation changes nothing', async () => {
      const id = await store.createDocument(syntheticDocument(5), { author: 'a' });
      const before = await store.getDocument(id);
      await expect(store.apply(id, { kind: 'merge', beadId: 'b5' }, { author: 'a' })).rejects.toThrow(InvalidOperationError);
      await expect(store.apply(id, { kind: 'confirm', beadId: 'zz' }, { author: 'a' })).rejects.toThrow(NotFoundError);
      expect(await store.getDocument(id)).toEqual(before);
      expect(await store.history(id)).toHaveLength(1);
    });

    it('a failure half-way through the writes rolls everything back (db and cache)', async () => {
      const id = await store.createDocument(syntheticDocument(5), { author: 'a' });
      const before = await store.getDocument(id);
      // The history insert comes after the bead rows are written: make it fail.
      await place.exec(
        backend === 'sqlite'
          ? `CREATE TRIGGER boom BEFORE INSERT ON history WHEN NEW.author = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`
          : `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
             CREATE TRIGGER boom BEFORE INSERT ON history FOR EACH ROW WHEN (NEW.author = 'boom') EXECUTE FUNCTION boom()`,
      );
      await expect(store.apply(id, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 }, { author: 'boom' })).rejects.toThrow(/boom/);
      expect(await store.getDocument(id)).toEqual(before);
      await store.close();
      store = await place.open();
      expect(await store.getDocument(id)).toEqual(before);
      expect(await store.history(id)).toHaveLength(1);
    });

    it('writes only the touched rows (a confirm on 2,000 rows)', async () => {
      const id = await store.createDocument(syntheticDocument(2000), { author: 'a' });
      await store.getDocument(id);
      const writes = await rowWrites();
      const t0 = await writes();
      await store.apply(id, { kind: 'confirm', beadId: 'b1000' }, { author: 'a' });
      await store.apply(id, { kind: 'merge', beadId: 'b1500' }, { author: 'a' });
      const t1 = await writes();
      // The confirmed row taught the (empty) learnt table: its words, terms and pairs, its record, the
      // table's row and its count of rows.
      const count = async (table: string): Promise<number> => Number((await place.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
      const learnt = (await count('learnt_words')) + (await count('learnt_pairs')) + (await count('learnt_rows')) + 2;
      expect(await count('learnt_rows')).toBe(1);
      // confirm: bead + history + kill-redo (0) + document; merge: delete + upsert + history + document.
      expect(t1 - t0 - learnt).toBeLessThanOrEqual(8);
    });
  });

  describe('conflicts', () => {
    it('accepts a stale change to untouched rows and refuses one to changed rows', async () => {
      const id = await store.createDocument(syntheticDocument(10), { author: 'a' });
      const seen = (await store.getDocument(id)).revision;
      await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'ann', baseRevision: seen });
      // Bob saw the old revision: confirming b7 touches nothing Ann changed.
      const ok = await store.apply(id, { kind: 'confirm', beadId: 'b7' }, { author: 'bob', baseRevision: seen });
      expect(ok.revision).toBe(2);
      // Editing b3's row (merged away by Ann) or confirming b2 (changed by Ann) conflicts.
      for (const op of [{ kind: 'confirm', beadId: 'b3' }, { kind: 'flag', beadId: 'b2' }, { kind: 'editTarget', sentence: 1, text: 'x' }] as ReviewOp[]) {
        let err: unknown;
        try {
          await store.apply(id, op, { author: 'bob', baseRevision: seen });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConflictError);
        const c = err as ConflictError;
        expect(c.currentRevision).toBe(2);
        expect(c.changes.map((x) => x.author)).toEqual(['ann', 'bob']);
        expect(c.message).toMatch(/ann/);
      }
      expect((await store.getDocument(id)).revision).toBe(2);
      // With the current revision it is accepted; a revision from the future is an error.
      expect((await store.apply(id, { kind: 'flag', beadId: 'b2' }, { author: 'bob', baseRevision: 2 })).revision).toBe(3);
      await expect(store.apply(id, { kind: 'flag', beadId: 'b2' }, { author: 'bob', baseRevision: 9 })).rejects.toThrow(InvalidOperationError);
    });

    it('reports an op made invalid by unseen changes as a conflict', async () => {
      const id = await store.createDocument(syntheticDocument(10), { author: 'a' });
      const doc = await store.getDocument(id);
      const all = { id: 'r1', source: doc.source.sentences.map((x) => x.index), target: doc.target.sentences.map((x) => x.index), confidence: 0.5, status: 'automatic' as const, origin: 'length' };
      await store.apply(id, { kind: 'confirm', beadId: 'b5' }, { author: 'ann' });
      await expect(store.apply(id, { kind: 'realign', beads: [all] }, { author: 'bob', baseRevision: 0 })).rejects.toThrow(ConflictError);
      await expect(store.apply(id, { kind: 'realign', beads: [all] }, { author: 'bob', baseRevision: 1 })).rejects.toThrow(InvalidOperationError);
    });

    it('refuses an undo that would undo a change the poster has not seen', async () => {
      const id = await store.createDocument(syntheticDocument(10), { author: 'a' });
      await store.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'ann' });
      await store.apply(id, { kind: 'confirm', beadId: 'b5' }, { author: 'bob' });
      await expect(store.undo(id, { author: 'ann', baseRevision: 1 })).rejects.toThrow(ConflictError);
      expect((await store.undo(id, { author: 'ann', baseRevision: 2 })).beads[4]!.status).toBe('automatic');
    });
  });

  describe('undo and redo', () => {
    it('undo restores, redo re-applies, a new change clears the redo stack', async () => {
      const id = await store.createDocument(syntheticDocument(10), { author: 'a' });
      const s0 = await store.getDocument(id);
      const s1 = await store.apply(id, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 }, { author: 'a' });
      const s2 = await store.apply(id, { kind: 'editTarget', sentence: 0, text: '改' }, { author: 'a' });
      const s3 = await store.apply(id, { kind: 'addIssue', beadId: 'b1', category: 'Style', severity: 'minor', comment: '' }, { author: 'a' });
      expect(state(await store.undo(id, { author: 'a' }))).toEqual(state(s2));
      expect(state(await store.undo(id, { author: 'a' }))).toEqual(state(s1));
      expect(state(await store.redo(id, { author: 'a' }))).toEqual(state(s2));
      expect(state(await store.redo(id, { author: 'a' }))).toEqual(state(s3));
      await expect(store.redo(id, { author: 'a' })).rejects.toThrow(/nothing to redo/);
      await store.undo(id, { author: 'a' });
      await store.undo(id, { author: 'a' });
      await store.apply(id, { kind: 'confirm', beadId: 'b9' }, { author: 'a' });
      await expect(store.redo(id, { author: 'a' })).rejects.toThrow(/nothing to redo/);
      await store.undo(id, { author: 'a' });
      expect(state(await store.undo(id, { author: 'a' }))).toEqual(state(s0));
      await expect(store.undo(id, { author: 'a' })).rejects.toThrow(/nothing to undo/);
      const h = await store.history(id);
      expect(h.map((e) => e.op.kind)).toEqual(['import', 'split', 'editTarget', 'addIssue', 'undo', 'undo', 'redo', 'redo', 'undo', 'undo', 'confirm', 'undo', 'undo']);
      expect(h[1]!.undone).toBe(true);
      expect((await store.history(id, { limit: 2, newestFirst: true })).map((e) => e.seq)).toEqual([h[12]!.seq, h[11]!.seq]);
      // Without the snapshots: the same entries, minus before/after.
      const brief = await store.history(id, { changes: false });
      expect(brief.map(({ before, after, ...rest }) => rest)).toEqual(h.map(({ before, after, ...rest }) => rest));
      expect(h[1]!.before).toBeDefined();
      expect(brief.every((e) => e.before === undefined && e.after === undefined)).toBe(true);
      // After a reopen the state is the same, and equals a replay of the history.
      const final = await store.getDocument(id);
      await store.close();
      store = await place.open();
      expect(await store.getDocument(id)).toEqual(final);
      expect(state(replayHistory({ ...s0, revision: 0 }, await store.history(id)))).toEqual(state(final));
    });

    it('random operations, undos and redos replay to the stored state', async () => {
      const id = await store.createDocument(syntheticDocument(60), { author: 'a' });
      const initial = await store.getDocument(id);
      let seed = 42;
      const rnd = (n: number): number => {
        seed = (seed * 16807) % 2147483647;
        return seed % n;
      };
      let accepted = 0;
      for (let i = 0; i < 400; i++) {
        const doc = await store.getDocument(id);
        const b = doc.beads[rnd(doc.beads.length)]!;
        const side = rnd(2) ? 'source' : 'target';
        const ops: ReviewOp[] = [
          { kind: 'confirm', beadId: b.id },
          { kind: 'merge', beadId: b.id },
          { kind: 'split', beadId: b.id, sourceAt: rnd(b.source.length + 1), targetAt: rnd(b.target.length + 1) },
          { kind: 'shiftUp', beadId: b.id, side },
          { kind: 'shiftDown', beadId: b.id, side },
          { kind: 'detach', beadId: b.id, side },
          { kind: 'editTarget', sentence: rnd(doc.target.sentences.length), text: `t${i}` },
          { kind: 'flag', beadId: b.id },
          { kind: 'confirmAbove', beadId: b.id },
          { kind: 'addIssue', beadId: b.id, category: 'Style', severity: 'minor', comment: `c${i}` },
        ];
        try {
          const k = rnd(13);
          if (k === 10 || k === 11) await store.undo(id, { author: 'a' });
          else if (k === 12) await store.redo(id, { author: 'a' });
          else await store.apply(id, ops[k]!, { author: 'a' });
          accepted++;
        } catch (e) {
          if (!(e instanceof InvalidOperationError)) throw e;
        }
      }
      const final = await store.getDocument(id);
      expect(accepted).toBeGreaterThan(200);
      expect(final.revision).toBe(accepted);
      expect(state(replayHistory(initial, await store.history(id)))).toEqual(state(final));
      await store.close();
      store = await place.open();
      expect(await store.getDocument(id)).toEqual(final);
    });

    it('renumbers row order keys when one gap is exhausted', async () => {
      const id = await store.createDocument(syntheticDocument(80), { author: 'a' });
      for (let i = 0; i < 79; i++) await store.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'a' });
      // Splitting off the rest again and again narrows the same gap by a third each time.
      let last = 'b1';
      for (let i = 0; i < 70; i++) {
        const d = await store.apply(id, { kind: 'split', beadId: last, sourceAt: 1, targetAt: 1 }, { author: 'a' });
        last = d.beads[d.beads.length - 1]!.id;
      }
      const ords = (await place.query<{ ord: number }>('SELECT ord FROM beads ORDER BY ord')).map((r) => r.ord);
      expect(Math.min(...ords.slice(1).map((o, i) => o - ords[i]!))).toBeGreaterThan(1e-7);
      const d = await store.getDocument(id);
      await store.close();
      store = await place.open();
      expect((await store.getDocument(id)).beads).toEqual(d.beads);
      if (backend === 'sqlite') expect((await place.query<{ integrity_check: string }>('PRAGMA integrity_check'))[0]!.integrity_check).toBe('ok');
    });
  });
});
