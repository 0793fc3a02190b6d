/**
 * The front doors' (CLI, web) glue between server/formats and a Store. ExportItems: one document at
 * a time from a Store, with its history and, unless disabled, QA findings (generators, so an --all
 * export holds one document at a time). Imports: storeImported, the one way an import is stored.
 */
import type { Finding, ReviewDocument, Scorecard } from '../domain.js';
import { buildScorecard, defaultQaConfig, glossaryOfStored, runChecks } from '../qa/index.js';
import type { Store } from '../store/store.js';
import type { ImportedDocument } from './build.js';
import type { ExportItem } from './export-rows.js';

export interface ItemOptions {
  /** Run the QA checks and export their findings as notes (default true). */
  qa?: boolean;
  /** Told when QA could not run on a document (the export goes on without findings). */
  onWarning?: (message: string) => void;
}

/** The store's part of an export: documents, their history and the glossary each one's QA uses. */
export type ItemStore = Pick<Store, 'getDocument' | 'history'> & Partial<Pick<Store, 'documentGlossary'>>;

/**
 * QA findings for a document, with `glossary` (the document's glossary in the store) when there is
 * one, else the QA config's glossary file; none (with a warning) when the checks cannot run on it.
 */
export function qaFindings(doc: ReviewDocument, opts: ItemOptions = {}, glossary?: Parameters<typeof glossaryOfStored>[0]): Finding[] {
  if (opts.qa === false) return [];
  try {
    return glossary ? runChecks(doc, { ...defaultQaConfig(), glossary: glossaryOfStored(glossary) }) : runChecks(doc);
  } catch (e) {
    opts.onWarning?.(`QA checks skipped for document ${doc.id}: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

/**
 * The scorecard of a document and its open findings (those of its glossary), under the QA config's
 * penalties (none without QA).
 */
function scorecard(doc: ReviewDocument, findings: readonly Finding[], opts: ItemOptions): Scorecard | undefined {
  if (opts.qa === false) return undefined;
  try {
    return buildScorecard(doc, findings, defaultQaConfig().scorecard);
  } catch (e) {
    opts.onWarning?.(`scorecard skipped for document ${doc.id}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export async function itemFor(doc: ReviewDocument, store: Omit<ItemStore, 'getDocument'> | null, opts: ItemOptions = {}): Promise<ExportItem> {
  const glossary = store?.documentGlossary && opts.qa !== false ? await store.documentGlossary(doc.id) : undefined;
  const findings = qaFindings(doc, opts, glossary);
  const card = scorecard(doc, findings, opts);
  return { doc, history: store ? await store.history(doc.id, { changes: false }) : [], findings, ...(card ? { scorecard: card } : {}) };
}

export async function* itemsFromStore(
  store: ItemStore,
  ids: Iterable<string>,
  opts: ItemOptions = {},
): AsyncGenerator<ExportItem> {
  for (const id of ids) {
    yield await itemFor(await store.getDocument(id), store, opts);
    // Let the event loop breathe between documents (HTTP clients, progress output).
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Stores what importJson/importTmx read, each document in its own transaction; returns the ids.
 * JSON is restored with its history (store.importDocument: statuses, issues, history, revision);
 * TMX becomes a new document with one 'import' entry by `author` (its beads keep foreign props and
 * notes as `meta`). `name` replaces the documents' names.
 */
export async function storeImported(
  store: Pick<Store, 'createDocument' | 'importDocument'>,
  docs: readonly ImportedDocument[],
  opts: {
    format: 'json' | 'tmx';
    author: string;
    name?: string | undefined;
    /** TMX: its units are validated translations, stored as confirmed rows (the learnt table learns from them). */
    confirmed?: boolean;
    /** Project or client of the stored documents ('' or absent: none). */
    project?: string | undefined;
  },
): Promise<string[]> {
  const ids: string[] = [];
  const project = opts.project ? { project: opts.project } : {};
  // One after the other: each document is its own transaction, in the file's order.
  for (const { document, history } of docs) {
    const doc = opts.name === undefined ? document : { ...document, name: opts.name };
    if (opts.format === 'json') {
      ids.push(await store.importDocument(doc, { author: opts.author, history, ...project }));
      continue;
    }
    const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
    const beads = opts.confirmed ? rest.beads.map((b) => (b.source.length > 0 && b.target.length > 0 ? { ...b, status: 'confirmed' as const } : b)) : rest.beads;
    ids.push(await store.createDocument({ ...rest, beads }, { author: opts.author, ...project }));
  }
  return ids;
}
