/** Shared by the import pipelines: the user-facing error, limits, model cache, language codes. */
import type { Lang, SimilarityModel } from '../domain.js';
import { getModel } from '../align/index.js';

/** An import the user has to fix; `status` is the HTTP status to answer with (400, 413, 422). */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly status: number = 422,
  ) {
    super(message);
  }
}

/** Characters per text side accepted by an import (the HTTP body limit is 20 MB). */
export const MAX_TEXT_CHARS = 10_000_000;

const models = new Map<string, Promise<SimilarityModel>>();

/** Models are loaded once per process (the lexical dictionary and a neural model are slow to load). */
export function cachedModel(name: string, langs: { a: Lang; b: Lang }): Promise<SimilarityModel> {
  const key = `${name}|${langs.a}|${langs.b}`;
  let m = models.get(key);
  if (!m) {
    m = getModel(name, langs);
    models.set(key, m);
    m.catch(() => models.delete(key));
  }
  return m;
}

const LANG_RE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function checkLang(lang: string, label: string): Lang {
  if (!LANG_RE.test(lang)) throw new ImportError(`${label} "${lang}" is not a language code like en, zh or zh-CN`, 422);
  return lang;
}

