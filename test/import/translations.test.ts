/**
 * Several translations of one original: imported as a set (each translation a document aligned to
 * the original), the set's rows (the finest stretch of the original every alignment keeps whole),
 * the multilingual TMX (valid against the TMX 1.4 DTD, one tu per row, one tuv per language), and
 * the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { setTmx } from '../../server/formats/multi-tmx.js';
import { parseXml, childElements, textContent } from '../../server/formats/xml.js';
import { ImportError, importTranslations } from '../../server/import/index.js';
import { alignTranslationSet } from '../../server/review/index.js';
import type { Store } from '../../server/store/store.js';
import { xmllint } from '../formats/fixtures.js';
import { communique, PLANTED } from '../helpers/communique.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

describe.each(BACKENDS)('on %s', (backend) => {
let place: StorePlace;
let store: Store;
let set: { set: string; documents: string[] };
const langs = ['fr', 'es', 'ru'] as const;

beforeAll(async () => {
  place = await newPlace(backend);
  store = await place.open();
  set = await importTranslations(
    store,
    { name: 'Communiqué', source: communique('en'), sourceLang: 'en', model: 'generic', translations: langs.map((lang) => ({ lang, text: communique(lang) })) },
    { author: 'ann' },
  );
});
afterAll(async () => {
  await store.close();
  await place.remove();
});

const docsOf = async (): Promise<ReviewDocument[]> => Promise.all(set.documents.map((id) => store.getDocument(id)));

describe('a translation set', () => {
  it('stores one document per translation, named by its language, each aligned to the original, as one set', async () => {
    const docs = await docsOf();
    expect(docs.map((d) => [d.name, d.source.lang, d.target.lang])).toEqual([
      ['Communiqué (fr)', 'en', 'fr'],
      ['Communiqué (es)', 'en', 'es'],
      ['Communiqué (ru)', 'en', 'ru'],
    ]);
    expect(await store.translationSet(set.set)).toEqual({ id: set.set, documents: set.documents });
    for (const id of set.documents) expect((await store.translationSetOf(id))?.id).toBe(set.set);
    await expect(store.translationSet('s000000000000')).rejects.toThrow(/does not exist/);
  });

  it('puts the rows together on the original: one row per sentence, the omitted sentence empty in its translation only', async () => {
    const docs = await docsOf();
    const aligned = alignTranslationSet(docs);
    expect(aligned.rows).toHaveLength(docs[0]!.source.sentences.length);
    langs.forEach((lang, k) => {
      const empty = aligned.rows.filter((r) => r.targets[k]!.text === '');
      expect(empty.map((r) => r.source)).toEqual([expect.stringContaining(PLANTED[lang].omitted)]);
    });
    const changed = aligned.rows.find((r) => r.source.includes('27 new treatment plants'))!;
    expect(changed.targets.map((t) => t.text)).toEqual([expect.stringContaining('29 nouvelles'), expect.stringContaining('27 nuevas'), expect.stringContaining('27 новых')]);
  });

  it('uses the finest stretches every translation keeps whole: a merge in one translation joins that stretch for all', async () => {
    const before = await docsOf();
    const fr = before[0]!;
    const at = fr.beads.findIndex((b) => fr.source.sentences[b.source[0]!]?.text.startsWith('The Ministers underlined'));
    await store.apply(fr.id, { kind: 'merge', beadId: fr.beads[at]!.id }, { author: 'ann' });
    const aligned = alignTranslationSet(await docsOf());
    expect(aligned.rows).toHaveLength(fr.source.sentences.length - 1);
    const joined = aligned.rows.find((r) => r.source.startsWith('The Ministers underlined'))!;
    expect(joined.source).toContain('They instructed the technical committee');
    expect(joined.targets[0]!.text).toMatch(/^Les ministres ont souligné .*Ils ont chargé le comité technique/);
    expect(joined.targets[0]!.beadIds).toHaveLength(1);
    // Spanish left the second sentence out: its stretch holds the first sentence's row and the empty one.
    expect(joined.targets[1]!.text).toBe('Los ministros subrayaron la importancia de compartir datos hidrológicos en tiempo real.');
    expect(joined.targets[1]!.beadIds).toHaveLength(2);
    expect(joined.targets[2]!.text).toMatch(/подчеркнули .*поручили/);
    await store.undo(fr.id, { author: 'ann' });
  });

  it('exports multilingual TMX 1.4 that the DTD validates: one tu per row, one tuv per language with text', async () => {
    const docs = await docsOf();
    const aligned = alignTranslationSet(docs);
    const xml = setTmx(aligned, { name: 'Communiqué', now: new Date('2026-03-14T10:00:00Z') });
    expect(xmllint(xml, 'tmx')).toBe('');
    const body = childElements(parseXml(xml), 'body')[0]!;
    const tus = childElements(body, 'tu');
    expect(tus).toHaveLength(aligned.rows.length);
    const tuvLangs = tus.map((tu) => childElements(tu, 'tuv').map((t) => t.attrs['xml:lang']).join(' '));
    expect(tuvLangs.filter((l) => l === 'en fr es ru')).toHaveLength(aligned.rows.length - 3);
    expect(tuvLangs.filter((l) => l !== 'en fr es ru').sort()).toEqual(['en es ru', 'en fr es', 'en fr ru']);
    const omitted = tus.find((tu) => childElements(tu, 'tuv').every((t) => t.attrs['xml:lang'] !== 'fr'))!;
    expect(childElements(omitted, 'note').map((n) => textContent(n))).toEqual(['No fr translation of this segment']);
    expect(textContent(childElements(childElements(omitted, 'tuv')[0]!, 'seg')[0]!)).toContain(PLANTED.fr.omitted);
    // Only the chosen translations, in the order asked.
    const two = setTmx(aligned, { name: 'Communiqué', only: [2, 0] });
    expect(xmllint(two, 'tmx')).toBe('');
    expect(two).not.toContain('xml:lang="es"');
    expect(two.indexOf('xml:lang="ru"')).toBeLessThan(two.indexOf('xml:lang="fr"'));
  });

  it('refuses two translations in one language, no translation, and documents of different originals', async () => {
    const input = { name: 'x', source: communique('en'), sourceLang: 'en', model: 'generic' };
    await expect(importTranslations(store, { ...input, translations: [{ lang: 'fr', text: communique('fr') }, { lang: 'FR', text: communique('fr') }] }, { author: 'a' })).rejects.toThrow(ImportError);
    await expect(importTranslations(store, { ...input, translations: [] }, { author: 'a' })).rejects.toThrow(/at least one translation/);
    await expect(importTranslations(store, { ...input, translations: [{ lang: 'en', text: communique('fr') }] }, { author: 'a' })).rejects.toThrow(/same/);
    const [a, b] = await docsOf();
    const other = { ...b!, source: { ...b!.source, text: `${b!.source.text} ` } };
    const strip = ({ id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...rest }: ReviewDocument) => rest;
    const count = (await store.listDocuments()).length;
    await expect(store.storeDocuments([{ kind: 'new', doc: strip(a!) }, { kind: 'new', doc: strip(other) }], { author: 'a', translationSet: true })).rejects.toThrow(/same original/);
    expect((await store.listDocuments()).length).toBe(count);
    expect(() => alignTranslationSet([a!, other])).toThrow(/not a translation of the same original/);
  });
});
});
