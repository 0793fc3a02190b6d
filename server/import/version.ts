/**
 * A further target version (e.g. an official translation) aligned to the same source sentences as
 * the document: the version text is aligned against the document's source side, then each version
 * bead's text is attached to the review row holding its first source sentence.
 */
import type { Lang, ReviewDocument, TargetVersion } from '../domain.js';
import { AlignInputError, alignDocument } from '../align/index.js';
import type { Store } from '../store/store.js';
import { TextInputError, buildSide, decodeBytes } from '../text/index.js';
import { ImportError, cachedModel, checkLang, MAX_TEXT_CHARS } from './common.js';

export interface VersionInput {
  name: string;
  text: string | Uint8Array;
  /** Default: the document's target language. */
  lang?: Lang;
  encoding?: string;
  model?: string;
}

const spaceless = (lang: Lang): boolean => /^(zh|ja|th)\b/i.test(lang);

/** Computes the version's text per review row (not stored). */
export async function alignVersion(doc: ReviewDocument, input: VersionInput): Promise<Omit<TargetVersion, 'id'>> {
  const name = input.name.trim();
  if (!name) throw new ImportError('the version needs a name', 422);
  if (name.length > 200) throw new ImportError('the version name is longer than 200 characters', 422);
  const lang = checkLang(input.lang ?? doc.target.lang, 'version language');
  let text: string;
  try {
    text = typeof input.text === 'string' ? input.text : decodeBytes(input.text, { name: 'version text', ...(input.encoding ? { encoding: input.encoding } : {}) });
  } catch (e) {
    if (e instanceof TextInputError) throw new ImportError(e.message, 422);
    throw e;
  }
  if (text.length > MAX_TEXT_CHARS) throw new ImportError(`the version text is too long (${text.length} characters)`, 413);
  const side = buildSide(text, lang);
  if (side.sentences.length === 0) throw new ImportError('the version text is empty: it has no sentences', 422);
  const source = { lang: doc.source.lang, text: doc.source.text, paragraphs: doc.source.paragraphs, sentences: doc.source.sentences };
  let beads;
  try {
    const model = await cachedModel(input.model ?? 'auto', { a: source.lang, b: lang });
    beads = (await alignDocument(source, side, model)).beads;
  } catch (e) {
    if (e instanceof AlignInputError || (e instanceof Error && e.name === 'ModelNotInstalledError')) throw new ImportError(e.message, 422);
    throw e;
  }
  const rowOfSource = new Map<number, string>();
  for (const b of doc.beads) for (const s of b.source) rowOfSource.set(s, b.id);
  const firstRow = doc.beads[0]?.id;
  const parts = new Map<string, string[]>();
  let lastRow = firstRow;
  for (const b of beads) {
    const row = (b.a[0] !== undefined ? rowOfSource.get(b.a[0]) : undefined) ?? lastRow;
    if (!row) continue;
    lastRow = row;
    const texts = b.b.map((j) => side.sentences[j]?.text ?? '');
    if (texts.length) parts.set(row, [...(parts.get(row) ?? []), ...texts]);
  }
  const textByBead: Record<string, string> = {};
  for (const b of doc.beads) textByBead[b.id] = (parts.get(b.id) ?? []).join(spaceless(lang) ? '' : ' ');
  return { name, lang, textByBead };
}

export async function importVersion(store: Store, docId: string, input: VersionInput, opts: { author: string }): Promise<ReviewDocument> {
  const doc = await store.getDocument(docId);
  const version = await alignVersion(doc, input);
  return await store.addVersion(docId, version, opts);
}
