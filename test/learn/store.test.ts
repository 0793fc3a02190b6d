import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewDocument, ReviewOp } from '../../server/domain.js';
import { Counts } from '../../server/learn/counts.js';
import { beadEvidence } from '../../server/learn/evidence.js';
import { rowTexts, teaches } from '../../server/learn/teach.js';
import { ConflictError, InvalidOperationError, NotFoundError, type Store } from '../../server/store/store.js';
import { BACKENDS, newPlace, storeEachTest, type StorePlace } from '../helpers/stores.js';
import { storyDocument } from './fixtures.js';

/** Counts as plain sorted data, for comparing. */
function plain(c: Counts): unknown {
  const sorted = <T>(m: Map<string, T>): Array<[string, T]> => [...m].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return { beads: c.beads, words: sorted(c.words), terms: sorted(c.terms), pairs: sorted(c.pairs).map(([w, r]) => [w, sorted(r)]) };
}

/** The counts the confirmed rows of these documents should give, computed here from their texts. */
function expected(docs: readonly ReviewDocument[]): Counts {
  const c = new Counts();
  for (const doc of docs) for (const b of doc.beads) if (teaches(b)) c.add(beadEvidence(rowTexts(doc, b).zh, rowTexts(doc, b).en));
  return c;
}

const all = { langs: 'zh-en' } as const;

describe.each(BACKENDS)('on %s', (backend) => {
let place: StorePlace;
let store: Store;
storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);

describe('the learnt table follows the confirmed rows', () => {
  it('confirm then unconfirm leaves the counts exactly as before', async () => {
    const id = await store.createDocument(storyDocument(), { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b5' }, { author: 'a' });
    const before = plain(await store.learntCounts(all));
    await store.apply(id, { kind: 'confirm', beadId: 'b3' }, { author: 'a' });
    expect(plain(await store.learntCounts(all))).not.toEqual(before);
    expect((await store.learntSummary(all)).beads).toBe(3);
    await store.apply(id, { kind: 'unconfirm', beadId: 'b3' }, { author: 'a' });
    expect(plain(await store.learntCounts(all))).toEqual(before);
    // Undo of the unconfirm teaches the row again, undo of the confirm takes it back again.
    await store.undo(id, { author: 'a' });
    expect((await store.learntSummary(all)).beads).toBe(3);
    await store.undo(id, { author: 'a' });
    expect(plain(await store.learntCounts(all))).toEqual(before);
  });

  it('counts what the rows say: words, terms and pairs of the confirmed rows', async () => {
    const id = await store.createDocument(storyDocument(), { author: 'a' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b6' }, { author: 'a' });
    const doc = await store.getDocument(id);
    expect(plain(await store.learntCounts(all))).toEqual(plain(expected([doc])));
    const m = await store.learntMarginals(all, ['渔夫', '李明', '没有'], ['fisherman', 'li', 'ming']);
    expect(m.beads).toBe(6);
    expect(m.words.get('渔夫')).toBe(2);
    expect(m.words.has('没有')).toBe(false);
    const minCount = new Map([['渔夫', 2], ['李明', 2]]);
    const p = await store.learntPairs(all, { minCount, terms: ['fisherman', 'li', 'ming'], pairs: [] });
    expect(p.get('渔夫')?.get('fisherman')).toBe(2);
    // Counted once: kept, read only when asked for by name.
    expect((await store.learntCounts(all)).pairs.get('李明')?.get('li')).toBe(1);
    expect(p.has('李明')).toBe(false);
    expect((await store.learntPairs(all, { minCount, terms: [], pairs: [['李明', 'li']] })).get('李明')?.get('li')).toBe(1);
    // The same as the counts in memory read the same way.
    const mem = expected([await store.getDocument(id)]).reader();
    expect(await mem.marginals(['渔夫', '李明', '没有'], ['fisherman', 'li', 'ming'])).toEqual(m);
    expect(await mem.pairs({ minCount, terms: ['fisherman', 'li', 'ming'], pairs: [['李明', 'li']] })).toEqual(await store.learntPairs(all, { minCount, terms: ['fisherman', 'li', 'ming'], pairs: [['李明', 'li']] }));
  });

  it('an edited, merged or split confirmed row teaches its new texts; deleting a document takes its rows back', async () => {
    const other = await store.createDocument(storyDocument('other'), { author: 'a' });
    await store.apply(other, { kind: 'confirm', beadId: 'b2' }, { author: 'a' });
    const before = plain(await store.learntCounts(all));
    const id = await store.createDocument(storyDocument(), { author: 'a' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b4' }, { author: 'a' });
    await store.apply(id, { kind: 'editTarget', sentence: 1, text: '他的小船漆成了蓝色。' }, { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b2' }, { author: 'a' });
    await store.apply(id, { kind: 'merge', beadId: 'b3' }, { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b3' }, { author: 'a' });
    const docs = [await store.getDocument(other), await store.getDocument(id)];
    expect(docs[1]!.beads.find((b) => b.id === 'b2')?.status).toBe('confirmed');
    expect(plain(await store.learntCounts(all))).toEqual(plain(expected(docs)));
    await store.deleteDocument(id);
    expect(plain(await store.learntCounts(all))).toEqual(before);
  });

  it('a document stored with confirmed rows (TMX, JSON import) teaches them at once; other language pairs teach nothing', async () => {
    const doc = storyDocument();
    const confirmed = { ...doc, beads: doc.beads.map((b, i) => (i < 4 ? { ...b, status: 'confirmed' as const } : b)) };
    const id = await store.createDocument(confirmed, { author: 'a', project: 'Acme' });
    expect((await store.learntSummary(all)).beads).toBe(4);
    const restored = { ...(await store.getDocument(id)), id: 'copy1' };
    await store.importDocument(restored, { author: 'a', history: [] });
    expect((await store.learntSummary(all)).beads).toBe(8);
    const deFr = { ...confirmed, source: { ...confirmed.source, lang: 'de' }, target: { ...confirmed.target, lang: 'fr' } };
    await store.createDocument(deFr, { author: 'a' });
    expect((await store.learntSummary(all)).beads).toBe(8);
  });

  it('is scoped by project: one project’s counts, or all of them summed', async () => {
    const doc = storyDocument();
    const confirmed = { ...doc, beads: doc.beads.map((b, i) => (i < 3 ? { ...b, status: 'confirmed' as const } : b)) };
    await store.createDocument(confirmed, { author: 'a', project: 'Acme' });
    await store.createDocument({ ...confirmed, beads: confirmed.beads.map((b, i) => ({ ...b, status: i < 5 ? 'confirmed' : 'automatic' })) }, { author: 'a', project: 'Beta' });
    expect((await store.learntSummary({ langs: 'zh-en', project: 'Acme' })).beads).toBe(3);
    expect((await store.learntSummary({ langs: 'zh-en', project: 'Beta' })).beads).toBe(5);
    expect((await store.learntSummary({ langs: 'zh-en', project: '' })).beads).toBe(0);
    expect((await store.learntSummary(all)).beads).toBe(8);
    // 渔夫 is in rows 1, 5 and 9: once in Acme's three rows, twice in Beta's five.
    expect((await store.learntMarginals(all, ['渔夫'], ['fisherman'])).words.get('渔夫')).toBe(3);
    expect((await store.learntMarginals({ langs: 'zh-en', project: 'Acme' }, ['渔夫'], ['fisherman'])).words.get('渔夫')).toBe(1);
    const q = { minCount: new Map([['渔夫', 2]]), terms: ['fisherman'], pairs: [['渔夫', 'fisherman']] as Array<[string, string]> };
    expect((await store.learntPairs(all, q)).get('渔夫')?.get('fisherman')).toBe(3);
    expect((await store.listDocuments()).map((d) => d.project)).toEqual(['Acme', 'Beta']);
  });

  it('a rebuild gives the same counts; a store whose counts a different learner made rebuilds them on open', async () => {
    const id = await store.createDocument(storyDocument(), { author: 'a', project: 'Acme' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b7' }, { author: 'a' });
    const now = plain(await store.learntCounts(all));
    const steps: number[] = [];
    const summary = await store.rebuildLearnt(all, { onProgress: (done) => steps.push(done) });
    expect(summary.beads).toBe(7);
    expect(steps.at(-1)).toBe(7);
    expect(plain(await store.learntCounts(all))).toEqual(now);
    await store.rebuildLearnt({ langs: 'zh-en', project: 'Acme' });
    expect(plain(await store.learntCounts(all))).toEqual(now);
    await place.exec('DELETE FROM learnt_pairs; UPDATE learnt_version SET version = 0');
    await store.close();
    store = await place.open();
    expect(plain(await store.learntCounts(all))).toEqual(now);
  });

  it('a count that would go below zero (a table changed behind the store) refuses the change and leaves everything as it was', async () => {
    const id = await store.createDocument(storyDocument(), { author: 'a' });
    await store.apply(id, { kind: 'confirm', beadId: 'b1' }, { author: 'a' });
    await place.exec("DELETE FROM learnt_words WHERE word = '渔夫'");
    const doc = await store.getDocument(id);
    await expect(store.apply(id, { kind: 'unconfirm', beadId: 'b1' }, { author: 'a' })).rejects.toThrow(/below zero/);
    expect((await store.getDocument(id)).revision).toBe(doc.revision);
    expect((await store.learntSummary(all)).beads).toBe(1);
  });
});

describe('two stores (two servers) at once', () => {
  it('confirming and unconfirming rows that teach the same words in four documents at once: no deadlock, nothing lost, the counts equal a rebuild', async () => {
    const other = await place.open();
    try {
      const ids = await Promise.all([1, 2, 3, 4].map((k) => store.createDocument(storyDocument(`story ${k}`), { author: 'a' })));
      await Promise.all(
        ids.map(async (id, k) => {
          const s = k % 2 ? other : store;
          for (let round = 0; round < 3; round++) {
            for (const b of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6']) await s.apply(id, { kind: 'confirm', beadId: b }, { author: `r${k}` });
            for (const b of ['b2', 'b4']) await s.apply(id, { kind: 'unconfirm', beadId: b }, { author: `r${k}` });
            if (round < 2) for (const b of ['b1', 'b3', 'b5', 'b6']) await s.apply(id, { kind: 'unconfirm', beadId: b }, { author: `r${k}` });
          }
        }),
      );
      const docs = await Promise.all(ids.map((id) => store.getDocument(id)));
      const incremental = plain(await store.learntCounts(all));
      expect(incremental).toEqual(plain(expected(docs)));
      expect((await store.learntSummary(all)).beads).toBe(16);
      await store.rebuildLearnt(all);
      expect(plain(await other.learntCounts(all))).toEqual(incremental);
    } finally {
      await other.close();
    }
  });
});

describe('property: any sequence of operations, undos and redos leaves the counts equal to a rebuild', () => {
  let pplace: StorePlace;
  let pstore: Store;
  beforeAll(async () => {
    pplace = await newPlace(backend);
    pstore = await pplace.open();
  });
  afterAll(async () => {
    await pstore.close();
    await pplace.remove();
  });

  // Two reviewers; undo and redo of the document's stack or of one reviewer's own changes.
  type Who = 'p' | 'q';
  type Step = { kind: 'op'; op: ReviewOp; who: Who } | { kind: 'undo' | 'redo'; who: Who; scope: 'document' | 'author' };
  const who = fc.constantFrom<Who>('p', 'q');
  const side = fc.constantFrom('source' as const, 'target' as const);
  const sentence = fc.integer({ min: 0, max: 13 });
  const bead = fc.integer({ min: 1, max: 12 }).map((i) => `b${i}`);
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'confirm', beadId }, who: 'p' })) },
    { weight: 2, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'unconfirm', beadId }, who: 'p' })) },
    { weight: 1, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'confirmAbove', beadId }, who: 'p' })) },
    { weight: 1, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'merge', beadId }, who: 'p' })) },
    { weight: 1, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'split', beadId, sourceAt: 1, targetAt: 1 }, who: 'p' })) },
    { weight: 1, arbitrary: bead.map((beadId): Step => ({ kind: 'op', op: { kind: 'flag', beadId }, who: 'p' })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom('渔夫笑了。', '李明卖了船。', '港口很安静。'))
        .map(([sentence, text]): Step => ({ kind: 'op', op: { kind: 'editTarget', sentence, text }, who: 'p' })),
    },
    // The editor's segmentation fixes and row moves.
    { weight: 1, arbitrary: fc.tuple(side, sentence, fc.integer({ min: 1, max: 8 })).map(([sd, n, at]): Step => ({ kind: 'op', op: { kind: 'splitSentence', side: sd, sentence: n, at }, who: 'p' })) },
    { weight: 1, arbitrary: fc.tuple(side, sentence).map(([sd, n]): Step => ({ kind: 'op', op: { kind: 'joinSentence', side: sd, sentence: n }, who: 'p' })) },
    { weight: 1, arbitrary: fc.tuple(bead, side, fc.constantFrom('shiftUp' as const, 'shiftDown' as const, 'detach' as const)).map(([beadId, sd, kind]): Step => ({ kind: 'op', op: { kind, beadId, side: sd }, who: 'p' })) },
    { weight: 3, arbitrary: fc.tuple(who, fc.constantFrom('document' as const, 'author' as const)).map(([w, scope]): Step => ({ kind: 'undo', who: w, scope })) },
    { weight: 2, arbitrary: fc.tuple(who, fc.constantFrom('document' as const, 'author' as const)).map(([w, scope]): Step => ({ kind: 'redo', who: w, scope })) },
  );

  it('confirm / unconfirm / confirm above / merge / split / flag / edit / sentence split and join / shift / detach / undo and redo, of the document or of one reviewer', async () => {
    let run = 0;
    let taughtRuns = 0;
    const applied = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        // Each run in a project of its own: its scope holds exactly this document's counts.
        const scope = { langs: 'zh-en' as const, project: `run${++run}` };
        const id = await pstore.createDocument(storyDocument(), { author: 'p', project: scope.project });
        for (const s of steps) {
          try {
            if (s.kind === 'op') await pstore.change(id, { op: s.op }, { author: s.who });
            else await pstore.change(id, { step: s.kind, scope: s.scope }, { author: s.who });
            const k = s.kind === 'op' ? s.op.kind : `${s.kind}:${s.scope}`;
            applied.set(k, (applied.get(k) ?? 0) + 1);
          } catch (e) {
            if (!(e instanceof InvalidOperationError || e instanceof NotFoundError || e instanceof ConflictError)) throw e;
          }
        }
        const incremental = plain(await pstore.learntCounts(scope));
        if ((await pstore.learntSummary(scope)).beads > 0) taughtRuns++;
        expect(incremental).toEqual(plain(expected([await pstore.getDocument(id)])));
        await pstore.rebuildLearnt(scope);
        expect(plain(await pstore.learntCounts(scope))).toEqual(incremental);
      }),
      { numRuns: 60, seed: 13 },
    );
    // The runs did exercise the table (most end with rows taught).
    expect(taughtRuns).toBeGreaterThan(30);
    // … and every kind of step was applied (not only refused).
    for (const k of ['splitSentence', 'joinSentence', 'shiftUp', 'detach', 'undo:author', 'redo:author', 'undo:document', 'redo:document']) expect(applied.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
});
