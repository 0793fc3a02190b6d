/**
 * Undo and redo per reviewer (the review page's u and U) beside the document's own stack (the
 * History page), one code path in the store: a reviewer undoes their own last change wherever it is,
 * is refused (naming who) when someone changed those rows since, and the page is told what was
 * undone. Also: segmentation changes through the store (sentences rewritten, versions follow, undo),
 * the entry each change returns, and migration 5 on a database that has undone entries.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { replayHistory, syntheticDocument } from '../../server/review/index.js';
import { MIGRATIONS } from '../../server/store/migrations.js';
import type { Store } from '../../server/store/store.js';
import { ConflictError } from '../../server/store/store.js';
import { BACKENDS, storeEachTest, type StorePlace } from '../helpers/stores.js';

describe.each(BACKENDS)('on %s', (backend) => {
let place: StorePlace;
let store: Store;
storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);

const shape = (d: ReviewDocument): string => d.beads.map((b) => `${b.id}:${b.source.join('+')}|${b.target.join('+')}:${b.status}`).join(' ');
const mine = { scope: 'author' as const };

describe('undo and redo of one reviewer’s own changes', () => {
  it('undoes my last change even when another reviewer changed other rows since, and says what it undid', async () => {
    const id = await store.createDocument(syntheticDocument(12), { author: 'x' });
    const s0 = await store.getDocument(id);
    await store.apply(id, { kind: 'merge', beadId: 'b8' }, { author: 'ann' }); // rows 8–9
    await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'bob' }); // rows 2–3: ann's row is now row 7
    await store.apply(id, { kind: 'flag', beadId: 'b5' }, { author: 'bob' });
    const r = await store.change(id, { step: 'undo', scope: 'author' }, { author: 'ann' });
    expect(r.stepped).toMatchObject({ op: { kind: 'merge', beadId: 'b8' }, author: 'ann', rows: { at: 7, before: 2, after: 1 }, undone: true });
    expect(r.entry).toMatchObject({ op: { kind: 'undo', of: r.stepped!.seq }, author: 'ann', rows: { at: 6, before: 1, after: 2 } });
    expect(r.entry.before).toBeUndefined();
    // Bob's changes stay; ann's rows are back as they were.
    expect(r.doc.beads.find((b) => b.id === 'b2')!.source).toEqual([1, 2]);
    expect(r.doc.beads.find((b) => b.id === 'b5')!.status).toBe('flagged');
    expect(r.doc.beads.find((b) => b.id === 'b8')).toEqual(s0.beads[7]);
    expect(r.doc.beads.find((b) => b.id === 'b9')).toEqual(s0.beads[8]);
    // Nothing of ann's is left to undo; bob's stack is untouched; ann can redo hers.
    await expect(store.undo(id, { author: 'ann', ...mine })).rejects.toThrow(/nothing to undo/);
    const redone = await store.change(id, { step: 'redo', scope: 'author' }, { author: 'ann' });
    expect(redone.stepped).toMatchObject({ op: { kind: 'merge', beadId: 'b8' }, undone: false });
    expect(redone.doc.beads.some((b) => b.id === 'b9')).toBe(false);
    expect((await store.change(id, { step: 'undo', scope: 'author' }, { author: 'bob' })).stepped!.op).toEqual({ kind: 'flag', beadId: 'b5' });
    // The history replays to the state (undo entries found their rows where they were).
    const final = await store.getDocument(id);
    expect(shape(replayHistory({ ...s0, revision: 0 }, await store.history(id)))).toBe(shape(final));
  });

  it('refuses to undo my change when another reviewer changed those rows since, naming who, and changes nothing', async () => {
    const id = await store.createDocument(syntheticDocument(6), { author: 'x' });
    await store.apply(id, { kind: 'merge', beadId: 'b3' }, { author: 'ann' });
    await store.apply(id, { kind: 'confirm', beadId: 'b3' }, { author: 'bob' });
    const before = await store.getDocument(id);
    const err = await store.undo(id, { author: 'ann', ...mine }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe('Not undone: bob changed those rows after your merge (rows 3–4): confirm (row 3). Nothing was changed; the History page can undo changes in order.');
    expect((err as ConflictError).changes.map((c) => c.author)).toEqual(['bob']);
    expect(await store.getDocument(id)).toEqual(before);
    // The document's stack undoes in order, whoever made the change: bob's confirm, then ann's merge.
    await store.undo(id, { author: 'editor' });
    expect((await store.undo(id, { author: 'editor' })).beads).toHaveLength(6);
    // When the other change was undone, my change is clean again.
    const id2 = await store.createDocument(syntheticDocument(6), { author: 'x' });
    await store.apply(id2, { kind: 'merge', beadId: 'b3' }, { author: 'ann' });
    await store.apply(id2, { kind: 'flag', beadId: 'b3' }, { author: 'bob' });
    await store.undo(id2, { author: 'bob', ...mine });
    expect((await store.undo(id2, { author: 'ann', ...mine })).beads).toHaveLength(6);
  });

  it('my redo list: cleared by my next change, not by someone else’s; the document’s redo only before any new change', async () => {
    const id = await store.createDocument(syntheticDocument(8), { author: 'x' });
    await store.apply(id, { kind: 'flag', beadId: 'b1' }, { author: 'ann' });
    await store.apply(id, { kind: 'flag', beadId: 'b2' }, { author: 'ann' });
    await store.undo(id, { author: 'ann', ...mine }); // b2
    await store.undo(id, { author: 'ann', ...mine }); // b1
    await store.apply(id, { kind: 'confirm', beadId: 'b7' }, { author: 'bob' });
    // Bob's change does not take ann's redo away (her rows are as she left them) …
    await expect(store.redo(id, { author: 'bob' })).rejects.toThrow(/nothing to redo/); // … but the document's redo is gone
    const r1 = await store.change(id, { step: 'redo', scope: 'author' }, { author: 'ann' });
    expect(r1.stepped!.op).toEqual({ kind: 'flag', beadId: 'b1' }); // the last undone first
    await store.apply(id, { kind: 'confirm', beadId: 'b8' }, { author: 'ann' });
    await expect(store.redo(id, { author: 'ann', ...mine })).rejects.toThrow(/nothing to redo/);
    expect((await store.history(id)).find((e) => e.op.kind === 'flag' && e.op.beadId === 'b2')!.undone).toBe(true);
  });
});

describe('segmentation through the store', () => {
  it('rewrites the sentences from the split on, keeps version texts on their rows, reopens and undoes', async () => {
    const id = await store.createDocument(syntheticDocument(6), { author: 'x' });
    const s0 = await store.getDocument(id);
    await store.addVersion(id, { name: 'official', lang: 'zh', textByBead: Object.fromEntries(s0.beads.map((b, i) => [b.id, `官${i + 1}。`])) }, { author: 'x' });
    const r = await store.change(id, { op: { kind: 'splitSentence', side: 'source', sentence: 1, at: 10 } }, { author: 'ann' });
    expect(r.entry.rows).toEqual({ at: 1, before: 5, after: 5 }); // the rows from the split on (their indices moved)
    expect(r.doc.source.sentences).toHaveLength(7);
    expect(r.doc.versions[0]!.textByBead).toEqual({ b1: '官1。', b2: '官2。', b3: '官3。', b4: '官4。', b5: '官5。', b6: '官6。' });
    const merged = await store.apply(id, { kind: 'merge', beadId: 'b4' }, { author: 'ann' });
    expect(merged.versions[0]!.textByBead.b4).toBe('官4。官5。');
    await store.close();
    store = await place.open();
    const reopened = await store.getDocument(id);
    expect(reopened).toEqual(merged);
    await store.undo(id, { author: 'ann', ...mine });
    const back = await store.undo(id, { author: 'ann', ...mine });
    expect(back.source.sentences).toEqual(s0.source.sentences);
    expect(back.beads).toEqual(s0.beads);
    expect(back.versions[0]!.textByBead).toEqual({ b1: '官1。', b2: '官2。', b3: '官3。', b4: '官4。', b5: '官5。', b6: '官6。' });
    await store.close();
    store = await place.open();
    expect((await store.getDocument(id)).source.sentences).toEqual(s0.source.sentences);
  });
});

describe('migration 5', () => {
  it('a database at version 4 with undone entries: who undid them and where each change was are filled in', async () => {
    const id = await store.createDocument(syntheticDocument(5), { author: 'a' });
    await store.apply(id, { kind: 'merge', beadId: 'b2' }, { author: 'ann' });
    await store.undo(id, { author: 'bob' });
    await store.close();
    // Back to version 4 (the later migrations' tables go too: that release had none of them).
    await place.exec(
      'DROP TABLE server_keys; DROP TABLE translation_sets; ALTER TABLE glossaries DROP COLUMN source_lang; ALTER TABLE glossaries DROP COLUMN target_lang; DROP TABLE learnt_rows; DROP TABLE learnt_pairs; DROP TABLE learnt_words; DROP TABLE learnt_tables; DROP TABLE learnt_version; ALTER TABLE documents DROP COLUMN project; DROP INDEX history_doc_author; ALTER TABLE history DROP COLUMN undone_by; ALTER TABLE history DROP COLUMN undone_seq; ALTER TABLE history DROP COLUMN row_span; DELETE FROM schema_version WHERE version >= 5',
    );
    store = await place.open();
    expect((await place.query<{ v: number }>('SELECT MAX(version) AS v FROM schema_version'))[0]!.v).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const rows = await place.query<{ op: string; undo_state: string | null; undone_by: string | null; row_span: string | null }>('SELECT op, undo_state, undone_by, row_span FROM history ORDER BY seq');
    expect(rows.map((r) => [JSON.parse(r.op).kind, r.undo_state, r.undone_by, r.row_span && JSON.parse(r.row_span)])).toEqual([
      ['import', null, null, null],
      ['merge', 'undone', 'bob', { at: 1, before: 2, after: 1 }],
      ['undo', null, null, { at: 1, before: 1, after: 2 }],
    ]);
    expect((await store.redo(id, { author: 'bob', ...mine })).beads).toHaveLength(4);
  });
});
});
