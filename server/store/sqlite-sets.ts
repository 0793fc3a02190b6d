/**
 * Translation sets on SQLite (table `translation_sets`): which documents translate one original.
 * `insert` runs inside the caller's transaction (SqliteStore.write); the reads are one statement each.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
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

export class SqliteTranslationSets {
  private readonly insertRow: Database.Statement;
  private readonly bySet: Database.Statement;
  private readonly setOfDoc: Database.Statement;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare('INSERT INTO translation_sets (doc_id, set_id, position) VALUES (?, ?, ?)');
    this.bySet = db.prepare('SELECT doc_id FROM translation_sets WHERE set_id = ? ORDER BY position');
    this.setOfDoc = db.prepare('SELECT set_id FROM translation_sets WHERE doc_id = ?');
  }

  /** Groups the documents (just inserted, in the same transaction) as a new set; answers its id. */
  insert(docIds: readonly string[]): string {
    const id = `s${randomBytes(6).toString('hex')}`;
    for (const [k, doc] of docIds.entries()) this.insertRow.run(doc, id, k);
    return id;
  }

  get(id: string): TranslationSet | null {
    const documents = (this.bySet.all(id) as { doc_id: string }[]).map((r) => r.doc_id);
    return documents.length ? { id, documents } : null;
  }

  of(docId: string): TranslationSet | null {
    const row = this.setOfDoc.get(docId) as { set_id: string } | undefined;
    return row ? this.get(row.set_id) : null;
  }
}
