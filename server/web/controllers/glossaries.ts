/**
 * Glossaries in the store, as the pages and the API use them: the starter glossary on first start,
 * and reading an uploaded glossary (TSV as glossary/un-diplomatic.tsv, or TBX) into entries, every
 * entry checked before anything is stored.
 */
import { basename } from 'node:path';
import type { GlossaryEntry } from '../../domain.js';
import { readTbx } from '../../formats/tbx.js';
import { DEFAULT_GLOSSARY_PATH, GlossaryError, loadGlossary, loadQaConfig, parseGlossary, validateEntry } from '../../qa/index.js';
import { decodeBytes, TextInputError } from '../../text/index.js';
import type { Store } from '../../store/store.js';
import { HttpError } from '../http-error.js';

/** Glossary files accepted by an upload (they are small; the import body limit still applies). */
export const MAX_GLOSSARY_BYTES = 5 * 1024 * 1024;

/**
 * Imports the QA config's glossary file (glossary/un-diplomatic.tsv by default) as the first
 * glossary, once per store ever (a deleted starter glossary does not come back).
 */
export async function importStarterGlossary(store: Store): Promise<number | null> {
  let path = DEFAULT_GLOSSARY_PATH;
  try {
    path = loadQaConfig().glossaryPath ?? DEFAULT_GLOSSARY_PATH;
  } catch {
    // a config with a mistake still lets the server start with the starter glossary
  }
  const g = loadGlossary(path);
  return store.createGlossary({ name: `${basename(path).replace(/\.[^.]*$/, '')} (starter)`, entries: g.entries }, { author: 'first start', onceKey: 'starter-glossary' });
}

/** Entries of an uploaded glossary file: TBX when it is XML, else TSV. Refused whole (422) on any mistake. */
export function readGlossaryFile(data: Uint8Array, fileName: string): { entries: GlossaryEntry[]; title: string | null; note: string } {
  if (data.byteLength > MAX_GLOSSARY_BYTES) throw new HttpError(413, `The glossary file is too large (the limit is ${MAX_GLOSSARY_BYTES / 1024 / 1024} MB).`);
  const head = Buffer.from(data.subarray(0, 200)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const name = basename(fileName || 'glossary');
  try {
    if (head.startsWith('<')) {
      const tbx = readTbx(data, { maxBytes: MAX_GLOSSARY_BYTES });
      tbx.entries.forEach((e, k) => {
        const err = validateEntry(e);
        if (err) throw new GlossaryError(`${name}: entry ${k + 1} (${e.english[0] ?? e.forbidden[0] ?? '?'}): ${err}`);
      });
      const left = [tbx.skipped ? `${tbx.skipped} entries without English or Chinese terms left out` : '', tbx.otherLanguages.length ? `other languages left out: ${tbx.otherLanguages.join(', ')}` : ''].filter(Boolean).join('; ');
      return { entries: tbx.entries, title: tbx.title, note: left };
    }
    const text = decodeBytes(data, { name, encoding: 'auto' });
    return { entries: parseGlossary(text, name).entries, title: null, note: '' };
  } catch (e) {
    if (e instanceof GlossaryError || e instanceof TextInputError || (e as Error).name === 'ImportError') throw new HttpError(422, (e as Error).message);
    throw e;
  }
}
