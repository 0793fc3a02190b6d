/**
 * The import layer: texts in, documents under review stored (server/import/README.md).
 *
 *   importDocument(store, input, opts)   a new document from two texts (document.ts)
 *   importVersion(store, id, input)      a further target version of a stored document (version.ts)
 *   importTranslations(store, input)     several translations of one original, stored as a set (translations.ts)
 *   importCorpus(store, dir)             the corpus/ folders not imported yet (corpus.ts)
 *   realignDocument(store, id, opts)     re-aligned stretches between fixed rows (realign-document.ts)
 *   applyScoredOp(store, id, op, opts)   a review op, rows aligned by hand scored by the model (scored-op.ts)
 *
 * Every refusal the user can fix is an ImportError (server/formats/errors.ts).
 */
export { ImportError } from '../formats/errors.js';
export { MAX_PROJECT_CHARS, MAX_TEXT_CHARS, cachedModel, checkProject, checkLang, checkModel, checkName, decodeInput, LANG_RE } from './common.js';
export { alignImport, checkImport, importDocument, prepareImport } from './document.js';
export { learnedFor, learnScopeSetting } from './learned.js';
export type { CheckedImport, ImportInput, ImportOptions } from './document.js';
export { importVersion, alignVersion } from './version.js';
export type { VersionInput } from './version.js';
export { alignTranslations, checkTranslations, importTranslations, MAX_TRANSLATIONS } from './translations.js';
export type { CheckedTranslations, TranslationsInput } from './translations.js';
export { importCorpus } from './corpus.js';
export type { CorpusImporter, CorpusImportResult } from './corpus.js';
export { realignDocument, modelNameFor } from './realign-document.js';
export type { RealignResult } from './realign-document.js';
export { applyScoredOp, scoresFor, SCORE_BUDGET_MS } from './scored-op.js';
