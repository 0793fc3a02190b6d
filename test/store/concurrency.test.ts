/**
 * Several connections or processes on one DATA_DIR: each store caches documents in memory, so it must
 * notice what another one committed instead of computing the next change on a stale copy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { checkInvariants, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { MIGRATIONS, type Migration } from '../../server/store/migrations.js';
import { migrate } from '../../server/store/migrate.js';
import { DB_FILE, openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { NotFoundError } from '../../server/store/store.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences, versions: d.versions });

let dir: string;
let a: SqliteStore;
let b: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-conc-'));
  a = openStore(dir);
  b = openStore(dir);
});
afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two stores on one DATA_DIR', () => {
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
    const fresh = openStore(dir);
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

describe('two processes on one DATA_DIR', () => {
  const writer = (id: string, seed: number): Promise<{ accepted: number; refused: number; errors: string[] }> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', join(here, 'writer-process.ts'), dir, id, '150', String(seed)], { cwd: root }, (err, stdout, stderr) => {
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
    const fresh = openStore(dir);
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
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

describe('migrations', () => {
  it('a store opening a fresh DATA_DIR while another migrates it does not run a migration twice', async () => {
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

describe('a commit that fails', () => {
  it('after the new state was cached leaves neither the database nor the cached document changed', async () => {
    const id = await a.createDocument(syntheticDocument(5), { author: 'x' });
    const before = await a.getDocument(id);
    // A foreign-key violation checked only at COMMIT: every statement of the op succeeds, the commit fails.
    a.db.exec(`CREATE TABLE late_check (doc_id TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED);
               CREATE TRIGGER late AFTER INSERT ON history WHEN NEW.author = 'late'
               BEGIN INSERT INTO late_check (doc_id) VALUES ('no such doc'); END`);
    await expect(a.apply(id, { kind: 'merge', beadId: 'b1' }, { author: 'late' })).rejects.toThrow(/FOREIGN KEY/);
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
