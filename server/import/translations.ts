/**
 * Several translations of one original, imported at once: each translation is aligned to the
 * original on its own and becomes a document of its own (so the one-original, one-translation review
 * flow is unchanged), and the store keeps them as one translation set (Store.storeDocuments with
 * `translationSet`). The side-by-side view and the multilingual TMX put the set's rows together
 * (review/translation-set.ts).
 */
import type { LearnedLexicon } from '../align/index.js';
import type { Lang, ReviewDocument } from '../domain.js';
import { ImportError } from '../formats/errors.js';
import type { Store } from '../store/store.js';
import { alignImport, checkImport, type CheckedImport } from './document.js';

/** Translations per set: enough for the six UN languages and then some. */
export const MAX_TRANSLATIONS = 12;

export interface TranslationsInput {
  name: string;
  source: string | Uint8Array;
  sourceLang?: Lang;
  translations: readonly { lang: Lang; text: string | Uint8Array }[];
  encoding?: string;
  model?: string;
  presplit?: boolean;
}

/** Checked and decoded: one import per translation, all of the same original. */
export interface CheckedTranslations {
  name: string;
  imports: CheckedImport[];
}

/**
 * The door's checks (name, languages, model, decoding, sizes; at least one translation, one per
 * language, none in the original's language), each translation as a text-pair import would be.
 */
export function checkTranslations(input: TranslationsInput): CheckedTranslations {
  if (input.translations.length === 0) throw new ImportError('give at least one translation', 'content');
  if (input.translations.length > MAX_TRANSLATIONS) throw new ImportError(`at most ${MAX_TRANSLATIONS} translations at once`, 'content');
  const seen = new Set<string>();
  const imports = input.translations.map((t, k) => {
    const checked = checkImport({
      name: input.name,
      source: input.source,
      target: t.text,
      sourceLang: input.sourceLang ?? 'en',
      targetLang: t.lang,
      model: input.model ?? 'auto',
      presplit: input.presplit ?? false,
      ...(input.encoding ? { encoding: input.encoding } : {}),
    });
    const lang = checked.targetLang.toLowerCase();
    if (seen.has(lang)) throw new ImportError(`translation ${k + 1}: a second translation in ${checked.targetLang} (one per language)`, 'languages');
    seen.add(lang);
    return { ...checked, name: `${checked.name} (${checked.targetLang})` };
  });
  return { name: imports[0]!.name.replace(/ \([^)]*\)$/, ''), imports };
}

/** Aligns each translation to the original; the documents to store as one set (not stored yet). */
export async function alignTranslations(
  input: CheckedTranslations,
  opts: { onProgress?: (done: number, total: number, lang: Lang) => void; learned?: (langs: { a: Lang; b: Lang }) => LearnedLexicon | undefined } = {},
): Promise<ReviewDocument[]> {
  const docs: ReviewDocument[] = [];
  for (const [k, imp] of input.imports.entries()) {
    opts.onProgress?.(k, input.imports.length, imp.targetLang);
    docs.push(await alignImport(imp, { learned: opts.learned?.({ a: imp.sourceLang, b: imp.targetLang }) }));
  }
  return docs;
}

/** The whole pipeline: checks, aligns and stores the set; answers its id and the documents' ids. */
export async function importTranslations(store: Store, input: TranslationsInput, opts: { author: string }): Promise<{ set: string; documents: string[] }> {
  const docs = await alignTranslations(checkTranslations(input));
  const documents = await store.storeDocuments(
    docs.map((doc) => {
      const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
      return { kind: 'new' as const, doc: rest };
    }),
    { author: opts.author, translationSet: true },
  );
  const set = await store.translationSetOf(documents[0]!);
  return { set: set!.id, documents };
}
