/**
 * Changes of one document posted at once. On PostgreSQL a store commits what queued meanwhile in
 * runs (change-lane.ts, sql-store.ts `commitRun`): each change is still planned on the document as
 * the ones before it leave it, refused or written on its own, recorded with its own revision, and
 * the learnt counts follow. On SQLite the same calls go one transaction each: the same outcomes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReviewDocument, ReviewOp } from '../../server/domain.js';
import type { Counts } from '../../server/learn/counts.js';
import { checkInvariants, replayHistory, syntheticDocument } from '../../server/review/index.js';
import type { Dialect } from '../../server/store/sql.js';
import { ConflictError, NotFoundError, type Store } from '../../server/store/store.js';
import { storyDocument } from '../learn/fixtures.js';
import { BACKENDS, storeEachTest, type StorePlace } from '../helpers/stores.js';

const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences, versions: d.versions });

/** The driver's statements (a private field of the store): to see how many changes each commit carried. */
const dialectOf = (s: Store): Dialect => (s as unknown as { sql: { dialect: Dialect } }).sql.dialect;

function plain(c: Counts): unknown {
  const sorted = <T>(m: Map<string, T>): Array<[string, T]> => [...m].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return { beads: c.beads, words: sorted(c.words), terms: sorted(c.terms), pairs: sorted(c.pairs).map(([w, r]) => [w, sorted(r)]) };
}

describe.each(BACKENDS)('changes of one document posted at once, on %s', (backend) => {
  let place: StorePlace;
  let store: Store;
  storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Commits seen by the driver: how many changes each carried (PostgreSQL). */
  function watchCommits(): number[] {
    const sizes: number[] = [];
    const d = dialectOf(store);
    if (d.commitChanges) {
      const real = d.commitChanges.bind(d);
      vi.spyOn(d, 'commitChanges').mockImplementation((on, writes, opts) => {
        sizes.push(writes.length);
        return real(on, writes, opts);
      });
    }
    return sizes;
  }

  it('each is written or refused on its own, in the order posted; revisions run on; the state is the replay of the history', async () => {
    const id = await store.createDocument(syntheticDocument(40), { author: 'x' });
    const initial = await store.getDocument(id);
    const sizes = watchCommits();
    const post = (op: ReviewOp, author: string) => store.apply(id, op, { author, baseRevision: 0 });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, k) => post({ kind: 'confirm', beadId: `b${k + 1}` }, `r${k}`)),
      post({ kind: 'merge', beadId: 'b20' }, 'm'), // takes b21 in
      post({ kind: 'confirm', beadId: 'b21' }, 'c'), // b21 changed by a change its poster has not seen
      store.apply(id, { kind: 'confirm', beadId: 'b99' }, { author: 'c' }), // no such row (posted without a revision)
      store.undo(id, { author: 'r0', scope: 'author' }), // r0's confirm of b1 (no revision check)
      ...Array.from({ length: 10 }, (_, k) => post({ kind: 'flag', beadId: `b${k + 25}` }, `f${k}`)),
    ]);
    const failed = outcomes.flatMap((o, k) => (o.status === 'rejected' ? [[k, o.reason]] : []));
    expect(failed.map(([k]) => k)).toEqual([11, 12]);
    expect(failed[0]![1]).toBeInstanceOf(ConflictError);
    expect(failed[1]![1]).toBeInstanceOf(NotFoundError);
    const stored = await store.getDocument(id);
    checkInvariants(stored);
    expect(stored.revision).toBe(22);
    expect(stored.beads.find((b) => b.id === 'b1')!.status).toBe('automatic'); // undone
    expect(stored.beads.filter((b) => b.status === 'confirmed').map((b) => b.id)).toEqual(['b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9', 'b10']);
    const h = await store.history(id);
    expect(h.map((e) => e.revision)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(new Set(h.map((e) => e.seq)).size).toBe(23);
    expect(state(replayHistory(initial, h))).toEqual(state(stored));
    const fresh = await place.open();
    try {
      expect(await fresh.getDocument(id)).toEqual(stored);
    } finally {
      await fresh.close();
    }
    if (backend === 'postgres') {
      // Runs: more than one change in a commit, and never more commits than accepted changes.
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(22);
    }
  });

  it('texts of any characters arrive as written when several changes go in one commit', async () => {
    const id = await store.createDocument(syntheticDocument(8), { author: 'x' });
    const texts = [`a"b\\c{d},e NULL 'q' \n 中文 \u{1F600}`, 'NULL', '', `\\"{}\t,`, "it's", '$1 ? :name'];
    const sizes = watchCommits();
    await Promise.all([
      ...texts.map((text, k) => store.apply(id, { kind: 'editTarget', sentence: k, text }, { author: `e${k}` })),
      ...texts.map((comment, k) => store.apply(id, { kind: 'addIssue', beadId: `b${k + 1}`, category: 'Terminology', severity: 'minor', comment: comment || 'empty' }, { author: `i${k}` })),
    ]);
    const fresh = await place.open();
    try {
      const d = await fresh.getDocument(id);
      expect(texts.map((_, k) => d.target.sentences[k]!.text)).toEqual(texts);
      expect(d.issues.map((x) => x.comment)).toEqual(texts.map((t) => t || 'empty'));
      expect(d).toEqual(await store.getDocument(id));
    } finally {
      await fresh.close();
    }
    if (backend === 'postgres') expect(Math.max(...sizes)).toBeGreaterThan(1);
  });

  it('a change posted against an older revision sees the same unseen entries from a warm copy (its recent entries) as from a cold one', async () => {
    const id = await store.createDocument(syntheticDocument(20), { author: 'x' });
    for (const [k, b] of ['b1', 'b3', 'b5', 'b7', 'b9'].entries()) await store.apply(id, { kind: 'confirm', beadId: b }, { author: `r${k}` });
    const refusal = async (s: Store): Promise<ConflictError> => {
      const e: unknown = await s.apply(id, { kind: 'flag', beadId: 'b5' }, { author: 'late', baseRevision: 1 }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ConflictError);
      return e as ConflictError;
    };
    const cold = await place.open();
    try {
      const warm = await refusal(store);
      const fromDatabase = await refusal(cold);
      const brief = (e: ConflictError) => e.changes.map((c) => ({ seq: c.seq, revision: c.revision, author: c.author, op: c.op, beadIds: c.beadIds, rows: c.rows }));
      expect(brief(warm)).toEqual(brief(fromDatabase));
      expect(warm.changes.map((c) => c.author)).toEqual(['r1', 'r2', 'r3', 'r4']);
      expect(warm.message).toBe(fromDatabase.message);
      // What a client catching up reads: the revision and the entries, as the history lists them.
      expect(await cold.changesSince(id, 2)).toEqual({ revision: 5, entries: await cold.history(id, { sinceRevision: 2 }) });
      expect(await store.changesSince(id, 5)).toEqual({ revision: 5, entries: [] });
      await expect(store.changesSince('dnope', 0)).rejects.toThrow(NotFoundError);
      // Rows no unseen change touched: accepted.
      expect((await store.apply(id, { kind: 'flag', beadId: 'b2' }, { author: 'late', baseRevision: 1 })).revision).toBe(6);
    } finally {
      await cold.close();
    }
  });

  it('confirms and unconfirms posted at once by two stores (two servers): nothing accepted lost, the learnt counts equal a rebuild', async () => {
    const other = await place.open();
    try {
      const id = await store.createDocument(storyDocument('story'), { author: 'x' });
      const initial = await store.getDocument(id);
      const beads = initial.beads.map((b) => b.id);
      const accepted: number[] = [];
      await Promise.all(
        [store, other].map(async (s, k) => {
          for (let round = 0; round < 4; round++) {
            const kind = (round + k) % 2 ? 'unconfirm' : 'confirm';
            const results = await Promise.allSettled(beads.map((b) => s.apply(id, { kind, beadId: b }, { author: `r${k}` })));
            for (const r of results) if (r.status === 'fulfilled') accepted.push(r.value.revision);
          }
        }),
      );
      const stored = await store.getDocument(id);
      const h = await store.history(id);
      expect(h.length - 1).toBe(stored.revision);
      expect(new Set(accepted).size).toBe(accepted.length);
      for (const r of accepted) expect(h.some((e) => e.revision === r)).toBe(true);
      expect(state(replayHistory(initial, h))).toEqual(state(stored));
      const all = { langs: 'zh-en' } as const;
      const incremental = plain(await store.learntCounts(all));
      expect((await store.learntSummary(all)).beads).toBe(stored.beads.filter((b) => b.status === 'confirmed').length);
      await store.rebuildLearnt(all);
      expect(plain(await other.learntCounts(all))).toEqual(incremental);
    } finally {
      await other.close();
    }
  });
});
