/**
 * Glossaries in the store: one transaction per change, each recorded with its author; revisions
 * make a stale edit a conflict; the first glossary is the default; a once-key creates at most once
 * per store; a document's chosen glossary is recorded in its history and falls back to the default.
 */
import { describe, expect, it } from 'vitest';
import type { GlossaryEntry } from '../../server/domain.js';
import { syntheticDocument } from '../../server/review/index.js';
import type { Store } from '../../server/store/store.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../../server/store/store.js';
import { BACKENDS, storeEachTest, type StorePlace } from '../helpers/stores.js';

const E = (english: string, accepted: string): GlossaryEntry => ({ english: [english], accepted: [accepted], forbidden: [], note: '', unless: [] });

describe.each(BACKENDS)('glossaries in the store on %s', (backend) => {
  let place: StorePlace;
  let store: Store;
  storeEachTest(backend, (opened) => ({ place, store } = opened), () => store);

    it('creates (the first is the default), adds, updates with a revision check, deletes; history says who', async () => {
      const a = (await store.createGlossary({ name: 'A', entries: [E('one', '一'), E('two', '二')] }, { author: 'ann' }))!;
      const b = (await store.createGlossary({ name: 'B', entries: [] }, { author: 'bob' }))!;
      expect((await store.listGlossaries()).map((g) => [g.name, g.isDefault, g.entries])).toEqual([['A', true, 2], ['B', false, 0]]);
      await expect(store.createGlossary({ name: 'A', entries: [] }, { author: 'x' })).rejects.toThrow(InvalidOperationError);
      const [added] = await store.addGlossaryEntries(b, [E('three', '三')], { author: 'bob' });
      expect(added).toMatchObject({ revision: 1, updatedBy: 'bob' });
      const updated = await store.updateGlossaryEntry(b, added!.id, E('three', '叁'), { author: 'cy', baseRevision: 1 });
      expect(updated).toMatchObject({ revision: 2, accepted: ['叁'], updatedBy: 'cy' });
      await expect(store.updateGlossaryEntry(b, added!.id, E('three', 'x'), { author: 'dee', baseRevision: 1 })).rejects.toThrow(ConflictError);
      await expect(store.deleteGlossaryEntry(b, added!.id, { author: 'dee', baseRevision: 1 })).rejects.toThrow(ConflictError);
      await store.deleteGlossaryEntry(b, added!.id, { author: 'dee', baseRevision: 2 });
      await expect(store.deleteGlossaryEntry(b, added!.id, { author: 'dee', baseRevision: 2 })).rejects.toThrow(NotFoundError);
      const history = await store.glossaryHistory(b);
      expect(history.map((h) => [h.action, h.author])).toEqual([['delete', 'dee'], ['update', 'cy'], ['add', 'bob'], ['create', 'bob']]);
      expect((await store.getGlossary(b)).revision).toBe(3);
      // The default cannot be deleted; another can, after it is made the default.
      await expect(store.deleteGlossary(a, { author: 'x' })).rejects.toThrow(/default glossary/);
      await store.setDefaultGlossary(b, { author: 'x' });
      await store.deleteGlossary(a, { author: 'x' });
      expect((await store.listGlossaries()).map((g) => [g.name, g.isDefault])).toEqual([['B', true]]);
    });

    it('a once-key creates at most once per store, even after the glossary was deleted', async () => {
      const first = await store.createGlossary({ name: 'starter', entries: [E('a', '甲')] }, { author: 'x', onceKey: 'starter' });
      expect(first).not.toBeNull();
      const other = await place.open();
      try {
        expect(await other.createGlossary({ name: 'starter 2', entries: [] }, { author: 'y', onceKey: 'starter' })).toBeNull();
      } finally {
        await other.close();
      }
      const b = (await store.createGlossary({ name: 'other', entries: [] }, { author: 'x' }))!;
      await store.setDefaultGlossary(b, { author: 'x' });
      await store.deleteGlossary(first!, { author: 'x' });
      expect(await store.createGlossary({ name: 'starter', entries: [] }, { author: 'x', onceKey: 'starter' })).toBeNull();
    });

    it('a document uses its chosen glossary, recorded in its history, else the default; deleting the chosen one falls back', async () => {
      const a = (await store.createGlossary({ name: 'A', entries: [] }, { author: 'x' }))!;
      const b = (await store.createGlossary({ name: 'B', entries: [E('b', '乙')] }, { author: 'x' }))!;
      const id = await store.createDocument(syntheticDocument(3), { author: 'x' });
      expect((await store.documentGlossary(id))!.id).toBe(a);
      const doc = await store.setDocumentGlossary(id, b, { author: 'eve' });
      expect(doc.revision).toBe(1);
      expect((await store.documentGlossary(id))!.id).toBe(b);
      expect((await store.history(id)).at(-1)).toMatchObject({ author: 'eve', revision: 1, op: { kind: 'setGlossary', glossaryId: b, name: 'B' } });
      await store.deleteGlossary(b, { author: 'x' });
      expect((await store.documentGlossary(id))!.id).toBe(a);
      await expect(store.setDocumentGlossary(id, 9999, { author: 'x' })).rejects.toThrow(NotFoundError);
      await expect(store.documentGlossary('nope')).rejects.toThrow(NotFoundError);
    });
});
