/**
 * The import pipeline shared by the JSON API, the import page and first-start corpus import:
 * decode → text sides → align → document under review → store. Nothing is stored on error.
 */
import type { AlignmentResult, Lang, ReviewDocument, TextSide } from '../domain.js';
import { AlignInputError, alignDocument } from '../align/index.js';
import { ImportError, MAX_TEXT_CHARS, cachedModel, checkLang } from './common.js';
import { reviewDocumentFromAlignment } from '../review/index.js';
import type { Store } from '../store/store.js';
import { TextInputError, buildSide, decodeBytes } from '../text/index.js';

export interface ImportInput {
  name: string;
  /** The original (English by default): a decoded string, or bytes decoded with `encoding`. */
  source: string | Uint8Array;
  /** The translation (Chinese by default). */
  target: string | Uint8Array;
  sourceLang?: Lang;
  targetLang?: Lang;
  /** For byte input: 'utf-8' (default, GB18030 is not guessed), 'gb18030' … */
  encoding?: string;
  /** 'auto' (default), 'lexical', 'length', 'neural'. */
  model?: string;
  presplit?: boolean;
}

export interface ImportOptions {
  author: string;
  corpusKey?: string | null;
  onProgress?: (stage: string, done: number, total: number) => void;
}

function decodeSide(input: string | Uint8Array, name: string, encoding: string | undefined): string {
  try {
    return typeof input === 'string' ? input : decodeBytes(input, { name, ...(encoding ? { encoding } : {}) });
  } catch (e) {
    if (e instanceof TextInputError) throw new ImportError(e.message, 422);
    throw e;
  }
}

function side(text: string, lang: Lang, label: string, presplit: boolean): TextSide {
  if (text.length > MAX_TEXT_CHARS) throw new ImportError(`the ${label} is too long (${text.length} characters; the limit is ${MAX_TEXT_CHARS})`, 413);
  const s = buildSide(text, lang, { presplit });
  if (s.sentences.length === 0) throw new ImportError(`the ${label} is empty: it has no sentences`, 422);
  return s;
}

/** Decodes and aligns; returns the document to store (not stored yet). */
export async function prepareImport(input: ImportInput, opts: Pick<ImportOptions, 'onProgress'> = {}): Promise<ReviewDocument> {
  const name = input.name.trim();
  if (!name) throw new ImportError('the document needs a name', 422);
  if (name.length > 200) throw new ImportError('the document name is longer than 200 characters', 422);
  const sourceLang = checkLang(input.sourceLang ?? 'en', 'source language');
  const targetLang = checkLang(input.targetLang ?? 'zh', 'target language');
  if (sourceLang.toLowerCase() === targetLang.toLowerCase()) throw new ImportError('source and target language are the same', 422);
  const presplit = input.presplit ?? false;
  const source = side(decodeSide(input.source, 'source text', input.encoding), sourceLang, 'source text', presplit);
  const target = side(decodeSide(input.target, 'target text', input.encoding), targetLang, 'target text', presplit);
  let result: AlignmentResult;
  try {
    const model = await cachedModel(input.model ?? 'auto', { a: sourceLang, b: targetLang });
    result = await alignDocument(source, target, model, opts.onProgress ? { onProgress: opts.onProgress } : {});
  } catch (e) {
    if (e instanceof AlignInputError || e instanceof TextInputError || (e instanceof Error && e.name === 'ModelNotInstalledError')) {
      throw new ImportError(e.message, 422);
    }
    throw e;
  }
  return reviewDocumentFromAlignment(result, { name, sourceSide: 'a' });
}

/** The whole pipeline: returns the new document's id. */
export async function importDocument(store: Store, input: ImportInput, opts: ImportOptions): Promise<string> {
  const doc = await prepareImport(input, opts);
  return await store.createDocument(doc, { author: opts.author, corpusKey: opts.corpusKey ?? null });
}

export { ImportError, MAX_TEXT_CHARS, cachedModel, checkLang } from './common.js';
export { importVersion, alignVersion } from './version.js';
export type { VersionInput } from './version.js';
export { importCorpus } from './corpus.js';
