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
import { isBlankText } from '../text/index.js';
import { cachedModel, checkLangOrAuto, checkModel, checkName, checkProject, decodeInput, MAX_TEXT_CHARS, refuseAlignError, sideLang, textSide } from './common.js';
import { learnedFor } from './learned.js';

export interface ImportInput {
  name: string;
  /** The original: a decoded string, or bytes decoded with `encoding`. */
  source: string | Uint8Array;
  /** The translation. */
  target: string | Uint8Array;
  /** Language codes; absent or 'auto': the language the text is written in (detected). */
  sourceLang?: Lang | 'auto';
  targetLang?: Lang | 'auto';
  /** For byte input: 'auto' (default: UTF-8, UTF-16 with a BOM, GB18030 for Chinese), 'utf-8', 'gb18030', 'windows-1252' … */
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

/** An import checked and decoded: what the aligning part (a job, off the web thread) needs, as plain data. */
export interface CheckedImport {
  name: string;
  source: string;
  target: string;
  sourceLang: Lang;
  targetLang: Lang;
  model: string;
  presplit: boolean;
  /** Project or client ('' = none): the document's scope of the learnt table. */
  project: string;
}

/**
 * The cheap checks, done at the door before any job is made (so a mistake is a 422 at once): name,
 * languages, model name, decoding, sizes, texts that are not blank. Texts come back decoded, not yet
 * normalised (the job does that with the sentences: a 3 MB text costs the web thread nothing more).
 */
export function checkImport(input: ImportInput): CheckedImport {
  const name = checkName(input.name, 'document');
  if (input.sourceLang !== undefined) checkLangOrAuto(input.sourceLang, 'source language');
  if (input.targetLang !== undefined) checkLangOrAuto(input.targetLang, 'target language');
  const model = checkModel(input.model ?? 'auto');
  const text = (raw: string | Uint8Array, label: string): string => {
    const t = decodeInput(raw, label, input.encoding);
    if (t.length > MAX_TEXT_CHARS) throw new ImportError(`the ${label} is too long (${t.length} characters; the limit is ${MAX_TEXT_CHARS})`, 'too-large');
    if (isBlankText(t)) throw new ImportError(`the ${label} is empty: it has no sentences`, 'content');
    return t;
  };
  const source = text(input.source, 'source text');
  const target = text(input.target, 'target text');
  const sourceLang = sideLang(input.sourceLang, source, 'en', 'source language');
  const targetLang = sideLang(input.targetLang, target, 'zh', 'target language');
  if (sourceLang.toLowerCase() === targetLang.toLowerCase()) {
    throw new ImportError(`source and target language are the same (${sourceLang}); name the languages if the texts were taken for the same one`, 'languages');
  }
  return { name, sourceLang, targetLang, model, presplit: input.presplit ?? false, project: checkProject(input.project), source, target };
}

/**
 * Text sides and alignment of a checked import, with a learnt table when given (learnedFor); returns
 * the document to store (not stored yet).
 */
export async function alignImport(input: CheckedImport, opts: Pick<ImportOptions, 'onProgress'> & { learned?: LearnedLexicon | undefined } = {}): Promise<ReviewDocument> {
  const { presplit } = input;
  const source = textSide(input.source, input.sourceLang, 'source text', { presplit });
  const target = textSide(input.target, input.targetLang, 'target text', { presplit });
  let result: AlignmentResult;
  try {
    const model = await cachedModel(input.model, { a: input.sourceLang, b: input.targetLang }, opts.learned);
    result = await alignDocument(source, target, model, opts.onProgress ? { onProgress: opts.onProgress } : {});
  } catch (e) {
    refuseAlignError(e);
  }
  return reviewDocumentFromAlignment(result, { name: input.name, sourceSide: 'a' });
}

/** Checks, decodes and aligns; returns the document to store (not stored yet). */
export async function prepareImport(input: ImportInput, opts: Pick<ImportOptions, 'onProgress'> & { learned?: LearnedLexicon | undefined } = {}): Promise<ReviewDocument> {
  return alignImport(checkImport(input), opts);
}

/**
 * Aligns a checked import with the store's learnt table (as LEARN_SCOPE says) and stores it in the
 * import's project (the in-process path: the CLI, the corpus without a job runner).
 */
export async function alignAndStore(store: Store, input: CheckedImport, opts: ImportOptions): Promise<string> {
  const learned = learnedFor(store, { a: input.sourceLang, b: input.targetLang }, input.project);
  const doc = await alignImport(input, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), learned });
  return await store.createDocument(doc, { author: opts.author, corpusKey: opts.corpusKey ?? null, project: input.project });
}

/** The whole pipeline, with the store's learnt table: returns the new document's id. */
export async function importDocument(store: Store, input: ImportInput, opts: ImportOptions): Promise<string> {
  return alignAndStore(store, checkImport(input), opts);
}
