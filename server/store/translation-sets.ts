/**
 * Translation sets (table `translation_sets`), for both databases: which documents translate one
 * original. `insert` runs inside the caller's transaction (SqlStore.write); the reads are one
 * statement each.
 */
import { randomBytes } from 'node:crypto';
import type { SqlTx } from './sql.js';
import { InvalidOperationError, type DocumentToStore, type TranslationSet } from './store.js';

/** A set of translations must all be new documents of one original (same language and text) in different languages. */
export function checkTranslationSet(docs: readonly DocumentToStore[]): void {
  if (docs.length < 1) throw new InvalidOperationError('a translation set needs at least one translation');
  const first = docs[0]!.doc;
  const langs = new Set<string>();
  for (const d of docs) {
    if (d.kind !== 'new') throw new InvalidOperationError('a translation set is made of new documents');
    if (d.doc.source.lang !== first.source.lang || d.doc.source.text !== first.source.text) {
      throw new InvalidOperationError('the documents of a translation set must have the same original');
    }
    const lang = d.doc.target.lang.toLowerCase();
    if (langs.has(lang)) throw new InvalidOperationError(`two translations in ${d.doc.target.lang}: a set holds one translation per language`);
    langs.add(lang);
  }
}

/** Groups the documents (just inserted, in the same transaction) as a new set; answers its id. */
export async function insertTranslationSet(tx: SqlTx, docIds: readonly string[]): Promise<string> {
  const id = `s${randomBytes(6).toString('hex')}`;
  for (const [k, doc] of docIds.entries()) await tx.run('INSERT INTO translation_sets (doc_id, set_id, position) VALUES (?, ?, ?)', [doc, id, k]);
  return id;
}

export async function translationSetById(tx: SqlTx, id: string): Promise<TranslationSet | null> {
  const documents = (await tx.all<{ doc_id: string }>('SELECT doc_id FROM translation_sets WHERE set_id = ? ORDER BY position', [id])).map((r) => r.doc_id);
  return documents.length ? { id, documents } : null;
}

export async function translationSetOfDocument(tx: SqlTx, docId: string): Promise<TranslationSet | null> {
  const row = await tx.get<{ set_id: string }>('SELECT set_id FROM translation_sets WHERE doc_id = ?', [docId]);
  return row ? translationSetById(tx, row.set_id) : null;
}
