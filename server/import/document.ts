/**
 * A new document from two texts: decode → text sides → align → document under review → store.
 * The one path used by the JSON API, the import page and the first-start corpus import. Nothing is
 * stored on error.
 */
import type { AlignmentResult, Lang, ReviewDocument } from '../domain.js';
import { alignDocument, type LearnedLexicon } from '../align/index.js';
import { ImportError } from '../formats/errors.js';
import { reviewDocumentFromAlignment } from '../review/index.js';
import type { Store } from '../store/store.js';
import { cachedModel, checkLang, checkName, decodeInput, refuseAlignError, textSide } from './common.js';
import { learnedFor } from './learned.js';

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
  /** Project or client ('' or absent: none): a scope of the learnt table. */
  project?: string;
}

export interface ImportOptions {
  author: string;
  corpusKey?: string | null;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Decodes and aligns; returns the document to store (not stored yet). */
export async function prepareImport(input: ImportInput, opts: Pick<ImportOptions, 'onProgress'> & { learned?: LearnedLexicon } = {}): Promise<ReviewDocument> {
  const name = checkName(input.name, 'document');
  const sourceLang = checkLang(input.sourceLang ?? 'en', 'source language');
  const targetLang = checkLang(input.targetLang ?? 'zh', 'target language');
  if (sourceLang.toLowerCase() === targetLang.toLowerCase()) throw new ImportError('source and target language are the same', 'languages');
  const presplit = input.presplit ?? false;
  const source = textSide(decodeInput(input.source, 'source text', input.encoding), sourceLang, 'source text', { presplit });
  const target = textSide(decodeInput(input.target, 'target text', input.encoding), targetLang, 'target text', { presplit });
  let result: AlignmentResult;
  try {
    const model = await cachedModel(input.model ?? 'auto', { a: sourceLang, b: targetLang }, opts.learned);
    result = await alignDocument(source, target, model, opts.onProgress ? { onProgress: opts.onProgress } : {});
  } catch (e) {
    refuseAlignError(e);
  }
  return reviewDocumentFromAlignment(result, { name, sourceSide: 'a' });
}

/** The whole pipeline, with the store's learnt table: returns the new document's id. */
export async function importDocument(store: Store, input: ImportInput, opts: ImportOptions): Promise<string> {
  const langs = { a: input.sourceLang ?? 'en', b: input.targetLang ?? 'zh' };
  const learned = learnedFor(store, langs, input.project ?? '');
  const doc = await prepareImport(input, { ...opts, ...(learned ? { learned } : {}) });
  return await store.createDocument(doc, { author: opts.author, corpusKey: opts.corpusKey ?? null, project: input.project ?? '' });
}
