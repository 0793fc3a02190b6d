/**
 * ExportItems for the front doors (CLI, web): one document at a time from a Store, with its history
 * and, unless disabled, QA findings. Generators, so an --all export holds one document at a time.
 */
import type { Finding, ReviewDocument } from '../domain.js';
import { runChecks } from '../qa/index.js';
import type { Store } from '../store/store.js';
import type { ExportItem } from './model.js';

export interface ItemOptions {
  /** Run the QA checks and export their findings as notes (default true). */
  qa?: boolean;
  /** Told when QA could not run on a document (the export goes on without findings). */
  onWarning?: (message: string) => void;
}

/** QA findings for a document; none (with a warning) when the checks cannot run on it. */
export function qaFindings(doc: ReviewDocument, opts: ItemOptions = {}): Finding[] {
  if (opts.qa === false) return [];
  try {
    return runChecks(doc);
  } catch (e) {
    opts.onWarning?.(`QA checks skipped for document ${doc.id}: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

export function itemFor(doc: ReviewDocument, store: Pick<Store, 'history'> | null, opts: ItemOptions = {}): ExportItem {
  return { doc, history: store ? store.history(doc.id) : [], findings: qaFindings(doc, opts) };
}

export async function* itemsFromStore(
  store: Pick<Store, 'getDocument' | 'history'>,
  ids: Iterable<string>,
  opts: ItemOptions = {},
): AsyncGenerator<ExportItem> {
  for (const id of ids) {
    yield itemFor(store.getDocument(id), store, opts);
    // Let the event loop breathe between documents (HTTP clients, progress output).
    await new Promise((r) => setImmediate(r));
  }
}
