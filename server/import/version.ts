/**
 * A further target version (e.g. an official translation) aligned to the same source sentences as
 * the document: the version text is aligned against the document's source side, then each version
 * bead's text is attached to the review row holding its first source sentence.
 */
import type { Bead, Lang, ReviewDocument, TargetVersion } from '../domain.js';
import { alignDocument } from '../align/index.js';
import type { Store } from '../store/store.js';
import { joinSentences } from '../text/index.js';
import { cachedModel, checkLang, checkName, decodeInput, refuseAlignError, textSide } from './common.js';

export interface VersionInput {
  name: string;
  text: string | Uint8Array;
  /** Default: the document's target language. */
  lang?: Lang;
  encoding?: string;
  model?: string;
}

/** Computes the version's text per review row (not stored). */
export async function alignVersion(doc: ReviewDocument, input: VersionInput): Promise<Omit<TargetVersion, 'id'>> {
  const name = checkName(input.name, 'version');
  const lang = checkLang(input.lang ?? doc.target.lang, 'version language');
  const side = textSide(decodeInput(input.text, 'version text', input.encoding), lang, 'version text');
  const source = { lang: doc.source.lang, text: doc.source.text, paragraphs: doc.source.paragraphs, sentences: doc.source.sentences };
  let beads: Bead[];
  try {
    const model = await cachedModel(input.model ?? 'auto', { a: source.lang, b: lang });
    beads = (await alignDocument(source, side, model)).beads;
  } catch (e) {
    refuseAlignError(e);
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
  for (const b of doc.beads) textByBead[b.id] = joinSentences(parts.get(b.id) ?? [], lang);
  return { name, lang, textByBead };
}

export async function importVersion(store: Store, docId: string, input: VersionInput, opts: { author: string }): Promise<ReviewDocument> {
  const doc = await store.getDocument(docId);
  const version = await alignVersion(doc, input);
  return await store.addVersion(docId, version, opts);
}
