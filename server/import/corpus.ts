/**
 * First-start import: every folder of corpus/ holding zh.txt and en.txt becomes a document, once
 * (the folder name is the document's corpusKey, so later starts skip it).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { importDocument } from './document.js';

export interface CorpusImportResult {
  imported: { key: string; id: string; ms: number }[];
  skipped: string[];
  failed: { key: string; error: string }[];
}

export async function importCorpus(
  store: Store,
  corpusDir: string,
  opts: { author?: string; model?: string; log?: (line: string) => void } = {},
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
      const id = await importDocument(
        store,
        { name: key, source: new Uint8Array(en), target: new Uint8Array(zh), sourceLang: 'en', targetLang: 'zh', model: opts.model ?? 'auto' },
        { author: opts.author ?? 'corpus import', corpusKey: key },
      );
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
