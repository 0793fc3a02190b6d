/**
 * First-start import: every folder of corpus/ holding zh.txt and en.txt becomes a document, once
 * (the folder name is the document's corpusKey, so later starts skip it).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { alignAndStore, checkImport, type CheckedImport } from './document.js';

/** Aligns and stores one checked import (in process by default; the server runs it as a job). */
export type CorpusImporter = (input: CheckedImport, opts: { corpusKey: string; author: string }) => Promise<string>;

const inProcess =
  (store: Store): CorpusImporter =>
  async (input, opts) =>
    alignAndStore(store, input, { author: opts.author, corpusKey: opts.corpusKey });

export interface CorpusImportResult {
  imported: { key: string; id: string; ms: number }[];
  skipped: string[];
  failed: { key: string; error: string }[];
}

export async function importCorpus(
  store: Store,
  corpusDir: string,
  opts: { author?: string; model?: string; log?: (line: string) => void; importer?: CorpusImporter } = {},
): Promise<CorpusImportResult> {
  const result: CorpusImportResult = { imported: [], skipped: [], failed: [] };
  if (!existsSync(corpusDir)) return result;
  const known = new Set((await store.listDocuments()).map((d) => d.corpusKey).filter((k): k is string => k !== null));
  const folders = readdirSync(corpusDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const key of folders) {
    const dir = join(corpusDir, key);
    if (!existsSync(join(dir, 'zh.txt')) || !existsSync(join(dir, 'en.txt'))) continue;
    if (known.has(key)) {
      result.skipped.push(key);
      continue;
    }
    const t0 = performance.now();
    try {
      const [en, zh] = await Promise.all([readFile(join(dir, 'en.txt')), readFile(join(dir, 'zh.txt'))]);
      const checked = checkImport({ name: key, source: new Uint8Array(en), target: new Uint8Array(zh), sourceLang: 'en', targetLang: 'zh', model: opts.model ?? 'auto' });
      const id = await (opts.importer ?? inProcess(store))(checked, { author: opts.author ?? 'corpus import', corpusKey: key });
      const ms = performance.now() - t0;
      result.imported.push({ key, id, ms });
      opts.log?.(`imported corpus/${key} in ${Math.round(ms)} ms`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      result.failed.push({ key, error });
      opts.log?.(`could not import corpus/${key}: ${error}`);
    }
  }
  return result;
}
