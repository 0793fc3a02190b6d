/**
 * The import layer: texts in, documents under review stored (server/import/README.md).
 *
 *   importDocument(store, input, opts)   a new document from two texts (document.ts)
 *   importVersion(store, id, input)      a further target version of a stored document (version.ts)
 *   importCorpus(store, dir)             the corpus/ folders not imported yet (corpus.ts)
 *   realignDocument(store, id, opts)     new rows after the last confirmed one (realign-document.ts)
 *
 * Every refusal the user can fix is an ImportError (server/formats/errors.ts).
 */
export { ImportError } from '../formats/errors.js';
export { MAX_TEXT_CHARS, cachedModel, checkLang, checkModel, checkName, decodeInput } from './common.js';
export { alignImport, checkImport, importDocument, prepareImport } from './document.js';
export type { CheckedImport, ImportInput, ImportOptions } from './document.js';
export { importVersion, alignVersion } from './version.js';
export type { VersionInput } from './version.js';
export { importCorpus } from './corpus.js';
export type { CorpusImporter, CorpusImportResult } from './corpus.js';
export { realignDocument, modelNameFor } from './realign-document.js';
