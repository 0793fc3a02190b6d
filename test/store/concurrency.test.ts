/**
 * Several connections or processes on one store (a DATA_DIR, or a PostgreSQL database): each store
 * caches documents in memory, so it must notice what another one committed instead of computing the
 * next change on a stale copy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewDocument, ReviewOp } from '../../server/domain.js';
import { checkInvariants, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { MIGRATIONS, type Migration } from '../../server/store/migrations.js';
import { migrate } from '../../server/store/migrate.js';
import { openPgStore } from '../../server/store/postgres.js';
import { DB_FILE } from '../../server/store/sqlite.js';
import { NotFoundError, type Store } from '../../server/store/store.js';
import { BACKENDS, newPgSchema, newPlace, type StorePlace } from '../helpers/stores.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences, versions: d.versions });

describe.each(BACKENDS)('on %s', (backend) => {
  let place: StorePlace;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    place = await newPlace(backend);
    a = await place.open();
    b = await place.open();
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await place.remove();
  });

  describe('two stores on one database', () => {
    it('a store does not apply an op to its stale cached copy of a document another store changed', async () => {
      const id = await a.createDocument(syntheticDocument(10), { author: 'x' });
      const initial = await a.getDocument(id);
      await b.getDocument(id); // cached by b at revision 0
      await a.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'ann' });
      // b3 was merged away by the other store: b must see that, not confirm a row that is gone.
      await expect(b.apply(id, { kind: 'confirm', beadId: 'b3' }, { author: 'bob' })).rejects.toThrow(NotFoundError);
      const d = await b.apply(id, { kind: 'confirm', beadId: 'b4' }, { author: 'bob' });
      expect(d.revision).toBe(2);
      expect(d.beads[1]!.source).toEqual([1, 2]);
      const fresh = await place.open();
      try {
        const stored = await fresh.getDocument(id);
        checkInvariants(stored);
        expect(state(stored)).toEqual(state(d));
        expect((await fresh.history(id)).map((h) => h.revision)).toEqual([0, 1, 2]);
        expect(state(replayHistory(initial, await fresh.history(id)))).toEqual(state(stored));
      } finally {
        await fresh.close();
      }
    });

    it('sees versions added and documents deleted by the other store, even within the same millisecond', async () => {
      // Same clock reading for every write: the revision and update time do not tell the change apart.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(new Date('2026-03-01T00:00:00.000Z'));
        const id = await a.createDocument(syntheticDocument(3), { author: 'x' });
        expect((await b.getDocument(id)).versions).toEqual([]);
        await a.addVersion(id, { name: 'official', lang: 'zh', textByBead: { b1: '一' } }, { author: 'x' });
        expect((await b.getDocument(id)).versions.map((v) => v.name)).toEqual(['official']);
        await a.deleteDocument(id);
        await expect(b.getDocument(id)).rejects.toThrow(NotFoundError);
      } finally {
        vi.useRealTimers();
      }
    });

    it('undo in one store after ops in the other undoes the latest op, on the current state', async () => {
      const id = await a.createDocument(syntheticDocument(6), { author: 'x' });
      const s0 = await b.getDocument(id);
      await a.apply(id, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 }, { author: 'ann' });
      const s1 = await a.getDocument(id);
      await a.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'ann' });
      expect(state(await b.undo(id, { author: 'bob' }))).toEqual(state(s1));
      expect(state(await a.undo(id, { author: 'ann' }))).toEqual(state(s0));
    });
  });

  describe('two processes on one store', () => {
    const writer = (id: string, seed: number): Promise<{ accepted: number; refused: number; errors: string[] }> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', join(here, 'writer-process.ts'), place.address, id, '150', String(seed)], { cwd: root }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${err.message}\n${stderr}`));
          else resolve(JSON.parse(stdout) as { accepted: number; refused: number; errors: string[] });
        });
      });

    it('interleaved writers lose nothing: unique revisions, every accepted op in the history, state = replay', async () => {
      const id = await a.createDocument(syntheticDocument(40), { author: 'x' });
      const initial = await a.getDocument(id);
      const results = await Promise.all([writer(id, 5), writer(id, 9)]);
      for (const r of results) expect(r.errors).toEqual([]);
      const accepted = results.reduce((n, r) => n + r.accepted, 0);
      expect(accepted).toBeGreaterThan(50);
      const fresh = await place.open();
      try {
        const doc = await fresh.getDocument(id);
        checkInvariants(doc);
        const h = await fresh.history(id);
        expect(doc.revision).toBe(accepted);
        expect(h.map((e) => e.revision)).toEqual(Array.from({ length: accepted + 1 }, (_, i) => i));
        expect(state(replayHistory(initial, h))).toEqual(state(doc));
        // The cached copy in this test's own store is brought up to date too.
        expect(state(await a.getDocument(id))).toEqual(state(doc));
      } finally {
        await fresh.close();
      }
      if (backend === 'sqlite') expect((await place.query<{ integrity_check: string }>('PRAGMA integrity_check'))[0]!.integrity_check).toBe('ok');
    });
  });

  describe('a commit that fails', () => {
    it('after the new state was cached leaves neither the database nor the cached document changed', async () => {
      const id = await a.createDocument(syntheticDocument(5), { author: 'x' });
      const before = await a.getDocument(id);
      // A foreign-key violation checked only at COMMIT: every statement of the op succeeds, the commit fails.
      await place.exec(
        backend === 'sqlite'
          ? `CREATE TABLE late_check (doc_id TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED);
             CREATE TRIGGER late AFTER INSERT ON history WHEN NEW.author = 'late'
             BEGIN INSERT INTO late_check (doc_id) VALUES ('no such doc'); END`
          : `CREATE TABLE late_check (doc_id TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED);
             CREATE FUNCTION late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO late_check (doc_id) VALUES ('no such doc'); RETURN NULL; END $$;
             CREATE TRIGGER late AFTER INSERT ON history FOR EACH ROW WHEN (NEW.author = 'late') EXECUTE FUNCTION late()`,
      );
      await expect(a.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'late' })).rejects.toThrow(/FOREIGN KEY|foreign key/);
      expect(await a.getDocument(id)).toEqual(before);
      expect((await a.apply(id, { kind: 'confirm', beadId: 'b2' }, { author: 'ann' })).beads.map((x) => x.id)).toEqual(before.beads.map((x) => x.id));
      expect((await b.getDocument(id)).revision).toBe(1);
    });
  });

  describe('the document cache', () => {
    it('hands out documents that cannot be changed in place behind the store', async () => {
      const id = await a.createDocument(syntheticDocument(5), { author: 'x' });
      const d = await a.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'x' });
      const got = await a.getDocument(id);
      // Before: these writes went into the cached copy, so the next reads and the next operation's
      // change were computed from a state that was never stored.
      expect(() => {
        (got.beads[1] as { status: string }).status = 'confirmed';
      }).toThrow(TypeError);
      expect(() => (got.beads as unknown[]).splice(0, 1)).toThrow(TypeError);
      expect(() => {
        (got.target.sentences[0] as { text: string }).text = '改';
      }).toThrow(TypeError);
      expect(() => (got.issues as unknown[]).push({})).toThrow(TypeError);
      expect(await a.getDocument(id)).toEqual(d);
      expect(state(await a.getDocument(id))).toEqual(state(await b.getDocument(id)));
    });
  });

  describe('writers on two stores at once', () => {
    type Step = 'undo' | 'redo' | 'undoMine' | 'redoMine';
    const randomOp = (doc: ReviewDocument, rnd: (n: number) => number, tag: string): ReviewOp | Step => {
      const b = doc.beads[rnd(doc.beads.length)]!;
      const ops: (ReviewOp | Step)[] = [
        { kind: 'confirm', beadId: b.id },
        { kind: 'merge', beadId: b.id },
        { kind: 'split', beadId: b.id, sourceAt: rnd(b.source.length + 1), targetAt: rnd(b.target.length + 1) },
        { kind: 'editTarget', sentence: rnd(doc.target.sentences.length), text: `t${tag}` },
        { kind: 'addIssue', beadId: b.id, category: 'Style', severity: 'minor', comment: tag },
        { kind: 'flag', beadId: b.id },
        { kind: 'splitSentence', side: 'target', sentence: rnd(doc.target.sentences.length), at: 1 },
        // Two sentences of one row (after a merge), else any: a refusal is fine too.
        { kind: 'joinSentence', side: 'source', sentence: doc.beads.find((x) => x.source.length > 1)?.source[0] ?? rnd(doc.source.sentences.length) },
        'undo',
        'redo',
        'undoMine',
        'redoMine',
      ];
      return ops[rnd(ops.length)]!;
    };
    const seeded = (seed: number) => (n: number): number => {
      seed = (seed * 16807) % 2147483647;
      return seed % n;
    };
    async function run(s: Store, id: string, op: ReviewOp | Step, baseRevision: number): Promise<boolean> {
      try {
        if (op === 'undo') await s.undo(id, { author: 'u', baseRevision });
        else if (op === 'redo') await s.redo(id, { author: 'u', baseRevision });
        // A reviewer's own steps (the review page's u / U): the writer's changes.
        else if (op === 'undoMine') await s.undo(id, { author: 'w', baseRevision, scope: 'author' });
        else if (op === 'redoMine') await s.redo(id, { author: 'w', baseRevision, scope: 'author' });
        else await s.apply(id, op, { author: 'w', baseRevision });
        return true;
      } catch (e) {
        if (e instanceof NotFoundError || (e as Error).name === 'InvalidOperationError' || (e as Error).name === 'ConflictError') return false;
        throw e;
      }
    }

    it('taking turns, each store sees the other\'s changes: every read equals a fresh read of the database', async () => {
      const id = await a.createDocument(syntheticDocument(30), { author: 'x' });
      const initial = await a.getDocument(id);
      const rnd = seeded(17);
      let accepted = 0;
      for (let i = 0; i < 120; i++) {
        const s = i % 3 === 2 ? b : i % 2 ? a : b;
        const doc = await s.getDocument(id);
        // Now and then from a revision a few changes old: the conflict rule decides.
        const base = rnd(4) === 0 ? Math.max(0, doc.revision - 2) : doc.revision;
        if (await run(s, id, randomOp(doc, rnd, String(i)), base)) accepted++;
        if (i % 10 === 9) {
          const fresh = await place.open();
          try {
            const stored = await fresh.getDocument(id);
            expect(await a.getDocument(id)).toEqual(stored);
            expect(await b.getDocument(id)).toEqual(stored);
          } finally {
            await fresh.close();
          }
        }
      }
      expect(accepted).toBeGreaterThan(50);
      const final = await a.getDocument(id);
      checkInvariants(final);
      const h = await b.history(id);
      // Segmentation changes and a reviewer's own undos were among them.
      const kinds = new Set(h.map((e) => e.op.kind));
      for (const k of ['splitSentence', 'joinSentence', 'undo', 'merge']) expect(kinds).toContain(k);
      expect(state(replayHistory(initial, h))).toEqual(state(final));
    });

    it('at the same moment, from both stores: revisions stay unique, nothing accepted is lost, the state is the replay', async () => {
      const id = await a.createDocument(syntheticDocument(40), { author: 'x' });
      const initial = await a.getDocument(id);
      const accepted: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          const s = k % 2 ? a : b;
          const rnd = seeded(100 + k);
          for (let i = 0; i < 25; i++) {
            const doc = await s.getDocument(id);
            if (await run(s, id, randomOp(doc, rnd, `${k}.${i}`), doc.revision)) accepted.push(k);
          }
        }),
      );
      const fresh = await place.open();
      try {
        const stored = await fresh.getDocument(id);
        checkInvariants(stored);
        const h = await fresh.history(id);
        expect(stored.revision).toBe(accepted.length);
        expect(h.map((e) => e.revision)).toEqual(Array.from({ length: accepted.length + 1 }, (_, i) => i));
        expect(state(replayHistory(initial, h))).toEqual(state(stored));
        expect(await a.getDocument(id)).toEqual(stored);
        expect(await b.getDocument(id)).toEqual(stored);
      } finally {
        await fresh.close();
      }
    });
  });
});

describe.each(BACKENDS.filter((x) => x === 'postgres'))('migrations of a fresh store on %s', () => {
  it('servers opening an empty database at once migrate it once', async () => {
    const { url } = await newPgSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPgStore(url, { max: 2 })));
    try {
      expect((await stores[0]!.schema()).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (const s of stores) expect((await s.schema()).length).toBe(MIGRATIONS.length);
    } finally {
      for (const s of stores) await s.close();
    }
  });


  it('SQLite: a store opening a fresh DATA_DIR while another migrates it does not run a migration twice', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'store-mig-'));
    const file = join(fresh, DB_FILE);
    const first = new Database(file);
    const second = new Database(file);
    try {
      // The first connection finds the schema missing; the second one migrates it before the
      // first one gets to its transaction (two server processes started at once).
      let raced = false;
      const racing = new Proxy(MIGRATIONS as Migration[], {
        get(target, prop, receiver) {
          if (!raced && prop === Symbol.iterator) {
            raced = true;
            migrate(second);
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
      expect(migrate(first, racing)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      expect(raced).toBe(true);
      expect((first.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    } finally {
      await first.close();
      await second.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
